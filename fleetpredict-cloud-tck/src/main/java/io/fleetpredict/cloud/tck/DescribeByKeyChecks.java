package io.fleetpredict.cloud.tck;

import static io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit.RUN_TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Describe by idempotency key". */
interface DescribeByKeyChecks extends KitGroup {

    @Test
    @DisplayName("shows exactly the instances launched under that key, whatever else carries the same tags")
    default void onlyThatKey() {
        ProvisionResult first = provider().provision(onDemand(2));
        ProvisionResult second = provider().provision(onDemand(1));
        awaitExactly(launchedBy(first.request().idempotencyKey()), ids(first.instances()));
        awaitExactly(launchedBy(second.request().idempotencyKey()), ids(second.instances()));
        List<Instance> byKey = provider().describe(DescribeRequest.all()
                .withIdempotencyKey(first.request().idempotencyKey())).instances();
        assertTrue(byKey.stream().allMatch(i -> i.idempotencyKey().equals(first.request().idempotencyKey())),
                () -> "describe by key returned instances of other keys: " + byKey);
    }

    @Test
    @DisplayName("shows nothing for a key that launched nothing")
    default void unknownKey() {
        provider().provision(onDemand(1));
        assertEquals(List.of(), provider().describe(DescribeRequest.all().withIdempotencyKey(key("never-used"))
                .withTags(Map.of(RUN_TAG, runId()))).instances());
        assertEquals(List.of(), provider().describe(DescribeRequest.all().withIdempotencyKey(key("never-used")))
                .instances());
    }

    @Test
    @DisplayName("combines the key with a state filter")
    default void keyAndState() {
        ProvisionResult launched = provider().provision(onDemand(1));
        String k = launched.request().idempotencyKey();
        provider().release(ReleaseRequest.of(key("release"), ids(launched.instances())));
        awaitExactly(DescribeRequest.active().withIdempotencyKey(k), Set.of());
        awaitExactly(DescribeRequest.all().withIdempotencyKey(k), ids(launched.instances()));
    }
}
