package io.fleetpredict.forecast;

import java.util.Locale;

/** The forecasting models of this library. */
public final class Forecasters {

    private Forecasters() {
    }

    /**
     * The random walk: every step forecasts the last observation. Intervals widen as
     * {@code sigma * sqrt(h)}, with {@code sigma^2} the mean squared one-step change in the history, as
     * R's {@code forecast::naive}. Needs at least 2 observations.
     *
     * @return the forecaster, named {@code "naive"}
     */
    public static Forecaster naive() {
        return new LagWalk.Spec(1);
    }

    /**
     * The seasonal naive forecast: every step repeats the observation one period earlier. Intervals are
     * {@code sigma * sqrt(k + 1)} with {@code k = floor((h - 1) / period)}, {@code sigma^2} the mean
     * squared seasonal difference, as R's {@code forecast::snaive}. Needs at least {@code period + 1}
     * observations.
     *
     * @param period the seasonal period in steps, at least 1
     * @return the forecaster, named {@code "snaive(period)"}
     */
    public static Forecaster seasonalNaive(int period) {
        return new LagWalk.Spec(requirePeriod(period));
    }

    /**
     * Additive Holt-Winters exponential smoothing as R's {@code stats::HoltWinters}: alpha, beta and
     * gamma in [0, 1] minimise the one-step squared error, the states start from a classical
     * decomposition of the first two periods, and intervals follow R's {@code predict.HoltWinters}.
     * Needs at least two full periods.
     *
     * @param period the seasonal period in steps, at least 2
     * @return the forecaster, named {@code "holt-winters(period)"}
     */
    public static Forecaster holtWinters(int period) {
        return new AdditiveHoltWinters.Spec(period);
    }

    /**
     * The M4 competition's Naive2 benchmark: the random walk on the seasonally adjusted series
     * (classical multiplicative decomposition), re-seasonalised, when a 90% autocorrelation test at lag
     * {@code period} finds seasonality in a series of at least three periods; the plain random walk
     * otherwise. The yardstick of the OWA score ({@link Accuracy#owa}).
     *
     * @param period the seasonal period in steps, at least 1 (1 means the random walk)
     * @return the forecaster, named {@code "naive2(period)"}
     */
    public static Forecaster naive2(int period) {
        return new SeasonallyAdjustedNaive.Spec(period);
    }

    static int requirePeriod(int period) {
        if (period < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d", period));
        }
        return period;
    }
}
