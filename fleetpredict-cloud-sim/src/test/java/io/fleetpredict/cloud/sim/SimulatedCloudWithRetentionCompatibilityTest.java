package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Runs the compatibility kit against a simulated cloud that forgets ended instances after an hour, as an
 * EC2 account does: a provider with a stated retention keeps the contract.
 */
class SimulatedCloudWithRetentionCompatibilityTest extends CloudProviderCompatibilityKit {

    private final MutableClock clock = MutableClock.at(Instant.parse("2025-01-01T00:00:00Z"));
    private SimulatedCloud cloud;

    @Override
    protected CloudProvider createProvider() {
        cloud = SimulatedCloud.builder().clock(clock).seed(7).endedRetention(Duration.ofHours(1)).build();
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
