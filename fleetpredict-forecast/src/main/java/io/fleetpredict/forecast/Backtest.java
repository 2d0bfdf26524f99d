package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rolling-origin evaluation: the model is refitted at several forecast origins inside a series and
 * scored on the steps after each origin, using only the values before it.
 *
 * <p>With {@code n} values, origin {@code k} (0-based, {@code k < origins}) is at index
 * {@code n - horizon - (origins - 1 - k) * stride}: the last origin leaves exactly {@code horizon}
 * values to score, earlier ones step back by {@code stride}. The model fitted at an origin sees
 * {@code series.head(origin)} and nothing else.
 */
public final class Backtest {

    private Backtest() {
    }

    /**
     * Evaluates a forecaster at rolling origins, scaling MASE and MSIS by the lag-1 difference.
     *
     * @param series the history to evaluate on (typically the training part only)
     * @param forecaster what to evaluate
     * @param horizon steps scored after each origin, at least 1
     * @param origins how many origins, at least 1
     * @param stride steps between consecutive origins, at least 1
     * @return the scores per origin
     * @throws InsufficientDataException if the earliest origin leaves no data to fit on, or the model
     *     needs more than it leaves
     */
    public static BacktestResult rollingOrigin(TimeSeries series, Forecaster forecaster, int horizon, int origins,
            int stride) {
        return rollingOrigin(series, forecaster, horizon, origins, stride, 1);
    }

    /**
     * Evaluates a forecaster at rolling origins. Each forecast asks for the 95% interval, so MSIS and
     * coverage are scored where the model provides it.
     *
     * @param series the history to evaluate on (typically the training part only)
     * @param forecaster what to evaluate
     * @param horizon steps scored after each origin, at least 1
     * @param origins how many origins, at least 1
     * @param stride steps between consecutive origins, at least 1
     * @param period the seasonal period of the MASE and MSIS scale, at least 1
     * @return the scores per origin
     * @throws InsufficientDataException if the earliest origin leaves no data to fit on, or the model
     *     needs more than it leaves
     */
    public static BacktestResult rollingOrigin(TimeSeries series, Forecaster forecaster, int horizon, int origins,
            int stride, int period) {
        positive("horizon", horizon);
        positive("origins", origins);
        positive("stride", stride);
        Forecasters.requirePeriod(period);
        int first = series.size() - horizon - (origins - 1) * stride;
        if (first < 2) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%d origins %d steps apart with horizon %d need more than %d values; the series has %d",
                    origins, stride, horizon, horizon + (origins - 1) * stride + 1, series.size()));
        }
        List<BacktestResult.Fold> folds = new ArrayList<>(origins);
        for (int k = 0; k < origins; k++) {
            int origin = first + k * stride;
            TimeSeries train = series.head(origin);
            double[] actual = series.slice(origin, origin + horizon).values();
            Forecast f = forecaster.fit(train).forecast(horizon, Accuracy.M4_LEVEL);
            folds.add(new BacktestResult.Fold(origin, series.timeAt(origin), Accuracy.of(train, actual, f, period)));
        }
        return new BacktestResult(forecaster.name(), horizon, folds);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be at least 1, was %d", name, value));
        }
    }
}
