package io.fleetpredict.forecast;

import java.util.Locale;

/** The forecasting models of this library. */
public final class Forecasters {

    private Forecasters() {
    }

    // --- seasonal ARIMA ---

    /**
     * A non-seasonal ARIMA(p,d,q), with a mean when {@code d = 0} (as R's {@code forecast::Arima}), estimated by
     * conditional sums of squares then exact maximum likelihood.
     *
     * @param p autoregressive order
     * @param d differences, 0 to 2
     * @param q moving average order
     * @return the forecaster
     */
    public static Forecaster arima(int p, int d, int q) {
        return arima(ArimaOrder.of(p, d, q));
    }

    /**
     * A seasonal ARIMA of the given orders, with a mean when it has no differencing and no constant otherwise
     * (R's {@code forecast::Arima} defaults).
     *
     * @param order the orders
     * @return the forecaster
     */
    public static Forecaster arima(ArimaOrder order) {
        return arima(order, order.d() + order.seasonalD() == 0);
    }

    /**
     * A seasonal ARIMA of the given orders, with or without a constant: a mean without differencing, a drift
     * (linear trend) with one difference; with two differences no constant is estimable and it is dropped
     * (the description says so).
     *
     * @param order the orders
     * @param includeConstant whether to estimate the mean or drift
     * @return the forecaster
     */
    public static Forecaster arima(ArimaOrder order, boolean includeConstant) {
        if (order == null) {
            throw new NullPointerException("order");
        }
        return new ArimaForecaster(order, includeConstant);
    }

    /**
     * Automatic seasonal ARIMA after Hyndman and Khandakar (2008), as R's {@code forecast::auto.arima} with its
     * defaults: KPSS tests choose d, seasonal strength chooses D, a stepwise AICc search the other orders and
     * the constant. Short series lose their seasonal terms, a constant series gets a flat forecast, and periods
     * from 100 up get seasonal differencing only; the fitted description says which.
     *
     * @param period the seasonal period, 1 for none
     * @return the forecaster
     */
    public static Forecaster autoArima(int period) {
        return new AutoArimaForecaster(requirePeriod(period));
    }

    static int requirePeriod(int period) {
        if (period < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d", period));
        }
        return period;
    }
}
