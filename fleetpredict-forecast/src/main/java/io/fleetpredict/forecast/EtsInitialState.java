package io.fleetpredict.forecast;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * The starting states of R's {@code ets} ({@code initstate} in forecast 8.20): seasonal states from a
 * classical decomposition of the series (or, with fewer than three periods, from a regression on a
 * line and one Fourier pair), level and slope from a straight line through the first
 * {@code max(10, 2m)} seasonally adjusted values.
 */
final class EtsInitialState {

    private EtsInitialState() {
    }

    /**
     * The initial state vector in R's layout {@code [l, b, s0..s(m-1)]}, with the last seasonal state
     * set by the normalisation (seasonal states sum to 0, or to m for a multiplicative season).
     */
    static double[] of(double[] y, EtsSpec spec, int period) {
        int n = y.length;
        int m = spec.seasonal() ? period : 1;
        double[] ysa = y.clone();
        double[] seasInit = new double[m - 1];
        if (spec.seasonal()) {
            boolean mult = spec.season() == EtsSpec.Season.MULTIPLICATIVE;
            double[] seasonal = n < 3L * m ? fourierDetrended(y, m, mult) : decompose(y, m, mult);
            for (int j = 0; j < m - 1; j++) {
                seasInit[j] = seasonal[m - 1 - j]; // rev(seasonal[2:m]) in R's 1-based terms
            }
            if (mult) {
                double sum = 0;
                for (int j = 0; j < m - 1; j++) {
                    seasInit[j] = Math.max(seasInit[j], 0.01);
                    sum += seasInit[j];
                }
                if (sum > m) {
                    double denom = sum + 0.01 * (m - 1);
                    for (int j = 0; j < m - 1; j++) {
                        seasInit[j] /= denom;
                    }
                }
                for (int i = 0; i < n; i++) {
                    ysa[i] = y[i] / Math.max(seasonal[i], 0.01);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    ysa[i] = y[i] - seasonal[i];
                }
            }
        }
        int maxn = (int) Math.min(Math.max(10, 2L * m), n);
        double l0;
        double b0 = 0;
        if (!spec.trended()) {
            double s = 0;
            for (int i = 0; i < maxn; i++) {
                s += ysa[i];
            }
            l0 = s / maxn;
        } else {
            // lsfit(1:maxn, y.sa[1:maxn])
            double mx = (maxn + 1) / 2.0;
            double my = 0;
            for (int i = 0; i < maxn; i++) {
                my += ysa[i];
            }
            my /= maxn;
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < maxn; i++) {
                double dx = (i + 1) - mx;
                sxy += dx * (ysa[i] - my);
                sxx += dx * dx;
            }
            b0 = sxx > 0 ? sxy / sxx : 0;
            l0 = my - b0 * mx;
            if (Math.abs(l0 + b0) < 1e-8) {
                l0 *= 1 + 0.001;
                b0 *= 1 - 0.001;
            }
        }
        double[] x = new double[EtsRecursion.stateSize(spec, period)];
        x[0] = l0;
        int k = 1;
        if (spec.trended()) {
            x[k++] = b0;
        }
        if (spec.seasonal()) {
            double sum = 0;
            for (int j = 0; j < m - 1; j++) {
                x[k + j] = seasInit[j];
                sum += seasInit[j];
            }
            x[k + m - 1] = (spec.season() == EtsSpec.Season.MULTIPLICATIVE ? m : 0) - sum;
        }
        return x;
    }

    /**
     * R's {@code decompose}: a centred moving average of order m (2 x m for even m) as the trend, the
     * seasonal figure as the mean detrended value per position in the cycle, normalised to sum to 0
     * (additive) or average 1 (multiplicative). Returns the seasonal component over the series.
     */
    static double[] decompose(double[] y, int m, boolean multiplicative) {
        int n = y.length;
        double[] sumByPos = new double[m];
        int[] countByPos = new int[m];
        int half = m / 2;
        boolean even = m % 2 == 0;
        // Prefix sums keep this O(n) for long periods.
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + y[i];
        }
        for (int i = half; i < n - half; i++) {
            double trend;
            if (even) {
                double s = 0.5 * y[i - half] + 0.5 * y[i + half] + prefix[i + half] - prefix[i - half + 1];
                trend = s / m;
            } else {
                trend = (prefix[i + half + 1] - prefix[i - half]) / m;
            }
            double detrended = multiplicative ? y[i] / trend : y[i] - trend;
            sumByPos[i % m] += detrended;
            countByPos[i % m]++;
        }
        double[] figure = new double[m];
        double mean = 0;
        for (int j = 0; j < m; j++) {
            figure[j] = countByPos[j] > 0 ? sumByPos[j] / countByPos[j] : (multiplicative ? 1 : 0);
            mean += figure[j];
        }
        mean /= m;
        double[] seasonal = new double[n];
        for (int i = 0; i < n; i++) {
            seasonal[i] = multiplicative ? figure[i % m] / mean : figure[i % m] - mean;
        }
        return seasonal;
    }

    /**
     * What R's {@code initstate} does with fewer than three periods: regress y on a line and the first
     * Fourier pair ({@code tslm(y ~ trend + fourier(y, 1))}) and take y minus (or over) the fitted line.
     */
    static double[] fourierDetrended(double[] y, int m, boolean multiplicative) {
        int n = y.length;
        int cols = m == 2 ? 3 : 4; // sin(pi t) vanishes for m = 2 and R drops it
        RealMatrix x = new Array2DRowRealMatrix(n, cols);
        for (int i = 0; i < n; i++) {
            int t = i + 1;
            double angle = 2 * Math.PI * t / m;
            x.setEntry(i, 0, 1);
            x.setEntry(i, 1, t);
            if (cols == 4) {
                x.setEntry(i, 2, Math.sin(angle));
                x.setEntry(i, 3, Math.cos(angle));
            } else {
                x.setEntry(i, 2, Math.cos(angle));
            }
        }
        double[] coef;
        try {
            coef = new QRDecomposition(x, 1e-12).getSolver().solve(new ArrayRealVector(y, false)).toArray();
        } catch (SingularMatrixException e) {
            // Too few points to separate the line from the harmonic: the line alone.
            coef = new QRDecomposition(x.getSubMatrix(0, n - 1, 0, 1), 1e-12).getSolver()
                    .solve(new ArrayRealVector(y, false)).toArray();
        }
        double[] seasonal = new double[n];
        for (int i = 0; i < n; i++) {
            double line = coef[0] + coef[1] * (i + 1);
            seasonal[i] = multiplicative ? y[i] / line : y[i] - line;
        }
        return seasonal;
    }
}
