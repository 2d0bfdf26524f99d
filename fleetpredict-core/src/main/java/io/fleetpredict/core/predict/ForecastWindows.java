package io.fleetpredict.core.predict;

import io.fleetpredict.core.event.TimeWindow;
import io.fleetpredict.forecast.Forecast;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Edits of whole forecasts over time windows: a shift inside a window, a cut to common steps. */
final class ForecastWindows {

    private ForecastWindows() {
    }

    /** Adds {@code add} to the mean, the median and every interval bound at the steps inside {@code w}. */
    static Forecast shifted(Forecast f, TimeWindow w, double add) {
        double[] mean = f.mean();
        double[] median = f.median();
        double[] lv = f.levels();
        double[][] lo = new double[lv.length][];
        double[][] hi = new double[lv.length][];
        for (int l = 0; l < lv.length; l++) {
            lo[l] = f.lower(lv[l]);
            hi[l] = f.upper(lv[l]);
        }
        for (int i = 0; i < mean.length; i++) {
            if (w.contains(f.start().plus(f.step().multipliedBy(i)))) {
                mean[i] += add;
                median[i] += add;
                for (int l = 0; l < lv.length; l++) {
                    lo[l][i] += add;
                    hi[l][i] += add;
                }
            }
        }
        // The limit holds at every step: the steps outside the window keep it, those inside move by add.
        Forecast.Builder b = Forecast.builder(f.model(), f.start(), f.step(), mean).median(median)
                .lowerLimit(f.lowerLimit() + Math.min(0, add));
        for (int l = 0; l < lv.length; l++) {
            b.interval(lv[l], lo[l], hi[l]);
        }
        return b.build();
    }

    /** Cuts the activity forecasts to the steps they all cover. */
    static Map<String, Forecast> aligned(Map<String, Forecast> fs) {
        Instant start = Instant.MIN;
        Instant end = Instant.MAX;
        for (Forecast f : fs.values()) {
            start = f.start().isAfter(start) ? f.start() : start;
            Instant e = f.start().plus(f.step().multipliedBy(f.horizon()));
            end = e.isBefore(end) ? e : end;
        }
        Map<String, Forecast> out = new LinkedHashMap<>();
        for (Map.Entry<String, Forecast> e : fs.entrySet()) {
            Forecast f = e.getValue();
            int from = (int) Duration.between(f.start(), start).dividedBy(f.step());
            int to = (int) Duration.between(f.start(), end).dividedBy(f.step());
            out.put(e.getKey(), from == 0 && to == f.horizon() ? f : slice(f, from, to));
        }
        return out;
    }

    private static Forecast slice(Forecast f, int from, int to) {
        double[] mean = Arrays.copyOfRange(f.mean(), from, to);
        Forecast.Builder b = Forecast.builder(f.model(), f.start().plus(f.step().multipliedBy(from)), f.step(), mean)
                .median(Arrays.copyOfRange(f.median(), from, to)).lowerLimit(f.lowerLimit());
        for (double l : f.levels()) {
            b.interval(l, Arrays.copyOfRange(f.lower(l), from, to), Arrays.copyOfRange(f.upper(l), from, to));
        }
        return b.build();
    }
}
