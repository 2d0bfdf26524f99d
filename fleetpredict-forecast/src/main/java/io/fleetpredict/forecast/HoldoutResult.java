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
 * @param forecaster the name of the evaluated forecaster
 * @param horizon the steps scored on each series
 * @param scores the scores of each series, in series order, at least one
 * @param fallbacks the indexes (into {@code scores}) of series the forecaster could not fit, forecast by
 *     seasonal naive instead, in increasing order
 */
public record HoldoutResult(String forecaster, int horizon, List<Accuracy> scores, List<Integer> fallbacks) {

    /** Validates and copies. */
    public HoldoutResult {
        Objects.requireNonNull(forecaster, "forecaster");
        if (horizon < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "horizon must be at least 1, was %d", horizon));
        }
        scores = List.copyOf(scores);
        fallbacks = List.copyOf(fallbacks);
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("scores must not be empty");
        }
        int previous = -1;
        for (int i : fallbacks) {
            if (i <= previous || i >= scores.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "fallbacks must be increasing indexes below %d, were %s", scores.size(), fallbacks));
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
     * Mean MASE over the series.
     *
     * @return the mean MASE
     */
    public double mase() {
        return mean(Accuracy::mase);
    }

    /**
     * Mean MSIS over the series.
     *
     * @return the mean MSIS; {@code NaN} if a forecast had no interval at the scored level
     */
    public double msis() {
        return mean(Accuracy::msis);
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
     * The mean of a metric over the series.
     *
     * @param metric the score to read
     * @return its mean over the series
     */
    public double mean(Metric metric) {
        return mean(metric::of);
    }

    /**
     * OWA relative to another forecaster's result on the same series: the mean of this sMAPE over theirs and
     * this MASE over theirs ({@link Accuracy#owa}). Against Naive2 it is the M4 competition's OWA, below 1
     * when better than Naive2.
     *
     * @param yardstick the result to compare with, on the same series and horizon
     * @return the OWA
     * @throws IllegalArgumentException if the two results differ in series count or horizon, or the
     *     yardstick's sMAPE or MASE is not positive
     */
    public double owa(HoldoutResult yardstick) {
        if (yardstick.series() != series() || yardstick.horizon() != horizon) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the yardstick %s scored %d series at horizon %d; %s scored %d at horizon %d",
                    yardstick.forecaster(), yardstick.series(), yardstick.horizon(), forecaster, series(), horizon));
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
}
