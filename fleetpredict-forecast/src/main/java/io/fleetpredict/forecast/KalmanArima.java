package io.fleetpredict.forecast;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The Gardner-Harvey-Phillips state-space form of an ARIMA model, as in R's {@code stats::arima}: an ARMA
 * block of dimension {@code r = max(p, q + 1)} in companion form, followed by {@code d} states holding the
 * past values the differencing polynomial needs, with a diffuse prior ({@code kappa}) on those.
 *
 * <p>The transition matrix is never stored: it is a shift plus a few non-zero AR and differencing
 * coefficients, so each prediction step is a handful of row copies and sparse updates. Immutable;
 * the filter works on caller-owned state arrays.
 */
final class KalmanArima {

    /** The prior variance of the differencing states, as R's {@code kappa}. */
    static final double KAPPA = 1e6;

    final int r;
    final int d;
    final int rd;
    private final double[] phi;
    private final double[] theta;
    private final double[] delta;
    private final int[] phiNz;
    private final int[] deltaNz;
    private final int[] rNz;
    private final double[] rVec;
    private final double[] initialCovariance;

    private KalmanArima(double[] phi, double[] theta, double[] delta) {
        this.r = Math.max(phi.length, theta.length + 1);
        this.d = delta.length;
        this.rd = r + d;
        this.phi = Arrays.copyOf(phi, r);
        this.theta = Arrays.copyOf(theta, r - 1);
        this.delta = delta.clone();
        this.phiNz = nonZero(this.phi);
        this.deltaNz = nonZero(this.delta);
        this.rVec = new double[r];
        rVec[0] = 1.0;
        System.arraycopy(this.theta, 0, rVec, 1, r - 1);
        this.rNz = nonZero(rVec);
        double[] q0 = StationaryCovariance.of(this.phi, rVec, r, phi.length);
        double[] pn = new double[rd * rd];
        for (int i = 0; i < r; i++) {
            System.arraycopy(q0, i * r, pn, i * rd, r);
        }
        for (int i = r; i < rd; i++) {
            pn[i * rd + i] = KAPPA;
        }
        this.initialCovariance = pn;
    }

    /**
     * The model for the given expanded polynomials.
     *
     * @throws ArithmeticException if the AR part has no stationary covariance
     */
    static KalmanArima of(double[] phi, double[] theta, double[] delta) {
        return new KalmanArima(phi, theta, delta);
    }

    /** Sums of one pass of the filter: squared standardised innovations, log gains, count. */
    record Innovations(double ssq, double sumLog, int count) {
    }

    /** A fresh filter state: zero mean, the stationary and diffuse prior covariance. */
    double[][] initialState() {
        return new double[][] {new double[rd], initialCovariance.clone()};
    }

    /**
     * The exact predicted state of observation {@code d} given the first {@code d} observations: the
     * differencing states hold those observations with no uncertainty, the ARMA block has its stationary
     * prior. This is the limit of R's diffuse prior as {@code kappa} grows, without the cancellation a
     * finite {@code kappa} causes in the covariance (R's forecast variances carry a relative error of
     * about 1e-4 from it).
     */
    double[][] conditionedState(double[] y) {
        double[] a = new double[rd];
        for (int k = 0; k < d; k++) {
            a[r + k] = y[d - 1 - k];
        }
        double[] p = new double[rd * rd];
        for (int i = 0; i < r; i++) {
            System.arraycopy(initialCovariance, i * rd, p, i * rd, r);
        }
        return new double[][] {a, p};
    }

    /**
     * Runs the filter over {@code y} from the given filtered state, leaving the final filtered state in
     * {@code a} and {@code p}, as R's {@code ARIMA_Like}.
     *
     * @param fresh whether {@code a, p} is the predicted state of the first observation (a prior) rather than
     *     the filtered state of the observation before it
     * @param standardised where to write the standardised innovations, or null
     */
    Innovations filter(double[] y, double[] a, double[] p, boolean fresh, double @Nullable [] standardised) {
        double[] anew = new double[rd];
        double[] pnew = new double[rd * rd];
        double[] mm = new double[rd * rd];
        double[] gainVec = new double[rd];
        double[] previous = new double[rd * rd];
        double ssq = 0;
        double sumLog = 0;
        int nu = 0;
        boolean steady = false;
        double gain = Double.NaN;
        for (int t = 0; t < y.length; t++) {
            predictMean(a, anew);
            double resid = y[t] - anew[0];
            for (int k : deltaNz) {
                resid -= delta[k] * anew[r + k];
            }
            // Once the Riccati recursion has converged, gain and covariance no longer change: only the
            // state and the likelihood terms move.
            boolean wasSteady = steady;
            if (!wasSteady) {
                if (t == 0 && fresh) {
                    System.arraycopy(a, 0, anew, 0, rd);
                    resid = y[t] - anew[0];
                    for (int k : deltaNz) {
                        resid -= delta[k] * anew[r + k];
                    }
                    System.arraycopy(p, 0, pnew, 0, p.length);
                } else {
                    double[] tmp = previous;
                    previous = pnew;
                    pnew = tmp;
                    predictCovariance(p, pnew, mm);
                    steady = t > 1 && converged(pnew, previous);
                }
                for (int i = 0; i < rd; i++) {
                    double v = pnew[i * rd];
                    for (int k : deltaNz) {
                        v += delta[k] * pnew[i * rd + r + k];
                    }
                    gainVec[i] = v;
                }
                gain = gainVec[0];
                for (int k : deltaNz) {
                    gain += delta[k] * gainVec[r + k];
                }
            }
            if (!(gain > 0) || !Double.isFinite(resid)) {
                return new Innovations(Double.NaN, Double.NaN, 0);
            }
            if (gain < 1e4) {
                nu++;
                ssq += resid * resid / gain;
                sumLog += Math.log(gain);
            }
            if (standardised != null) {
                standardised[t] = resid / Math.sqrt(gain);
            }
            double scale = resid / gain;
            for (int i = 0; i < rd; i++) {
                a[i] = anew[i] + gainVec[i] * scale;
            }
            if (!wasSteady) {
                for (int i = 0; i < rd; i++) {
                    double gi = gainVec[i] / gain;
                    int row = i * rd;
                    for (int j = 0; j < rd; j++) {
                        p[row + j] = pnew[row + j] - gi * gainVec[j];
                    }
                }
            }
        }
        return new Innovations(ssq, sumLog, nu);
    }

    /**
     * The innovations of the ARMA model (no differencing states) on a stationary series, by the
     * Chandrasekhar recursions (Morf, Sidhu and Kailath 1974): from the stationary prior the predicted
     * covariance changes by a rank-one term each step, so the filter carries an r-vector instead of an
     * r x r matrix and each step costs O(r). Same likelihood as {@link #filter}.
     */
    Innovations chandrasekhar(double[] w) {
        if (d != 0) {
            throw new IllegalStateException("the Chandrasekhar recursions need the stationary (differenced) model");
        }
        double f = initialCovariance[0];
        double[] g = new double[r];
        double[] a = new double[r];
        double[] anew = new double[r];
        double[] wv = new double[r];
        double[] wn = new double[r];
        for (int i = 0; i < r; i++) {
            g[i] = i < r - 1 ? initialCovariance[(i + 1) * r] : 0;
        }
        for (int k : phiNz) {
            g[k] += phi[k] * f;
        }
        System.arraycopy(g, 0, wv, 0, r);
        double mScalar = -1.0 / f;
        double ssq = 0;
        double sumLog = 0;
        for (int t = 0; t < w.length; t++) {
            if (!(f > 0)) {
                return new Innovations(Double.NaN, Double.NaN, 0);
            }
            double v = w[t] - a[0];
            ssq += v * v / f;
            sumLog += Math.log(f);
            double kScale = v / f;
            predictMean(a, anew);
            for (int i = 0; i < r; i++) {
                a[i] = anew[i] + g[i] * kScale;
            }
            double u = wv[0];
            predictMean(wv, wn);
            double ku = u / f;
            double fNext = f + u * u * mScalar;
            double mu = mScalar * u;
            for (int i = 0; i < r; i++) {
                double tw = wn[i];
                wn[i] = tw - g[i] * ku;
                g[i] += tw * mu;
            }
            mScalar -= mu * mu / fNext;
            f = fNext;
            double[] tmp = wv;
            wv = wn;
            wn = tmp;
        }
        if (!Double.isFinite(ssq)) {
            return new Innovations(Double.NaN, Double.NaN, 0);
        }
        return new Innovations(ssq, sumLog, w.length);
    }

    /**
     * Forecasts from a filtered state, as R's {@code KalmanForecast}: the means and the variances (for
     * unit innovation variance) of the next {@code horizon} observations.
     */
    double[][] forecast(double[] filteredMean, double[] filteredCov, int horizon) {
        double[] a = filteredMean.clone();
        double[] p = filteredCov.clone();
        double[] anew = new double[rd];
        double[] pnew = new double[rd * rd];
        double[] mm = new double[rd * rd];
        double[] mean = new double[horizon];
        double[] var = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            predictMean(a, anew);
            predictCovariance(p, pnew, mm);
            double f = anew[0];
            for (int k : deltaNz) {
                f += delta[k] * anew[r + k];
            }
            double v = 0;
            for (int i = -1; i < deltaNz.length; i++) {
                int ii = i < 0 ? 0 : r + deltaNz[i];
                double zi = i < 0 ? 1.0 : delta[deltaNz[i]];
                for (int j = -1; j < deltaNz.length; j++) {
                    int jj = j < 0 ? 0 : r + deltaNz[j];
                    double zj = j < 0 ? 1.0 : delta[deltaNz[j]];
                    v += zi * zj * pnew[ii * rd + jj];
                }
            }
            mean[h] = f;
            var[h] = Math.max(v, 0.0);
            double[] ta = a;
            a = anew;
            anew = ta;
            double[] tp = p;
            p = pnew;
            pnew = tp;
        }
        return new double[][] {mean, var};
    }

    /** Whether two successive predicted covariances agree to 1e-11 relative to the innovation variance. */
    private static boolean converged(double[] pnew, double[] previous) {
        double tol = 1e-11 * Math.max(1.0, Math.abs(pnew[0]));
        for (int i = 0; i < pnew.length; i++) {
            if (Math.abs(pnew[i] - previous[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    private void predictMean(double[] a, double[] anew) {
        System.arraycopy(a, 1, anew, 0, r - 1);
        anew[r - 1] = 0;
        double a0 = a[0];
        for (int k : phiNz) {
            anew[k] += phi[k] * a0;
        }
        if (d > 0) {
            double v = a0;
            for (int k : deltaNz) {
                v += delta[k] * a[r + k];
            }
            System.arraycopy(a, r, anew, r + 1, d - 1);
            anew[r] = v;
        }
    }

    /** pnew = T p T' + R R', using the shift structure of T (row copies) and its sparse entries. */
    private void predictCovariance(double[] p, double[] pnew, double[] mm) {
        // mm = T p, row by row.
        System.arraycopy(p, rd, mm, 0, (r - 1) * rd);
        Arrays.fill(mm, (r - 1) * rd, r * rd, 0.0);
        for (int k : phiNz) {
            double f = phi[k];
            int row = k * rd;
            for (int j = 0; j < rd; j++) {
                mm[row + j] += f * p[j];
            }
        }
        if (d > 0) {
            int row = r * rd;
            System.arraycopy(p, 0, mm, row, rd);
            for (int k : deltaNz) {
                double f = delta[k];
                int src = (r + k) * rd;
                for (int j = 0; j < rd; j++) {
                    mm[row + j] += f * p[src + j];
                }
            }
            System.arraycopy(p, r * rd, mm, (r + 1) * rd, (d - 1) * rd);
        }
        // pnew = mm T', applying the same structure along each row.
        for (int j = 0; j < rd; j++) {
            int row = j * rd;
            double m0 = mm[row];
            System.arraycopy(mm, row + 1, pnew, row, r - 1);
            pnew[row + r - 1] = 0;
            for (int k : phiNz) {
                pnew[row + k] += phi[k] * m0;
            }
            if (d > 0) {
                double v = m0;
                for (int k : deltaNz) {
                    v += delta[k] * mm[row + r + k];
                }
                System.arraycopy(mm, row + r, pnew, row + r + 1, d - 1);
                pnew[row + r] = v;
            }
        }
        for (int i : rNz) {
            double vi = rVec[i];
            for (int j : rNz) {
                pnew[i * rd + j] += vi * rVec[j];
            }
        }
    }

    /** The indices of the non-zero coefficients, so the recursions skip the zeros of sparse seasonal polynomials. */
    static int[] nonZero(double[] v) {
        int count = 0;
        for (double x : v) {
            if (x != 0) {
                count++;
            }
        }
        int[] idx = new int[count];
        int k = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0) {
                idx[k++] = i;
            }
        }
        return idx;
    }
}
