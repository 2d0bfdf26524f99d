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
        return new StepwiseArimaSearch(this, period).fit(series);
    }
}
