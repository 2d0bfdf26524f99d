package io.fleetpredict.core.projection;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.internal.Hours;
import java.time.Duration;
import java.util.Locale;

/**
 * One way to buy one instance: an instance type in a region under one purchase option, with its
 * capacity and price. The same instance type sold on demand and as spot is two offers.
 *
 * @param instanceType the provider's name of the instance type, not blank
 * @param family the instance family (general purpose, memory optimised, ...), not blank
 * @param region the region the instance runs in, not blank
 * @param capacity what one instance provides; at least some CPU
 * @param purchaseOption on demand or spot
 * @param pricePerHour the price of one instance per hour, finite and positive
 * @param interruptionRatePerHour the expected number of interruptions per instance-hour, finite and
 *     non-negative, zero for on-demand
 * @param bootTime how long a replacement takes from request to serving, not negative
 */
public record CapacityOffer(String instanceType, String family, String region, ResourceVector capacity,
        PurchaseOption purchaseOption, double pricePerHour, double interruptionRatePerHour, Duration bootTime) {

    /**
     * Validates the offer.
     *
     * @throws IllegalArgumentException if a name is blank, the option is reserved, the capacity has
     *     no CPU, the price is not positive, the interruption rate is negative or non-zero for on-demand, or the boot time is negative
     * @throws NullPointerException if a component is null
     */
    public CapacityOffer {
        requireName("instanceType", instanceType);
        requireName("family", family);
        requireName("region", region);
        if (capacity == null) {
            throw new NullPointerException("capacity");
        }
        if (purchaseOption == null) {
            throw new NullPointerException("purchaseOption");
        }
        if (purchaseOption == PurchaseOption.RESERVED) {
            throw new IllegalArgumentException("purchaseOption of " + instanceType
                    + " is reserved: reserved capacity is planned from the fleet's groups, not bought from an offer");
        }
        if (bootTime == null) {
            throw new NullPointerException("bootTime");
        }
        if (!(capacity.cpuCores() > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "capacity.cpuCores of %s must be > 0, was %s", instanceType, capacity.cpuCores()));
        }
        if (!Double.isFinite(pricePerHour) || pricePerHour <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pricePerHour of %s must be finite and > 0, was %s", instanceType, pricePerHour));
        }
        if (!Double.isFinite(interruptionRatePerHour) || interruptionRatePerHour < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "interruptionRatePerHour of %s must be finite and >= 0, was %s",
                    instanceType, interruptionRatePerHour));
        }
        if (!purchaseOption.interruptible() && interruptionRatePerHour != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "interruptionRatePerHour of %s must be 0 for %s, was %s",
                    instanceType, purchaseOption, interruptionRatePerHour));
        }
        if (bootTime.isNegative()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "bootTime of %s must not be negative, was %s", instanceType, bootTime));
        }
    }

    /**
     * Creates an on-demand offer.
     *
     * @param instanceType the instance type
     * @param family the instance family
     * @param region the region
     * @param capacity what one instance provides
     * @param pricePerHour the on-demand price per instance-hour
     * @param bootTime how long an instance takes to start serving
     * @return the offer
     */
    public static CapacityOffer onDemand(String instanceType, String family, String region, ResourceVector capacity,
            double pricePerHour, Duration bootTime) {
        return new CapacityOffer(instanceType, family, region, capacity, PurchaseOption.ON_DEMAND, pricePerHour, 0,
                bootTime);
    }

    /**
     * Creates a spot offer.
     *
     * @param instanceType the instance type
     * @param family the instance family
     * @param region the region
     * @param capacity what one instance provides
     * @param pricePerHour the spot price per instance-hour
     * @param interruptionRatePerHour expected interruptions per instance-hour
     * @param bootTime how long a replacement takes to start serving
     * @return the offer
     */
    public static CapacityOffer spot(String instanceType, String family, String region, ResourceVector capacity,
            double pricePerHour, double interruptionRatePerHour, Duration bootTime) {
        return new CapacityOffer(instanceType, family, region, capacity, PurchaseOption.SPOT, pricePerHour,
                interruptionRatePerHour, bootTime);
    }

    /**
     * Returns the expected cost of running one instance for an hour, interruptions included.
     *
     * <p>With price {@code p}, interruption rate {@code λ} per hour, boot time {@code b} in hours and
     * the service's interruption penalty {@code π} per hour of exposure:
     * <pre>{@code expected = p + λ · b · (p + π)}</pre>
     * Each interruption costs a replacement that is paid for {@code b} hours before it serves
     * ({@code p · b}) and leaves the service short of the instance for those {@code b} hours
     * ({@code π · b}). For on-demand {@code λ = 0}, so the expected cost is the price.
     *
     * @param interruptionPenaltyPerHour the service's cost per hour of running short, finite and non-negative
     * @return the expected cost per instance-hour
     */
    public double expectedCostPerHour(double interruptionPenaltyPerHour) {
        if (!Double.isFinite(interruptionPenaltyPerHour) || interruptionPenaltyPerHour < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "interruptionPenaltyPerHour must be finite and >= 0, was %s", interruptionPenaltyPerHour));
        }
        double bootHours = Hours.of(bootTime);
        return pricePerHour + interruptionRatePerHour * bootHours * (pricePerHour + interruptionPenaltyPerHour);
    }

    private static void requireName(String name, String value) {
        if (value == null) {
            throw new NullPointerException(name);
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
