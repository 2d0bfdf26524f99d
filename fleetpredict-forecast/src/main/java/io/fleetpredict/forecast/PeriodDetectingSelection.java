package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Automatic forecasting when the caller names no seasonal period: each fit finds the periods of the
 * series it is given ({@link SeasonalPeriods#detect}) and fits the automatic selection at those periods
 * ({@code {1}} when none is found). The plan is the caller's, or else two first periods as
 * {@link Forecasters#auto(int...)} chooses it.
 */
final class PeriodDetectingSelection implements Forecaster {

    private final @Nullable CrossValidation plan;
    private final List<Forecaster> extraCandidates;

    /** @param plan the cross-validation plan, or null for the default of the periods found */
    PeriodDetectingSelection(@Nullable CrossValidation plan, List<Forecaster> extraCandidates) {
        this.plan = plan;
        this.extraCandidates = List.copyOf(extraCandidates);
    }

    @Override
    public boolean trainedBeforeFit() {
        return extraCandidates.stream().anyMatch(Forecaster::trainedBeforeFit);
    }

    @Override
    public String name() {
        StringBuilder sb = new StringBuilder("auto");
        extraCandidates.forEach(c -> sb.append('+').append(c.name()));
        return sb.toString();
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return fitReporting(series, FitProgress.NONE);
    }

    @Override
    public FittedModel fitReporting(TimeSeries series, FitProgress progress) {
        return PowerOfTwoUnit.fit(this, series, s -> fitInUnit(s, progress));
    }

    /** The periods found and the selection at them, on a series in an ordinary unit ({@link PowerOfTwoUnit}). */
    private FittedModel fitInUnit(TimeSeries series, FitProgress progress) {
        SeasonalPeriods found = SeasonalPeriods.detect(series);
        int[] periods = found.orNone();
        CrossValidation cv = plan != null ? plan : CrossValidation.of(periods[0] > 1 ? (int) Math.min(2L * periods[0], Integer.MAX_VALUE) : 8);
        return new Fitted(this, found, Forecasters.auto(cv, extraCandidates, periods).fitReporting(series, progress));
    }

    /** The selection fitted at the periods found, with the periods said in its description. */
    private static final class Fitted implements FittedModel {
        private final PeriodDetectingSelection spec;
        private final SeasonalPeriods found;
        private final FittedModel selection;

        Fitted(PeriodDetectingSelection spec, SeasonalPeriods found, FittedModel selection) {
            this.spec = spec;
            this.found = found;
            this.selection = selection;
        }

        @Override
        public Forecaster forecaster() {
            return spec;
        }

        @Override
        public String description() {
            return (found.periods().isEmpty() ? "no seasonal period found; " : "periods " + found.periods()
                    .stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + " found; ") + selection.description();
        }

        @Override
        public List<String> notes() {
            List<String> all = new ArrayList<>();
            all.add(found.description());
            all.addAll(selection.notes());
            return List.copyOf(all);
        }

        @Override
        public Map<String, Double> parameters() {
            return selection.parameters();
        }

        @Override
        public TimeSeries history() {
            return selection.history();
        }

        @Override
        public Forecast forecast(int horizon, double... levels) {
            return selection.forecast(horizon, levels);
        }

        @Override
        public FittedModel update(TimeSeries next) {
            return new Fitted(spec, found, selection.update(next));
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
