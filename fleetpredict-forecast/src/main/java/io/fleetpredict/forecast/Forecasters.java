package io.fleetpredict.forecast;

import java.util.Locale;

/** The forecasting models of this library. */
public final class Forecasters {

    private Forecasters() {
    }

    /**
     * An LSTM quantile forecaster trained on each series it fits. To train one model across many series,
     * use {@link LstmModel#trainGlobal} and its {@link LstmModel#forecaster()}.
     *
     * @param config the architecture and training settings
     * @return the forecaster
     */
    public static Forecaster lstm(LstmConfig config) {
        return new LstmForecaster(config, null);
    }

    static int requirePeriod(int period) {
        if (period < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d", period));
        }
        return period;
    }
}
