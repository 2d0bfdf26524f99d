package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RollingOriginSelection} fits: the chosen members whose forecasts it averages, the interval scale
 * and the cross-validation record.
 */
final class SelectedCombination extends AbstractFittedModel {
    private final RollingOriginSelection spec;
    private final List<FittedModel> members;
    private final double scale;
    /** The plan the members were chosen by; null for a fallback, which cross-validated nothing. */
    private final @Nullable CrossValidation cv;
    private final Map<String, Double> cvScores;
    private final Map<String, String> skipped;
    private final List<String> notes;

    SelectedCombination(RollingOriginSelection spec, TimeSeries history, List<FittedModel> members, double scale,
            @Nullable CrossValidation cv, Map<String, Double> cvScores, Map<String, String> skipped, List<String> notes) {
        super(spec, history);
        this.spec = spec;
        this.members = List.copyOf(members);
        this.scale = scale;
        this.cv = cv;
        this.cvScores = Collections.unmodifiableMap(new LinkedHashMap<>(cvScores));
        this.skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        this.notes = List.copyOf(notes);
    }

    /** @return the fitted members whose forecasts are averaged, best first */
    List<FittedModel> members() {
        return members;
    }

    /** @return the cross-validation score of each candidate scored, best first */
    Map<String, Double> cvScores() {
        return cvScores;
    }

    /** @return the candidates skipped, with the reason */
    Map<String, String> skipped() {
        return skipped;
    }

    /** @return the factor applied to the averaged interval half-widths */
    double scale() {
        return scale;
    }

    /**
     * One line: the models chosen, how, and the interval scale. The scores are in {@link #parameters()},
     * everything else in {@link #notes()}.
     */
    @Override
    public String description() {
        StringBuilder sb = new StringBuilder(spec.name()).append(": ");
        String chosen = members.stream().map(m -> m.forecaster().name()).collect(Collectors.joining(" and "));
        if (cv == null) {
            // The fallback's last note says why and what it fell back to.
            sb.append(notes.get(notes.size() - 1));
        } else {
            sb.append(members.size() > 1 ? "mean of " : "").append(chosen)
                    .append(String.format(Locale.ROOT, ", best of %d by cross-validation", cvScores.size()));
            if (scale != 1) {
                sb.append(String.format(Locale.ROOT, ", intervals x%.2f", scale));
            }
        }
        if (!skipped.isEmpty()) {
            sb.append(String.format(Locale.ROOT, ", %d skipped", skipped.size()));
        }
        return sb.toString();
    }

    @Override
    public List<String> notes() {
        List<String> all = new ArrayList<>();
        if (cv != null) {
            all.add(String.format(Locale.ROOT, "chosen by rolling-origin cross-validation on the training series "
                    + "(%d origins, horizon %d, stride %d); score: sMAPE and MASE relative to the median candidate, "
                    + "lower is better: %s", cv.origins(), cv.horizon(), cv.stride(),
                    cvScores.entrySet().stream()
                            .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue()))
                            .collect(Collectors.joining(", "))));
            if (members.size() > 1) {
                all.add(String.format(Locale.ROOT, "the forecasts of the models whose scores are within %.1f times "
                        + "the best are averaged", RollingOriginSelection.WITHIN));
            }
            if (scale != 1) {
                all.add(String.format(Locale.ROOT, "intervals scaled by %.3f to cover 95%% of the "
                        + "cross-validation errors", scale));
            }
        }
        skipped.forEach((k, v) -> all.add("skipped " + k + " (" + v + ")"));
        all.addAll(notes);
        for (FittedModel m : members) {
            all.add(m.forecaster().name() + ": " + m.description());
            m.notes().forEach(note -> all.add(m.forecaster().name() + ": " + note));
        }
        return List.copyOf(all);
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        for (FittedModel m : members) {
            p.put("weight." + m.forecaster().name(), 1.0 / members.size());
        }
        p.put("interval.scale", scale);
        cvScores.forEach((k, v) -> p.put("cv." + k, v));
        return Collections.unmodifiableMap(p);
    }

    @Override
    Forecast forecastAhead(int horizon, double[] levels) {
        Forecast[] fs = new Forecast[members.size()];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = members.get(i).forecast(horizon, levels);
        }
        double[] mean = RollingOriginSelection.meanOf(fs, Forecast::mean);
        Forecast.Builder b = Forecast.builder(description(), history.end(), history.step(), mean);
        for (double level : fs[0].levels()) {
            double[] lo = RollingOriginSelection.meanOf(fs, f -> f.lower(level));
            double[] hi = RollingOriginSelection.meanOf(fs, f -> f.upper(level));
            for (int t = 0; t < horizon; t++) {
                lo[t] = mean[t] - scale * (mean[t] - lo[t]);
                hi[t] = mean[t] + scale * (hi[t] - mean[t]);
            }
            b.interval(level, lo, hi);
        }
        return b.build();
    }

    @Override
    public FittedModel update(TimeSeries next) {
        List<FittedModel> updated = new ArrayList<>(members.size());
        for (FittedModel m : members) {
            updated.add(m.update(next));
        }
        return new SelectedCombination(spec, history.append(next), updated, scale, cv, cvScores, skipped, notes);
    }

    @Override
    public String toString() {
        return description();
    }
}
