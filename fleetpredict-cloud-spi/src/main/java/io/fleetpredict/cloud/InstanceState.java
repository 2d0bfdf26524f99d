package io.fleetpredict.cloud;

/** The life-cycle state of an {@link Instance}. */
public enum InstanceState {
    /** Launched and costing, not yet ready to serve (booting). */
    PENDING,
    /** Ready to serve. */
    RUNNING,
    /** Released by the caller, shutting down. */
    TERMINATING,
    /** Released by the caller and gone; it no longer costs. */
    TERMINATED,
    /** A spot instance taken back by the provider; it no longer costs and will not come back. */
    INTERRUPTED;

    /**
     * Whether an instance in this state counts toward the fleet's capacity and the caller's quota.
     *
     * @return {@code true} for {@link #PENDING} and {@link #RUNNING}
     */
    public boolean active() {
        return this == PENDING || this == RUNNING;
    }
}
