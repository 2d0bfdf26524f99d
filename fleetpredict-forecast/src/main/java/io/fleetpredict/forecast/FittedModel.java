package io.fleetpredict.forecast;

import java.util.Map;

/**
 * A model estimated on a series: its parameters, its state at the end of the series, and what it
 * forecasts from there.
 *
 * <p>Implementations are immutable values and thread-safe. {@link #update} returns a new model whose
 * state has absorbed new observations with the same parameters; a full re-estimation is an explicit
 * {@code forecaster().fit(...)}.
 */
public interface FittedModel {

    /**
     * The specification this model was fitted from, to refit it on a longer history.
     *
     * @return the forecaster
     */
    Forecaster forecaster();

    /**
     * What was fitted, in words a person reads: the model class and its estimated parameters, and
     * anything it degraded to (for example {@code "ETS(A,N,N) alpha=0.31; seasonal model refused:
     * fewer than two periods"}).
     *
     * @return the description
     */
    String description();

    /**
     * What the one-line {@link #description()} leaves out, one sentence each: for a model chosen among
     * candidates, each candidate skipped and why, each adjustment to the selection, and the description
     * of every model chosen. The scores behind a choice are in {@link #parameters()}.
     *
     * @return the notes, unmodifiable; empty by default
     */
    default java.util.List<String> notes() {
        return java.util.List.of();
    }

    /**
     * The estimated parameters by name, in a stable order.
     *
     * @return an unmodifiable map of parameter name to value
     */
    Map<String, Double> parameters();

    /**
     * The series the model was fitted on, extended by every {@link #update}.
     *
     * @return the history
     */
    TimeSeries history();

    /**
     * Forecasts the next {@code horizon} steps after the end of the history.
     *
     * @param horizon number of steps, from 1 to {@link Forecast#MAX_HORIZON}
     * @param levels prediction interval coverages in percent, each in (0, 100), for example 80 and 95
     * @return the forecast, with one interval per level
     * @throws IllegalArgumentException if the horizon is out of range, or its last step's time would be past
     *     {@link java.time.Instant#MAX}
     */
    Forecast forecast(int horizon, double... levels);

    /**
     * Absorbs observations that follow the history directly, keeping the parameters.
     *
     * @param next the observations, continuing the history at its step
     * @return a new fitted model whose state includes {@code next}
     */
    FittedModel update(TimeSeries next);

    /**
     * The names of the regressors this model was fitted with, in order; empty for a model fitted without.
     *
     * @return the names, unmodifiable
     */
    default java.util.List<String> regressorNames() {
        return java.util.List.of();
    }

    /**
     * Forecasts the next {@code horizon} steps given the known future values of the regressors the model was
     * fitted with.
     *
     * <p>The default accepts regressors without columns (forecasting as {@link #forecast(int, double...)})
     * and throws otherwise.
     *
     * @param horizon number of steps, at least 1
     * @param future the regressors from the end of the history, with the fitted names, at least
     *     {@code horizon} steps; later steps are ignored
     * @param levels prediction interval coverages in percent, each in (0, 100)
     * @return the forecast
     * @throws UnsupportedOperationException if this model takes no regressors
     * @throws IllegalArgumentException if names, start, step or length do not match
     */
    default Forecast forecast(int horizon, Regressors future, double... levels) {
        if (future.count() == 0) {
            return forecast(horizon, levels);
        }
        throw new UnsupportedOperationException(forecaster().name() + " cannot take regressors "
                + future.names());
    }

    /**
     * Absorbs observations that follow the history directly, with the regressors over their steps.
     *
     * <p>The default accepts regressors without columns (updating as {@link #update(TimeSeries)}) and throws
     * otherwise.
     *
     * @param next the observations, continuing the history at its step
     * @param nextRegressors the regressors over exactly the steps of {@code next}
     * @return a new fitted model whose state includes {@code next}
     * @throws UnsupportedOperationException if this model takes no regressors
     */
    default FittedModel update(TimeSeries next, Regressors nextRegressors) {
        if (nextRegressors.count() == 0) {
            return update(next);
        }
        throw new UnsupportedOperationException(forecaster().name() + " cannot take regressors "
                + nextRegressors.names());
    }
}
