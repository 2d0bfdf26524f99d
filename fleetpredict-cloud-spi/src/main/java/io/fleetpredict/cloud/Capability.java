package io.fleetpredict.cloud;

/**
 * An optional ability of a {@link CloudProvider}, declared in {@link CloudProvider#capabilities()}.
 *
 * <p>A caller must not use an ability its provider does not declare; the compatibility kit checks
 * each declared ability and skips the checks of the others.
 */
public enum Capability {
    /**
     * Spot instances: some offers carry a spot price and {@link PurchaseOption#SPOT} requests are
     * accepted for them. Without it, no offer has a spot price and every spot request fails with
     * {@link CloudException.Kind#INVALID_REQUEST}.
     */
    SPOT,
    /**
     * {@link CloudProvider#configure} applies settings to running instances. Without it,
     * {@code configure} throws {@link UnsupportedOperationException}.
     */
    CONFIGURE,
    /**
     * A provision may launch fewer instances than requested when capacity is short, and reports it
     * through {@link ProvisionResult#partial()}. Without it, a provision launches all or none.
     */
    PARTIAL_FULFILMENT
}
