package io.fleetpredict.forecast;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The scores of a rolling-origin backtest, one fold per origin in time order.
 *
 * @param forecaster the name of the evaluated forecaster
 * @param horizon the steps scored after each origin
 * @param folds the scores per origin, at least one
 */
public record BacktestResult(String forecaster, int horizon, List<Fold> folds) {

    /**
     * Validates and copies the folds.
     */
    public BacktestResult {
        if (forecaster == null) {
            throw new NullPointerException("forecaster");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "horizon must be at least 1, was %d", horizon));
        }
        folds = List.copyOf(folds);
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("folds must not be empty");
        }
    }

    /**
     * The scores at one origin.
     *
     * @param origin the index of the first scored value; the model saw the values before it
     * @param time the time of that value
     * @param accuracy the scores of the forecast made there
     */
    public record Fold(int origin, Instant time, Accuracy accuracy) {
        /** Checks the fold. */
        public Fold {
            if (origin < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "origin must be at least 1, was %d", origin));
            }
            if (time == null || accuracy == null) {
                throw new NullPointerException("time and accuracy are required");
            }
        }
    }

    /**
     * A metric at each origin.
     *
     * @param metric the score to read
     * @return one value per fold, in time order
     */
    public double[] perOrigin(Metric metric) {
        return folds.stream().mapToDouble(f -> metric.of(f.accuracy())).toArray();
    }

    /**
     * The mean of a metric over the origins.
     *
     * @param metric the score to read
     * @return its mean over the folds
     */
    public double mean(Metric metric) {
        double s = 0;
        for (Fold f : folds) {
            s += metric.of(f.accuracy());
        }
        return s / folds.size();
    }
}
