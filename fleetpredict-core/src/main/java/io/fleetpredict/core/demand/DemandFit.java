package io.fleetpredict.core.demand;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A fitted demand relation {@code usage = intercept + sum(slope_i * activity_i) + noise}, with its quality.
 *
 * <p>When {@link #quality()} is not {@link Quality#GOOD}, the activity metrics explain too little of the
 * usage (or there were none) and a caller forecasts the usage directly instead; {@link #reason()} says why.
 *
 * @param intercept usage with no activity, in the usage series' unit
 * @param slopes usage per unit of each activity metric, by metric name, in fit order
 * @param rSquared share of the usage variance the fit explains, {@code 1 - SSE/SST}, at most 1
 * @param residualScale robust scale of the residuals (MAD / 0.6745), in the usage unit
 * @param meanAbsoluteError mean absolute residual, in the usage unit
 * @param observations number of aligned time steps the fit used
 * @param quality whether the relation is good enough to drive the prediction
 * @param reason why the quality is what it is, with the numbers
 */
public record DemandFit(
        double intercept,
        Map<String, Double> slopes,
        double rSquared,
        double residualScale,
        double meanAbsoluteError,
        int observations,
        Quality quality,
        String reason) {

    /** Whether the activity metrics drive the usage well enough to predict it. */
    public enum Quality {
        /** The relation explains the usage: predict usage from forecast activity. */
        GOOD,
        /** The relation explains little: forecast the usage directly. */
        POOR,
        /** The service has no activity metrics: forecast the usage directly. */
        NO_ACTIVITY
    }

    /** Validates the fit and copies the slopes. */
    public DemandFit {
        if (slopes == null || quality == null || reason == null) {
            throw new NullPointerException("slopes, quality and reason are required");
        }
        slopes = Collections.unmodifiableMap(new LinkedHashMap<>(slopes));
        if (observations < 0) {
            throw new IllegalArgumentException("observations must be non-negative, was " + observations);
        }
    }

    /**
     * Usage implied by activity values.
     *
     * @param activity a value for every metric in {@link #slopes()}
     * @return {@code intercept + sum(slope_i * activity_i)}
     * @throws IllegalArgumentException if a metric of the fit is missing
     */
    public double predict(Map<String, Double> activity) {
        double y = intercept;
        for (Map.Entry<String, Double> e : slopes.entrySet()) {
            Double x = activity.get(e.getKey());
            if (x == null) {
                throw new IllegalArgumentException("activity has no value for metric '" + e.getKey() + "'");
            }
            y += e.getValue() * x;
        }
        return y;
    }

    /** @return whether the relation is good enough to predict usage from activity */
    public boolean usable() {
        return quality == Quality.GOOD;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.6g", intercept));
        slopes.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " + %.6g*%s", v, k)));
        return String.format(Locale.ROOT, "usage = %s (R^2=%.3f, n=%d, %s: %s)",
                sb, rSquared, observations, quality, reason);
    }
}
