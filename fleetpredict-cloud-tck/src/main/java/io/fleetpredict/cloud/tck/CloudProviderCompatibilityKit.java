package io.fleetpredict.cloud.tck;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ReleaseRequest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInfo;
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
    String key(String purpose) {
        return runId + "-" + purpose + "-" + keySequence.incrementAndGet();
    }

    /** The provider of the running test. */
    CloudProvider provider() {
        return provider;
    }

    /** The id the running test tags its instances with. */
    String runId() {
        return runId;
    }

    /** What every group of checks runs against: this kit's provider, run and hooks. */
    abstract class Group implements KitGroup {
        @Override
        public CloudProviderCompatibilityKit kit() {
            return CloudProviderCompatibilityKit.this;
        }
    }

    @Nested
    @DisplayName("Offers")
    class Offers extends Group implements OfferChecks {
    }

    @Nested
    @DisplayName("Provisioning")
    class Provisioning extends Group implements ProvisioningChecks {
    }

    @Nested
    @DisplayName("Idempotent mutations")
    class Idempotency extends Group implements IdempotencyChecks {
    }

    @Nested
    @DisplayName("Release")
    class Release extends Group implements ReleaseChecks {
    }

    @Nested
    @DisplayName("Describe")
    class Describe extends Group implements DescribeChecks {
    }

    @Nested
    @DisplayName("Invalid requests")
    class InvalidRequests extends Group implements InvalidRequestChecks {
    }

    @Nested
    @DisplayName("Spot instances (capability SPOT)")
    class Spot extends Group implements SpotChecks {
    }

    @Nested
    @DisplayName("Configure (capability CONFIGURE)")
    class Configure extends Group implements ConfigureChecks {
    }

    @Nested
    @DisplayName("Describe by idempotency key")
    class DescribeByKey extends Group implements DescribeByKeyChecks {
    }

    @Nested
    @DisplayName("Many threads at once")
    class Stress extends Group implements StressChecks {
    }
}
