package io.fleetpredict.core.demand;

import io.fleetpredict.forecast.InsufficientDataException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Fits how one resource of one service follows activity: a Huber-robust linear regression of the usage
 * series on activity series over the time steps they share.
 *
 * <p>Immutable and thread-safe. A fit whose R&sup2; falls below {@link Builder#minRSquared} is reported as
 * {@link DemandFit.Quality#POOR}, and one with no activity metrics as {@link DemandFit.Quality#NO_ACTIVITY}:
 * in both cases the caller forecasts the usage directly.
 */
public final class DemandModel {

    private final double minRSquared;
    private final double huberK;
    private final int maxIterations;
    private final int minObservations;

    private DemandModel(Builder b) {
        this.minRSquared = b.minRSquared;
        this.huberK = b.huberK;
        this.maxIterations = b.maxIterations;
        this.minObservations = b.minObservations;
    }

    /** @return a builder with the defaults: R&sup2; at least 0.6, Huber k 1.345, 50 iterations, 24 observations */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a model with the default settings */
    public static DemandModel defaults() {
        return builder().build();
    }

    /**
     * Fits the usage on the activity metrics over the steps all series share.
     *
     * @param usage the resource use of one service, for example CPU cores in use
     * @param activity activity series by metric name, at the same step as {@code usage}; may be empty
     * @return the fit, with its quality and the reason for it
     * @throws IllegalArgumentException if a series has a different step or is not aligned to the usage's grid
     * @throws InsufficientDataException if the series share fewer steps than the minimum
     */
    public DemandFit fit(TimeSeries usage, Map<String, TimeSeries> activity) {
        if (activity.isEmpty()) {
            return new DemandFit(0, Map.of(), 0, 0, 0, usage.size(), DemandFit.Quality.NO_ACTIVITY,
                    "no activity metrics for this service; forecast its usage directly");
        }
        Instant from = usage.start();
        Instant to = usage.end();
        for (Map.Entry<String, TimeSeries> e : activity.entrySet()) {
            TimeSeries s = e.getValue();
            if (!s.step().equals(usage.step())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "activity '%s' has step %s, usage has %s", e.getKey(), s.step(), usage.step()));
            }
            Duration offset = Duration.between(usage.start(), s.start());
            if (!usage.step().multipliedBy(offset.dividedBy(usage.step())).equals(offset)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "activity '%s' starts at %s, off the usage grid that starts at %s",
                        e.getKey(), s.start(), usage.start()));
            }
            from = max(from, s.start());
            to = min(to, s.end());
        }
        int n = from.isBefore(to) ? (int) Duration.between(from, to).dividedBy(usage.step()) : 0;
        int k = activity.size();
        if (n < Math.max(minObservations, k + 2)) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "usage and activity share %d steps; the demand fit needs at least %d",
                    n, Math.max(minObservations, k + 2)));
        }
        List<String> names = new ArrayList<>(activity.keySet());
        double[][] x = new double[n][k];
        double[] y = new double[n];
        int u0 = index(usage, from);
        for (int i = 0; i < n; i++) {
            y[i] = usage.get(u0 + i);
        }
        for (int j = 0; j < k; j++) {
            TimeSeries s = Objects.requireNonNull(activity.get(names.get(j)), names.get(j));
            int s0 = index(s, from);
            for (int i = 0; i < n; i++) {
                x[i][j] = s.get(s0 + i);
            }
        }
        HuberRegression.Result r;
        try {
            r = HuberRegression.fit(x, y, huberK, maxIterations);
        } catch (SingularMatrixException e) {
            return new DemandFit(0, Map.of(), 0, 0, 0, n, DemandFit.Quality.POOR,
                    "activity metrics are constant or collinear over the history; forecast usage directly");
        }
        double[] beta = r.coefficients();
        Map<String, Double> slopes = new LinkedHashMap<>();
        for (int j = 0; j < k; j++) {
            slopes.put(names.get(j), beta[j + 1]);
        }
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= n;
        double sst = 0;
        double sse = 0;
        double sae = 0;
        for (int i = 0; i < n; i++) {
            sst += (y[i] - mean) * (y[i] - mean);
            sse += r.residuals()[i] * r.residuals()[i];
            sae += Math.abs(r.residuals()[i]);
        }
        // A constant usage that the fit reproduces exactly is explained perfectly.
        double r2 = sst == 0 ? (sse == 0 ? 1 : 0) : 1 - sse / sst;
        boolean good = r2 >= minRSquared;
        String reason = String.format(Locale.ROOT, "R^2 %.3f %s the minimum %.3f over %d steps",
                r2, good ? "meets" : "is below", minRSquared, n);
        return new DemandFit(beta[0], slopes, r2, r.scale(), sae / n, n,
                good ? DemandFit.Quality.GOOD : DemandFit.Quality.POOR,
                good ? reason : reason + "; activity explains little, forecast usage directly");
    }

    private static int index(TimeSeries s, Instant t) {
        return (int) Duration.between(s.start(), t).dividedBy(s.step());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Settings of a {@link DemandModel}. */
    public static final class Builder {
        private double minRSquared = 0.6;
        private double huberK = 1.345;
        private int maxIterations = 50;
        private int minObservations = 24;

        private Builder() {
        }

        /**
         * The least R&sup2; at which activity drives the prediction.
         *
         * @param value in [0, 1]
         * @return this builder
         */
        public Builder minRSquared(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "minRSquared must be in [0, 1], was %s", value));
            }
            this.minRSquared = value;
            return this;
        }

        /**
         * The Huber tuning constant: residuals beyond {@code k} robust standard deviations are down-weighted.
         *
         * @param value positive; 1.345 gives 95% efficiency under normal errors
         * @return this builder
         */
        public Builder huberK(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "huberK must be positive, was %s", value));
            }
            this.huberK = value;
            return this;
        }

        /**
         * The most reweighting iterations.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxIterations(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxIterations must be at least 1, was " + value);
            }
            this.maxIterations = value;
            return this;
        }

        /**
         * The fewest shared time steps a fit accepts.
         *
         * @param value at least 3
         * @return this builder
         */
        public Builder minObservations(int value) {
            if (value < 3) {
                throw new IllegalArgumentException("minObservations must be at least 3, was " + value);
            }
            this.minObservations = value;
            return this;
        }

        /** @return the model */
        public DemandModel build() {
            return new DemandModel(this);
        }
    }
}
