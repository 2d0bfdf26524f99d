package io.fleetpredict.core.monitor;

import java.util.Arrays;

/**
 * The exactly rounded sum of finite doubles, independent of the order they were added in, so that a
 * bucket fed by racing threads always ends with the same value.
 *
 * <p>Shewchuk's non-overlapping partials ("Adaptive precision floating-point arithmetic and fast
 * robust geometric predicates", 1997), with the final half-even correction used by CPython's
 * {@code math.fsum}. Inputs must be finite and small enough that no partial overflows, which
 * {@link ActivityMonitor#MAX_ABS_VALUE} guarantees. Not thread-safe.
 */
final class ExactSum {

    private double[] partials = new double[4];
    private int size;

    void add(double value) {
        double x = value;
        int kept = 0;
        for (int j = 0; j < size; j++) {
            double y = partials[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                partials[kept++] = lo;
            }
            x = hi;
        }
        size = kept;
        if (x != 0.0) {
            if (size == partials.length) {
                partials = Arrays.copyOf(partials, size * 2);
            }
            partials[size++] = x;
        }
    }

    double value() {
        int n = size;
        if (n == 0) {
            return 0.0;
        }
        double hi = partials[--n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi;
            double y = partials[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // Round half to even across partials: when the remainder below lo has lo's sign, the exact sum
        // lies beyond the halfway point that the addition above rounded to even.
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
        return hi;
    }

    void clear() {
        size = 0;
    }
}
