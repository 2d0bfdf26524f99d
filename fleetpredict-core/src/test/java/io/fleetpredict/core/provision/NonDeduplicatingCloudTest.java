package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Duplicates under apply-then-timeout against a provider that does not de-duplicate by idempotency key
 * (every call launches anew) and whose describe lags: the guard relies on describe alone, so it launches
 * nothing twice when describe catches up within the bound it is given ({@code describeLag}), and the
 * figures show what happens without that bound.
 */
class NonDeduplicatingCloudTest {

    /** How the provider's describe lags behind its launches. */
    enum Lag { WITHIN_BOUND, NEWEST_HIDDEN }

    /** A provider that launches on every call, times out 30% of applied provisions, and describes late. */
    static final class LaggingCloud implements CloudProvider {
        private final SimulatedCloud sim;
        private final MutableClock clock;
        private final Lag lag;
        private final Duration bound;
        private final Random random;
        private final Map<String, Instant> launchedAt = new ConcurrentHashMap<>();
        private int calls;

        LaggingCloud(MutableClock clock, long seed, Lag lag, Duration bound) {
            this.sim = SimulatedCloud.builder().clock(clock).seed(seed).defaultQuota(100_000).defaultCapacity(100_000)
                    .build();
            this.clock = clock;
            this.lag = lag;
            this.bound = bound;
            this.random = new Random(seed);
        }

        @Override
        public String name() {
            return "lagging";
        }

        @Override
        public Set<Capability> capabilities() {
            return sim.capabilities();
        }

        @Override
        public List<Offer> offers() {
            return sim.offers();
        }

        private static Instance withKey(Instance i, String key) {
            return new Instance(i.id(), i.instanceType(), i.region(), i.purchaseOption(), i.state(), i.launchedAt(),
                    i.readyAt(), key, i.tags(), i.configuration(), i.pricePerHour());
        }

        private static String original(String innerKey) {
            return innerKey.substring(0, innerKey.lastIndexOf('#'));
        }

        @Override
        public synchronized ProvisionResult provision(ProvisionRequest r) {
            // No de-duplication: each call is a new launch under a key of its own inside the simulated cloud.
            ProvisionRequest inner = new ProvisionRequest(r.idempotencyKey() + "#" + (calls++), r.instanceType(),
                    r.region(), r.purchaseOption(), r.count(), r.tags());
            List<Instance> launched = sim.provision(inner).instances().stream()
                    .map(i -> withKey(i, r.idempotencyKey())).toList();
            launched.forEach(i -> launchedAt.put(i.id(), clock.instant()));
            if (random.nextDouble() < 0.3) {
                throw new CloudException(CloudException.Kind.TIMED_OUT, "applied, but the answer was lost");
            }
            return new ProvisionResult(r, launched);
        }

        @Override
        public ReleaseResult release(ReleaseRequest request) {
            return sim.release(request);
        }

        @Override
        public synchronized DescribeResult describe(DescribeRequest request) {
            DescribeResult all = sim.describe(DescribeRequest.all());
            List<Instance> visible = all.instances().stream().map(i -> withKey(i, original(i.idempotencyKey())))
                    .filter(request::matches).collect(Collectors.toCollection(ArrayList::new));
            if (lag == Lag.WITHIN_BOUND) {
                Instant cutoff = clock.instant().minus(bound);
                visible.removeIf(i -> launchedAt.get(i.id()).isAfter(cutoff));
            } else {
                Map<String, Instance> newest = new HashMap<>();
                for (Instance i : visible) {
                    newest.merge(i.idempotencyKey(), i, (a, b) -> Comparator.comparing((Instance x) ->
                            launchedAt.get(x.id())).thenComparing(Instance::id).compare(a, b) >= 0 ? a : b);
                }
                visible.removeAll(newest.values());
            }
            return new DescribeResult(all.asOf(), visible);
        }

        long duplicates(Map<String, Integer> requested) {
            Map<String, Integer> perKey = new HashMap<>();
            sim.describe(DescribeRequest.all()).instances()
                    .forEach(i -> perKey.merge(original(i.idempotencyKey()), 1, Integer::sum));
            return perKey.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - requested.get(e.getKey()))).sum();
        }
    }

    /** Runs provisions of {@code count} instances each through a guard; returns the duplicate instances. */
    private static long duplicates(Lag lag, Duration providerLag, Duration guardLag, int provisions, int count) {
        long duplicates = 0;
        int shards = 4;
        for (int shard = 0; shard < shards; shard++) {
            MutableClock clock = MutableClock.at(Fixtures.T0);
            LaggingCloud cloud = new LaggingCloud(clock, shard, lag, providerLag);
            GuardedCloud guarded = GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).maxAttempts(8)
                    .retryBudget(1.0, 1_000).sleeper(clock::advance).seed(shard).describeLag(guardLag).build();
            Map<String, Integer> requested = new HashMap<>();
            for (int n = 0; n < provisions / shards; n++) {
                String key = "op-" + shard + "-" + n;
                requested.put(key, count);
                try {
                    guarded.provision(new ProvisionRequest(key, "m.large", "us-east", PurchaseOption.ON_DEMAND, count,
                            Map.of("k", key)));
                } catch (CloudException e) {
                    // a failed call is not a duplicate; what it launched is counted below
                }
                clock.advance(Duration.ofSeconds(1));
            }
            duplicates += cloud.duplicates(requested);
        }
        return duplicates;
    }

    @Test
    void provision_describeConsistentWithinTheGuardsBound_noDuplicates() {
        long withBound = duplicates(Lag.WITHIN_BOUND, Duration.ofSeconds(30), Duration.ofSeconds(30), 2_000, 1);
        long withoutBound = duplicates(Lag.WITHIN_BOUND, Duration.ofSeconds(30), Duration.ZERO, 2_000, 1);
        System.out.printf(Locale.ROOT, "[figure] 2,000 provisions, no de-duplication, describe 30 s behind, 30%% "
                + "applied-then-timed-out: %d duplicates with describeLag 30 s, %d with describeLag 0%n",
                withBound, withoutBound);
        assertEquals(0, withBound);
        assertTrue(withoutBound > 100, "without the bound the guard re-launches: " + withoutBound);
    }

    @Test
    void provision_describeHidingTheNewestInstance_noDuplicatesWhenAnyInstanceShows() {
        long pairs = duplicates(Lag.NEWEST_HIDDEN, Duration.ZERO, Duration.ZERO, 2_000, 2);
        long singles = duplicates(Lag.NEWEST_HIDDEN, Duration.ZERO, Duration.ZERO, 2_000, 1);
        System.out.printf(Locale.ROOT, "[figure] 2,000 provisions, no de-duplication, describe hides the newest "
                + "instance of each key: %d duplicates for 2 instances per call, %d for 1 (outside the contract)%n",
                pairs, singles);
        assertEquals(0, pairs, "a describe that shows part of a launch proves it applied: never re-sent");
        assertTrue(singles > 0, "a launch describe never shows cannot be told from one that never happened");
    }
}
