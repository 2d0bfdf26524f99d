package io.fleetpredict.cloud.sim;

import java.time.Duration;

/**
 * Runs the compatibility kit against a simulated cloud that forgets ended instances after an hour, as an
 * EC2 account does: a provider with a stated retention keeps the contract.
 */
class SimulatedCloudWithRetentionCompatibilityTest extends SimulatedCloudKit {

    @Override
    SimulatedCloud.Builder settings(SimulatedCloud.Builder builder) {
        return builder.endedRetention(Duration.ofHours(1));
    }
}
