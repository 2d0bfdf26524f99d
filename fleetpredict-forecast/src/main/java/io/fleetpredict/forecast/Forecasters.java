package io.fleetpredict.forecast;

import java.util.Locale;

/** The forecasting models of this library. */
public final class Forecasters {

    private Forecasters() {
    }

    // --- Theta and MSTL -------------------------------------------------------------------------

    /**
     * The standard Theta method (Assimakopoulos and Nikolopoulos 2000) as R's {@code forecast::thetaf}
     * computes it: simple exponential smoothing with drift equal to half the slope of the least-squares
     * line (Hyndman and Billah 2003), after the M4 benchmark's seasonal adjustment (a 90% test of the
     * autocorrelation at lag {@code period}, then classical multiplicative decomposition) when
     * {@code period > 1}. Needs at least 3 observations; a series too short or not significantly
     * seasonal is not adjusted, and the fitted model's description says so.
     *
     * @param period the seasonal period, 1 for none
     * @return the forecaster
     */
    public static Forecaster theta(int period) {
        return new Theta(Theta.Variant.STANDARD, period);
    }

    /**
     * The optimised Theta model (OTM) of Fiorucci, Pellegrini, Louzada, Petropoulos and Koehler (2016):
     * theta (at least 1), the smoothing parameter and the initial level minimise the in-sample mean
     * squared error, with the same seasonal treatment as {@link #theta(int)}. Needs at least 4
     * observations.
     *
     * @param period the seasonal period, 1 for none
     * @return the forecaster
     */
    public static Forecaster optimizedTheta(int period) {
        return new Theta(Theta.Variant.OPTIMIZED, period);
    }

    /**
     * MSTL (Bandara, Hyndman and Bergmeir 2021; R's {@code forecast::mstl}): the series is decomposed
     * into a trend, one seasonal component per period and a remainder by iterated STL; each seasonal
     * component is forecast by repeating its last cycle and the seasonally adjusted series by
     * {@code nonSeasonal}, whose intervals are shifted by the seasonal forecasts. Periods with fewer
     * than two full cycles in the data are dropped (the fitted model's description names them); with
     * none left the non-seasonal model is fitted to the series alone.
     *
     * @param nonSeasonal the model for the seasonally adjusted series
     * @param periods the seasonal periods, each at least 1, for example 24 and 168 for hourly data
     * @return the forecaster
     */
    public static Forecaster mstl(Forecaster nonSeasonal, int... periods) {
        return new Mstl(nonSeasonal, periods);
    }

    /**
     * MSTL with the default model for the seasonally adjusted series, currently the non-seasonal
     * standard Theta method ({@code theta(1)}); this default is expected to become automatic
     * non-seasonal exponential smoothing (ETS).
     *
     * @param periods the seasonal periods, each at least 1
     * @return the forecaster
     * @see #mstl(Forecaster, int...)
     */
    public static Forecaster mstl(int... periods) {
        return new Mstl(theta(1), periods);
    }

    static int requirePeriod(int period) {
        if (period < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d", period));
        }
        return period;
    }
}
