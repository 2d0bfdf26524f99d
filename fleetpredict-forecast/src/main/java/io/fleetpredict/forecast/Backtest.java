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
 *
 * <p>A model trained before it is fitted ({@link Forecaster#trainedBeforeFit()}: an LSTM with trained weights,
 * the pooled autoregression of {@link GlobalAutoregression#train}, or a forecaster holding one) only reads the
 * series when fitted, so every origin would score the weights it was trained with, usually on values after the
 * origin: it is refused. A {@link Forecasters#globalCandidate} is taken instead, scored in its form trained on
 * each series cut before the earliest origin of its plan, when that cut is at or before the earliest origin
 * here: build it with {@code new CrossValidation(horizon, origins, stride)}, or a plan reaching further back.
 * As inside {@code auto}, the guarantee holds for the series the candidate was trained on, at the length it
 * was trained on, and for series it never saw. The candidate keeps at least half of a series for training
 * (as {@code auto} shortens its plan), so a backtest whose earliest origin is in the first half of the series
 * cannot score it.
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
     * @throws IllegalArgumentException if an argument is below 1, or the forecaster holds a model trained before
     *     it is fitted ({@link Forecaster#trainedBeforeFit()}) other than a {@link Forecasters#globalCandidate}
     *     trained before the earliest origin, as the class description says
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
     * @throws IllegalArgumentException if an argument is below 1, or the forecaster holds a model trained before
     *     it is fitted ({@link Forecaster#trainedBeforeFit()}) other than a {@link Forecasters#globalCandidate}
     *     trained before the earliest origin, as the class description says
     */
    public static BacktestResult rollingOrigin(TimeSeries series, Forecaster forecaster, int horizon, int origins,
            int stride, int period) {
        positive("horizon", horizon);
        positive("origins", origins);
        positive("stride", stride);
        Forecasters.requirePeriod(period);
        requireNotTrainedBefore(forecaster, horizon, origins, stride);
        int first = series.size() - horizon - (origins - 1) * stride;
        if (first < 2) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%d origins %d steps apart with horizon %d need more than %d values; the series has %d",
                    origins, stride, horizon, horizon + (origins - 1) * stride + 1, series.size()));
        }
        Forecaster atOrigins = scoredAtOrigins(series, forecaster, first);
        List<BacktestResult.Fold> folds = new ArrayList<>(origins);
        for (int k = 0; k < origins; k++) {
            int origin = first + k * stride;
            TimeSeries train = series.head(origin);
            double[] actual = series.slice(origin, origin + horizon).values();
            Forecast f = atOrigins.fit(train).forecast(horizon, Accuracy.M4_LEVEL);
            folds.add(new BacktestResult.Fold(origin, series.timeAt(origin), Accuracy.of(train, actual, f, period)));
        }
        return new BacktestResult(forecaster.name(), horizon, folds);
    }

    /**
     * Refuses a model trained before it is fitted, unless it is a global candidate: its fit only reads the
     * series, so the origins would score weights that may have been trained on the values after them.
     */
    private static void requireNotTrainedBefore(Forecaster forecaster, int horizon, int origins, int stride) {
        if (forecaster.trainedBeforeFit() && !(forecaster instanceof SplitTrainedCandidate)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s holds a model trained before it is fitted (trainedBeforeFit), whose fit only reads the "
                            + "series, so every origin would score weights that may have been trained on the values "
                            + "after it; train it on each series cut before the earliest origin with "
                            + "Forecasters.globalCandidate(training, new CrossValidation(%d, %d, %d), trainer), any "
                            + "transformation inside the trainer, and backtest that candidate",
                    forecaster.name(), horizon, origins, stride));
        }
    }

    /**
     * The form of the forecaster fitted at the origins: for a global candidate, the one trained on the series
     * cut before the earliest origin of its plan, which must be at or before {@code first}.
     */
    private static Forecaster scoredAtOrigins(TimeSeries series, Forecaster forecaster, int first) {
        if (!(forecaster instanceof SplitTrainedCandidate split)) {
            return forecaster;
        }
        int cut = SplitTrainedCandidate.beforeFirstOrigin(series, split.plan()).size();
        if (cut > first) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "global candidate '%s' was trained for the plan %s, on each series cut %d values into one of "
                            + "%d values (it keeps at least half of each series), after the earliest origin %d: it "
                            + "would be scored on values it was trained on; build it with a plan whose earliest "
                            + "origin is at or before the backtest's, such as new CrossValidation(horizon, origins, "
                            + "stride), or backtest from the second half of the series",
                    split.name(), split.plan(), cut, series.size(), first));
        }
        return split.beforeOrigins();
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be at least 1, was %d", name, value));
        }
    }
}
