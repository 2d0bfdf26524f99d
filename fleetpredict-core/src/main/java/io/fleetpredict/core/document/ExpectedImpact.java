package io.fleetpredict.core.document;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.internal.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The expected effect of an event: exactly one of the four components is present.
 *
 * <p>Campaigns and news carry a {@code demand_multiplier} (1.5 = half as much demand again) or an
 * {@code additive_uplift} (resources needed on top of the forecast). Maintenance carries
 * {@code capacity_removed} (resources) or {@code instances_removed}.
 *
 * @param demandMultiplier the demand multiplier, positive, or {@code null}
 * @param additiveUplift extra resources needed, or {@code null}
 * @param capacityRemoved resources taken out of service, or {@code null}
 * @param instancesRemoved instances taken out of service (at least 1), or {@code null}
 */
public record ExpectedImpact(
        @Nullable Double demandMultiplier,
        @Nullable List<ResourceAmount> additiveUplift,
        @Nullable List<ResourceAmount> capacityRemoved,
        @Nullable Integer instancesRemoved) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when not exactly one component is present, or it is out of range
     */
    public ExpectedImpact {
        int present = (demandMultiplier != null ? 1 : 0) + (additiveUplift != null ? 1 : 0)
                + (capacityRemoved != null ? 1 : 0) + (instancesRemoved != null ? 1 : 0);
        if (present != 1) {
            throw new IllegalArgumentException(
                    "expectedImpact: exactly one of demand_multiplier, additive_uplift, capacity_removed,"
                            + " instances_removed must be given, found " + present);
        }
        if (demandMultiplier != null) {
            Checks.positive("demandMultiplier", demandMultiplier);
        }
        if (additiveUplift != null) {
            additiveUplift = Checks.amounts("additiveUplift", additiveUplift);
        }
        if (capacityRemoved != null) {
            capacityRemoved = Checks.amounts("capacityRemoved", capacityRemoved);
        }
        if (instancesRemoved != null) {
            Checks.atLeast("instancesRemoved", instancesRemoved, 1);
        }
    }

    /**
     * Returns whether this impact describes extra demand (multiplier or uplift) rather than lost capacity.
     *
     * @return {@code true} for a demand multiplier or additive uplift
     */
    public boolean raisesDemand() {
        return demandMultiplier != null || additiveUplift != null;
    }
}
