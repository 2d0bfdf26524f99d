package io.fleetpredict.cloud.tck;

import static io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit.RUN_TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Many threads at once". */
interface StressChecks extends KitGroup {

    @Test
    @DisplayName("launch exactly what every thread asks for, with distinct ids, while others describe")
    default void distinctLaunches() throws Exception {
        Offer offer = offer();
        int threads = stressThreads();
        int each = stressLaunchesPerThread();
        List<List<ProvisionResult>> perThread = onThreads(threads, 2 * each, t -> () -> {
            List<ProvisionResult> mine = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                mine.add(provider().provision(request(offer, PurchaseOption.ON_DEMAND, 1, "stress")));
                provider().describe(DescribeRequest.active().withTags(Map.of(RUN_TAG, runId())));
            }
            return mine;
        });
        List<Instance> launched = perThread.stream().flatMap(List::stream).flatMap(r -> r.instances().stream()).toList();
        assertEquals(threads * each, launched.size(), "instances returned");
        assertEquals(threads * each, ids(launched).size(), "two launches were given one id");
        awaitExactly(DescribeRequest.all().withTags(Map.of(RUN_TAG, runId())), ids(launched));
        for (List<ProvisionResult> results : perThread) {
            for (ProvisionResult r : results) {
                awaitExactly(launchedBy(r.request().idempotencyKey()), ids(r.instances()));
            }
        }
    }

    @Test
    @DisplayName("launch once per key when every key is raced by several threads")
    default void racedKeys() throws Exception {
        Offer offer = offer();
        int threads = stressThreads();
        int keys = Math.max(1, threads / 4);
        List<ProvisionRequest> requests = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            requests.add(request(offer, PurchaseOption.ON_DEMAND, 1, "stress"));
        }
        List<List<ProvisionResult>> perThread = onThreads(threads, keys, t -> () -> {
            List<ProvisionResult> mine = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                mine.add(provider().provision(requests.get((k + t) % keys)));
            }
            return mine;
        });
        for (ProvisionRequest request : requests) {
            Set<Set<String>> answers = perThread.stream().flatMap(List::stream)
                    .filter(r -> r.request().idempotencyKey().equals(request.idempotencyKey()))
                    .map(r -> ids(r.instances())).collect(Collectors.toSet());
            assertEquals(1, answers.size(), () -> "one key, different answers: " + answers);
            awaitExactly(launchedBy(request.idempotencyKey()), answers.iterator().next());
        }
    }

    @Test
    @DisplayName("release concurrently, each instance once, leaving none active")
    default void concurrentRelease() throws Exception {
        int threads = stressThreads();
        ProvisionResult launched = provider().provision(onDemand(Math.min(threads, 8)));
        List<Instance> instances = launched.instances();
        onThreads(threads, 1, t -> () -> provider().release(ReleaseRequest.of(key("release"),
                List.of(instances.get(t % instances.size()).id()))));
        awaitExactly(DescribeRequest.active().withInstanceIds(ids(instances)), Set.of());
    }
}
