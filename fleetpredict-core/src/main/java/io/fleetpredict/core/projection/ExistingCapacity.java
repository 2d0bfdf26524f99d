package io.fleetpredict.core.projection;

import java.util.Locale;

/**
 * Instances the fleet already owns or has reserved and is not using, available to cover demand
 * before anything is bought. They are non-interruptible.
 *
 * @param instanceType the instance type, not blank
 * @param family the instance family, not blank
 * @param region the region, not blank
 * @param capacity what one instance provides
 * @param count how many idle instances there are, positive
 * @param marginalPricePerHour what using one costs per hour on top of what is paid anyway: zero for
 *     sunk or prepaid capacity; finite and non-negative
 */
public record ExistingCapacity(String instanceType, String family, String region, ResourceVector capacity,
        int count, double marginalPricePerHour) {

    /**
     * Validates the capacity.
     *
     * @throws IllegalArgumentException if a name is blank, the count is not positive or the price is
     *     negative or not finite
     * @throws NullPointerException if a component is null
     */
    public ExistingCapacity {
        for (String[] named : new String[][] {{"instanceType", instanceType}, {"family", family},
                {"region", region}}) {
            if (named[1] == null) {
                throw new NullPointerException(named[0]);
            }
            if (named[1].isBlank()) {
                throw new IllegalArgumentException(named[0] + " must not be blank");
            }
        }
        if (capacity == null) {
            throw new NullPointerException("capacity");
        }
        if (count <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "count of %s must be > 0, was %d", instanceType, count));
        }
        if (!Double.isFinite(marginalPricePerHour) || marginalPricePerHour < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "marginalPricePerHour of %s must be finite and >= 0, was %s", instanceType,
                    marginalPricePerHour));
        }
    }

    /**
     * Creates existing capacity.
     *
     * @param instanceType the instance type
     * @param family the instance family
     * @param region the region
     * @param capacity what one instance provides
     * @param count how many idle instances there are
     * @param marginalPricePerHour the marginal cost of using one per hour
     * @return the capacity
     */
    public static ExistingCapacity of(String instanceType, String family, String region, ResourceVector capacity,
            int count, double marginalPricePerHour) {
        return new ExistingCapacity(instanceType, family, region, capacity, count, marginalPricePerHour);
    }
}
