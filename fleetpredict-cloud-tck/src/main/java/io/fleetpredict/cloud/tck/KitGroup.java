package io.fleetpredict.cloud.tck;

import static io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit.RUN_TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;
/**
 * What a group of the kit's checks works with: the running test's provider and run id, the subclass's hooks,
 * and the requests every group builds. The groups are interfaces with default test methods, so the kit's
 * {@code @Nested} classes implement them in a line each while the checks live in a file per group.
 */
interface KitGroup {

    /**
     * The kit the group runs in.
     *
     * @return the running kit
     */
    CloudProviderCompatibilityKit kit();

    default CloudProvider provider() {
        return kit().provider();
    }

    default String runId() {
        return kit().runId();
    }

    /** A fresh idempotency key for this run; safe to call from several threads. */
    default String key(String purpose) {
        return kit().key(purpose);
    }

    default void advanceTime(Duration amount) {
        kit().advanceTime(amount);
    }

    default OptionalDouble accruedCost(String instanceId) {
        return kit().accruedCost(instanceId);
    }

    default int stressThreads() {
        return kit().stressThreads();
    }

    default int stressLaunchesPerThread() {
        return kit().stressLaunchesPerThread();
    }

    default Map<String, String> tags(String service) {
        return Map.of(RUN_TAG, runId(), "service", service);
    }

    default Offer offer() {
        return kit().offerUnderTest(provider().offers());
    }

    default ProvisionRequest request(Offer offer, PurchaseOption option, int count, String service) {
        return new ProvisionRequest(key("provision"), offer.instanceType(), offer.region(), option, count, tags(service));
    }

    default ProvisionRequest onDemand(int count) {
        return request(offer(), PurchaseOption.ON_DEMAND, count, "tck");
    }

    default List<Instance> launchedBy(String idempotencyKey) {
        return provider().describe(DescribeRequest.all().withIdempotencyKey(idempotencyKey)
                .withTags(Map.of(RUN_TAG, runId()))).instances();
    }

    default Set<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).collect(Collectors.toSet());
    }

    default void assertFailsWith(CloudException.Kind kind, Executable call) {
        CloudException e = assertThrows(CloudException.class, call);
        assertEquals(kind, e.kind(), () -> "kind of: " + e.getMessage());
    }
}
