package io.fleetpredict.core.monitor;

/**
 * How a closed bucket that received no observation gets a value in a {@link MonitoredSeries}.
 * Every filled index is marked in {@link MonitoredSeries#gaps()}, whatever the policy.
 *
 * <p>{@link #PREVIOUS}, {@link #LINEAR} and {@link #REJECT} match
 * {@link io.fleetpredict.forecast.GapPolicy}; {@link #ZERO} is the natural rule for event counts.
 */
public enum GapFill {
    /** An empty bucket is zero: the rule for counters, where no observation means no event. */
    ZERO,
    /**
     * The last observed value is carried forward; gaps before the first observed bucket of the
     * window take that bucket's value.
     */
    PREVIOUS,
    /**
     * Straight line between the observed buckets on either side; gaps before the first and after the
     * last observed bucket of the window are carried flat.
     */
    LINEAR,
    /** An empty bucket in the window is an error that names the metric and the bucket's time. */
    REJECT;

    /**
     * Fills the {@code NaN} entries of {@code v} in place; {@code v} has at least one finite entry
     * unless the policy is {@link #ZERO}. Not called for {@link #REJECT}.
     */
    void fill(double[] v) {
        if (this == ZERO) {
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    v[i] = 0.0;
                }
            }
            return;
        }
        int first = 0;
        while (Double.isNaN(v[first])) {
            first++;
        }
        for (int i = 0; i < first; i++) {
            v[i] = v[first];
        }
        int last = first;
        for (int i = first + 1; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                continue;
            }
            for (int j = last + 1; j < i; j++) {
                v[j] = this == PREVIOUS ? v[last] : v[last] + (v[i] - v[last]) * (j - last) / (i - last);
            }
            last = i;
        }
        for (int j = last + 1; j < v.length; j++) {
            v[j] = v[last];
        }
    }
}
