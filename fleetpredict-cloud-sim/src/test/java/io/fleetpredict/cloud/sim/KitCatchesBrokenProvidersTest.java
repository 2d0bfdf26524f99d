package io.fleetpredict.cloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The kit's checks can fail: run against providers broken in the ways that matter (no synchronisation,
 * a describe that ignores the idempotency key or instance id filter, a release that always fails, a
 * configure that applies part of a refused request, a describe that waits on when its thread is interrupted), each
 * fails the group that covers the fault, and a broken release fails once, not once per cleanup.
 */
class KitCatchesBrokenProvidersTest {

    private static TestExecutionSummary run(Class<?> kit) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(), listener);
        return listener.getSummary();
    }

    private static Set<String> failedGroups(TestExecutionSummary summary) {
        return summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getUniqueId().replaceAll(".*\\[nested-class:([A-Za-z]+)\\].*", "$1")
                        .replaceAll(".*\\[class:.*\\]$", "(class)"))
                .collect(Collectors.toSet());
    }

    @Test
    void kit_againstTheSimulatedCloud_passesEveryCheck() {
        TestExecutionSummary summary = run(Healthy.class);
        assertEquals(0, summary.getTotalFailureCount(), () -> failedGroups(summary).toString());
        assertTrue(summary.getTestsSucceededCount() > 30);
    }

    @Test
    void kit_againstAnUnsynchronisedProvider_failsTheStressGroup() {
        TestExecutionSummary summary = run(Unsynchronised.class);
        assertTrue(failedGroups(summary).contains("Stress"), () -> "failed: " + failedGroups(summary));
    }

    @Test
    void kit_againstADescribeIgnoringTheKeyFilter_failsTheDescribeByKeyGroup() {
        TestExecutionSummary summary = run(KeyFilterIgnored.class);
        assertTrue(failedGroups(summary).contains("DescribeByKey"), () -> "failed: " + failedGroups(summary));
    }

    @Test
    void kit_againstADescribeIgnoringTheIdFilter_failsTheDescribeGroup() {
        TestExecutionSummary summary = run(IdFilterIgnored.class);
        assertTrue(failedGroups(summary).contains("Describe"), () -> "failed: " + failedGroups(summary));
    }

    @Test
    void kit_againstAConfigureThatAppliesPartOfARefusedRequest_failsTheConfigureGroup() {
        TestExecutionSummary summary = run(ConfigureLeaksOnFailure.class);
        assertTrue(failedGroups(summary).contains("Configure"), () -> "failed: " + failedGroups(summary));
    }

    @Test
    void kit_againstAConfigureOfEndedInstances_failsTheConfigureGroup() {
        TestExecutionSummary summary = run(ConfigureIgnoresState.class);
        assertTrue(failedGroups(summary).contains("Configure"), () -> "failed: " + failedGroups(summary));
    }

    @Test
    void kit_againstABrokenRelease_reportsTheCleanupFailureOnce() {
        TestExecutionSummary summary = run(ReleaseBroken.class);
        long cleanup = summary.getFailures().stream()
                .filter(f -> String.valueOf(f.getException().getMessage()).startsWith("releasing what the tests launched"))
                .count();
        assertEquals(1, cleanup, () -> summary.getFailures().stream().map(f -> f.getTestIdentifier().getDisplayName()
                + ": " + f.getException().getMessage()).collect(Collectors.joining("\n")));
        assertTrue(failedGroups(summary).contains("Release"), () -> "failed: " + failedGroups(summary));
    }

    @Test
    void kit_againstADescribeThatWaitsOnWhenInterrupted_failsTheInterruptionGroup() {
        TestExecutionSummary summary = run(InterruptIgnored.class);
        assertTrue(failedGroups(summary).contains("Interruption"), () -> "failed: " + failedGroups(summary));
        assertEquals(Set.of("Interruption"), failedGroups(summary), "no other group makes a call on an interrupted thread");
    }

    /** The kit against the simulated cloud, as a host would run it. */
    static class Healthy extends CloudProviderCompatibilityKit {
        private final MutableClock clock = MutableClock.at(Instant.parse("2025-01-01T00:00:00Z"));

        @Override
        protected CloudProvider createProvider() {
            return SimulatedCloud.builder().clock(clock).seed(7).build();
        }
    }

    /** A describe that drops the idempotency key filter and answers with everything else that matches. */
    static class KeyFilterIgnored extends Healthy {
        @Override
        protected CloudProvider createProvider() {
            CloudProvider real = super.createProvider();
            return new Forwarding(real) {
                @Override
                public DescribeResult describe(DescribeRequest r) {
                    return real.describe(new DescribeRequest(r.tags(), r.states(), Set.of(), r.instanceIds()));
                }
            };
        }
    }

    /** A describe that drops the instance id filter and answers with everything else that matches. */
    static class IdFilterIgnored extends Healthy {
        @Override
        protected CloudProvider createProvider() {
            CloudProvider real = super.createProvider();
            return new Forwarding(real) {
                @Override
                public DescribeResult describe(DescribeRequest r) {
                    return real.describe(new DescribeRequest(r.tags(), r.states(), r.idempotencyKeys(), Set.of()));
                }
            };
        }
    }

    /** A configure that applies its settings id by id and stops at the first unknown id, keeping what it did. */
    static class ConfigureLeaksOnFailure extends Healthy {
        @Override
        protected CloudProvider createProvider() {
            CloudProvider real = super.createProvider();
            return new Forwarding(real) {
                @Override
                public ConfigureResult configure(ConfigureRequest r) {
                    List<Instance> configured = new ArrayList<>();
                    for (String id : new TreeSet<>(r.instanceIds())) {
                        configured.addAll(real.configure(new ConfigureRequest(r.idempotencyKey() + "/" + id,
                                Set.of(id), r.settings())).instances());
                    }
                    return new ConfigureResult(r, configured);
                }
            };
        }
    }

    /**
     * A configure that accepts ended instances: it answers with the settings merged into what describe
     * shows, as an adapter that forgot to look at the state would.
     */
    static class ConfigureIgnoresState extends Healthy {
        @Override
        protected CloudProvider createProvider() {
            CloudProvider real = super.createProvider();
            return new Forwarding(real) {
                @Override
                public ConfigureResult configure(ConfigureRequest r) {
                    List<Instance> found = real.describe(DescribeRequest.all().withInstanceIds(r.instanceIds())).instances();
                    if (found.stream().allMatch(i -> i.state().active())) {
                        return real.configure(r);
                    }
                    List<Instance> answered = new ArrayList<>();
                    for (Instance i : found) {
                        Map<String, String> settings = new HashMap<>(i.configuration());
                        settings.putAll(r.settings());
                        answered.add(new Instance(i.id(), i.instanceType(), i.region(), i.purchaseOption(), i.state(),
                                i.launchedAt(), i.readyAt(), i.idempotencyKey(), i.tags(), settings, i.pricePerHour()));
                    }
                    return new ConfigureResult(r, answered);
                }
            };
        }
    }

    /** A release that always fails, as a provider with a release bug would. */
    static class ReleaseBroken extends Healthy {
        @Override
        protected CloudProvider createProvider() {
            CloudProvider real = super.createProvider();
            return new Forwarding(real) {
                @Override
                public ReleaseResult release(ReleaseRequest r) {
                    throw new CloudException(CloudException.Kind.TRANSIENT, "release is broken");
                }
            };
        }
    }

    /**
     * A describe that, on an interrupted thread, pauses before it answers and swallows the interrupt, as a retry
     * loop that catches {@link InterruptedException} and waits on before its next attempt does.
     */
    static class InterruptIgnored extends Healthy {
        @Override
        protected CloudProvider createProvider() {
            CloudProvider real = super.createProvider();
            return new Forwarding(real) {
                @Override
                public DescribeResult describe(DescribeRequest r) {
                    if (Thread.currentThread().isInterrupted()) {
                        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
                            try {
                                Thread.sleep(left / 1_000_000 + 1);
                            } catch (InterruptedException swallowed) {
                                // The fault under test: the interrupt is dropped and the pause goes on.
                            }
                        }
                    }
                    return real.describe(r);
                }
            };
        }
    }

    /** A provider with correct single-threaded behaviour and no synchronisation. */
    static class Unsynchronised extends CloudProviderCompatibilityKit {
        @Override
        protected CloudProvider createProvider() {
            return new UnsynchronisedCloud();
        }
    }

    private static class Forwarding implements CloudProvider {
        private final CloudProvider real;

        Forwarding(CloudProvider real) {
            this.real = real;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public Set<Capability> capabilities() {
            return real.capabilities();
        }

        @Override
        public List<Offer> offers() {
            return real.offers();
        }

        @Override
        public ProvisionResult provision(ProvisionRequest request) {
            return real.provision(request);
        }

        @Override
        public ReleaseResult release(ReleaseRequest request) {
            return real.release(request);
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            return real.describe(request);
        }

        @Override
        public ConfigureResult configure(ConfigureRequest request) {
            return real.configure(request);
        }
    }

    /**
     * Plain maps and a plain counter, each read, then written after a remote round trip (a millisecond
     * here), as a provider adapter that forgot to lock would.
     */
    private static final class UnsynchronisedCloud implements CloudProvider {
        private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
        private final List<Offer> offers = SimulatedCloud.defaultCatalogue().stream()
                .filter(o -> o.spotPricePerHour().isEmpty()).toList();
        private final Map<String, ProvisionResult> byKey = new HashMap<>();
        private final Map<String, ReleaseResult> releases = new HashMap<>();
        private final Map<String, Instance> instances = new HashMap<>();
        private int nextId;

        private static void roundTrip() {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String name() {
            return "unsynchronised";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public List<Offer> offers() {
            return offers;
        }

        @Override
        public ProvisionResult provision(ProvisionRequest request) {
            ProvisionResult known = byKey.get(request.idempotencyKey());
            if (known != null) {
                if (!known.request().equals(request)) {
                    throw new CloudException(CloudException.Kind.INVALID_REQUEST, "key reused");
                }
                return known;
            }
            Offer offer = offers.stream().filter(o -> o.instanceType().equals(request.instanceType())
                    && o.region().equals(request.region())).findFirst().orElseThrow(() ->
                    new CloudException(CloudException.Kind.INVALID_REQUEST, "unknown offer"));
            if (request.purchaseOption() != io.fleetpredict.cloud.PurchaseOption.ON_DEMAND) {
                throw new CloudException(CloudException.Kind.INVALID_REQUEST, "no spot");
            }
            roundTrip();
            List<Instance> launched = new ArrayList<>();
            for (int i = 0; i < request.count(); i++) {
                int id = nextId;
                roundTrip();
                nextId = id + 1;
                Instance instance = new Instance("u-" + id, offer.instanceType(), offer.region(),
                        request.purchaseOption(), InstanceState.RUNNING, NOW, NOW, request.idempotencyKey(),
                        request.tags(), Map.of(), offer.onDemandPricePerHour());
                instances.put(instance.id(), instance);
                launched.add(instance);
            }
            ProvisionResult result = new ProvisionResult(request, launched);
            byKey.put(request.idempotencyKey(), result);
            return result;
        }

        @Override
        public ReleaseResult release(ReleaseRequest request) {
            ReleaseResult known = releases.get(request.idempotencyKey());
            if (known != null) {
                return known;
            }
            if (!instances.keySet().containsAll(request.instanceIds())) {
                throw new CloudException(CloudException.Kind.INVALID_REQUEST, "unknown ids");
            }
            List<Instance> ended = new ArrayList<>();
            for (String id : request.instanceIds()) {
                Instance i = instances.get(id);
                Instance done = new Instance(i.id(), i.instanceType(), i.region(), i.purchaseOption(),
                        InstanceState.TERMINATED, i.launchedAt(), i.readyAt(), i.idempotencyKey(), i.tags(),
                        i.configuration(), i.pricePerHour());
                instances.put(id, done);
                ended.add(done);
            }
            ReleaseResult result = new ReleaseResult(request, ended);
            releases.put(request.idempotencyKey(), result);
            return result;
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            return new DescribeResult(NOW, new ArrayList<>(instances.values()).stream().filter(request::matches).toList());
        }
    }
}
