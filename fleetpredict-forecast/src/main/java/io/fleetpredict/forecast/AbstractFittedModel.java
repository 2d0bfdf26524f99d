package io.fleetpredict.forecast;

import java.util.Objects;

/**
 * What every fitted model shares: the forecaster that fitted it, the history it was fitted on and updated
 * with, and the horizon check a forecast starts with. A model forecasts in {@link #forecastAhead}, with the
 * horizon already checked.
 */
abstract class AbstractFittedModel implements FittedModel {

    private final Forecaster forecaster;
    /** The series the model was fitted on, with every update appended. */
    final TimeSeries history;

    AbstractFittedModel(Forecaster forecaster, TimeSeries history) {
        this.forecaster = Objects.requireNonNull(forecaster, "forecaster");
        this.history = Objects.requireNonNull(history, "history");
    }

    @Override
    public final Forecaster forecaster() {
        return forecaster;
    }

    @Override
    public final TimeSeries history() {
        return history;
    }

    @Override
    public final Forecast forecast(int horizon, double... levels) {
        NormalIntervals.requireHorizon(horizon);
        Forecast.requireTimesRepresentable(history.end(), history.step(), horizon);
        return forecastAhead(horizon, levels);
    }

    /**
     * Forecasts {@code horizon} steps past the history's end.
     *
     * @param horizon at least 1
     * @param levels the interval levels in percent
     * @return the forecast
     */
    abstract Forecast forecastAhead(int horizon, double[] levels);
}
