package io.fleetpredict.core.monitor;

/** Why the monitor did not put an observation into its metric's series. */
public enum RejectReason {
    /** The metric was not registered with the monitor. */
    UNKNOWN_METRIC,
    /** The value is {@code NaN} or infinite. */
    NOT_FINITE,
    /** The value's magnitude exceeds {@link ActivityMonitor#MAX_ABS_VALUE}. */
    TOO_LARGE,
    /** A {@link MetricKind#COUNTER} value is negative. */
    NEGATIVE_COUNTER,
    /** The value of a resource's use (a metric named {@code <resource>_<unit>}, such as {@code cpu_cores}) is negative. */
    NEGATIVE_USAGE,
    /** The time is outside the range the monitor can bucket (about the years 1678 to 2262). */
    TIME_OUT_OF_RANGE,
    /** The time is further ahead of the monitor's clock than its future tolerance allows. */
    TOO_FAR_IN_FUTURE,
    /**
     * The observation's bucket had already closed: its time is older than the lateness window
     * allows, measured from the latest time seen for the metric (or the clock, if later).
     */
    LATE
}
