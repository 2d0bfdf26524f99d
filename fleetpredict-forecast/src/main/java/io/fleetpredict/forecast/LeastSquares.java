package io.fleetpredict.forecast;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.jspecify.annotations.Nullable;

/** Ordinary least squares for the regression part of a model with ARIMA errors, with the standard errors. */
final class LeastSquares {

    private LeastSquares() {
    }

    /** Least squares without intercept: {coefficients, standard errors}, or null if rank deficient. */
    static double @Nullable [][] fit(double[][] columns, double[] target) {
        int rows = target.length;
        int k = columns.length;
        double[][] x = new double[rows][k];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                x[i][j] = columns[j][i];
            }
        }
        RealMatrix design = new Array2DRowRealMatrix(x, false);
        DecompositionSolver qr = new QRDecomposition(design, 1e-10).getSolver();
        if (!qr.isNonSingular()) {
            return null;
        }
        double[] beta = qr.solve(new ArrayRealVector(target, false)).toArray();
        double rss = 0;
        for (int i = 0; i < rows; i++) {
            double fit = 0;
            for (int j = 0; j < k; j++) {
                fit += x[i][j] * beta[j];
            }
            rss += (target[i] - fit) * (target[i] - fit);
        }
        double[] se = new double[k];
        if (rows > k) {
            double s2 = rss / (rows - k);
            DecompositionSolver xtx = new LUDecomposition(design.transpose().multiply(design)).getSolver();
            if (xtx.isNonSingular()) {
                RealMatrix inv = xtx.getInverse();
                for (int j = 0; j < k; j++) {
                    se[j] = Math.sqrt(Math.max(0, s2 * inv.getEntry(j, j)));
                }
            }
        }
        return new double[][] {beta, se};
    }
}
