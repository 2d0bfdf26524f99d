package io.fleetpredict.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How {@link TimeSeries#filled} treats a missing observation ({@code NaN}). */
public enum GapPolicy {
    /** A gap is an error that names its index and time. */
    REJECT,
    /** The last observed value is carried forward (a leading gap takes the first observed value). */
    PREVIOUS,
    /** Straight line between the observations on either side (ends are carried flat). */
    LINEAR;

    double[] fill(double[] v, Instant start, Duration step) {
        int firstObserved = -1;
        for (int i = 0; i < v.length; i++) {
            if (Double.isInfinite(v[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "value at index %d (%s) is infinite", i, start.plus(step.multipliedBy(i))));
            }
            if (!Double.isNaN(v[i]) && firstObserved < 0) {
                firstObserved = i;
            }
        }
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i]) && this == REJECT) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "gap at index %d (%s) and the gap policy is REJECT", i, start.plus(step.multipliedBy(i))));
            }
        }
        if (firstObserved < 0) {
            if (v.length == 0) {
                return v;
            }
            throw new IllegalArgumentException("every value is missing; nothing to fill gaps from");
        }
        for (int i = 0; i < firstObserved; i++) {
            v[i] = v[firstObserved];
        }
        int last = firstObserved;
        for (int i = firstObserved + 1; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                continue;
            }
            if (i - last > 1) {
                for (int j = last + 1; j < i; j++) {
                    v[j] = this == PREVIOUS ? v[last] : v[last] + (v[i] - v[last]) * (j - last) / (i - last);
                }
            }
            last = i;
        }
        for (int j = last + 1; j < v.length; j++) {
            v[j] = v[last];
        }
        return v;
    }
}
