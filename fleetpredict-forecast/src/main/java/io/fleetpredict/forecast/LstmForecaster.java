package io.fleetpredict.forecast;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The LSTM as a {@link Forecaster}: either trained on each series it fits (local), or holding weights
 * trained elsewhere (for example across many series), in which case fitting only reads the series.
 */
final class LstmForecaster implements Forecaster {

    private final LstmConfig config;
    /** Null for a local forecaster, which trains on the series given to {@link #fit}. */
    private final @Nullable LstmModel pretrained;

    LstmForecaster(LstmConfig config, @Nullable LstmModel pretrained) {
        this.config = Objects.requireNonNull(config, "config");
        this.pretrained = pretrained;
    }

    @Override
    public boolean trainedBeforeFit() {
        return pretrained != null;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "%s(window=%d, hidden=%d, layers=%d)",
                pretrained == null ? "lstm" : "lstm-pretrained", config.inputWindow(), config.hiddenSize(),
                config.layers());
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        Objects.requireNonNull(series, "series");
        if (pretrained != null && !pretrained.regressorNames().isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "this LSTM was trained with regressors %s: fit with fit(series, past)",
                    pretrained.regressorNames()));
        }
        return fitWith(series, null);
    }

    /**
     * With regressors: a local forecaster trains with them as inputs; a pretrained one needs the regressors
     * it was trained with.
     */
    @Override
    public FittedModel fit(TimeSeries series, Regressors past) {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(past, "past");
        past.requireAligned(series);
        if (past.count() == 0 && (pretrained == null || pretrained.regressorNames().isEmpty())) {
            return fit(series);
        }
        if (pretrained != null && !pretrained.regressorNames().equals(past.names())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "regressors %s given, the LSTM was trained with %s", past.names(),
                    pretrained.regressorNames()));
        }
        return fitWith(series, past);
    }

    /** Reads the series with the pretrained weights, or trains on it; {@code past} is null without regressors. */
    private FittedModel fitWith(TimeSeries series, @Nullable Regressors past) {
        if (pretrained != null) {
            if (series.size() < config.inputWindow()) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "the LSTM reads the last %d values (inputWindow), the series has %d",
                        config.inputWindow(), series.size()));
            }
            return new LstmFittedModel(this, pretrained, series, past);
        }
        int need = config.inputWindow() + config.horizon();
        if (series.size() < need) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "training an LSTM needs at least inputWindow + horizon = %d + %d = %d values, the series has %d",
                    config.inputWindow(), config.horizon(), need, series.size()));
        }
        LstmModel model = past == null ? LstmModel.trainGlobal(List.of(series), config)
                : LstmModel.trainGlobal(List.of(series), List.of(past), config);
        return new LstmFittedModel(this, model, series, past);
    }

    @Override
    public boolean acceptsRegressors() {
        return true;
    }

    @Override
    public String toString() {
        return name();
    }
}
