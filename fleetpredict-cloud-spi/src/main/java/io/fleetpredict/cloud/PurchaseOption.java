package io.fleetpredict.cloud;

/** How an instance is bought. */
public enum PurchaseOption {
    /** Billed at the offer's on-demand price; the provider never takes the instance back. */
    ON_DEMAND,
    /**
     * Billed at the offer's spot price; the provider may interrupt the instance at any time, after
     * which it shows {@link InstanceState#INTERRUPTED} and stops costing.
     */
    SPOT
}
