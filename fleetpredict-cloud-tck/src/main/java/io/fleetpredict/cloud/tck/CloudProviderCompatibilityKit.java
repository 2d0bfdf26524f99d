package io.fleetpredict.cloud.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;

/**
 * The checks every {@link CloudProvider} must pass. A host's whole test is a subclass:
 *
 * <pre>{@code
 * class MyCloudCompatibilityTest extends CloudProviderCompatibilityKit {
 *     protected CloudProvider createProvider() {
 *         return new MyCloud(...);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a provider from {@link #createProvider()}, tags everything it launches with a
 * fresh run id, and releases it afterwards, so the kit can run against a real account; it launches
 * at most a few instances of the cheapest offer at a time. Checks of optional abilities are skipped
 * (not failed) when the provider does not declare the {@link Capability}; checks that need time to
 * pass are skipped unless the subclass overrides {@link #advanceTime(Duration)}; checks of what an
 * instance costs are skipped unless it overrides {@link #accruedCost(String)}.
 */
public abstract class CloudProviderCompatibilityKit {

    /** The tag key that marks instances launched by one test. */
    protected static final String RUN_TAG = "fleetpredict-tck-run";

    private static final Map<String, List<Throwable>> CLEANUP_FAILURES = new ConcurrentHashMap<>();

    private CloudProvider provider;
    private String runId;
    private final AtomicInteger keySequence = new AtomicInteger();

    /** Creates the kit; subclasses are instantiated by JUnit. */
    protected CloudProviderCompatibilityKit() {
    }

    /**
     * Returns the provider under test. Called before each test; may return a fresh provider or a
     * shared one.
     *
     * @return the provider
     */
    protected abstract CloudProvider createProvider();

    /**
     * Lets time pass for the provider, such as by advancing its clock. The default skips the calling
     * test; a provider on a real clock may sleep instead.
     *
     * @param amount how much time must pass
     */
    protected void advanceTime(Duration amount) {
        Assumptions.abort("the provider under test cannot advance time; override advanceTime to run this check");
    }

    /**
     * What an instance has cost so far, from launch until release or now, if the provider reports it
     * (a simulator, or a billing API that answers in time). The default reports nothing, which skips
     * the checks that need it.
     *
     * @param instanceId an instance the provider under test launched
     * @return its cost so far, or empty if the provider does not report costs
     */
    protected OptionalDouble accruedCost(String instanceId) {
        return OptionalDouble.empty();
    }

    /**
     * The offer the kit launches. The default is the cheapest on-demand offer.
     *
     * @param offers the provider's offers, non-empty
     * @return one of them
     */
    protected Offer offerUnderTest(List<Offer> offers) {
        return offers.stream().min(Comparator.comparingDouble(Offer::onDemandPricePerHour)).orElseThrow();
    }

    @BeforeEach
    final void startRun() {
        provider = createProvider();
        runId = UUID.randomUUID().toString();
        keySequence.set(0);
    }

    /**
     * Releases what the test launched. A provider whose release or describe is broken fails the checks
     * of those operations; its cleanup failures are collected and reported once, after the last test,
     * instead of once beside every test that launched something.
     */
    @AfterEach
    final void releaseWhatTheRunLaunched() {
        try {
            List<Instance> left = provider.describe(DescribeRequest.active().withTags(Map.of(RUN_TAG, runId))).instances();
            if (!left.isEmpty()) {
                provider.release(ReleaseRequest.of(key("cleanup"), left.stream().map(Instance::id).toList()));
            }
        } catch (RuntimeException | AssertionError e) {
            CLEANUP_FAILURES.computeIfAbsent(getClass().getName(), k -> new CopyOnWriteArrayList<>()).add(e);
        }
    }

    /**
     * Fails once if any cleanup failed, naming how many and the first failure.
     *
     * @param info the test class
     */
    @AfterAll
    static void reportCleanupFailuresOnce(TestInfo info) {
        List<Throwable> failures = info.getTestClass().map(c -> CLEANUP_FAILURES.remove(c.getName())).orElse(null);
        if (failures != null && !failures.isEmpty()) {
            AssertionError once = new AssertionError(String.format(Locale.ROOT,
                    "releasing what the tests launched failed after %d tests; the first failure: %s",
                    failures.size(), failures.get(0)), failures.get(0));
            throw once;
        }
    }

    /**
     * How many threads the stress checks run at once. The default, 16, shows an unsynchronised provider
     * in practice; a provider on a real account may lower it to bound what a run launches.
     *
     * @return the thread count, at least 2
     */
    protected int stressThreads() {
        return 16;
    }

    /**
     * How many single-instance launches each stress thread makes; the default is 4.
     *
     * @return the launches per thread, at least 1
     */
    protected int stressLaunchesPerThread() {
        return 4;
    }

    /** A fresh idempotency key for this run; safe to call from several threads. */
    private String key(String purpose) {
        return runId + "-" + purpose + "-" + keySequence.incrementAndGet();
    }

    private Map<String, String> tags(String service) {
        return Map.of(RUN_TAG, runId, "service", service);
    }

    private Offer offer() {
        return offerUnderTest(provider.offers());
    }

    private ProvisionRequest request(Offer offer, PurchaseOption option, int count, String service) {
        return new ProvisionRequest(key("provision"), offer.instanceType(), offer.region(), option, count, tags(service));
    }

    private ProvisionRequest onDemand(int count) {
        return request(offer(), PurchaseOption.ON_DEMAND, count, "tck");
    }

    private List<Instance> launchedBy(String idempotencyKey) {
        return provider.describe(DescribeRequest.all().withIdempotencyKey(idempotencyKey)
                .withTags(Map.of(RUN_TAG, runId))).instances();
    }

    private static Set<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).collect(Collectors.toSet());
    }

    private static void assertFailsWith(CloudException.Kind kind, Executable call) {
        CloudException e = assertThrows(CloudException.class, call);
        assertEquals(kind, e.kind(), () -> "kind of: " + e.getMessage());
    }

    @Nested
    @DisplayName("Offers")
    class Offers {

        @Test
        @DisplayName("are not empty")
        void notEmpty() {
            assertFalse(provider.offers().isEmpty());
        }

        @Test
        @DisplayName("have positive resources, finite positive prices and a positive boot time")
        void sane() {
            List<Executable> checks = new ArrayList<>();
            for (Offer offer : provider.offers()) {
                checks.add(() -> assertTrue(offer.cpuCores() > 0 && offer.memoryGiB() > 0 && offer.bandwidthGbps() > 0
                        && offer.storageGiB() >= 0, () -> "resources of " + offer));
                checks.add(() -> assertTrue(Double.isFinite(offer.onDemandPricePerHour())
                        && offer.onDemandPricePerHour() > 0, () -> "on-demand price of " + offer));
                checks.add(() -> assertTrue(Double.isFinite(offer.interruptionRatePerHour())
                        && offer.interruptionRatePerHour() >= 0, () -> "interruption rate of " + offer));
                checks.add(() -> assertTrue(offer.bootTime().compareTo(Duration.ZERO) > 0, () -> "boot time of " + offer));
            }
            assertAll(checks);
        }

        @Test
        @DisplayName("price spot below on-demand wherever spot is offered")
        void spotBelowOnDemand() {
            List<Executable> checks = new ArrayList<>();
            for (Offer offer : provider.offers()) {
                offer.spotPricePerHour().ifPresent(spot -> checks.add(() -> assertTrue(
                        Double.isFinite(spot) && spot > 0 && spot < offer.onDemandPricePerHour(), () -> "spot price of " + offer)));
            }
            assertAll(checks);
        }

        @Test
        @DisplayName("hold each instance type at most once per region")
        void unique() {
            Set<String> seen = new HashSet<>();
            for (Offer offer : provider.offers()) {
                assertTrue(seen.add(offer.region() + "/" + offer.instanceType()), () -> "duplicate " + offer);
            }
        }

        @Test
        @DisplayName("carry spot prices exactly when the provider declares spot")
        void spotMatchesCapability() {
            boolean anySpot = provider.offers().stream().anyMatch(Offer::spotAvailable);
            assertEquals(provider.capabilities().contains(Capability.SPOT), anySpot);
        }
    }

    @Nested
    @DisplayName("Provisioning")
    class Provisioning {

        @Test
        @DisplayName("launches instances that match the request, its key and its tags")
        void matchesRequest() {
            Offer offer = offer();
            ProvisionRequest request = request(offer, PurchaseOption.ON_DEMAND, 2, "web");
            ProvisionResult result = provider.provision(request);
            assertEquals(request, result.request());
            assertTrue(result.fulfilled() >= 1 && result.fulfilled() <= 2);
            if (!provider.capabilities().contains(Capability.PARTIAL_FULFILMENT)) {
                assertFalse(result.partial(), "partial result without PARTIAL_FULFILMENT");
            }
            for (Instance instance : result.instances()) {
                assertAll(
                        () -> assertEquals(offer.instanceType(), instance.instanceType()),
                        () -> assertEquals(offer.region(), instance.region()),
                        () -> assertEquals(PurchaseOption.ON_DEMAND, instance.purchaseOption()),
                        () -> assertEquals(request.idempotencyKey(), instance.idempotencyKey()),
                        () -> assertEquals(request.tags(), instance.tags()),
                        () -> assertTrue(instance.state().active(), "state " + instance.state()),
                        () -> assertEquals(offer.onDemandPricePerHour(), instance.pricePerHour(), 1e-12));
            }
        }

        @Test
        @DisplayName("gives every launched instance its own id")
        void distinctIds() {
            ProvisionResult first = provider.provision(onDemand(2));
            ProvisionResult second = provider.provision(onDemand(1));
            Set<String> ids = new HashSet<>(ids(first.instances()));
            ids.addAll(ids(second.instances()));
            assertEquals(first.fulfilled() + second.fulfilled(), ids.size());
        }

        @Test
        @DisplayName("brings instances to running once their boot time has passed")
        void bootsToRunning() {
            Offer offer = offer();
            ProvisionResult result = provider.provision(request(offer, PurchaseOption.ON_DEMAND, 1, "tck"));
            Instance launched = result.instances().get(0);
            advanceTime(Duration.between(launched.launchedAt(), launched.readyAt()).plus(offer.bootTime()));
            List<Instance> now = launchedBy(result.request().idempotencyKey());
            assertEquals(InstanceState.RUNNING, now.get(0).state());
        }
    }

    @Nested
    @DisplayName("Idempotent mutations")
    class Idempotency {

        @Test
        @DisplayName("return the same result for the same key and request, launching only once")
        void sameKeySameRequest() {
            ProvisionRequest request = onDemand(2);
            ProvisionResult first = provider.provision(request);
            ProvisionResult second = provider.provision(request);
            assertEquals(first, second);
            assertEquals(ids(first.instances()), ids(launchedBy(request.idempotencyKey())));
        }

        @Test
        @DisplayName("refuse the same key with a different request as INVALID_REQUEST, launching nothing more")
        void sameKeyDifferentRequest() {
            ProvisionRequest request = onDemand(1);
            ProvisionResult first = provider.provision(request);
            ProvisionRequest different = new ProvisionRequest(request.idempotencyKey(), request.instanceType(),
                    request.region(), request.purchaseOption(), 2, request.tags());
            assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider.provision(different));
            assertEquals(ids(first.instances()), ids(launchedBy(request.idempotencyKey())));
        }

        @Test
        @DisplayName("launch only once when the same request races on many threads")
        void concurrentSameKey() throws Exception {
            ProvisionRequest request = onDemand(1);
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<ProvisionResult>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return provider.provision(request);
                    }));
                }
                start.countDown();
                Set<ProvisionResult> distinct = new HashSet<>();
                for (Future<ProvisionResult> result : results) {
                    distinct.add(result.get(60, TimeUnit.SECONDS));
                }
                assertEquals(1, distinct.size());
                assertEquals(ids(distinct.iterator().next().instances()), ids(launchedBy(request.idempotencyKey())));
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("return the same release result for the same key and request")
        void releaseReplay() {
            ProvisionResult launched = provider.provision(onDemand(1));
            ReleaseRequest release = ReleaseRequest.of(key("release"), ids(launched.instances()));
            ReleaseResult first = provider.release(release);
            assertEquals(first, provider.release(release));
        }
    }

    @Nested
    @DisplayName("Release")
    class Release {

        @Test
        @DisplayName("takes released instances out of the active set")
        void leavesActiveSet() {
            ProvisionResult launched = provider.provision(onDemand(2));
            Set<String> ids = ids(launched.instances());
            ReleaseResult result = provider.release(ReleaseRequest.of(key("release"), ids));
            assertEquals(ids, ids(result.instances()));
            for (Instance instance : result.instances()) {
                assertFalse(instance.state().active(), () -> "released instance is " + instance.state());
            }
            List<Instance> active = provider.describe(DescribeRequest.active().withTags(Map.of(RUN_TAG, runId))).instances();
            assertTrue(ids(active).stream().noneMatch(ids::contains), () -> "still active: " + active);
        }

        @Test
        @DisplayName("releases only the named instances of a launch, the others keep running")
        void releasesPartOfALaunch() {
            ProvisionResult launched = provider.provision(onDemand(3));
            List<String> ids = launched.instances().stream().map(Instance::id).sorted().toList();
            provider.release(ReleaseRequest.of(key("release"), ids.subList(0, 1)));
            List<Instance> after = launchedBy(launched.request().idempotencyKey());
            assertEquals(Set.copyOf(ids), ids(after));
            for (Instance instance : after) {
                assertEquals(!instance.id().equals(ids.get(0)), instance.state().active(),
                        () -> instance.id() + " is " + instance.state());
            }
        }

        @Test
        @DisplayName("shows released instances as ended when described by the key that launched them")
        void describedByProvisionKeyAsEnded() {
            ProvisionResult launched = provider.provision(onDemand(2));
            Set<String> ids = ids(launched.instances());
            provider.release(ReleaseRequest.of(key("release"), ids));
            List<Instance> found = launchedBy(launched.request().idempotencyKey());
            assertEquals(ids, ids(found), "released instances must stay visible under their provision key");
            for (Instance instance : found) {
                assertFalse(instance.state().active(), () -> instance.id() + " is still " + instance.state());
            }
        }

        @Test
        @DisplayName("stops billing a booting instance once it is released (when the provider reports cost)")
        void releasedBootingInstanceStopsBilling() {
            Instance launched = provider.provision(onDemand(1)).instances().get(0);
            assumeTrue(launched.state() == InstanceState.PENDING, "the instance was not booting when launched");
            assumeTrue(accruedCost(launched.id()).isPresent(), "the provider under test does not report costs");
            provider.release(ReleaseRequest.of(key("release"), Set.of(launched.id())));
            double atRelease = accruedCost(launched.id()).getAsDouble();
            advanceTime(Duration.ofHours(1));
            double later = accruedCost(launched.id()).getAsDouble();
            assertEquals(atRelease, later, 1e-9 + launched.pricePerHour() / 3600,
                    "a released instance went on costing: " + atRelease + " at release, " + later + " an hour later");
        }

        @Test
        @DisplayName("accepts an instance that was already released")
        void releaseTwice() {
            Set<String> ids = ids(provider.provision(onDemand(1)).instances());
            provider.release(ReleaseRequest.of(key("release"), ids));
            ReleaseResult again = provider.release(ReleaseRequest.of(key("release"), ids));
            assertFalse(again.instances().get(0).state().active());
        }

        @Test
        @DisplayName("refuses unknown ids as INVALID_REQUEST and releases nothing")
        void unknownIds() {
            Set<String> ids = new HashSet<>(ids(provider.provision(onDemand(1)).instances()));
            String known = ids.iterator().next();
            ids.add("tck-no-such-instance-" + runId);
            assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider.release(ReleaseRequest.of(key("release"), ids)));
            List<Instance> after = provider.describe(DescribeRequest.all().withInstanceIds(Set.of(known))).instances();
            assertTrue(after.get(0).state().active(), "a failed release released " + known);
        }
    }

    @Nested
    @DisplayName("Describe")
    class Describe {

        @Test
        @DisplayName("shows every instance a provision launched, with its key and tags")
        void showsProvisioned() {
            ProvisionResult result = provider.provision(onDemand(2));
            List<Instance> described = launchedBy(result.request().idempotencyKey());
            assertEquals(ids(result.instances()), ids(described));
            for (Instance instance : described) {
                assertEquals(result.request().idempotencyKey(), instance.idempotencyKey());
                assertEquals(result.request().tags(), instance.tags());
            }
        }

        @Test
        @DisplayName("filters by tags")
        void filtersByTags() {
            Offer offer = offer();
            ProvisionResult web = provider.provision(request(offer, PurchaseOption.ON_DEMAND, 1, "web"));
            ProvisionResult db = provider.provision(request(offer, PurchaseOption.ON_DEMAND, 1, "db"));
            List<Instance> described = provider.describe(DescribeRequest.all().withTags(tags("web"))).instances();
            assertEquals(ids(web.instances()), ids(described));
            assertTrue(ids(described).stream().noneMatch(ids(db.instances())::contains));
        }

        @Test
        @DisplayName("filters by state, keeping released instances visible as ended")
        void filtersByState() {
            ProvisionResult kept = provider.provision(onDemand(1));
            ProvisionResult released = provider.provision(onDemand(1));
            provider.release(ReleaseRequest.of(key("release"), ids(released.instances())));
            Map<String, String> run = Map.of(RUN_TAG, runId);
            List<Instance> active = provider.describe(DescribeRequest.active().withTags(run)).instances();
            assertEquals(ids(kept.instances()), ids(active));
            List<Instance> ended = provider.describe(DescribeRequest.all().withTags(run)
                    .withStates(Set.of(InstanceState.TERMINATING, InstanceState.TERMINATED))).instances();
            assertEquals(ids(released.instances()), ids(ended));
        }
    }

    @Nested
    @DisplayName("Invalid requests")
    class InvalidRequests {

        @Test
        @DisplayName("fail with INVALID_REQUEST for an unknown instance type")
        void unknownInstanceType() {
            Offer offer = offer();
            assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider.provision(new ProvisionRequest(
                    key("provision"), "tck-no-such-type", offer.region(), PurchaseOption.ON_DEMAND, 1, tags("tck"))));
        }

        @Test
        @DisplayName("fail with INVALID_REQUEST for an unknown region")
        void unknownRegion() {
            Offer offer = offer();
            assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider.provision(new ProvisionRequest(
                    key("provision"), offer.instanceType(), "tck-no-such-region", PurchaseOption.ON_DEMAND, 1, tags("tck"))));
        }

        @Test
        @DisplayName("cannot even be built with a zero count")
        void zeroCount() {
            Offer offer = offer();
            assertThrows(IllegalArgumentException.class, () -> new ProvisionRequest(key("provision"),
                    offer.instanceType(), offer.region(), PurchaseOption.ON_DEMAND, 0, tags("tck")));
        }

        @Test
        @DisplayName("fail with INVALID_REQUEST when releasing only unknown ids")
        void releaseUnknown() {
            assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider.release(
                    ReleaseRequest.of(key("release"), Set.of("tck-no-such-instance-" + runId))));
        }

        @Test
        @DisplayName("fail with INVALID_REQUEST for spot on an offer without a spot price")
        void spotWithoutSpotPrice() {
            java.util.Optional<Offer> found = provider.offers().stream().filter(o -> !o.spotAvailable()).findFirst();
            assumeTrue(found.isPresent(), "every offer has a spot price");
            Offer noSpot = found.get();
            assertFailsWith(CloudException.Kind.INVALID_REQUEST,
                    () -> provider.provision(request(noSpot, PurchaseOption.SPOT, 1, "tck")));
        }

        @Test
        @DisplayName("do not consume the idempotency key")
        void keyNotConsumed() {
            Offer offer = offer();
            String key = key("provision");
            assertThrows(CloudException.class, () -> provider.provision(new ProvisionRequest(
                    key, "tck-no-such-type", offer.region(), PurchaseOption.ON_DEMAND, 1, tags("tck"))));
            ProvisionResult result = provider.provision(new ProvisionRequest(
                    key, offer.instanceType(), offer.region(), PurchaseOption.ON_DEMAND, 1, tags("tck")));
            assertEquals(key, result.instances().get(0).idempotencyKey());
        }
    }

    @Nested
    @DisplayName("Spot instances (capability SPOT)")
    class Spot {

        @BeforeEach
        void requireSpot() {
            assumeTrue(provider.capabilities().contains(Capability.SPOT), "the provider does not declare SPOT");
        }

        @Test
        @DisplayName("launch at the offer's spot price")
        void launchAtSpotPrice() {
            Offer offer = provider.offers().stream().filter(Offer::spotAvailable)
                    .min(Comparator.comparingDouble(o -> o.spotPricePerHour().getAsDouble())).orElseThrow();
            ProvisionResult result = provider.provision(request(offer, PurchaseOption.SPOT, 1, "tck"));
            Instance instance = result.instances().get(0);
            assertEquals(PurchaseOption.SPOT, instance.purchaseOption());
            assertEquals(offer.spotPricePerHour().getAsDouble(), instance.pricePerHour(), 1e-12);
        }
    }

    @Nested
    @DisplayName("Configure (capability CONFIGURE)")
    class Configure {

        private boolean supported() {
            return provider.capabilities().contains(Capability.CONFIGURE);
        }

        @Test
        @DisplayName("applies settings that describe then shows")
        void appliesSettings() {
            assumeTrue(supported(), "the provider does not declare CONFIGURE");
            Set<String> ids = ids(provider.provision(onDemand(1)).instances());
            ConfigureResult result = provider.configure(new ConfigureRequest(key("configure"), ids, Map.of("pool", "8")));
            assertEquals(ids, ids(result.instances()));
            Function<Instance, String> pool = i -> i.configuration().get("pool");
            assertEquals("8", pool.apply(provider.describe(DescribeRequest.all().withInstanceIds(ids)).instances().get(0)));
        }

        @Test
        @DisplayName("returns the same result for the same key and request")
        void idempotent() {
            assumeTrue(supported(), "the provider does not declare CONFIGURE");
            Set<String> ids = ids(provider.provision(onDemand(1)).instances());
            ConfigureRequest request = new ConfigureRequest(key("configure"), ids, Map.of("pool", "8"));
            assertEquals(provider.configure(request), provider.configure(request));
        }

        @Test
        @DisplayName("fails with INVALID_REQUEST for unknown ids")
        void unknownIds() {
            assumeTrue(supported(), "the provider does not declare CONFIGURE");
            assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider.configure(new ConfigureRequest(
                    key("configure"), Set.of("tck-no-such-instance-" + runId), Map.of("pool", "8"))));
        }

        @Test
        @DisplayName("is unsupported when the capability is not declared")
        void unsupported() {
            assumeFalse(supported(), "the provider declares CONFIGURE");
            Set<String> ids = Set.of("tck-no-such-instance-" + runId);
            assertThrows(UnsupportedOperationException.class,
                    () -> provider.configure(new ConfigureRequest(key("configure"), ids, Map.of("pool", "8"))));
        }
    }

    @Nested
    @DisplayName("Describe by idempotency key")
    class DescribeByKey {

        @Test
        @DisplayName("shows exactly the instances launched under that key, whatever else carries the same tags")
        void onlyThatKey() {
            ProvisionResult first = provider.provision(onDemand(2));
            ProvisionResult second = provider.provision(onDemand(1));
            assertEquals(ids(first.instances()), ids(launchedBy(first.request().idempotencyKey())));
            assertEquals(ids(second.instances()), ids(launchedBy(second.request().idempotencyKey())));
            List<Instance> byKey = provider.describe(DescribeRequest.all()
                    .withIdempotencyKey(first.request().idempotencyKey())).instances();
            assertTrue(byKey.stream().allMatch(i -> i.idempotencyKey().equals(first.request().idempotencyKey())),
                    () -> "describe by key returned instances of other keys: " + byKey);
        }

        @Test
        @DisplayName("shows nothing for a key that launched nothing")
        void unknownKey() {
            provider.provision(onDemand(1));
            assertEquals(List.of(), provider.describe(DescribeRequest.all().withIdempotencyKey(key("never-used"))
                    .withTags(Map.of(RUN_TAG, runId))).instances());
            assertEquals(List.of(), provider.describe(DescribeRequest.all().withIdempotencyKey(key("never-used")))
                    .instances());
        }

        @Test
        @DisplayName("combines the key with a state filter")
        void keyAndState() {
            ProvisionResult launched = provider.provision(onDemand(1));
            String k = launched.request().idempotencyKey();
            provider.release(ReleaseRequest.of(key("release"), ids(launched.instances())));
            assertEquals(List.of(), provider.describe(DescribeRequest.active().withIdempotencyKey(k)).instances());
            assertEquals(ids(launched.instances()), ids(provider.describe(DescribeRequest.all().withIdempotencyKey(k))
                    .instances()));
        }
    }

    @Nested
    @DisplayName("Many threads at once")
    class Stress {

        private <T> List<T> onThreads(int threads, java.util.function.IntFunction<java.util.concurrent.Callable<T>> task)
                throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<T>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    java.util.concurrent.Callable<T> call = task.apply(t);
                    futures.add(pool.submit(() -> {
                        start.await();
                        return call.call();
                    }));
                }
                start.countDown();
                List<T> results = new ArrayList<>();
                for (Future<T> f : futures) {
                    try {
                        results.add(f.get(120, TimeUnit.SECONDS));
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new AssertionError("a thread failed: " + e.getCause(), e.getCause());
                    }
                }
                return results;
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("launch exactly what every thread asks for, with distinct ids, while others describe")
        void distinctLaunches() throws Exception {
            Offer offer = offer();
            int threads = stressThreads();
            int each = stressLaunchesPerThread();
            List<List<ProvisionResult>> perThread = onThreads(threads, t -> () -> {
                List<ProvisionResult> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    mine.add(provider.provision(request(offer, PurchaseOption.ON_DEMAND, 1, "stress")));
                    provider.describe(DescribeRequest.active().withTags(Map.of(RUN_TAG, runId)));
                }
                return mine;
            });
            List<Instance> launched = perThread.stream().flatMap(List::stream).flatMap(r -> r.instances().stream()).toList();
            assertEquals(threads * each, launched.size(), "instances returned");
            assertEquals(threads * each, ids(launched).size(), "two launches were given one id");
            Set<String> described = ids(provider.describe(DescribeRequest.all().withTags(Map.of(RUN_TAG, runId)))
                    .instances());
            assertEquals(ids(launched), described, "describe lost or invented instances launched concurrently");
            for (List<ProvisionResult> results : perThread) {
                for (ProvisionResult r : results) {
                    assertEquals(ids(r.instances()), ids(launchedBy(r.request().idempotencyKey())));
                }
            }
        }

        @Test
        @DisplayName("launch once per key when every key is raced by several threads")
        void racedKeys() throws Exception {
            Offer offer = offer();
            int threads = stressThreads();
            int keys = Math.max(1, threads / 4);
            List<ProvisionRequest> requests = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                requests.add(request(offer, PurchaseOption.ON_DEMAND, 1, "stress"));
            }
            List<List<ProvisionResult>> perThread = onThreads(threads, t -> () -> {
                List<ProvisionResult> mine = new ArrayList<>();
                for (int k = 0; k < keys; k++) {
                    mine.add(provider.provision(requests.get((k + t) % keys)));
                }
                return mine;
            });
            for (ProvisionRequest request : requests) {
                Set<Set<String>> answers = perThread.stream().flatMap(List::stream)
                        .filter(r -> r.request().idempotencyKey().equals(request.idempotencyKey()))
                        .map(r -> ids(r.instances())).collect(Collectors.toSet());
                assertEquals(1, answers.size(), () -> "one key, different answers: " + answers);
                assertEquals(answers.iterator().next(), ids(launchedBy(request.idempotencyKey())),
                        "a raced key launched more than once");
            }
        }

        @Test
        @DisplayName("release concurrently, each instance once, leaving none active")
        void concurrentRelease() throws Exception {
            int threads = stressThreads();
            ProvisionResult launched = provider.provision(onDemand(Math.min(threads, 8)));
            List<Instance> instances = launched.instances();
            onThreads(threads, t -> () -> provider.release(ReleaseRequest.of(key("release"),
                    List.of(instances.get(t % instances.size()).id()))));
            assertEquals(List.of(), provider.describe(DescribeRequest.active()
                    .withInstanceIds(ids(instances))).instances());
        }
    }
}
