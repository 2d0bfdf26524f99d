package io.fleetpredict.core.monitor;

/**
 * What a metric's observations mean, which fixes how the observations that fall into one bucket
 * merge into the bucket's value and how empty buckets are filled by default.
 */
public enum MetricKind {
    /**
     * A count of events, such as sessions, page views or transactions: the bucket's value is the
     * sum of its observations, so it reads as events per step. Observations must not be negative.
     * Empty buckets are filled with zero by default: no observation means no event.
     */
    COUNTER(GapFill.ZERO),
    /**
     * A level sampled over time, such as CPU cores or GiB of memory in use: the bucket's value is the
     * arithmetic mean of its observations. Empty buckets carry the previous level forward by default.
     */
    GAUGE_MEAN(GapFill.PREVIOUS),
    /**
     * A level whose peak matters, such as bandwidth for capacity planning: the bucket's value is the
     * largest of its observations. Empty buckets carry the previous level forward by default.
     */
    GAUGE_MAX(GapFill.PREVIOUS);

    private final GapFill defaultGapFill;

    MetricKind(GapFill defaultGapFill) {
        this.defaultGapFill = defaultGapFill;
    }

    /** @return how empty buckets of this kind are filled unless the metric is registered with another policy */
    public GapFill defaultGapFill() {
        return defaultGapFill;
    }
}
