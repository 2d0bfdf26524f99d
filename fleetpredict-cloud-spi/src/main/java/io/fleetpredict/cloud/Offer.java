package io.fleetpredict.cloud;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An instance type a provider sells in a region, with its resources, prices and behaviour.
 *
 * <p>An implementer must return offers whose prices are what a launch of that offer will actually
 * bill ({@link Instance#pricePerHour()}), and at most one offer per instance type and region.
 *
 * @param instanceType the provider's name for the type, such as {@code m.xlarge}
 * @param family the family the type belongs to (types of one family differ only in size), such as
 *     {@code general-purpose}
 * @param region the region the offer is sold in
 * @param cpuCores the virtual CPU cores, positive
 * @param memoryGiB the memory in GiB, positive
 * @param bandwidthGbps the baseline network bandwidth in Gbit/s, positive
 * @param storageGiB the storage that comes with the instance in GiB, non-negative
 * @param onDemandPricePerHour the on-demand price per instance-hour, finite and positive
 * @param spotPricePerHour the current spot price per instance-hour, finite and positive, or empty
 *     when the offer cannot be bought as spot
 * @param interruptionRatePerHour the expected number of spot interruptions per instance-hour
 *     (a Poisson rate), finite and non-negative; zero when there is no spot price
 * @param bootTime the typical time from launch to {@link InstanceState#RUNNING}, positive and at most
 *     {@link Long#MAX_VALUE} nanoseconds (about 292 years)
 */
public record Offer(
        String instanceType,
        String family,
        String region,
        int cpuCores,
        double memoryGiB,
        double bandwidthGbps,
        double storageGiB,
        double onDemandPricePerHour,
        OptionalDouble spotPricePerHour,
        double interruptionRatePerHour,
        Duration bootTime) {

    /** The longest boot time: a long of nanoseconds. */
    private static final Duration LONGEST_BOOT = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * Validates the offer.
     *
     * @throws IllegalArgumentException if a number is out of range, a name is blank, or an offer
     *     without spot has a non-zero interruption rate
     */
    public Offer {
        Checks.nonBlank(instanceType, "instanceType");
        Checks.nonBlank(family, "family");
        Checks.nonBlank(region, "region");
        Checks.positive(cpuCores, "cpuCores");
        Checks.positive(memoryGiB, "memoryGiB");
        Checks.positive(bandwidthGbps, "bandwidthGbps");
        Checks.nonNegative(storageGiB, "storageGiB");
        Checks.positive(onDemandPricePerHour, "onDemandPricePerHour");
        Objects.requireNonNull(spotPricePerHour, "spotPricePerHour");
        if (spotPricePerHour.isPresent()) {
            Checks.positive(spotPricePerHour.getAsDouble(), "spotPricePerHour");
        }
        Checks.nonNegative(interruptionRatePerHour, "interruptionRatePerHour");
        if (spotPricePerHour.isEmpty() && interruptionRatePerHour != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "interruptionRatePerHour must be 0 for an offer without spot, was %s", interruptionRatePerHour));
        }
        Objects.requireNonNull(bootTime, "bootTime");
        if (bootTime.isZero() || bootTime.isNegative()) {
            throw new IllegalArgumentException("bootTime must be positive, was " + bootTime);
        }
        if (bootTime.compareTo(LONGEST_BOOT) > 0) {
            // Callers count boot in nanoseconds and add it to launch instants; beyond this neither works.
            throw new IllegalArgumentException("bootTime must be at most " + LONGEST_BOOT
                    + " (a long of nanoseconds), was " + bootTime);
        }
    }

    /**
     * Whether the offer can be bought as {@link PurchaseOption#SPOT}.
     *
     * @return {@code true} if there is a spot price
     */
    public boolean spotAvailable() {
        return spotPricePerHour.isPresent();
    }

    /**
     * The price per instance-hour for a purchase option.
     *
     * @param option how the instance is bought
     * @return the on-demand or spot price per hour
     * @throws IllegalArgumentException if {@code option} is spot and the offer has no spot price, or
     *     is reserved
     */
    public double pricePerHour(PurchaseOption option) {
        Objects.requireNonNull(option, "option");
        if (option == PurchaseOption.ON_DEMAND) {
            return onDemandPricePerHour;
        }
        if (option == PurchaseOption.RESERVED) {
            throw new IllegalArgumentException("offer " + instanceType + " in " + region
                    + " has no reserved price: reservations are paid in advance, not by the hour of an offer");
        }
        return spotPricePerHour.orElseThrow(() -> new IllegalArgumentException(
                "offer " + instanceType + " in " + region + " has no spot price"));
    }
}
