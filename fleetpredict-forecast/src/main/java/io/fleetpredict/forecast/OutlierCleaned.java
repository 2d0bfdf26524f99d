package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A model fitted to its series with the outliers replaced, as R's {@code tsclean} replaces them: one gross
 * value (a glitch of the metric, a counter reset) would otherwise pull every model's level, trend and spread.
 * The replacements are listed in the fitted model's notes.
 */
final class OutlierCleaned implements Forecaster {

    private final Forecaster model;
    private final int[] periods;

    OutlierCleaned(Forecaster model, int[] periods) {
        this.model = Objects.requireNonNull(model, "model");
        this.periods = periods.clone();
    }

    @Override
    public boolean trainedBeforeFit() {
        return model.trainedBeforeFit();
    }

    @Override
    public String name() {
        return "cleaned(" + model.name() + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return fitReporting(series, FitProgress.NONE);
    }

    /** Screens and fits the series in the unit its values need ({@link PowerOfTwoUnit}). */
    @Override
    public FittedModel fitReporting(TimeSeries series, FitProgress progress) {
        return PowerOfTwoUnit.fit(this, series, s -> {
            List<Outlier> found = Outliers.find(s, periods);
            return new Fitted(this, model.fitReporting(Outliers.replace(s, found), progress), found);
        });
    }

    private static final class Fitted implements FittedModel, PowerOfTwoUnit.Likelihood {
        private final OutlierCleaned spec;
        private final FittedModel inner;
        private final List<Outlier> replaced;

        Fitted(OutlierCleaned spec, FittedModel inner, List<Outlier> replaced) {
            this.spec = spec;
            this.inner = inner;
            this.replaced = List.copyOf(replaced);
        }

        @Override
        public Forecaster forecaster() {
            return spec;
        }

        @Override
        public String description() {
            return String.format(Locale.ROOT, "%d outlier%s replaced; %s", replaced.size(),
                    replaced.size() == 1 ? "" : "s", inner.description());
        }

        @Override
        public List<String> notes() {
            if (replaced.isEmpty()) {
                return inner.notes();
            }
            List<String> notes = new ArrayList<>(inner.notes());
            notes.add("outliers replaced (index (time): value -> replacement): " + Outliers.describe(replaced));
            return List.copyOf(notes);
        }

        @Override
        public Map<String, Double> parameters() {
            return inner.parameters();
        }

        @Override
        public int likelihoodObservations(String key) {
            return inner instanceof PowerOfTwoUnit.Likelihood l ? l.likelihoodObservations(key) : -1;
        }

        /** The series the model was fitted to: the outliers replaced. */
        @Override
        public TimeSeries history() {
            return inner.history();
        }

        @Override
        public Forecast forecast(int horizon, double... levels) {
            return inner.forecast(horizon, levels);
        }

        /**
         * Screens the new values in the context of the history (already cleaned) and passes them on with their
         * outliers replaced; the parameters are kept, so values of the history are not screened again.
         */
        @Override
        public FittedModel update(TimeSeries next) {
            TimeSeries history = inner.history();
            double[] past = history.values();
            double[] all = Arrays.copyOf(past, past.length + next.size());
            System.arraycopy(next.values(), 0, all, past.length, next.size());
            TimeSeries joined = TimeSeries.of(history.start(), history.step(), all);
            List<Outlier> fresh = new ArrayList<>();
            List<Outlier> inNext = new ArrayList<>();
            for (Outlier o : Outliers.find(joined, spec.periods)) {
                if (o.index() >= past.length) {
                    fresh.add(o);
                    inNext.add(new Outlier(o.index() - past.length, o.time(), o.value(), o.replacement()));
                }
            }
            List<Outlier> replacedNow = new ArrayList<>(replaced);
            replacedNow.addAll(fresh);
            return new Fitted(spec, inner.update(Outliers.replace(next, inNext)), replacedNow);
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
