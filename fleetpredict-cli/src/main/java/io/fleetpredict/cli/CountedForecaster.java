package io.fleetpredict.cli;

import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Regressors;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;

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
     * Gives each default horizon of the predictor its default forecaster ({@link Predictor#defaultForecaster}),
     * counted.
     */
    static Predictor.Builder countFits(Predictor.Builder builder, Duration historyStep, Progress progress) {
        for (HorizonSpec spec : HorizonSpec.defaults()) {
            Duration step;
            try {
                step = spec.stepFor(historyStep);
            } catch (IllegalArgumentException e) {
                continue; // left to the predictor, whose fit says what is wrong
            }
            builder.forecaster(spec.horizon(), new CountedForecaster(Predictor.defaultForecaster(step), progress));
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
