package io.fleetpredict.core.projection;

/** How an instance is bought. */
public enum PurchaseOption {
    /** Paid by the hour at the list price; never interrupted by the provider. */
    ON_DEMAND,
    /** Spare capacity at a lower price that the provider may reclaim at short notice. */
    SPOT;

    /**
     * Tells whether the provider may interrupt an instance bought this way.
     *
     * @return true for spot
     */
    public boolean interruptible() {
        return this == SPOT;
    }
}
