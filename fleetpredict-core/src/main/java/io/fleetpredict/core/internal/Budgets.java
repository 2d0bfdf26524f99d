package io.fleetpredict.core.internal;

/**
 * The one rule by which a cost is held to a budget, shared by the projection's budget and the cost gate's
 * thresholds so that the projection never proposes what the gate then refuses. Internal: no compatibility
 * promise.
 *
 * <p>A cost within {@link #TOLERANCE} of the limit, relative to the limit (at least an absolute
 * {@code 1e-9}), fits: what a floating-point sum leaves over ({@code 0.1 + 0.1 + 0.1} is
 * {@code 0.30000000000000004}) must not refuse a plan that costs exactly its budget.
 */
public final class Budgets {

    /** How far, relative to the limit and at least absolutely, a cost may exceed its limit and still fit. */
    public static final double TOLERANCE = 1e-9;

    private Budgets() {}

    /**
     * Whether a cost fits a limit.
     *
     * @param cost the cost, per hour or per cycle
     * @param limit the limit in the same unit; infinite for no limit
     * @return {@code true} if the cost is at most the limit, within the tolerance
     */
    public static boolean within(double cost, double limit) {
        return cost <= limit + TOLERANCE * Math.max(1.0, Math.abs(limit));
    }
}
