package io.fleetpredict.forecast;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The LSTM as a {@link Forecaster}: either trained on each series it fits (local), or holding weights
 * trained elsewhere (for example across many series), in which case fitting only reads the series.
 */
final class LstmForecaster implements Forecaster {

    private final LstmConfig config;
    /** Null for a local forecaster, which trains on the series given to {@link #fit}. */
    private final LstmModel pretrained;

    LstmForecaster(LstmConfig config, LstmModel pretrained) {
        this.config = Objects.requireNonNull(config, "config");
        this.pretrained = pretrained;
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
        if (pretrained != null) {
            if (series.size() < config.inputWindow()) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "the LSTM reads the last %d values (inputWindow), the series has %d",
                        config.inputWindow(), series.size()));
            }
            return new LstmFittedModel(this, pretrained, series);
        }
        int need = config.inputWindow() + config.horizon();
        if (series.size() < need) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "training an LSTM needs at least inputWindow + horizon = %d + %d = %d values, the series has %d",
                    config.inputWindow(), config.horizon(), need, series.size()));
        }
        return new LstmFittedModel(this, LstmModel.trainGlobal(List.of(series), config), series);
    }

    @Override
    public String toString() {
        return name();
    }
}
