package io.fleetpredict.core.projection;

/** Why no plan could be made for a service. */
public enum InfeasibilityReason {
    /** No offer and no idle capacity is in an allowed family and region. */
    NO_ALLOWED_OFFER,
    /** A resource is needed that no allowed offer provides. */
    RESOURCE_NOT_OFFERED,
    /** An on-demand base is required but every allowed offer is spot. */
    NO_ON_DEMAND_OFFER,
    /** Only spot offers are allowed but the SLA caps the spot share below what the demand needs. */
    SPOT_SHARE_EXCEEDED,
    /** The limits together admit no integer plan. */
    CONSTRAINTS_CONTRADICT
}
