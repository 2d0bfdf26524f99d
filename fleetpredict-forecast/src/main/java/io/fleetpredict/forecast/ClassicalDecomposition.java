package io.fleetpredict.forecast;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Classical decomposition by a centred moving average, computed as R's {@code stats::decompose}
 * does: a 2 x m moving average for even periods (m for odd ones), seasonal figures averaged by
 * position from the start of the series and normalised to mean 0 (additive) or 1 (multiplicative).
 */
final class ClassicalDecomposition {

    /** {@code qnorm(0.95)}, the critical value R's {@code forecast::thetaf} uses. */
    static final double Z_90_ONE_SIDED = 1.6448536269514722;

    /** The rounded critical value of the M4 organisers' benchmark code ({@code 1.645}). */
    static final double M4_CRITICAL_VALUE = 1.645;

    /**
     * Whether the series is seasonal at lag {@code m}: the autocorrelation at lag {@code m}, in absolute value,
     * exceeds {@code criticalValue} standard errors ({@link #seasonalScore}), as R's {@code forecast::thetaf}
     * and the M4 benchmark test it.
     */
    static boolean isSeasonal(double[] x, int m, double criticalValue) {
        return Math.abs(seasonalScore(x, m)) > criticalValue;
    }

    /**
     * The autocorrelation at lag {@code m} in standard errors under Bartlett's formula with the lower lags,
     * {@code r_m / sqrt((1 + 2 * sum(r_k^2, k < m)) / n)}, with its sign; 0 unless {@code m > 1},
     * {@code n > 2m} and the series is not constant.
     */
    static double seasonalScore(double[] x, int m) {
        return seasonalScore(x, m, 0);
    }

    /**
     * As {@link #seasonalScore(double[], int)} for a series derived from one of mean absolute value
     * {@code magnitude}, a detrended series (see {@link Constancy#isConstant(double[], double)}).
     */
    static double seasonalScore(double[] x, int m, double magnitude) {
        double[] r = lagCorrelation(x, m, magnitude);
        return r == null ? 0 : r[0] / r[1];
    }

    /**
     * The autocorrelation at lag {@code m} and its standard error under Bartlett's formula with the lower lags,
     * {@code {r_m, sqrt((1 + 2 * sum(r_k^2, k < m)) / n)}}; null unless {@code m > 1}, {@code n > 2m} and the
     * series is not constant (judged as {@link #seasonalScore(double[], int, double)} does).
     */
    static double @Nullable [] lagCorrelation(double[] x, int m, double magnitude) {
        int n = x.length;
        if (m <= 1 || n <= 2L * m || Constancy.isConstant(x, magnitude)) {
            return null;
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
        return new double[] {rm, stat};
    }

    /**
     * The multiplicative seasonal indices of {@code x} at period {@code m}, as
     * {@code decompose(x, type = "multiplicative")$figure}.
     */
    static double[] multiplicativeIndices(double[] x, int m) {
        return of(x, m, true).figure;
    }

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
