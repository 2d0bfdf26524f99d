package io.fleetpredict.core.provision;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Limits no forecast, document or plan can exceed: a forecast of a million instances launches at most
 * these, a forecast of no demand at all releases at most these, and the report says which limit held
 * the change back. Only a {@link CapOverride}, which is logged and recorded in the audit log, raises them.
 *
 * @param maxInstancesPerCall the most instances one provision or release call may name, positive
 * @param maxInstancesPerWindow the most instances launched within any {@code window}, positive
 * @param window the sliding window of {@code maxInstancesPerWindow} and {@code maxReleasesPerWindow}, positive
 * @param maxFleetInstances the most instances the fleet may hold, launched and in flight together, positive
 * @param maxFleetCostPerHour the most the fleet may cost per hour at current prices, not negative (nor NaN):
 *     0 lets no launch that costs anything through, as a cost threshold of 0 does, and so does any cap below
 *     what the fleet already costs (the cap holds launches back; it releases nothing)
 * @param maxReleasesPerWindow the most instances released within any {@code window}, positive; it bounds
 *     how fast a wrong forecast can drain a fleet, and is half the launch limit by default because
 *     capacity released by mistake takes a boot time to come back
 */
public record HardCaps(int maxInstancesPerCall, int maxInstancesPerWindow, Duration window, int maxFleetInstances,
        double maxFleetCostPerHour, int maxReleasesPerWindow) {

    /** The limit that held a launch or a release back. */
    public enum Limit {
        /** {@link HardCaps#maxInstancesPerCall()}. */
        PER_CALL,
        /** {@link HardCaps#maxInstancesPerWindow()}. */
        PER_WINDOW,
        /** {@link HardCaps#maxFleetInstances()}. */
        FLEET_INSTANCES,
        /** {@link HardCaps#maxFleetCostPerHour()}. */
        FLEET_COST,
        /** {@link HardCaps#maxReleasesPerWindow()}. */
        RELEASES_PER_WINDOW,
        /**
         * Not a cap of this record but the SLA's on-demand base ({@code min_on_demand_count} of the
         * service's tier policy), which no release takes a service below.
         */
        ON_DEMAND_BASE
    }

    /**
     * Caps whose release limit is half the launch limit (at least 1).
     *
     * @param maxInstancesPerCall the most instances one provision or release call may name
     * @param maxInstancesPerWindow the most instances launched within any {@code window}
     * @param window the sliding window
     * @param maxFleetInstances the most instances the fleet may hold
     * @param maxFleetCostPerHour the most the fleet may cost per hour
     */
    public HardCaps(int maxInstancesPerCall, int maxInstancesPerWindow, Duration window, int maxFleetInstances,
            double maxFleetCostPerHour) {
        this(maxInstancesPerCall, maxInstancesPerWindow, window, maxFleetInstances, maxFleetCostPerHour,
                Math.max(1, maxInstancesPerWindow / 2));
    }

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a limit is not positive (the cost cap: negative or NaN)
     */
    public HardCaps {
        positive(maxInstancesPerCall, "maxInstancesPerCall");
        positive(maxInstancesPerWindow, "maxInstancesPerWindow");
        Objects.requireNonNull(window, "window");
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        positive(maxFleetInstances, "maxFleetInstances");
        if (!(maxFleetCostPerHour >= 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "maxFleetCostPerHour must not be negative, was %s", maxFleetCostPerHour));
        }
        positive(maxReleasesPerWindow, "maxReleasesPerWindow");
    }

    /**
     * Conservative defaults: 50 instances per call, 200 launched per hour, 1,000 in the fleet, 500 per hour
     * in cost, 100 released per hour.
     *
     * @return the defaults
     */
    public static HardCaps defaults() {
        return new HardCaps(50, 200, Duration.ofHours(1), 1_000, 500, 100);
    }

    /**
     * Starts from {@link #defaults()}, to change limits by name instead of by position. The release limit
     * stays half the launch limit (at least 1) unless set.
     *
     * <pre>{@code
     * HardCaps caps = HardCaps.builder().maxFleetInstances(11).maxFleetCostPerHour(50).build();
     * }</pre>
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder(defaults());
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be positive, was %d", name, value));
        }
    }

    /**
     * Builds {@link HardCaps} by name; each value is checked when {@link #build()} is called, by the
     * record's constructor. Not thread-safe.
     */
    public static final class Builder {
        private int maxInstancesPerCall;
        private int maxInstancesPerWindow;
        private Duration window;
        private int maxFleetInstances;
        private double maxFleetCostPerHour;
        private @Nullable Integer maxReleasesPerWindow;

        private Builder(HardCaps from) {
            this.maxInstancesPerCall = from.maxInstancesPerCall;
            this.maxInstancesPerWindow = from.maxInstancesPerWindow;
            this.window = from.window;
            this.maxFleetInstances = from.maxFleetInstances;
            this.maxFleetCostPerHour = from.maxFleetCostPerHour;
            // Half the launch limit follows a changed launch limit unless the release limit was set apart.
            this.maxReleasesPerWindow = from.maxReleasesPerWindow == Math.max(1, from.maxInstancesPerWindow / 2)
                    ? null : from.maxReleasesPerWindow;
        }

        /**
         * The most instances one provision or release call may name.
         *
         * @param value positive
         * @return this builder
         */
        public Builder maxInstancesPerCall(int value) {
            this.maxInstancesPerCall = value;
            return this;
        }

        /**
         * The most instances launched within any window.
         *
         * @param value positive
         * @return this builder
         */
        public Builder maxInstancesPerWindow(int value) {
            this.maxInstancesPerWindow = value;
            return this;
        }

        /**
         * The sliding window of the launch and release limits.
         *
         * @param value positive
         * @return this builder
         */
        public Builder window(Duration value) {
            this.window = Objects.requireNonNull(value, "window");
            return this;
        }

        /**
         * The most instances the fleet may hold, launched and in flight together.
         *
         * @param value positive
         * @return this builder
         */
        public Builder maxFleetInstances(int value) {
            this.maxFleetInstances = value;
            return this;
        }

        /**
         * The most the fleet may cost per hour at current prices.
         *
         * @param value not negative; 0 lets no launch that costs anything through
         * @return this builder
         */
        public Builder maxFleetCostPerHour(double value) {
            this.maxFleetCostPerHour = value;
            return this;
        }

        /**
         * The most instances released within any window; half the launch limit (at least 1) unless set.
         *
         * @param value positive
         * @return this builder
         */
        public Builder maxReleasesPerWindow(int value) {
            this.maxReleasesPerWindow = value;
            return this;
        }

        /**
         * Builds the caps.
         *
         * @return the caps
         * @throws IllegalArgumentException if a limit is not positive, naming it
         */
        public HardCaps build() {
            return maxReleasesPerWindow == null
                    ? new HardCaps(maxInstancesPerCall, maxInstancesPerWindow, window, maxFleetInstances,
                            maxFleetCostPerHour)
                    : new HardCaps(maxInstancesPerCall, maxInstancesPerWindow, window, maxFleetInstances,
                            maxFleetCostPerHour, maxReleasesPerWindow);
        }
    }
}
