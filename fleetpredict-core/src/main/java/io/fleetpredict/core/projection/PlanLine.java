package io.fleetpredict.core.projection;

import java.util.Locale;

/** One line of a service's capacity plan: a number of identical instances and what they cost. */
public sealed interface PlanLine permits PlanLine.Purchase, PlanLine.Reuse {

    /**
     * Returns the number of instances on this line.
     *
     * @return a positive count
     */
    int count();

    /**
     * Returns the expected cost per hour of all instances on this line.
     *
     * @return the expected cost per hour
     */
    double expectedCostPerHour();

    /**
     * Returns what all instances on this line are billed per hour: the price, without the interruption
     * penalty that {@link #expectedCostPerHour()} adds to rank spot offers (see
     * {@link CapacityOffer#expectedCostPerHour(double)}). Budgets and cost thresholds charge this figure.
     *
     * @return the price per hour, not negative
     */
    double pricePerHour();

    /**
     * Returns what all instances on this line provide together.
     *
     * @return the total capacity
     */
    ResourceVector capacity();

    /**
     * Tells whether the provider may interrupt these instances.
     *
     * @return true for spot purchases
     */
    boolean interruptible();

    /**
     * Instances to buy.
     *
     * @param offer the offer to buy from
     * @param count how many instances, positive
     * @param expectedCostPerHour {@code count} times the offer's expected cost per instance-hour
     */
    record Purchase(CapacityOffer offer, int count, double expectedCostPerHour) implements PlanLine {

        /**
         * Validates the line.
         *
         * @throws IllegalArgumentException if the count is not positive or the cost is negative or not finite
         */
        public Purchase {
            if (offer == null) {
                throw new NullPointerException("offer");
            }
            checkLine(count, expectedCostPerHour);
        }

        @Override
        public ResourceVector capacity() {
            return offer.capacity().times(count);
        }

        @Override
        public double pricePerHour() {
            return count * offer.pricePerHour();
        }

        @Override
        public boolean interruptible() {
            return offer.purchaseOption().interruptible();
        }
    }

    /**
     * Idle instances already owned or reserved, put to use.
     *
     * @param source the idle capacity they come from
     * @param count how many instances, positive and at most the source's count
     * @param expectedCostPerHour {@code count} times the source's marginal price per hour
     */
    record Reuse(ExistingCapacity source, int count, double expectedCostPerHour) implements PlanLine {

        /**
         * Validates the line.
         *
         * @throws IllegalArgumentException if the count is not positive or exceeds the source's, or the
         *     cost is negative or not finite
         */
        public Reuse {
            if (source == null) {
                throw new NullPointerException("source");
            }
            checkLine(count, expectedCostPerHour);
            if (count > source.count()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "count must be <= the %d idle %s, was %d", source.count(), source.instanceType(), count));
            }
        }

        @Override
        public ResourceVector capacity() {
            return source.capacity().times(count);
        }

        /** Reused capacity is never interrupted: its price is its expected cost, the marginal price. */
        @Override
        public double pricePerHour() {
            return expectedCostPerHour;
        }

        @Override
        public boolean interruptible() {
            return false;
        }
    }

    private static void checkLine(int count, double expectedCostPerHour) {
        if (count <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "count must be > 0, was %d", count));
        }
        if (!Double.isFinite(expectedCostPerHour) || expectedCostPerHour < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "expectedCostPerHour must be finite and >= 0, was %s", expectedCostPerHour));
        }
    }
}
