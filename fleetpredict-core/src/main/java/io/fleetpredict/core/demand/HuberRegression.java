package io.fleetpredict.core.demand;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Huber M-estimation of a linear model by iteratively reweighted least squares, with the residual scale
 * re-estimated by the median absolute deviation at every step (Huber 1981, as MASS::rlm does it, with its 0.6745; tuning constant 1.345 gives
 * 95% efficiency under normal errors). Outliers, such as a usage spike from a deploy, get weight
 * {@code k*s/|r|} instead of dominating the fit as they would in least squares.
 */
final class HuberRegression {

    /** Coefficients, intercept first, and the final robust residual scale. */
    record Result(double[] coefficients, double scale, double[] residuals) {
    }

    private HuberRegression() {
    }

    /**
     * Fits {@code y ~ 1 + x}.
     *
     * @param x n rows of k regressors (no intercept column)
     * @param y n responses
     * @param k Huber tuning constant, in units of the residual scale
     * @param maxIterations IRLS iterations at most
     * @return the fit
     * @throws SingularMatrixException if the regressors are collinear
     */
    static Result fit(double[][] x, double[] y, double k, int maxIterations) {
        int n = y.length;
        int p = x.length == 0 ? 1 : x[0].length + 1;
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        double[] beta = weightedLeastSquares(x, y, w, p);
        double scale = 0;
        double[] r = residuals(x, y, beta);
        for (int it = 0; it < maxIterations; it++) {
            scale = mad(r) / 0.6745;
            if (scale <= 1e-12 * (1 + maxAbs(y))) {
                break; // exact fit (up to rounding): nothing left to down-weight
            }
            for (int i = 0; i < n; i++) {
                double a = Math.abs(r[i]);
                w[i] = a <= k * scale ? 1.0 : k * scale / a;
            }
            double[] next = weightedLeastSquares(x, y, w, p);
            double change = 0;
            for (int j = 0; j < p; j++) {
                change = Math.max(change, Math.abs(next[j] - beta[j]) / (1 + Math.abs(beta[j])));
            }
            beta = next;
            r = residuals(x, y, beta);
            if (change < 1e-10) {
                break;
            }
        }
        return new Result(beta, mad(r) / 0.6745, r);
    }

    private static double[] weightedLeastSquares(double[][] x, double[] y, double[] w, int p) {
        int n = y.length;
        double[][] a = new double[n][p];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double sw = Math.sqrt(w[i]);
            a[i][0] = sw;
            for (int j = 1; j < p; j++) {
                a[i][j] = sw * x[i][j - 1];
            }
            b[i] = sw * y[i];
        }
        RealMatrix m = new Array2DRowRealMatrix(a, false);
        return new QRDecomposition(m, 1e-12).getSolver().solve(new ArrayRealVector(b, false)).toArray();
    }

    private static double[] residuals(double[][] x, double[] y, double[] beta) {
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double f = beta[0];
            for (int j = 1; j < beta.length; j++) {
                f += beta[j] * x[i][j - 1];
            }
            r[i] = y[i] - f;
        }
        return r;
    }

    static double mad(double[] r) {
        double[] a = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            a[i] = Math.abs(r[i]);
        }
        return median(a);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    private static double maxAbs(double[] y) {
        double m = 0;
        for (double v : y) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
