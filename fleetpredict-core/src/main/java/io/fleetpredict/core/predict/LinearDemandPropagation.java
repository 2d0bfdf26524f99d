package io.fleetpredict.core.predict;

import io.fleetpredict.core.demand.DemandFit;
import io.fleetpredict.forecast.Forecast;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Turns activity forecasts into a resource-use forecast through a linear demand fit.
 *
 * <p>The mean is {@code intercept + sum(slope_j * mean_j)}. For each interval level the half-width is
 * {@code sqrt((sum |slope_j| * halfWidth_j)^2 + (z * residualScale)^2)}: the activity parts are added as if
 * perfectly correlated (activity metrics of one service move together, so this is the conservative
 * choice), and the fit's residual noise, independent of the activity, is added in quadrature with the
 * normal quantile {@code z} of the level.
 */
final class LinearDemandPropagation {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private LinearDemandPropagation() {
    }

    /**
     * @param fit a usable fit
     * @param activity a forecast of every metric of the fit, all on the same start, step and horizon
     */
    static Forecast propagate(String model, DemandFit fit, Map<String, Forecast> activity) {
        Forecast any = activity.values().iterator().next();
        int n = any.horizon();
        double[] levels = any.levels();
        double[] mean = new double[n];
        double[][] half = new double[levels.length][n];
        for (int h = 0; h < n; h++) {
            mean[h] = fit.intercept();
        }
        for (Map.Entry<String, Double> e : fit.slopes().entrySet()) {
            Forecast f = Objects.requireNonNull(activity.get(e.getKey()), e.getKey());
            double b = e.getValue();
            for (int h = 0; h < n; h++) {
                mean[h] += b * f.mean(h);
            }
            for (int l = 0; l < levels.length; l++) {
                double[] lo = f.lower(levels[l]);
                double[] hi = f.upper(levels[l]);
                for (int h = 0; h < n; h++) {
                    half[l][h] += Math.abs(b) * 0.5 * (hi[h] - lo[h]);
                }
            }
        }
        Forecast.Builder out = Forecast.builder(model, any.start(), any.step(), mean);
        for (int l = 0; l < levels.length; l++) {
            double z = NORMAL.inverseCumulativeProbability(0.5 + levels[l] / 200);
            double noise = z * fit.residualScale();
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int h = 0; h < n; h++) {
                double w = Math.sqrt(half[l][h] * half[l][h] + noise * noise);
                lo[h] = mean[h] - w;
                hi[h] = mean[h] + w;
            }
            out.interval(levels[l], lo, hi);
        }
        return out.build();
    }
}
