package io.fleetpredict.forecast;

import java.util.Arrays;

/**
 * Classical decomposition by a centred moving average, computed as R's {@code stats::decompose}
 * does: a 2 x m moving average for even periods (m for odd ones), seasonal figures averaged by
 * position from the start of the series and normalised to mean 0 (additive) or 1 (multiplicative).
 */
final class ClassicalDecomposition {

    private final double[] trend;
    private final double[] figure;

    private ClassicalDecomposition(double[] trend, double[] figure) {
        this.trend = trend;
        this.figure = figure;
    }

    /**
     * Decomposes {@code x} with period {@code m}; the caller has checked {@code x.length >= 2m} and
     * {@code m >= 2}.
     */
    static ClassicalDecomposition of(double[] x, int m, boolean multiplicative) {
        int n = x.length;
        double[] trend = new double[n];
        Arrays.fill(trend, Double.NaN);
        int half = m / 2;
        boolean even = m % 2 == 0;
        for (int i = half; i < n - half; i++) {
            double s = 0;
            if (even) {
                s = 0.5 * x[i - half] + 0.5 * x[i + half];
                for (int j = i - half + 1; j < i + half; j++) {
                    s += x[j];
                }
            } else {
                for (int j = i - half; j <= i + half; j++) {
                    s += x[j];
                }
            }
            trend[i] = s / m;
        }
        double[] figure = new double[m];
        for (int p = 0; p < m; p++) {
            double sum = 0;
            int count = 0;
            for (int i = p; i < n; i += m) {
                if (!Double.isNaN(trend[i])) {
                    sum += multiplicative ? x[i] / trend[i] : x[i] - trend[i];
                    count++;
                }
            }
            figure[p] = sum / count;
        }
        double mean = 0;
        for (double f : figure) {
            mean += f;
        }
        mean /= m;
        for (int p = 0; p < m; p++) {
            figure[p] = multiplicative ? figure[p] / mean : figure[p] - mean;
        }
        return new ClassicalDecomposition(trend, figure);
    }

    /** The centred moving average, {@code NaN} where the window does not fit. */
    double[] trend() {
        return trend.clone();
    }

    /** The seasonal figure of each position {@code i mod m}, counted from the start of the series. */
    double[] figure() {
        return figure.clone();
    }
}
