package io.fleetpredict.forecast;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The scores of a hold-out evaluation over a set of series ({@link Holdout}), and their means as the M4
 * competition reports a method: mean sMAPE, MASE, MSIS and coverage over the series, and the overall
 * weighted average (OWA) relative to a yardstick, Naive2 in M4.
 *
 * <p>A series whose training values do not change at the MASE lag has a MASE scale of 0
 * ({@link Accuracy#maseScale}): M4 leaves its MASE and MSIS undefined, so the means of those two (and OWA)
 * leave it out, as {@link #flat()} lists; its sMAPE and coverage count.
 *
 * @param forecaster the name of the evaluated forecaster
 * @param horizon the steps scored on each series
 * @param scores the scores of each series, in series order, at least one
 * @param fallbacks the indexes (into {@code scores}) of series the forecaster could not fit, forecast by
 *     seasonal naive instead, in increasing order
 * @param flat the indexes (into {@code scores}) of series whose MASE scale is 0, in increasing order: their
 *     MASE and MSIS are not defined and the means of those leave them out
 */
public record HoldoutResult(String forecaster, int horizon, List<Accuracy> scores, List<Integer> fallbacks,
        List<Integer> flat) {

    /** Validates and copies. */
    public HoldoutResult {
        Objects.requireNonNull(forecaster, "forecaster");
        if (horizon < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "horizon must be at least 1, was %d", horizon));
        }
        scores = List.copyOf(scores);
        fallbacks = List.copyOf(fallbacks);
        flat = List.copyOf(flat);
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("scores must not be empty");
        }
        requireIndexes("fallbacks", fallbacks, scores.size());
        requireIndexes("flat", flat, scores.size());
    }

    /**
     * The result of series that all have a MASE scale above 0.
     *
     * @param forecaster the name of the evaluated forecaster
     * @param horizon the steps scored on each series
     * @param scores the scores of each series, in series order, at least one
     * @param fallbacks the indexes of series forecast by seasonal naive instead, in increasing order
     */
    public HoldoutResult(String forecaster, int horizon, List<Accuracy> scores, List<Integer> fallbacks) {
        this(forecaster, horizon, scores, fallbacks, List.of());
    }

    private static void requireIndexes(String name, List<Integer> indexes, int size) {
        int previous = -1;
        for (int i : indexes) {
            if (i <= previous || i >= size) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s must be increasing indexes below %d, were %s", name, size, indexes));
            }
            previous = i;
        }
    }

    /**
     * How many series were scored.
     *
     * @return the number of series
     */
    public int series() {
        return scores.size();
    }

    /**
     * Mean sMAPE over the series.
     *
     * @return in percent, in [0, 200]
     */
    public double smape() {
        return mean(Accuracy::smape);
    }

    /**
     * Mean MASE over the series where it is defined, those not {@link #flat()}.
     *
     * @return the mean MASE; {@code NaN} if every series is flat
     */
    public double mase() {
        return meanOfScaled(Accuracy::mase);
    }

    /**
     * Mean MSIS over the series where it is defined, those not {@link #flat()}.
     *
     * @return the mean MSIS; {@code NaN} if a forecast had no interval at the scored level, or every series
     *     is flat
     */
    public double msis() {
        return meanOfScaled(Accuracy::msis);
    }

    /**
     * Mean share of hold-out values inside their interval over the series.
     *
     * @return in [0, 1]; {@code NaN} if a forecast had no interval at the scored level
     */
    public double coverage() {
        return mean(Accuracy::coverage);
    }

    /**
     * The mean of a metric over the series; of {@link Metric#MASE} and {@link Metric#MSIS} over those where
     * it is defined, as {@link #mase()} and {@link #msis()}.
     *
     * @param metric the score to read
     * @return its mean over the series
     */
    public double mean(Metric metric) {
        return metric == Metric.MASE || metric == Metric.MSIS ? meanOfScaled(metric::of) : mean(metric::of);
    }

    /**
     * OWA relative to another forecaster's result on the same series: the mean of this sMAPE over theirs and
     * this MASE over theirs ({@link Accuracy#owa}). Against Naive2 it is the M4 competition's OWA, below 1
     * when better than Naive2.
     *
     * @param yardstick the result to compare with, on the same series and horizon
     * @return the OWA
     * @throws IllegalArgumentException if the two results differ in series count, horizon or flat series,
     *     or the yardstick's sMAPE or MASE is not positive
     */
    public double owa(HoldoutResult yardstick) {
        if (yardstick.series() != series() || yardstick.horizon() != horizon || !yardstick.flat().equals(flat)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the yardstick %s scored %d series at horizon %d, flat %s; %s scored %d at horizon %d, flat %s",
                    yardstick.forecaster(), yardstick.series(), yardstick.horizon(), yardstick.flat(), forecaster,
                    series(), horizon, flat));
        }
        return owa(yardstick.smape(), yardstick.mase());
    }

    /**
     * OWA relative to published yardstick figures, such as M4's Naive2 scores of the same series.
     *
     * @param yardstickSmape the yardstick's mean sMAPE, positive
     * @param yardstickMase the yardstick's mean MASE, positive
     * @return the OWA
     */
    public double owa(double yardstickSmape, double yardstickMase) {
        return Accuracy.owa(smape(), mase(), yardstickSmape, yardstickMase);
    }

    private double mean(ToDoubleFunction<Accuracy> read) {
        int n = scores.size();
        double s = 0;
        for (Accuracy a : scores) {
            s += read.applyAsDouble(a) / n;
        }
        return s;
    }

    /** The mean over the series whose MASE scale is above 0; summed as {@link #mean} so that with none flat it is the same. */
    private double meanOfScaled(ToDoubleFunction<Accuracy> read) {
        int n = scores.size() - flat.size();
        if (n == 0) {
            return Double.NaN;
        }
        double s = 0;
        int next = 0;
        for (int i = 0; i < scores.size(); i++) {
            if (next < flat.size() && flat.get(next) == i) {
                next++;
            } else {
                s += read.applyAsDouble(scores.get(i)) / n;
            }
        }
        return s;
    }
}
