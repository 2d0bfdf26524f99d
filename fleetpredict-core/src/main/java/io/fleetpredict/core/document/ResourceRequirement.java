package io.fleetpredict.core.document;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.internal.Checks;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A predicted need for one resource, with optional quantiles in the same unit.
 *
 * <p>JSON: {@code {"resource_type": "CPU", "quantity": 100, "units": "cores", "p50": 90, "p90": 100,
 * "p99": 120}}; the quantiles are optional.
 *
 * @param resourceType the resource type
 * @param quantity the amount needed, finite and not negative
 * @param units the unit of {@code quantity} and the quantiles; must measure {@code resourceType}
 * @param p50 the median, or {@code null} when absent
 * @param p90 the 90th percentile, or {@code null} when absent
 * @param p99 the 99th percentile, or {@code null} when absent
 */
public record ResourceRequirement(
        ResourceType resourceType, double quantity, ResourceUnit units, @Nullable Double p50, @Nullable Double p90, @Nullable Double p99) {

    /**
     * Validates the requirement.
     *
     * @throws IllegalArgumentException when an amount is negative or not finite, the unit does not
     *     measure the type, or present quantiles are not ordered p50 &le; p90 &le; p99
     */
    public ResourceRequirement {
        new ResourceAmount(resourceType, quantity, units);
        Double previous = null;
        String previousName = "";
        String[] names = {"p50", "p90", "p99"};
        Double[] values = {p50, p90, p99};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                continue;
            }
            Checks.nonNegative(names[i], values[i]);
            if (previous != null && values[i] < previous) {
                throw new IllegalArgumentException(Checks.fmt("%s: %s is below %s %s",
                        names[i], values[i], previousName, previous));
            }
            previous = values[i];
            previousName = names[i];
        }
    }

    /**
     * Creates a requirement without quantiles.
     *
     * @param amount the amount needed
     * @return the requirement
     */
    public static ResourceRequirement of(ResourceAmount amount) {
        Objects.requireNonNull(amount, "amount");
        return new ResourceRequirement(amount.type(), amount.amount(), amount.unit(), null, null, null);
    }

    /**
     * Returns the required quantity as an amount.
     *
     * @return the quantity in its unit
     */
    public ResourceAmount amount() {
        return new ResourceAmount(resourceType, quantity, units);
    }
}
