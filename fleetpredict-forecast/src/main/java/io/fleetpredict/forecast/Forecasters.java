package io.fleetpredict.forecast;

import java.util.Locale;

/** The forecasting models of this library. */
public final class Forecasters {

    private Forecasters() {
    }

    // --- ETS: innovations state-space exponential smoothing -------------------------------------

    /**
     * ETS with automatic model selection: every admissible combination of error (A, M), trend (N, A,
     * damped Ad) and season (N, A, M) is fitted by maximum likelihood and the one with the smallest
     * AICc is kept, following R's {@code forecast::ets} defaults (Hyndman et al. 2008). Multiplicative
     * components are tried only on strictly positive data; additive error with multiplicative season
     * and multiplicative trend are never tried. Unlike R, long periods (24, 168, 336, ...) are
     * supported: their seasonal initial states come from a classical decomposition rather than the
     * optimiser.
     *
     * <p>The fit degrades instead of failing, and says so in its description: a series too short for a
     * seasonal model gets a non-seasonal one, a constant series a flat forecast.
     *
     * @param period the seasonal period in steps; 1 for a non-seasonal series
     * @return the forecaster; its fits throw {@link InsufficientDataException} on fewer than 3 points
     */
    public static Forecaster ets(int period) {
        return StateSpaceEts.automatic(requirePeriod(period));
    }

    /**
     * One ETS model, by maximum likelihood within R's default parameter region.
     *
     * @param spec the model in R's compact form: error ({@code A|M}), trend ({@code N|A|Ad}), season
     *     ({@code N|A|M}), such as {@code "ANN"}, {@code "AAdA"}, {@code "MAdM"}; additive error with
     *     multiplicative season and multiplicative trend are refused
     * @param period the seasonal period in steps, at least 2 for a seasonal spec
     * @return the forecaster; its fits throw {@link InsufficientDataException} when the series has no
     *     more points than the model's parameters plus four, and {@link ModelFitException} when a
     *     multiplicative model meets data that are not strictly positive
     * @throws IllegalArgumentException if the spec is malformed or refused, or the period does not fit it
     */
    public static Forecaster ets(String spec, int period) {
        return StateSpaceEts.of(EtsSpec.parse(spec), requirePeriod(period));
    }

    static int requirePeriod(int period) {
        if (period < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d", period));
        }
        return period;
    }
}
