package io.fleetpredict.forecast;

/**
 * The seasonal treatment of the M4 Theta benchmark, as R's {@code forecast::thetaf} applies it: a
 * 90% test of the autocorrelation at the seasonal lag, and classical multiplicative decomposition
 * ({@code stats::decompose(x, type = "multiplicative")}) whose seasonal indices divide the series
 * before forecasting and multiply the forecasts after.
 */
final class ClassicalDecomposition {

    /** {@code qnorm(0.95)}. */
    private static final double Z_90_ONE_SIDED = 1.6448536269514722;

    private ClassicalDecomposition() {
    }

    /**
     * Whether the series is seasonal at lag {@code m}: the autocorrelation at lag {@code m} exceeds
     * 1.645 standard errors under Bartlett's formula with the lower lags, {@code sqrt((1 + 2 *
     * sum(r_k^2, k < m)) / n)}. Requires {@code m > 1}, {@code n > 2m} and a non-constant series.
     */
    static boolean isSeasonal(double[] x, int m) {
        int n = x.length;
        if (m <= 1 || n <= 2 * m || isConstant(x)) {
            return false;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double denom = 0;
        for (double v : x) {
            denom += (v - mean) * (v - mean);
        }
        double sumSquares = 0;
        double rm = 0;
        for (int k = 1; k <= m; k++) {
            double s = 0;
            for (int t = 0; t + k < n; t++) {
                s += (x[t] - mean) * (x[t + k] - mean);
            }
            double r = s / denom;
            if (k < m) {
                sumSquares += r * r;
            } else {
                rm = r;
            }
        }
        double stat = Math.sqrt((1 + 2 * sumSquares) / n);
        return Math.abs(rm) / stat > Z_90_ONE_SIDED;
    }

    /** R's {@code forecast:::is.constant}: equal to the first value up to {@code all.equal}'s tolerance. */
    static boolean isConstant(double[] x) {
        double diff = 0;
        double scale = 0;
        for (double v : x) {
            diff += Math.abs(v - x[0]);
            scale += Math.abs(x[0]);
        }
        return scale > 0 ? diff / scale < 1.5e-8 : diff == 0;
    }

    /**
     * The multiplicative seasonal indices, by phase relative to the first observation: index {@code j}
     * applies to observations {@code j, j + m, j + 2m, ...}; they average to one.
     *
     * @param x the series, at least two cycles
     * @param m the period, at least 2
     */
    static double[] multiplicativeIndices(double[] x, int m) {
        int n = x.length;
        // Centred moving average: 2 x m for even m, m for odd m.
        double[] w;
        if (m % 2 == 0) {
            w = new double[m + 1];
            for (int j = 0; j <= m; j++) {
                w[j] = (j == 0 || j == m ? 0.5 : 1.0) / m;
            }
        } else {
            w = new double[m];
            java.util.Arrays.fill(w, 1.0 / m);
        }
        int half = (w.length - 1) / 2;
        double[] sums = new double[m];
        int[] counts = new int[m];
        for (int t = half; t < n - half; t++) {
            double trend = 0;
            for (int j = 0; j < w.length; j++) {
                trend += w[j] * x[t - half + j];
            }
            sums[t % m] += x[t] / trend;
            counts[t % m]++;
        }
        double[] figure = new double[m];
        double mean = 0;
        for (int j = 0; j < m; j++) {
            figure[j] = sums[j] / counts[j];
            mean += figure[j];
        }
        mean /= m;
        for (int j = 0; j < m; j++) {
            figure[j] /= mean;
        }
        return figure;
    }
}
