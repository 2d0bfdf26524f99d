package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/** Runs the compatibility kit against the simulated cloud, with its clock under the kit's control. */
class SimulatedCloudCompatibilityTest extends CloudProviderCompatibilityKit {

    private final MutableClock clock = MutableClock.at(Instant.parse("2025-01-01T00:00:00Z"));
    private SimulatedCloud cloud;

    @Override
    protected CloudProvider createProvider() {
        cloud = SimulatedCloud.builder().clock(clock).seed(7).build();
        return cloud;
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
