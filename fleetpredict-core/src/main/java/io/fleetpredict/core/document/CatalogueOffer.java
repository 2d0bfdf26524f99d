package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An instance type offered in a region, with its capacity, prices and behaviour.
 *
 * @param instanceType the instance type, for example {@code "m6i.xlarge"}
 * @param family the instance family, for example {@code "m6i"}
 * @param region the region
 * @param cpuCores cores per instance, positive
 * @param memoryGiB memory per instance in GiB, positive
 * @param bandwidthGbps network bandwidth per instance in Gbps, positive
 * @param storageGiB local storage per instance in GiB, not negative
 * @param onDemandPricePerHour the on-demand price per hour, above 0: the planner buys the cheapest cover, so an
 *     offer of no price cannot be planned with (capacity already paid for is a reserved instance group of the
 *     fleet state)
 * @param spotPricePerHour the spot price per hour (above 0), or {@code null} when spot is not offered
 * @param interruptionRatePerHour the chance per hour that a spot instance is reclaimed, 0 to 1
 * @param bootTime how long an instance takes from launch to serving, not negative
 */
public record CatalogueOffer(
        String instanceType,
        String family,
        String region,
        double cpuCores,
        double memoryGiB,
        double bandwidthGbps,
        double storageGiB,
        double onDemandPricePerHour,
        @Nullable Double spotPricePerHour,
        double interruptionRatePerHour,
        Duration bootTime) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a value is outside its range
     */
    public CatalogueOffer {
        Checks.text("instanceType", instanceType);
        Checks.text("family", family);
        Checks.text("region", region);
        Checks.positive("cpuCores", cpuCores);
        Checks.positive("memoryGiB", memoryGiB);
        Checks.positive("bandwidthGbps", bandwidthGbps);
        Checks.nonNegative("storageGiB", storageGiB);
        Checks.positive("onDemandPricePerHour", onDemandPricePerHour);
        if (spotPricePerHour != null) {
            Checks.positive("spotPricePerHour", spotPricePerHour);
        }
        Checks.between("interruptionRatePerHour", interruptionRatePerHour, 0.0, 1.0);
        Checks.nonNegative("bootTime", bootTime);
    }
}
