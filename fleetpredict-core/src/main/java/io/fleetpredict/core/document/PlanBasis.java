package io.fleetpredict.core.document;

import java.time.Instant;
import java.util.Objects;

/**
 * What a provisional fleet state was computed from.
 *
 * <p>JSON: {@code {"predicted_timestamp", "horizon" (optional), "fleet_version"}}.
 *
 * @param predictedTimestamp the {@code timestamp} of the predicted fleet state used
 * @param horizon its horizon, or {@code null} when it had none
 * @param fleetVersion the {@code version} of the fleet state used, not negative
 */
public record PlanBasis(Instant predictedTimestamp, Horizon horizon, long fleetVersion) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the fleet version is negative
     */
    public PlanBasis {
        Objects.requireNonNull(predictedTimestamp, "predictedTimestamp");
        Checks.nonNegative("fleetVersion", fleetVersion);
    }
}
