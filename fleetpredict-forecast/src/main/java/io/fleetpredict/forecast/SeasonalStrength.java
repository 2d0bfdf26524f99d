package io.fleetpredict.forecast;

/**
 * Seasonal strength {@code Fs = max(0, 1 - var(remainder) / var(remainder + seasonal))} (Wang, Smith and
 * Hyndman 2006) with the components of an MSTL decomposition, as forecast's {@code seas.heuristic}
 * computes it for {@code nsdiffs(test = "seas")}, which compares it with 0.64. The decomposition's seasonal
 * component follows a season whose swing grows with the level, as a fixed seasonal figure cannot (the
 * remainder would take the growth and hide the season).
 */
final class SeasonalStrength {

    /** forecast's threshold above which a seasonal difference is taken. */
    static final double THRESHOLD = 0.64;

    private SeasonalStrength() {
    }

    /** The strength in [0, 1]; 0 without two full periods and more (R's {@code mstl} drops the period then). */
    static double of(double[] x, int m) {
        int n = x.length;
        if (m < 2 || n <= 2L * m) {
            return 0;
        }
        Mstl.Components c = Mstl.decompose(x, new int[] {m});
        double[] remainder = c.remainder;
        double[] withSeason = new double[n];
        for (int t = 0; t < n; t++) {
            withSeason[t] = remainder[t] + c.seasonal[0][t];
        }
        double vs = variance(withSeason, n);
        if (!(vs > 0)) {
            return 0;
        }
        return Math.max(0, Math.min(1, 1 - variance(remainder, n) / vs));
    }

    /**
     * The centred moving average of R's {@code stats::decompose}: a 2 x m average for even {@code m}, an
     * m average for odd; NaN where the window does not fit in the series.
     */
    static double[] centredMovingAverage(double[] x, int m) {
        int n = x.length;
        double[] trend = new double[n];
        java.util.Arrays.fill(trend, Double.NaN);
        int half = m / 2;
        for (int t = half; t < n - half; t++) {
            double v = 0;
            if (m % 2 == 0) {
                v = 0.5 * x[t - half] + 0.5 * x[t + half];
                for (int k = -half + 1; k < half; k++) {
                    v += x[t + k];
                }
            } else {
                for (int k = -half; k <= half; k++) {
                    v += x[t + k];
                }
            }
            trend[t] = v / m;
        }
        return trend;
    }

    /**
     * Seasonal differences (0 or 1) as forecast's {@code nsdiffs(x, test = "seas", max.D = 1)}.
     */
    static int differences(double[] x, int m) {
        return differences(x, m, 0);
    }

    /**
     * As {@link #differences(double[], int)} for a series derived from one of mean absolute value
     * {@code magnitude} (see {@link Constancy#isConstant(double[], double)}).
     */
    static int differences(double[] x, int m, double magnitude) {
        if (Constancy.isConstant(x, magnitude) || m < 2 || m >= x.length) {
            return 0;
        }
        return of(x, m) > THRESHOLD ? 1 : 0;
    }

    /** The sample variance of the first {@code k} values. */
    static double variance(double[] v, int k) {
        double mean = 0;
        for (int i = 0; i < k; i++) {
            mean += v[i];
        }
        mean /= k;
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += (v[i] - mean) * (v[i] - mean);
        }
        return s / (k - 1);
    }
}
