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
    /**
     * The limits together admit no integer plan.
     */
    CONSTRAINTS_CONTRADICT,
    /**
     * A resource is needed in an amount that even the largest allowed offer would provide only with more than
     * {@link #MAX_INSTANCES} instances: the need is beyond any fleet (an input error, most likely), not
     * something the SLA limits forbid.
     */
    NEED_TOO_LARGE;

    /**
     * The most instances of one offer the planner buys for a service, {@code Integer.MAX_VALUE / 4}: far beyond
     * any fleet, and small enough that a plan's counts and their sums stay exact in its integer arithmetic.
     */
    public static final int MAX_INSTANCES = Integer.MAX_VALUE / 4;
}
