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
     * @param horizon number of steps, at least 1
     * @param levels prediction interval coverages in percent, each in (0, 100), for example 80 and 95
     * @return the forecast, with one interval per level
     */
    Forecast forecast(int horizon, double... levels);

    /**
     * Absorbs observations that follow the history directly, keeping the parameters.
     *
     * @param next the observations, continuing the history at its step
     * @return a new fitted model whose state includes {@code next}
     */
    FittedModel update(TimeSeries next);
}
