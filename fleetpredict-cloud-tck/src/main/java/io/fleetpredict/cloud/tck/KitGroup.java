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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntFunction;
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

    /** The filter for what this run launched under the given key, ended instances included. */
    default DescribeRequest launchedBy(String idempotencyKey) {
        return DescribeRequest.all().withIdempotencyKey(idempotencyKey).withTags(Map.of(RUN_TAG, runId()));
    }

    /**
     * Describes until the answer shows a change the check made, for at most the kit's declared describe lag;
     * fails naming the check and what describe did not show.
     */
    default List<Instance> awaitDescribe(DescribeRequest request, Function<List<Instance>, Optional<String>> shortfall) {
        return kit().awaitDescribe(request, shortfall);
    }

    /** Describes until the answer holds exactly the expected instances, for at most the declared describe lag. */
    default List<Instance> awaitExactly(DescribeRequest request, Set<String> expected) {
        return awaitDescribe(request, answer -> differences(expected, ids(answer)));
    }

    /**
     * Describes until the answer holds exactly the expected instances and also meets {@code andAlso}, for at
     * most the declared describe lag.
     */
    default List<Instance> awaitExactly(DescribeRequest request, Set<String> expected,
            Function<List<Instance>, Optional<String>> andAlso) {
        return awaitDescribe(request, answer -> differences(expected, ids(answer)).or(() -> andAlso.apply(answer)));
    }

    /** The instances describe should have shown and did not, and those it showed and should not have. */
    private static Optional<String> differences(Set<String> expected, Set<String> shown) {
        List<String> lacking = new ArrayList<>();
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(shown);
        if (!missing.isEmpty()) {
            lacking.add("describe did not show " + missing);
        }
        Set<String> extra = new TreeSet<>(shown);
        extra.removeAll(expected);
        if (!extra.isEmpty()) {
            lacking.add("describe showed " + extra + ", which it should not");
        }
        return lacking.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", lacking));
    }

    default Set<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).collect(Collectors.toSet());
    }

    default void assertFailsWith(CloudException.Kind kind, Executable call) {
        CloudException e = assertProviderThrows(CloudException.class, call);
        assertEquals(kind, e.kind(), () -> "kind of: " + e.getMessage());
    }

    /**
     * Asserts that a provider call throws; a call that did not return within the kit's call timeout fails the
     * check with its own message, naming the call and the limit, rather than as an unexpected exception.
     */
    default <T extends Throwable> T assertProviderThrows(Class<T> expected, Executable call) {
        try {
            return assertThrows(expected, call);
        } catch (AssertionError e) {
            if (e.getCause() instanceof BoundedProvider.CallTimedOut timedOut) {
                throw timedOut;
            }
            throw e;
        }
    }

    /**
     * Runs a task on each of {@code threads} threads at once, waiting for each at most the kit's call timeout for
     * each of its {@code callsEach} provider calls, plus one; see {@link CloudProviderCompatibilityKit#onThreads}.
     */
    default <T> List<T> onThreads(int threads, int callsEach, IntFunction<Callable<T>> task) throws InterruptedException {
        return kit().onThreads(threads, callsEach, task);
    }
}
