package io.fleetpredict.forecast;

import java.util.Locale;

/** The forecasting models of this library. */
public final class Forecasters {

    private Forecasters() {
    }

    static int requirePeriod(int period) {
        if (period < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d", period));
        }
        return period;
    }
}
