package io.fleetpredict.core.feedback;

import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.TimeSeries;
import java.util.Arrays;
import java.util.Map;

/** Forecasters and models that fail in chosen ways, wrapping real ones. */
final class FaultyModels {
    private FaultyModels() {}

    enum Fault { NONE, FIT_THROWS, NAN_FORECAST, UPDATE_THROWS, FORECAST_THROWS }

    /** A specification whose fitted models have {@code fault} (FIT_THROWS: fit itself throws). */
    static Forecaster faulty(String name, Forecaster delegate, Fault fault) {
        return new Forecaster() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public FittedModel fit(TimeSeries series) {
                if (fault == Fault.FIT_THROWS) {
                    throw new IllegalStateException(name + " cannot fit");
                }
                return wrap(this, delegate.fit(series), fault);
            }
        };
    }

    static FittedModel wrap(Forecaster spec, FittedModel model, Fault fault) {
        return new FittedModel() {
            @Override
            public Forecaster forecaster() {
                return spec;
            }

            @Override
            public String description() {
                return spec.name() + " over " + model.description();
            }

            @Override
            public Map<String, Double> parameters() {
                return model.parameters();
            }

            @Override
            public TimeSeries history() {
                return model.history();
            }

            @Override
            public Forecast forecast(int horizon, double... levels) {
                if (fault == Fault.FORECAST_THROWS) {
                    throw new IllegalStateException(spec.name() + " cannot forecast");
                }
                Forecast f = model.forecast(horizon, levels);
                if (fault == Fault.NAN_FORECAST) {
                    double[] nan = new double[horizon];
                    Arrays.fill(nan, Double.NaN);
                    return Forecast.builder(spec.name(), f.start(), f.step(), nan).build();
                }
                return f;
            }

            @Override
            public FittedModel update(TimeSeries next) {
                if (fault == Fault.UPDATE_THROWS) {
                    throw new IllegalStateException(spec.name() + " cannot update");
                }
                return wrap(spec, model.update(next), fault);
            }
        };
    }
}
