package io.fleetpredict.forecast;

/**
 * A forecasting model specification: what to fit, not yet fitted.
 *
 * <p>Implementations are immutable and thread-safe; {@link #fit} is deterministic for a given series.
 * Obtain instances from {@link Forecasters}.
 */
public interface Forecaster {

    /**
     * A short name of the specification, such as {@code "snaive(24)"} or {@code "holt-winters(24)"}.
     *
     * @return the name
     */
    String name();

    /**
     * Estimates the model on a series.
     *
     * @param series the history, regular and free of gaps
     * @return the fitted model, immutable and thread-safe
     * @throws InsufficientDataException if the series is too short for this model
     * @throws ModelFitException if estimation fails
     */
    FittedModel fit(TimeSeries series);
}
