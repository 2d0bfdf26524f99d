package io.fleetpredict.core.document;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.internal.Checks;
import java.util.List;
import java.util.Objects;

/**
 * Identical instances of one type, region and purchase option serving a service.
 *
 * @param instanceType the instance type, for example {@code "m6i.xlarge"}
 * @param region the region, for example {@code "eu-west-1"}
 * @param purchaseOption how the instances are paid for
 * @param count how many instances, not negative
 * @param capacityPerInstance what one instance provides, not empty, at most one amount per resource type
 */
public record InstanceGroup(
        String instanceType,
        String region,
        PurchaseOption purchaseOption,
        int count,
        List<ResourceAmount> capacityPerInstance) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a rule in the class description is broken
     */
    public InstanceGroup {
        Checks.text("instanceType", instanceType);
        Checks.text("region", region);
        Objects.requireNonNull(purchaseOption, "purchaseOption");
        Checks.nonNegative("count", count);
        capacityPerInstance = Checks.amounts("capacityPerInstance", capacityPerInstance);
        if (capacityPerInstance.isEmpty()) {
            throw new IllegalArgumentException("capacityPerInstance: must not be empty");
        }
    }
}
