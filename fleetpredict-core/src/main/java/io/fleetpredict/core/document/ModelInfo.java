package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The model that produced a prediction.
 *
 * <p>In JSON either a plain string (the name) or an object {@code {"name": ..., "parameters": {...}}}
 * whose parameters are strings, numbers or booleans. A model without parameters is written as the
 * plain string when {@code parameters} is {@code null}, as an object otherwise.
 *
 * @param name the model name, for example {@code "ets(A,A,N)"}
 * @param parameters parameter values (each a {@link String}, {@link Boolean}, {@link Long} or
 *     {@link BigDecimal}), in order; {@code null} for the plain-string form
 */
public record ModelInfo(String name, @Nullable Map<String, Object> parameters) {

    /**
     * The name of the loop's near-term forecast: its requirements are already at the level the service's
     * SLA target calls for, so the projection takes their {@code quantity} as it is, with no quantile or
     * headroom of its own. Its parameter {@link #DECISION_INTERVAL} says how soon the loop decides again.
     */
    public static final String NEAR_TERM = "fleetpredict-near-term";

    /**
     * The parameter of a {@link #NEAR_TERM} prediction holding the time to the loop's next decision (an ISO-8601
     * duration): capacity for a step a launch at that next decision still serves in time is left to it.
     */
    public static final String DECISION_INTERVAL = "decision_interval";

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when the name is blank or a parameter value has another type
     */
    public ModelInfo {
        Checks.text("name", name);
        if (parameters != null) {
            parameters = Checks.orderedMap("parameters", parameters);
            parameters.forEach((key, value) -> {
                Checks.text("parameters", key);
                if (!(value instanceof String || value instanceof Boolean || value instanceof Long
                        || value instanceof BigDecimal)) {
                    throw new IllegalArgumentException("parameters." + key
                            + ": must be a String, Boolean, Long or BigDecimal, was " + value.getClass().getName());
                }
            });
        }
    }

    /**
     * Creates the plain-string form.
     *
     * @param name the model name
     * @return the model info without parameters
     */
    public static ModelInfo named(String name) {
        return new ModelInfo(name, null);
    }
}
