package io.fleetpredict.forecast;

import org.jspecify.annotations.Nullable;

/**
 * Friedman's (1984) super smoother of a series against its index, as R's {@code stats::supsmu(1:n, y)}
 * computes it with its defaults (span chosen by cross-validation, no bass enhancement): three running-line
 * smoothers (spans of 5%, 20% and 50% of the values), each point taking the span whose cross-validated
 * residual, smoothed, is smallest, interpolated between the three fits and smoothed again.
 */
final class SuperSmoother {

    private static final double TWEETER = 0.05;
    private static final double MIDRANGE = 0.2;
    private static final double WOOFER = 0.5;
    private static final double[] SPANS = {TWEETER, MIDRANGE, WOOFER};

    private SuperSmoother() {
    }

    /**
     * Smooths {@code y} against {@code 1, 2, ..., n}.
     *
     * @param y the values, at least one
     * @return the smoothed values
     */
    static double[] smooth(double[] y) {
        int n = y.length;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        if (n < 2) {
            return y.clone(); // one abscissa: R's weighted mean of the values
        }
        int lo = n / 4;
        int hi = 3 * lo;
        double scale = hi >= 1 && lo >= 1 ? x[hi - 1] - x[lo - 1] : 0;
        while (!(scale > 0)) {
            hi = Math.min(hi + 1, n);
            lo = Math.max(lo - 1, 1);
            scale = x[hi - 1] - x[lo - 1];
        }
        // Slopes of windows whose abscissae vary less than this are taken as flat, for stability.
        double vsmlsq = (1e-3 * scale) * (1e-3 * scale);

        double[][] fit = new double[3][];
        double[][] residual = new double[3][];
        double[] cv = new double[n];
        for (int i = 0; i < 3; i++) {
            fit[i] = new double[n];
            runningLines(x, y, SPANS[i], vsmlsq, fit[i], cv);
            residual[i] = new double[n];
            runningLines(x, cv, MIDRANGE, vsmlsq, residual[i], null);
        }
        double[] span = new double[n];
        for (int j = 0; j < n; j++) {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                if (residual[i][j] < best) {
                    best = residual[i][j];
                    span[j] = SPANS[i];
                }
            }
        }
        double[] smoothedSpan = new double[n];
        runningLines(x, span, MIDRANGE, vsmlsq, smoothedSpan, null);
        double[] blended = new double[n];
        for (int j = 0; j < n; j++) {
            double s = Math.min(Math.max(smoothedSpan[j], TWEETER), WOOFER);
            double f = s - MIDRANGE;
            if (f >= 0) {
                f /= WOOFER - MIDRANGE;
                blended[j] = (1 - f) * fit[1][j] + f * fit[2][j];
            } else {
                f = -f / (MIDRANGE - TWEETER);
                blended[j] = (1 - f) * fit[1][j] + f * fit[0][j];
            }
        }
        double[] out = new double[n];
        runningLines(x, blended, TWEETER, vsmlsq, out, null);
        return out;
    }

    /**
     * A local linear fit over a window of {@code span * n} values centred on each point (shortened at the
     * ends), updated as the window slides; with {@code cv} given, also each point's absolute leave-one-out
     * residual.
     */
    private static void runningLines(double[] x, double[] y, double span, double vsmlsq, double[] smo,
            double @Nullable [] cv) {
        int n = x.length;
        int halfWidth = Math.max(2, (int) (0.5 * span * n + 0.5));
        int initial = Math.min(2 * halfWidth + 1, n);
        Window w = new Window();
        for (int j = 0; j < initial; j++) {
            w.add(x[j], y[j]);
        }
        for (int j = 0; j < n; j++) {
            int out = j - halfWidth - 1;
            int in = j + halfWidth;
            if (out >= 0 && in < n) {
                w.remove(x[out], y[out]);
                w.add(x[in], y[in]);
            }
            double slope = w.var > vsmlsq ? w.cvar / w.var : 0;
            smo[j] = slope * (x[j] - w.xm) + w.ym;
            if (cv != null) {
                double h = w.count > 0 ? 1 / w.count : 0;
                if (w.var > vsmlsq) {
                    h += (x[j] - w.xm) * (x[j] - w.xm) / w.var;
                }
                double a = 1 - h;
                cv[j] = a > 0 ? Math.abs(y[j] - smo[j]) / a : j > 0 ? cv[j - 1] : 0;
            }
        }
    }

    /** The running means, variance of x and covariance of a window's points, updated one point at a time. */
    private static final class Window {
        double count;
        double xm;
        double ym;
        double var;
        double cvar;

        void add(double x, double y) {
            double before = count;
            count += 1;
            xm = (before * xm + x) / count;
            ym = (before * ym + y) / count;
            double tmp = before > 0 ? count * (x - xm) / before : 0;
            var += tmp * (x - xm);
            cvar += tmp * (y - ym);
        }

        void remove(double x, double y) {
            double before = count;
            count -= 1;
            double tmp = count > 0 ? before * (x - xm) / count : 0;
            var -= tmp * (x - xm);
            cvar -= tmp * (y - ym);
            if (count > 0) {
                xm = (before * xm - x) / count;
                ym = (before * ym - y) / count;
            }
        }
    }
}
