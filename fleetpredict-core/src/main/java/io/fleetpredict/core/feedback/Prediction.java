package io.fleetpredict.core.feedback;

import io.fleetpredict.forecast.Forecast;
import java.util.Objects;

/**
 * A forecast from a {@link Retrainer}, with whether it comes from the reactive-only fallback.
 *
 * @param forecast the forecast, every value finite
 * @param model the description of the model that made it
 * @param reactiveOnly {@code true} when no trained model is healthy and a naive forecast of the recent
 *     history stands in: a plan built on it only reacts to demand already seen
 */
public record Prediction(Forecast forecast, String model, boolean reactiveOnly) {
    /** Validates. */
    public Prediction {
        Objects.requireNonNull(forecast, "forecast");
        Objects.requireNonNull(model, "model");
    }
}
