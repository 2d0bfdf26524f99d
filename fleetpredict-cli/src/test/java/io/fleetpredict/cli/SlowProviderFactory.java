package io.fleetpredict.cli;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudProviderFactory;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.time.Clock;
import java.util.Map;

/**
 * A provider found by name as a real one is ({@code --provider slow-sim}): the simulated cloud on the system clock,
 * each provision answered after {@code delay-ms} milliseconds of real time, as a provider whose API is slow.
 */
public final class SlowProviderFactory implements CloudProviderFactory {

    @Override
    public String name() {
        return "slow-sim";
    }

    @Override
    public CloudProvider create(Map<String, String> settings) {
        long delay = Long.parseLong(settings.getOrDefault("delay-ms", "0"));
        CloudProvider sim = SimulatedCloud.builder().clock(Clock.systemUTC()).seed(1).build();
        return new ForwardingCloudProvider() {
            @Override
            protected CloudProvider delegate() {
                return sim;
            }

            @Override
            public String name() {
                return "slow-sim";
            }

            @Override
            public ProvisionResult provision(ProvisionRequest request) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    // The guard gave up on the call: nothing is launched.
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted before provisioning", e);
                }
                return sim.provision(request);
            }
        };
    }
}
