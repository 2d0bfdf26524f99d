package io.fleetpredict.forecast;

import org.jspecify.annotations.Nullable;

/**
 * The locally weighted regression of STL (Cleveland, Cleveland, McRae and Terpenning 1990): tricube
 * neighbourhood weights, local degree 0 or 1, optional robustness weights, and evaluation at every
 * {@code jump}-th point with linear interpolation in between.
 *
 * <p>Positions are 1-based ({@code 1..n}) as in the published procedure, so that the window arithmetic,
 * including its integer divisions, matches the reference implementation used by R's {@code stl}.
 */
final class Loess {

    private Loess() {
    }

    /**
     * Fits at position {@code xs} from the points {@code nleft..nright}.
     *
     * @param y the values, {@code y[j - 1]} at position {@code j}
     * @param n the number of values used
     * @param len the span of the smoother
     * @param degree 0 (local mean) or 1 (local line)
     * @param xs the position to estimate at, possibly outside {@code 1..n}
     * @param scratch at least {@code n} doubles, overwritten
     * @param robustness robustness weights by position, or {@code null}
     * @return the estimate, or {@code NaN} when every weight in the window is zero
     */
    static double estimate(double[] y, int n, int len, int degree, double xs, int nleft, int nright,
            double[] scratch, double @Nullable [] robustness) {
        double range = n - 1.0;
        double h = Math.max(xs - nleft, nright - xs);
        if (len > n) {
            // Integer division, as in the reference procedure: a span beyond the data widens the window.
            h += (len - n) / 2;
        }
        double h9 = 0.999 * h;
        double h1 = 0.001 * h;
        double total = 0;
        for (int j = nleft; j <= nright; j++) {
            double r = Math.abs(j - xs);
            double w = 0;
            if (r <= h9) {
                if (r <= h1) {
                    w = 1;
                } else {
                    double q = r / h;
                    double u = 1 - q * q * q;
                    w = u * u * u;
                }
                if (robustness != null) {
                    w *= robustness[j - 1];
                }
                total += w;
            }
            scratch[j - 1] = w;
        }
        if (total <= 0) {
            return Double.NaN;
        }
        for (int j = nleft; j <= nright; j++) {
            scratch[j - 1] /= total;
        }
        if (h > 0 && degree > 0) {
            double centre = 0;
            for (int j = nleft; j <= nright; j++) {
                centre += scratch[j - 1] * j;
            }
            double b = xs - centre;
            double c = 0;
            for (int j = nleft; j <= nright; j++) {
                double d = j - centre;
                c += scratch[j - 1] * d * d;
            }
            // A window too narrow to fix a slope falls back to the local mean.
            if (Math.sqrt(c) > 0.001 * range) {
                b /= c;
                for (int j = nleft; j <= nright; j++) {
                    scratch[j - 1] *= b * (j - centre) + 1.0;
                }
            }
        }
        double fit = 0;
        for (int j = nleft; j <= nright; j++) {
            fit += scratch[j - 1] * y[j - 1];
        }
        return fit;
    }

    /**
     * Smooths {@code y[0..n-1]} into {@code out[outOffset..outOffset+n-1]}.
     *
     * @param robustness robustness weights by position, or {@code null}
     * @param scratch at least {@code n} doubles, overwritten
     */
    static void smooth(double[] y, int n, int len, int degree, int jump, double @Nullable [] robustness,
            double[] out, int outOffset, double[] scratch) {
        if (n < 2) {
            out[outOffset] = y[0];
            return;
        }
        int step = Math.min(jump, n - 1);
        int nleft = 1;
        int nright = n;
        if (len >= n) {
            for (int i = 1; i <= n; i += step) {
                out[outOffset + i - 1] = fitAt(y, n, len, degree, i, nleft, nright, scratch, robustness);
            }
        } else if (step == 1) {
            int half = (len + 1) / 2;
            nright = len;
            for (int i = 1; i <= n; i++) {
                if (i > half && nright != n) {
                    nleft++;
                    nright++;
                }
                out[outOffset + i - 1] = fitAt(y, n, len, degree, i, nleft, nright, scratch, robustness);
            }
        } else {
            int half = (len + 1) / 2;
            for (int i = 1; i <= n; i += step) {
                if (i < half) {
                    nleft = 1;
                    nright = len;
                } else if (i >= n - half + 1) {
                    nleft = n - len + 1;
                    nright = n;
                } else {
                    nleft = i - half + 1;
                    nright = len + i - half;
                }
                out[outOffset + i - 1] = fitAt(y, n, len, degree, i, nleft, nright, scratch, robustness);
            }
        }
        if (step != 1) {
            for (int i = 1; i <= n - step; i += step) {
                double delta = (out[outOffset + i + step - 1] - out[outOffset + i - 1]) / step;
                for (int j = i + 1; j <= i + step - 1; j++) {
                    out[outOffset + j - 1] = out[outOffset + i - 1] + delta * (j - i);
                }
            }
            int k = ((n - 1) / step) * step + 1;
            if (k != n) {
                out[outOffset + n - 1] = fitAt(y, n, len, degree, n, nleft, nright, scratch, robustness);
                if (k != n - 1) {
                    double delta = (out[outOffset + n - 1] - out[outOffset + k - 1]) / (n - k);
                    for (int j = k + 1; j <= n - 1; j++) {
                        out[outOffset + j - 1] = out[outOffset + k - 1] + delta * (j - k);
                    }
                }
            }
        }
    }

    private static double fitAt(double[] y, int n, int len, int degree, int i, int nleft, int nright,
            double[] scratch, double @Nullable [] robustness) {
        double v = estimate(y, n, len, degree, i, nleft, nright, scratch, robustness);
        return Double.isNaN(v) ? y[i - 1] : v;
    }
}
