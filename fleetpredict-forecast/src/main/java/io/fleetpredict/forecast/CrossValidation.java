package io.fleetpredict.forecast;

import java.util.Locale;

/**
 * A rolling-origin cross-validation plan inside a training series, as {@link Backtest} runs it: the
 * last origin leaves exactly {@code horizon} values to score, earlier ones step back by
 * {@code stride}, and the model fitted at an origin sees only the values before it.
 *
 * @param horizon steps scored after each origin, at least 1; normally the horizon that will be forecast
 * @param origins how many origins, at least 1
 * @param stride steps between consecutive origins, at least 1
 */
public record CrossValidation(int horizon, int origins, int stride) {

    /** Checks the plan. */
    public CrossValidation {
        if (horizon < 1 || origins < 1 || stride < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "horizon, origins and stride must each be at least 1, were %d, %d and %d", horizon, origins, stride));
        }
    }

    /**
     * The default plan for a forecast horizon: two origins one horizon apart, so the candidates are
     * scored on the last {@code 2 * horizon} training values.
     *
     * @param horizon the steps that will be forecast, at least 1
     * @return the plan
     */
    public static CrossValidation of(int horizon) {
        return new CrossValidation(horizon, 2, horizon);
    }

    /**
     * The index of the earliest origin in a series of {@code n} values.
     *
     * @param n the series length
     * @return {@code n - horizon - (origins - 1) * stride}, possibly negative ({@link Integer#MIN_VALUE} when
     *     it is smaller still)
     */
    public int firstOrigin(int n) {
        // In long arithmetic, so a plan longer than any series gives a negative origin rather than wrapping round.
        return (int) Math.max(Integer.MIN_VALUE, n - (long) horizon - (origins - 1L) * stride);
    }
}
