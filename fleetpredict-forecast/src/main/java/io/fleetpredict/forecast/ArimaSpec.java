package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameter layout of a seasonal ARIMA model with regression terms, in the order of R's
 * {@code stats::arima}: {@code ar1..ar_p, ma1..ma_q, sar1..sar_P, sma1..sma_Q}, then one coefficient per
 * regressor. Knows the expansion of the multiplicative polynomials and the stationarity transform.
 */
final class ArimaSpec {

    final ArimaOrder order;
    final int p;
    final int q;
    final int sp;
    final int sq;
    final int m;
    final int narma;
    final List<String> regressorNames;

    ArimaSpec(ArimaOrder order, List<String> regressorNames) {
        this.order = order;
        this.p = order.p();
        this.q = order.q();
        this.sp = order.seasonalP();
        this.sq = order.seasonalQ();
        this.m = order.period();
        this.narma = p + q + sp + sq;
        this.regressorNames = List.copyOf(regressorNames);
    }

    int regressors() {
        return regressorNames.size();
    }

    int size() {
        return narma + regressorNames.size();
    }

    List<String> names() {
        List<String> names = new ArrayList<>(size());
        for (int i = 1; i <= p; i++) {
            names.add("ar" + i);
        }
        for (int i = 1; i <= q; i++) {
            names.add("ma" + i);
        }
        for (int i = 1; i <= sp; i++) {
            names.add("sar" + i);
        }
        for (int i = 1; i <= sq; i++) {
            names.add("sma" + i);
        }
        names.addAll(regressorNames);
        return names;
    }

    /** The coefficients of the differencing polynomial, as in R: y_t = sum delta_i y_{t-i} + w_t. */
    double[] delta() {
        double[] poly = {1.0};
        for (int i = 0; i < order.d(); i++) {
            poly = multiply(poly, new double[] {1.0, -1.0});
        }
        for (int i = 0; i < order.seasonalD(); i++) {
            double[] s = new double[m + 1];
            s[0] = 1.0;
            s[m] = -1.0;
            poly = multiply(poly, s);
        }
        double[] delta = new double[poly.length - 1];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = -poly[i + 1];
        }
        return delta;
    }

    /** Expanded AR polynomial phi (length p + m P) of the untransformed coefficients. */
    double[] phi(double[] coef) {
        double[] phi = new double[p + m * sp];
        System.arraycopy(coef, 0, phi, 0, p);
        for (int j = 0; j < sp; j++) {
            double s = coef[p + q + j];
            phi[(j + 1) * m - 1] += s;
            for (int i = 0; i < p; i++) {
                phi[(j + 1) * m + i] -= coef[i] * s;
            }
        }
        return phi;
    }

    /** Expanded MA polynomial theta (length q + m Q) of the untransformed coefficients. */
    double[] theta(double[] coef) {
        double[] theta = new double[q + m * sq];
        System.arraycopy(coef, p, theta, 0, q);
        for (int j = 0; j < sq; j++) {
            double s = coef[p + q + sp + j];
            theta[(j + 1) * m - 1] += s;
            for (int i = 0; i < q; i++) {
                theta[(j + 1) * m + i] += coef[p + i] * s;
            }
        }
        return theta;
    }

    /** Maps unconstrained AR parameters to stationary ones (R's partrans), in place on a copy. */
    double[] transform(double[] raw) {
        double[] out = raw.clone();
        partrans(raw, out, 0, p);
        partrans(raw, out, p + q, sp);
        return out;
    }

    /** Inverse of {@link #transform}. */
    double[] inverseTransform(double[] coef) {
        double[] out = coef.clone();
        invpartrans(coef, out, 0, p);
        invpartrans(coef, out, p + q, sp);
        return out;
    }

    /** The stationary AR coefficients of the first {@code k} values become those of the PACF, via tanh. */
    private static void partrans(double[] raw, double[] out, int from, int k) {
        if (k == 0) {
            return;
        }
        double[] work = new double[k];
        double[] x = new double[k];
        for (int j = 0; j < k; j++) {
            x[j] = Math.tanh(raw[from + j]);
            work[j] = x[j];
        }
        // Durbin-Levinson: partial autocorrelations to autoregression coefficients.
        for (int j = 1; j < k; j++) {
            double a = x[j];
            for (int i = 0; i < j; i++) {
                work[i] -= a * x[j - i - 1];
            }
            System.arraycopy(work, 0, x, 0, j);
        }
        System.arraycopy(x, 0, out, from, k);
    }

    private static void invpartrans(double[] coef, double[] out, int from, int k) {
        if (k == 0) {
            return;
        }
        double[] x = new double[k];
        double[] work = new double[k];
        System.arraycopy(coef, from, x, 0, k);
        System.arraycopy(coef, from, work, 0, k);
        for (int j = k - 1; j > 0; j--) {
            double a = x[j];
            for (int i = 0; i < j; i++) {
                work[i] = (x[i] + a * x[j - i - 1]) / (1 - a * a);
            }
            System.arraycopy(work, 0, x, 0, j);
        }
        for (int j = 0; j < k; j++) {
            double v = x[j];
            out[from + j] = 0.5 * Math.log((1 + v) / (1 - v));
        }
    }

    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                c[i + j] += a[i] * b[j];
            }
        }
        return c;
    }
}
