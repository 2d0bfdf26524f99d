package io.fleetpredict.cloud.tck;

import static io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit.RUN_TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Describe". */
interface DescribeChecks extends KitGroup {

    @Test
    @DisplayName("shows every instance a provision launched, with its key and tags")
    default void showsProvisioned() {
        ProvisionResult result = provider().provision(onDemand(2));
        List<Instance> described = awaitExactly(launchedBy(result.request().idempotencyKey()), ids(result.instances()));
        for (Instance instance : described) {
            assertEquals(result.request().idempotencyKey(), instance.idempotencyKey());
            assertEquals(result.request().tags(), instance.tags());
        }
    }

    @Test
    @DisplayName("filters by tags")
    default void filtersByTags() {
        Offer offer = offer();
        ProvisionResult web = provider().provision(request(offer, PurchaseOption.ON_DEMAND, 1, "web"));
        ProvisionResult db = provider().provision(request(offer, PurchaseOption.ON_DEMAND, 1, "db"));
        List<Instance> described = awaitExactly(DescribeRequest.all().withTags(tags("web")), ids(web.instances()));
        assertTrue(ids(described).stream().noneMatch(ids(db.instances())::contains));
    }

    @Test
    @DisplayName("filters by state, keeping released instances visible as ended")
    default void filtersByState() {
        ProvisionResult kept = provider().provision(onDemand(1));
        ProvisionResult released = provider().provision(onDemand(1));
        provider().release(ReleaseRequest.of(key("release"), ids(released.instances())));
        Map<String, String> run = Map.of(RUN_TAG, runId());
        awaitExactly(DescribeRequest.active().withTags(run), ids(kept.instances()));
        awaitExactly(DescribeRequest.all().withTags(run)
                .withStates(Set.of(InstanceState.TERMINATING, InstanceState.TERMINATED)), ids(released.instances()));
    }

    @Test
    @DisplayName("filters by instance ids, answering for the known ones and ignoring unknown ones")
    default void filtersByInstanceIds() {
        List<String> launched = provider().provision(onDemand(3)).instances().stream().map(Instance::id).sorted().toList();
        Set<String> asked = Set.of(launched.get(0), launched.get(2), "tck-no-such-instance-" + runId());
        awaitExactly(DescribeRequest.all().withInstanceIds(asked), Set.of(launched.get(0), launched.get(2)));
        assertEquals(List.of(), provider().describe(DescribeRequest.all()
                .withInstanceIds(Set.of("tck-no-such-instance-" + runId()))).instances());
    }
}
