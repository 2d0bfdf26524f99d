package io.fleetpredict.forecast;

/**
 * R's {@code forecast:::is.constant}, the one test of "this series does not vary" that every model here shares,
 * so that ETS, ARIMA, the seasonality tests and the decompositions agree on which series are constant.
 *
 * <p>Unlike R's {@code all.equal}, the test is free of the unit: R measures a departure absolutely once the
 * values are within 1.49e-8 of zero, which takes a varying series of tiny values (1e-12 give or take 30%) for a
 * constant. What that absolute floor was for, rounding noise in a series derived from another (the second
 * differences of a straight line, the residuals of an exact fit), is judged here against the magnitude of the
 * series it was derived from, which the caller passes.
 */
final class Constancy {

    /** {@code all.equal}'s default tolerance, {@code sqrt(.Machine$double.eps)}. */
    private static final double ALL_EQUAL_TOLERANCE = Math.sqrt(Math.ulp(1.0));

    private Constancy() {
    }

    /**
     * {@code all.equal(x, rep(x[1], length(x)))} without its absolute floor: the values that differ from the
     * first differ from it by at most 1.49e-8 on average, relative to their mean absolute value. As
     * {@code all.equal}, only the values that differ are averaged, so a long run of equal values does not make
     * one that departs look small. A series of zeros is constant; multiplying a series by any positive factor
     * does not change the answer (short of overflow or underflow).
     */
    static boolean isConstant(double[] x) {
        return isConstant(x, 0);
    }

    /**
     * As {@link #isConstant(double[])} for a series derived from another of mean absolute value
     * {@code magnitude} (a difference, a residual): a departure within 1.49e-8 of that magnitude is rounding
     * left by the derivation, so the series counts as constant even where its own values are all near zero.
     */
    static boolean isConstant(double[] x, double magnitude) {
        // Judged in units of a power of two near the largest value: exact, and free of the unit as the test is,
        // while sums of values near the largest double would overflow, and an infinite scale would make any
        // departure (1.6e308 against 1.7e308) look like none.
        double largest = 0;
        for (double v : x) {
            largest = Math.max(largest, Math.abs(v));
        }
        double unit = largest > 0 && Double.isFinite(largest) ? Math.scalb(1.0, Math.getExponent(largest)) : 1;
        double first = x.length == 0 ? 0 : x[0] / unit;
        double diff = 0;
        double scale = 0;
        int differing = 0;
        for (double v : x) {
            if (v != x[0]) {
                diff += Math.abs(v / unit - first);
                scale += Math.abs(v / unit);
                differing++;
            }
        }
        if (differing == 0) {
            return true;
        }
        diff /= differing;
        scale /= differing;
        return diff / Math.max(scale, magnitude / unit) <= ALL_EQUAL_TOLERANCE;
    }

    /**
     * The mean absolute value of {@code x}, the magnitude a series derived from it is judged against: finite for
     * finite values however large (the mean of values near the largest double is near it, where their sum
     * overflows, and an infinite magnitude would make every departure look like rounding, every series constant),
     * and as the test itself, judged in a power of two near the largest value, so that a series scaled by a power
     * of two has its magnitude scaled by exactly that power (short of subnormals).
     */
    static double magnitude(double[] x) {
        if (x.length == 0) {
            return 0;
        }
        double largest = 0;
        for (double v : x) {
            largest = Math.max(largest, Math.abs(v));
        }
        if (!(largest > 0) || !Double.isFinite(largest)) {
            // Zeros, or a value that is not finite: nothing to scale, and the sum says it (NaN, infinity).
            return largest == 0 ? 0 : sumOfAbsolute(x, 1) / x.length;
        }
        double unit = Math.scalb(1.0, Math.getExponent(largest));
        // Each scaled value is below 2, so neither the sum nor the mean can overflow; compensated, so that the
        // mean does not depend on the order of the values beyond its last bit.
        double mean = sumOfAbsolute(x, unit) / x.length;
        return Math.min(mean * unit, largest);
    }

    /** Neumaier's compensated sum of {@code |v| / unit}. */
    private static double sumOfAbsolute(double[] x, double unit) {
        double sum = 0;
        double compensation = 0;
        for (double v : x) {
            double a = Math.abs(v) / unit;
            double t = sum + a;
            compensation += Math.abs(sum) >= a ? (sum - t) + a : (a - t) + sum;
            sum = t;
        }
        return sum + compensation;
    }
}
