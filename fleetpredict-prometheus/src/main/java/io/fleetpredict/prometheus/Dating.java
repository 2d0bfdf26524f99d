package io.fleetpredict.prometheus;

/**
 * Which time a range's point is dated: the time Prometheus evaluated the expression at, or the start of the step
 * whose end it was evaluated at.
 *
 * <p>An {@code ActivityMonitor} bucket and a {@code FleetHistory} value dated {@code t} hold what happened in
 * {@code [t, t + step)}. A windowed expression over one step ({@code avg_over_time(x[15m])}, {@code
 * increase(x[15m])} at a 15-minute step) evaluated at {@code t} covers the step that ends at {@code t}, so under
 * {@link #EVALUATION_TIME} each value is dated one step late. Under {@link #STEP_START} the expression is evaluated
 * at the last millisecond of each step, {@code t + step - 1 ms}, and the point dated {@code t}: its window is then
 * the bucket {@code [t, t + step)} (Prometheus 3 opens a range selector on the left; Prometheus 2 also takes a
 * sample at exactly {@code t - 1 ms}).
 *
 * <p>The window must be the query's own: a recording rule that holds it ({@code sum(rate(x[15m]))} recorded every
 * minute) was evaluated on its group's schedule, not at the step's end, so the value read for a step covers the
 * 15 minutes before the rule's last evaluation within it, part of them the step before.
 */
public enum Dating {
    /**
     * A point is dated when the expression was evaluated: the value of {@code x} at {@code t}, as Prometheus
     * dates it. For a gauge read as it is ({@code sum(cpu_cores)}) or an expression already shifted by the
     * caller.
     */
    EVALUATION_TIME,
    /**
     * A point dated {@code t} is the expression evaluated at {@code t + step - 1 ms}, the end of the step starting
     * at {@code t}: for windowed expressions over one step, so that the value dated {@code t} covers {@code [t, t +
     * step)} as a monitor's bucket does. A step that has not ended by the source's clock is not asked for, as its
     * window would be partial.
     */
    STEP_START
}
