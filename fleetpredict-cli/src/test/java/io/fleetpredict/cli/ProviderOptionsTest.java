package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderOptionsTest {

    @Test
    void open_timeoutProbabilityOne_theSimulatedCloudAppliesEachLaunchThenTimesOut() {
        ProviderOptions options = new ProviderOptions();
        options.provider = ProviderOptions.SIMULATED;
        options.settings.put("timeout-probability", "1");
        CloudProvider cloud = options.open(MutableClock.at(Instant.parse("2024-11-29T17:40:00Z")), Optional.empty());
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(new ProvisionRequest("k-1",
                "m.2xlarge", "eu-west", PurchaseOption.ON_DEMAND, 2, Map.of())));
        assertEquals(CloudException.Kind.TIMED_OUT, e.kind());
        assertEquals(2, cloud.describe(DescribeRequest.active()).instances().size(), "applied before the timeout");
    }
}
