package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a provisional fleet state was computed from.
 *
 * <p>JSON: {@code {"predicted_timestamp", "horizon" (optional), "fleet_version", "catalogue" (optional),
 * "sla_policies" (optional)}}, the last two {@link InputDigest} objects {@code {"sha256", "source"
 * (optional)}}. Documents written before the digests existed have neither; the projection engine
 * always writes both.
 *
 * @param predictedTimestamp the {@code timestamp} of the predicted fleet state used
 * @param horizon its horizon, or {@code null} when it had none
 * @param fleetVersion the {@code version} of the fleet state used, not negative
 * @param catalogue the instance catalogue (the offers) used, or {@code null} when not recorded
 * @param slaPolicies the SLA policies used, or {@code null} when not recorded
 */
public record PlanBasis(Instant predictedTimestamp, @Nullable Horizon horizon, long fleetVersion, @Nullable InputDigest catalogue,
        @Nullable InputDigest slaPolicies) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the fleet version is negative
     */
    public PlanBasis {
        Checks.documentInstant("predictedTimestamp", predictedTimestamp);
        Checks.nonNegative("fleetVersion", fleetVersion);
    }

    /**
     * Creates a basis that does not record the catalogue or the policies.
     *
     * @param predictedTimestamp the {@code timestamp} of the predicted fleet state used
     * @param horizon its horizon, or {@code null} when it had none
     * @param fleetVersion the {@code version} of the fleet state used, not negative
     * @return the basis, with {@code catalogue} and {@code slaPolicies} absent
     */
    public static PlanBasis of(Instant predictedTimestamp, @Nullable Horizon horizon, long fleetVersion) {
        return new PlanBasis(predictedTimestamp, horizon, fleetVersion, null, null);
    }
}
