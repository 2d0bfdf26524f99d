package io.fleetpredict.forecast;

/**
 * Automatic seasonal ARIMA: unit-root tests for the differences, a stepwise AICc search for the orders,
 * within auto.arima's limits or the shorter ones of {@link StepwiseArimaSearch.Limits#SHORT}.
 */
final class AutoArimaForecaster implements Forecaster {

    private final int period;
    private final StepwiseArimaSearch.Limits limits;

    AutoArimaForecaster(int period, StepwiseArimaSearch.Limits limits) {
        this.period = period;
        this.limits = limits;
    }

    @Override
    public String name() {
        return (limits == StepwiseArimaSearch.Limits.SHORT ? "auto-arima-short(" : "auto-arima(") + period + ")";
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return fit(series, Regressors.builder(series.start(), series.step(), series.size()).build());
    }

    /** The stepwise search with every candidate a regression with ARIMA errors, as {@code auto.arima(xreg=)}. */
    @Override
    public FittedModel fit(TimeSeries series, Regressors past) {
        return PowerOfTwoUnit.fit(this, series, s -> fitInUnit(s, past));
    }

    /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}); the regressors as given. */
    private FittedModel fitInUnit(TimeSeries series, Regressors past) {
        ArimaForecaster.requireUsable(past).requireAligned(series);
        return new StepwiseArimaSearch(this, period, limits, series, past).fit();
    }

    @Override
    public boolean acceptsRegressors() {
        return true;
    }
}
