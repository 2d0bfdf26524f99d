package io.fleetpredict.forecast;

import java.util.function.ToDoubleFunction;

/** A score read from an {@link Accuracy}, to rank models by; for each, lower is better. */
public enum Metric {
    /** {@link Accuracy#smape()}. */
    SMAPE(Accuracy::smape),
    /** {@link Accuracy#mase()}. */
    MASE(Accuracy::mase),
    /** {@link Accuracy#msis()}; {@code NaN} for forecasts without the scored interval. */
    MSIS(Accuracy::msis),
    /** {@link Accuracy#mape()}. */
    MAPE(Accuracy::mape),
    /** {@link Accuracy#mae()}. */
    MAE(Accuracy::mae),
    /** {@link Accuracy#rmse()}. */
    RMSE(Accuracy::rmse),
    /** The absolute value of {@link Accuracy#bias()}. */
    ABS_BIAS(a -> Math.abs(a.bias())),
    /** The distance of {@link Accuracy#coverage()} from the nominal level, as M4's ACD. */
    COVERAGE_GAP(a -> Math.abs(a.coverage() - a.level() / 100));

    private final ToDoubleFunction<Accuracy> read;

    Metric(ToDoubleFunction<Accuracy> read) {
        this.read = read;
    }

    /**
     * Reads this score.
     *
     * @param accuracy the scores of one forecast
     * @return this metric's value
     */
    public double of(Accuracy accuracy) {
        return read.applyAsDouble(accuracy);
    }
}
