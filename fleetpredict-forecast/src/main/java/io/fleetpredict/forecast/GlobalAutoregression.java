package io.fleetpredict.forecast;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A linear autoregression of high order trained across many series at once (a pooled or "global" model,
 * after Montero-Manso and Hyndman 2021, "Principles and algorithms for forecasting groups of time series:
 * locality and globality", IJF 37(4)).
 *
 * <p>Every window of {@code lags} consecutive values of every training series, with the {@code horizon}
 * values that follow it, is one row of a single ridge-regularised least-squares problem. Each window is
 * first normalised by its own level (the mean of its {@code lags} inputs, on the log scale or as a ratio,
 * see {@link Normalisation}), so series of any magnitude share one set of coefficients. The model forecasts
 * each of the {@code horizon} steps directly, with its own coefficients (one Gram matrix serves them all).
 * Its prediction intervals come from the pooled in-sample errors of each step, standardised by each
 * training series' own error scale; a series being forecast gets the pooled quantiles scaled by its own
 * in-sample error scale, so a noisy series gets wide intervals and a smooth one narrow ones.
 *
 * <p>Training reads only the series it is given: to score it on values after some origin without
 * look-ahead, train it on the series cut before that origin ({@link Forecasters#globalCandidate} does so
 * for {@code auto}).
 */
public final class GlobalAutoregression {

    private GlobalAutoregression() {
    }

    /** How each window is put on a common scale before it joins the pooled regression. */
    public enum Normalisation {
        /** The logarithm of the values minus the mean of the window's logged inputs; needs positive values. */
        LOG,
        /**
         * As {@link #LOG}, then divided by the standard deviation of the window's logged inputs, so that the
         * pooled fit weighs a smooth series' windows as much as a noisy one's.
         */
        STANDARDISED,
        /** The values divided by the mean of the window's inputs, minus one; needs windows of positive mean. */
        MEAN
    }

    /**
     * What to train.
     *
     * @param lags the autoregressive order: how many past values each forecast reads, at least 2
     * @param horizon how many steps ahead the model forecasts directly, at least 1
     * @param ridge the ridge penalty per training window on the lag coefficients (not the intercept), at
     *     least 0 and finite
     * @param normalisation how each window is scaled
     */
    public record Settings(int lags, int horizon, double ridge, Normalisation normalisation) {

        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException if a setting is out of range
         */
        public Settings {
            if (lags < 2) {
                throw new IllegalArgumentException("lags must be at least 2, was " + lags);
            }
            if (horizon < 1) {
                throw new IllegalArgumentException("horizon must be at least 1, was " + horizon);
            }
            if (!(ridge >= 0) || Double.isInfinite(ridge)) {
                throw new IllegalArgumentException("ridge must be finite and at least 0, was " + ridge);
            }
            Objects.requireNonNull(normalisation, "normalisation");
        }

        /**
         * The settings chosen on the M4 hourly training series (their last 48 values held out): 336 lags
         * (two weekly cycles of hourly data), log normalisation and the ridge penalty given here.
         *
         * @param horizon how many steps ahead to forecast
         * @return the settings
         */
        public static Settings hourly(int horizon) {
            return new Settings(DEFAULT_LAGS, horizon, DEFAULT_RIDGE, Normalisation.LOG);
        }
    }

    /** Chosen on the M4 hourly training series with their last 48 values held out (forecast-accuracy.md). */
    static final int DEFAULT_LAGS = 336;
    static final double DEFAULT_RIDGE = 1e-3;

    /**
     * Trains one model across all the series.
     *
     * @param training the series, each at least {@code lags + 1} values long and, with {@link Normalisation#LOG},
     *     positive throughout
     * @param settings what to train
     * @return the model as a forecaster named {@code "global-ar(lags)"}, whose fit only reads the series
     *     (to compute its own error scale) and needs at least {@code lags + 1} values
     * @throws IllegalArgumentException if {@code training} is empty or a series holds a value the
     *     normalisation cannot take (naming the series and the value)
     * @throws InsufficientDataException if a series is shorter than {@code lags + 1} (naming it)
     * @throws ModelFitException if the least-squares problem has no unique solution (collinear windows
     *     without a ridge penalty)
     */
    public static Forecaster train(List<TimeSeries> training, Settings settings) {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(settings, "settings");
        return new PooledArForecaster(PooledAr.train(training, settings), "global-ar");
    }

    /**
     * The same autoregression fitted on each series alone: a forecaster whose fit trains it on the one
     * series it is given.
     *
     * @param settings what to train
     * @return the forecaster, named {@code "local-ar(lags)"}
     */
    public static Forecaster local(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        return new LocalArForecaster(settings);
    }

    /** Fits the autoregression on the one series it is given. */
    private record LocalArForecaster(Settings settings) implements Forecaster {
        @Override
        public String name() {
            return String.format(Locale.ROOT, "local-ar(%d)", settings.lags());
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            Objects.requireNonNull(series, "series");
            PooledAr model;
            try {
                model = PooledAr.train(List.of(series), settings);
            } catch (IllegalArgumentException e) {
                throw new ModelFitException(name() + ": " + e.getMessage(), e);
            }
            return new PooledArForecaster(model, "local-ar").fit(this, series);
        }
    }
}
