package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A model trained outside {@link #fit}, for example across many series, as a candidate of
 * {@link RollingOriginSelection} without look-ahead: it is trained twice, once on every series cut before
 * the earliest cross-validation origin the selection will use on it ({@link #beforeOrigins()}, the form
 * scored at every origin) and once on the whole series ({@link #onAll()}, the form refitted and forecast
 * when chosen). {@link Backtest} scores {@link #beforeOrigins()} at its origins too, when they are at or
 * after the cut; elsewhere the candidate behaves as {@link #onAll()}. A forecaster around it (a
 * transformation) would fit, and be scored as, {@link #onAll()}, so cross-validation refuses one.
 *
 * <p>One model for both origins, rather than one per origin, halves the training cost; at the later
 * origins it has seen less of the series than it could have, so the score it earns is, if anything,
 * pessimistic.
 */
final class SplitTrainedCandidate implements Forecaster {

    private final Forecaster beforeOrigins;
    private final Forecaster onAll;
    private final CrossValidation plan;

    SplitTrainedCandidate(Forecaster beforeOrigins, Forecaster onAll, CrossValidation plan) {
        this.beforeOrigins = Objects.requireNonNull(beforeOrigins, "beforeOrigins");
        this.onAll = Objects.requireNonNull(onAll, "onAll");
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    /**
     * Trains both forms: first on every series cut before its earliest origin under {@code plan}, then on
     * the whole series.
     */
    static SplitTrainedCandidate train(List<TimeSeries> training, CrossValidation plan,
            Function<List<TimeSeries>, Forecaster> trainer) {
        List<TimeSeries> whole = List.copyOf(training);
        List<TimeSeries> cut = new ArrayList<>(whole.size());
        for (TimeSeries s : whole) {
            cut.add(beforeFirstOrigin(s, plan));
        }
        Forecaster early = Objects.requireNonNull(trainer.apply(List.copyOf(cut)), "trainer returned null");
        Forecaster full = Objects.requireNonNull(trainer.apply(whole), "trainer returned null");
        return new SplitTrainedCandidate(early, full, plan);
    }

    /**
     * The values before the earliest origin {@link RollingOriginSelection} uses on this series with this
     * plan (after shortening it for a short series); the whole series when it is too short for any plan,
     * since the selection then cross-validates nothing on it.
     */
    static TimeSeries beforeFirstOrigin(TimeSeries series, CrossValidation plan) {
        int n = series.size();
        CrossValidation cv = RollingOriginSelection.adapt(plan, n);
        if (n < 2 || cv == null) {
            return series;
        }
        return series.head(cv.firstOrigin(n));
    }

    /** @return the form fitted at every cross-validation origin, trained on no value at or after them */
    Forecaster beforeOrigins() {
        return beforeOrigins;
    }

    /** @return the plan whose earliest origins the early form was trained before */
    CrossValidation plan() {
        return plan;
    }

    /** @return the form fitted to the whole series when the candidate is chosen */
    Forecaster onAll() {
        return onAll;
    }

    @Override
    public boolean trainedBeforeFit() {
        return true;
    }

    @Override
    public String name() {
        return onAll.name();
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return onAll.fit(series);
    }

    @Override
    public String toString() {
        return name();
    }
}
