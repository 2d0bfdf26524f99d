package io.fleetpredict.core.event;

import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.InsufficientDataException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Learns how much an event type lifts demand, and applies known future events to a forecast.
 *
 * <p>The baseline of a step inside an occurrence is the median of the same step one to {@code lookback}
 * seasons earlier (a season being, typically, a week), skipping steps that were themselves inside an event:
 * what demand would have been without it. An occurrence's ratio is its total demand over its total
 * baseline; the type's multiplier is the median of those ratios, robust to one unusual occurrence.
 */
public final class EventEffects {

    private EventEffects() {
    }

    /**
     * Measures an event type's multiplier from its past occurrences.
     *
     * @param eventType the type's name, for the result
     * @param history the demand series
     * @param occurrences past windows of this type (inside the history)
     * @param otherEvents windows of any event, excluded from baselines (may include {@code occurrences})
     * @param season the seasonal lag that gives a comparable step, such as 7 days
     * @param lookback how many seasons back to look for a baseline, at least 1
     * @return the learned effect
     * @throws InsufficientDataException if no occurrence has a baseline in the history
     */
    public static EventEffect learn(String eventType, TimeSeries history, List<TimeWindow> occurrences,
            List<TimeWindow> otherEvents, Duration season, int lookback) {
        if (lookback < 1) {
            throw new IllegalArgumentException("lookback must be at least 1, was " + lookback);
        }
        long lag = season.dividedBy(history.step());
        if (lag < 1 || !history.step().multipliedBy(lag).equals(season)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "season %s is not a whole number of steps of %s", season, history.step()));
        }
        // Steps are found by index, and each step's baseline computed once: a feed of many long, overlapping
        // occurrences would otherwise cost occurrences x steps x events.
        boolean[] inEvent = covered(history, otherEvents);
        double[] baselines = new double[history.size()];
        Arrays.fill(baselines, Double.NaN);
        boolean[] known = new boolean[history.size()];
        List<Double> ratios = new ArrayList<>();
        for (TimeWindow w : occurrences) {
            double actual = 0;
            double baseline = 0;
            int steps = 0;
            for (int i = w.firstIndexIn(history), to = w.endIndexIn(history); i < to; i++) {
                if (!known[i]) {
                    baselines[i] = baseline(history, i, (int) lag, lookback, inEvent);
                    known[i] = true;
                }
                double b = baselines[i];
                if (Double.isNaN(b)) {
                    continue;
                }
                actual += history.get(i);
                baseline += b;
                steps++;
            }
            if (steps > 0 && baseline > 0) {
                ratios.add(actual / baseline);
            }
        }
        if (ratios.isEmpty()) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "no past occurrence of '%s' has a baseline %d season(s) of %s back in the history",
                    eventType, lookback, season));
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        return new EventEffect(eventType, median, ratios, EventEffect.Source.LEARNED);
    }

    /**
     * Multiplies a forecast (its mean and every interval bound) by the effect during the window.
     *
     * @param forecast the forecast without the event
     * @param window when the event runs
     * @param effect the effect to apply
     * @return a new forecast, unchanged outside the window
     */
    public static Forecast apply(Forecast forecast, TimeWindow window, EventEffect effect) {
        double[] mean = forecast.mean();
        double[] median = forecast.median();
        double[] levels = forecast.levels();
        double[][] lower = new double[levels.length][];
        double[][] upper = new double[levels.length][];
        for (int l = 0; l < levels.length; l++) {
            lower[l] = forecast.lower(levels[l]);
            upper[l] = forecast.upper(levels[l]);
        }
        for (int h = 0; h < mean.length; h++) {
            if (window.contains(forecast.start().plus(forecast.step().multipliedBy(h)))) {
                mean[h] *= effect.multiplier();
                median[h] *= effect.multiplier();
                for (int l = 0; l < levels.length; l++) {
                    lower[l][h] *= effect.multiplier();
                    upper[l][h] *= effect.multiplier();
                }
            }
        }
        // A positive multiplier keeps a limit of 0 and moves any other toward or away from 0: the lesser holds at every step.
        double limit = forecast.lowerLimit();
        Forecast.Builder b = Forecast.builder(forecast.model() + " with " + effect, forecast.start(), forecast.step(), mean)
                .median(median).lowerLimit(Double.isInfinite(limit) ? limit : Math.min(limit, limit * effect.multiplier()));
        for (int l = 0; l < levels.length; l++) {
            // A multiplier keeps the order of the bounds only if it is positive, which EventEffect ensures.
            b.interval(levels[l], lower[l], upper[l]);
        }
        return b.build();
    }

    private static double baseline(TimeSeries s, int i, int lag, int lookback, boolean[] inEvent) {
        double[] found = new double[lookback];
        int n = 0;
        for (int k = 1; k <= lookback; k++) {
            int j = i - k * lag;
            if (j < 0) {
                break;
            }
            if (!inEvent[j]) {
                found[n++] = s.get(j);
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        double[] v = Arrays.copyOf(found, n);
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    /** Which steps of the series lie inside any of the windows: counted by a running sum of their starts and ends. */
    private static boolean[] covered(TimeSeries s, List<TimeWindow> windows) {
        int[] opened = new int[s.size() + 1];
        for (TimeWindow w : windows) {
            int from = w.firstIndexIn(s);
            int to = w.endIndexIn(s);
            if (from < to) {
                opened[from]++;
                opened[to]--;
            }
        }
        boolean[] in = new boolean[s.size()];
        int open = 0;
        for (int i = 0; i < in.length; i++) {
            open += opened[i];
            in[i] = open > 0;
        }
        return in;
    }
}
