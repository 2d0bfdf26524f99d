package io.fleetpredict.forecast;

/** Automatic seasonal ARIMA: unit-root tests for the differences, a stepwise AICc search for the orders. */
final class AutoArimaForecaster implements Forecaster {

    private final int period;

    AutoArimaForecaster(int period) {
        this.period = period;
    }

    @Override
    public String name() {
        return "auto-arima(" + period + ")";
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return fit(series, Regressors.builder(series.start(), series.step(), series.size()).build());
    }

    /** The stepwise search with every candidate a regression with ARIMA errors, as {@code auto.arima(xreg=)}. */
    @Override
    public FittedModel fit(TimeSeries series, Regressors past) {
        ArimaForecaster.requireUsable(past).requireAligned(series);
        return new StepwiseArimaSearch(this, period).fit(series, past);
    }

    @Override
    public boolean acceptsRegressors() {
        return true;
    }
}
