package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * The compatibility kit against a fresh simulated cloud per check, on a clock the kit moves: what an instance cost
 * is the cloud's own accrual, and time passes when the kit advances the clock.
 */
abstract class SimulatedCloudKit extends CloudProviderCompatibilityKit {

    private final MutableClock clock = MutableClock.at(Instant.parse("2025-01-01T00:00:00Z"));
    private SimulatedCloud cloud;

    /** The settings of each check's cloud beyond the kit's clock and a fixed seed: none unless a subclass adds some. */
    SimulatedCloud.Builder settings(SimulatedCloud.Builder builder) {
        return builder;
    }

    /** What the checks run against, given the check's cloud and the kit's clock: the cloud itself by default. */
    CloudProvider provider(SimulatedCloud checked, MutableClock time) {
        return checked;
    }

    /** The simulated cloud of the running check. */
    SimulatedCloud cloud() {
        return cloud;
    }

    @Override
    protected CloudProvider createProvider() {
        cloud = settings(SimulatedCloud.builder().clock(clock).seed(7)).build();
        return provider(cloud, clock);
    }

    @Override
    protected OptionalDouble accruedCost(String instanceId) {
        return OptionalDouble.of(cloud.accruedCost(instanceId));
    }

    @Override
    protected void advanceTime(Duration amount) {
        clock.advance(amount);
    }
}
