package io.fleetpredict.cli;

import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.Regressors;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A forecaster that advances a progress by one each time the forecaster it wraps has fitted a series, so a
 * prediction over many series shows its models being fitted one by one. Fits exactly as the wrapped one.
 */
final class CountedForecaster implements Forecaster {

    private final Forecaster forecaster;
    private final Progress progress;

    CountedForecaster(Forecaster forecaster, Progress progress) {
        this.forecaster = forecaster;
        this.progress = progress;
    }

    /**
     * Gives each default horizon of the predictor its default forecaster, counted: MSTL with the daily and weekly
     * periods the horizon's step divides, or automatic ETS where neither does, as {@link Predictor.Builder#forecaster}
     * documents (a test checks the predictions are the same as without it).
     */
    static Predictor.Builder countFits(Predictor.Builder builder, Duration historyStep, Progress progress) {
        for (HorizonSpec spec : HorizonSpec.defaults()) {
            Duration step;
            try {
                step = spec.stepFor(historyStep);
            } catch (IllegalArgumentException e) {
                continue; // left to the predictor, whose fit says what is wrong
            }
            List<Integer> periods = new ArrayList<>();
            for (Duration cycle : List.of(Duration.ofDays(1), Duration.ofDays(7))) {
                long p = cycle.dividedBy(step);
                if (p >= 2 && step.multipliedBy(p).equals(cycle)) {
                    periods.add((int) p);
                }
            }
            Forecaster f = periods.isEmpty() ? Forecasters.ets(1)
                    : Forecasters.mstl(periods.stream().mapToInt(Integer::intValue).toArray());
            builder.forecaster(spec.horizon(), new CountedForecaster(f, progress));
        }
        return builder;
    }

    @Override
    public String name() {
        return forecaster.name();
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        FittedModel m = forecaster.fit(series);
        progress.advance(1);
        return m;
    }

    @Override
    public FittedModel fit(TimeSeries series, Regressors past) {
        FittedModel m = forecaster.fit(series, past);
        progress.advance(1);
        return m;
    }

    @Override
    public boolean acceptsRegressors() {
        return forecaster.acceptsRegressors();
    }
}
