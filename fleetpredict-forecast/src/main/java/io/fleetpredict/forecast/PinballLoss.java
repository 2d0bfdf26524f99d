package io.fleetpredict.forecast;

import org.ejml.data.DMatrixRMaj;
import org.jspecify.annotations.Nullable;

/**
 * The pinball (quantile) loss averaged over rows, horizon steps and quantiles, with an optional
 * Huber-style rounding of the kink.
 *
 * <p>For quantile {@code tau} and error {@code u = target - prediction} the loss is {@code tau u} for
 * {@code u >= 0} and {@code (tau - 1) u} otherwise. With {@code delta > 0}, inside {@code |u| <= delta}
 * it is replaced by {@code w u^2 / (2 delta)} and outside by {@code w (|u| - delta / 2)}, where
 * {@code w} is the slope on that side: the loss is then continuously differentiable, which the gradient
 * check needs. Training uses {@code delta = 0}.
 *
 * <p>Predictions are {@code B x (horizon * Q)} with column {@code h * Q + q}; targets are
 * {@code B x horizon}.
 */
final class PinballLoss {

    private final double[] quantiles;
    private final double delta;

    PinballLoss(double[] quantiles, double delta) {
        this.quantiles = quantiles.clone();
        this.delta = delta;
    }

    /**
     * The mean loss, and its gradient with respect to the predictions written to {@code gradient} when
     * that is not null.
     */
    double evaluate(DMatrixRMaj prediction, DMatrixRMaj target, @Nullable DMatrixRMaj gradient) {
        int q = quantiles.length;
        int rows = prediction.numRows;
        int horizon = target.numCols;
        double n = (double) rows * horizon * q;
        double sum = 0;
        double[] p = prediction.data;
        double[] y = target.data;
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < horizon; h++) {
                double yv = y[r * horizon + h];
                for (int k = 0; k < q; k++) {
                    int idx = r * horizon * q + h * q + k;
                    double u = yv - p[idx];
                    double tau = quantiles[k];
                    double w = u >= 0 ? tau : 1 - tau;
                    double loss;
                    double dLossDu;
                    if (delta > 0 && Math.abs(u) <= delta) {
                        loss = w * u * u / (2 * delta);
                        dLossDu = w * u / delta;
                    } else {
                        loss = w * (Math.abs(u) - delta / 2);
                        dLossDu = u >= 0 ? w : -w;
                    }
                    sum += loss;
                    if (gradient != null) {
                        gradient.data[idx] = -dLossDu / n;
                    }
                }
            }
        }
        return sum / n;
    }
}
