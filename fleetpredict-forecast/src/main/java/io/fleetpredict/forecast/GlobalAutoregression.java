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
 * first normalised by its own level (the mean of its {@code lags} inputs, on the log scale or as a ratio)
 * and, when {@link Normalisation#STANDARDISED}, by its own spread, so series of any magnitude share one set of coefficients. The model forecasts
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
         * The settings chosen on the M4 hourly training series (their last 48 values held out): 504 lags
         * (three weekly cycles of hourly data), {@link Normalisation#STANDARDISED} windows and a small ridge
         * penalty.
         *
         * @param horizon how many steps ahead to forecast
         * @return the settings
         */
        public static Settings hourly(int horizon) {
            return new Settings(DEFAULT_LAGS, horizon, DEFAULT_RIDGE, Normalisation.STANDARDISED);
        }
    }

    /** Chosen on the M4 hourly training series with their last 48 values held out (forecast-accuracy.md). */
    static final int DEFAULT_LAGS = 504;
    static final double DEFAULT_RIDGE = 1e-3;
    /** The ridge penalty of the local candidate of {@code auto}: one series has far fewer windows. */
    static final double LOCAL_RIDGE = 1e-2;

    /**
     * Trains one model across all the series.
     *
     * @param training the series, each at least {@code lags + 1} values long and, on the log scale
     *     ({@link Normalisation#LOG}, {@link Normalisation#STANDARDISED}), positive throughout
     * @param settings what to train
     * @return the model as a forecaster named {@code "global-ar(lags)"}, whose fit only reads the series
     *     (to compute its own error scale) and needs at least {@code lags + 1} values
     * @throws IllegalArgumentException if {@code training} is empty or a series holds a value the
     *     normalisation cannot take (naming the series and the value)
     * @throws InsufficientDataException if a series is shorter than {@code lags + 1} (naming it), or no series
     *     is long enough to have a target at some step ahead
     * @throws ModelFitException if the least-squares problem has no unique solution (collinear windows
     *     without a ridge penalty)
     */
    public static Forecaster train(List<TimeSeries> training, Settings settings) {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(settings, "settings");
        return new PooledArForecaster(PooledAr.train(training, settings), "global-ar");
    }

    /**
     * The same autoregression fitted on each series alone: a forecaster whose fitted model trains it on its
     * own history, for the horizon each forecast asks for (a direct model needs its horizon, and fitting
     * does not know it).
     *
     * @param lags the autoregressive order, at least 2
     * @param ridge the ridge penalty per window, at least 0 and finite
     * @param normalisation how each window is scaled
     * @return the forecaster, named {@code "local-ar(lags)"}; its fit needs at least {@code lags + 1} values,
     *     and a forecast of {@code h} steps at least {@code lags + h} for every step to have a window
     * @throws IllegalArgumentException if a setting is out of range
     */
    public static Forecaster local(int lags, double ridge, Normalisation normalisation) {
        return new LocalArForecaster(new Settings(lags, 1, ridge, normalisation));
    }

    /** Fits the autoregression on the one series it is given, at each forecast's horizon. */
    private record LocalArForecaster(Settings settings) implements Forecaster {
        @Override
        public String name() {
            return String.format(Locale.ROOT, "local-ar(%d)", settings.lags());
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            Objects.requireNonNull(series, "series");
            if (series.size() < settings.lags() + 1) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "%s needs at least %d values, got %d", name(), settings.lags() + 1, series.size()));
            }
            try {
                PooledAr.transform(series.values(), settings.normalisation(), name());
            } catch (IllegalArgumentException e) {
                throw new ModelFitException(Objects.requireNonNullElse(e.getMessage(), name() + ": cannot be normalised"), e);
            }
            return new LocalFitted(this, series);
        }
    }

    /** A series with the local autoregression to be trained on it when a forecast names the horizon. */
    private static final class LocalFitted extends AbstractFittedModel {
        private final Settings settings;

        LocalFitted(LocalArForecaster forecaster, TimeSeries history) {
            super(forecaster, history);
            this.settings = forecaster.settings();
        }

        @Override
        public String description() {
            return String.format(Locale.ROOT, "%s: ridge autoregression of order %d on this series alone, %s-normalised "
                    + "windows, ridge %s, trained at each forecast's horizon", forecaster().name(), settings.lags(),
                    settings.normalisation().name().toLowerCase(Locale.ROOT), settings.ridge());
        }

        @Override
        public java.util.Map<String, Double> parameters() {
            return java.util.Map.of("lags", (double) settings.lags(), "ridge", settings.ridge());
        }

        @Override
        Forecast forecastAhead(int horizon, double[] levels) {
            Settings at = new Settings(settings.lags(), horizon, settings.ridge(), settings.normalisation());
            PooledAr model;
            try {
                model = PooledAr.train(List.of(history), at);
            } catch (IllegalArgumentException e) {
                throw new ModelFitException(forecaster().name() + ": " + e.getMessage(), e);
            }
            return new PooledArForecaster(model, "local-ar").fit(forecaster(), history).forecast(horizon, levels);
        }

        @Override
        public FittedModel update(TimeSeries next) {
            return new LocalFitted((LocalArForecaster) forecaster(), history.append(next));
        }
    }
}
