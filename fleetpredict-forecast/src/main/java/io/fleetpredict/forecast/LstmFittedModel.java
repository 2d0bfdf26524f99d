package io.fleetpredict.forecast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An LSTM model with the history it forecasts from; {@link #update} keeps the weights. */
final class LstmFittedModel extends AbstractFittedModel {

    private final LstmModel model;
    /** The regressors over the history; null for a model without regressors. */
    private final @Nullable Regressors past;

    LstmFittedModel(Forecaster forecaster, LstmModel model, TimeSeries history, @Nullable Regressors past) {
        super(forecaster, history);
        this.model = model;
        this.past = past;
    }

    @Override
    public java.util.List<String> regressorNames() {
        return model.regressorNames();
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "%s quantiles %s, %d parameters, best epoch %d, validation pinball %.5f",
                model.name(), model.config().quantiles(), model.parameterCount(), model.epochs(),
                model.validationLoss());
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("parameterCount", (double) model.parameterCount());
        p.put("epochs", (double) model.epochs());
        p.put("validationLoss", model.validationLoss());
        return Collections.unmodifiableMap(p);
    }

    @Override
    Forecast forecastAhead(int horizon, double[] levels) {
        return model.forecast(history, horizon, levels);
    }

    @Override
    public Forecast forecast(int horizon, Regressors future, double... levels) {
        if (past == null) {
            return super.forecast(horizon, future, levels);
        }
        return model.forecast(history, past, future, horizon, levels);
    }

    @Override
    public FittedModel update(TimeSeries next) {
        if (past != null) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "this LSTM was fitted with regressors %s: pass their values to update(next, nextRegressors)",
                    past.names()));
        }
        return new LstmFittedModel(forecaster(), model, history.append(next), null);
    }

    @Override
    public FittedModel update(TimeSeries next, Regressors nextRegressors) {
        if (past == null) {
            return super.update(next, nextRegressors);
        }
        nextRegressors.requireAligned(next);
        return new LstmFittedModel(forecaster(), model, history.append(next), past.append(nextRegressors));
    }

    /** @return the weights */
    LstmModel model() {
        return model;
    }
}
