package io.fleetpredict.forecast;

/**
 * R's {@code forecast:::is.constant}, the one test of "this series does not vary" that every model here shares,
 * so that ETS, ARIMA, the seasonality tests and the decompositions agree on which series are constant.
 */
final class Constancy {

    /** {@code all.equal}'s default tolerance, {@code sqrt(.Machine$double.eps)}. */
    private static final double ALL_EQUAL_TOLERANCE = Math.sqrt(Math.ulp(1.0));

    private Constancy() {
    }

    /**
     * {@code all.equal(x, rep(x[1], length(x)))}: the values that differ from the first differ from it by at
     * most 1.49e-8 on average, relative to their mean absolute value (absolute when that is itself within
     * 1.49e-8). As {@code all.equal}, only the values that differ are averaged, so a long run of equal values
     * does not make one that departs look small.
     */
    static boolean isConstant(double[] x) {
        double diff = 0;
        double scale = 0;
        int differing = 0;
        for (double v : x) {
            if (v != x[0]) {
                diff += Math.abs(v - x[0]);
                scale += Math.abs(v);
                differing++;
            }
        }
        if (differing == 0) {
            return true;
        }
        diff /= differing;
        scale /= differing;
        return scale > ALL_EQUAL_TOLERANCE ? diff / scale <= ALL_EQUAL_TOLERANCE : diff <= ALL_EQUAL_TOLERANCE;
    }
}
