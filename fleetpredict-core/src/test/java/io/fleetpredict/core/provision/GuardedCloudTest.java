package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuardedCloudTest {

    private static ProvisionRequest request(String key, int count) {
        return new ProvisionRequest(key, "m.large", "us-east", PurchaseOption.ON_DEMAND, count, Map.of("k", key));
    }

    @Test
    void provision_appliedThenTimedOutOn30PercentOfCalls_noDuplicateInstances() {
        // Ten clouds of 1,000 calls each: the simulated cloud scans its instances on every call.
        int logical = 10_000;
        int failed = 0;
        Map<String, Integer> answered = new HashMap<>();
        Map<String, Integer> perKey = new HashMap<>();
        List<Instance> all = new ArrayList<>();
        for (int shard = 0; shard < 10; shard++) {
            MutableClock clock = MutableClock.at(Fixtures.T0);
            SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(shard).timeoutAfterApplyProbability(0.3)
                    .defaultQuota(100_000).defaultCapacity(100_000).build();
            GuardedCloud guarded = GuardedCloud.builder(sim).callTimeout(Duration.ZERO).maxAttempts(8)
                    .retryBudget(1.0, 1_000).sleeper(clock::advance).seed(shard).build();
            for (int n = 0; n < logical / 10; n++) {
                String key = "op-" + shard + "-" + n;
                try {
                    ProvisionResult result = guarded.provision(request(key, 1));
                    answered.put(key, result.fulfilled());
                } catch (CloudException e) {
                    failed++;
                }
            }
            all.addAll(sim.describe(DescribeRequest.all()).instances());
        }
        for (Instance i : all) {
            perKey.merge(i.idempotencyKey(), 1, Integer::sum);
        }
        long duplicates = perKey.values().stream().mapToLong(c -> c - 1).sum();
        long unanswered = perKey.keySet().stream().filter(k -> !answered.containsKey(k)).count();
        System.out.printf(Locale.ROOT, "[figure] 10,000 logical provisions, 30%% applied-then-timed-out: "
                + "%d instances, %d duplicates, %d calls failed after all attempts, %d launched but unanswered%n",
                all.size(), duplicates, failed, unanswered);
        assertEquals(0, duplicates);
        assertEquals(logical, all.size(), "every logical provision launched exactly once");
        assertEquals(logical - failed, answered.size());
    }

    @Test
    void provision_throttledForASimulatedMinute_boundedAttemptsSpreadDelaysAndRecovery() {
        int ops = 200;
        int maxAttempts = 12;
        Duration outage = Duration.ofMinutes(1);
        List<List<Instant>> attemptTimes = new ArrayList<>();
        List<Instant> successes = new ArrayList<>();
        int gaveUp = 0;
        for (int op = 0; op < ops; op++) {
            MutableClock clock = MutableClock.at(Fixtures.T0);
            Instant recovery = Fixtures.T0.plus(outage);
            List<Instant> times = new ArrayList<>();
            CloudProvider provider = mock(CloudProvider.class);
            when(provider.name()).thenReturn("throttled");
            when(provider.provision(any())).thenAnswer(inv -> {
                times.add(clock.instant());
                if (clock.instant().isBefore(recovery)) {
                    throw new CloudException(Kind.THROTTLED, "rate limit exceeded");
                }
                ProvisionRequest r = inv.getArgument(0);
                return new ProvisionResult(r, List.of(new Instance("i-" + r.idempotencyKey(), r.instanceType(),
                        r.region(), r.purchaseOption(), InstanceState.PENDING, clock.instant(), clock.instant(),
                        r.idempotencyKey(), r.tags(), Map.of(), 0.096)));
            });
            GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(maxAttempts)
                    .backoff(Duration.ofSeconds(2), Duration.ofSeconds(30)).sleeper(clock::advance).seed(op).build();
            try {
                guarded.provision(request("op-" + op, 1));
                successes.add(clock.instant());
            } catch (CloudException e) {
                assertEquals(Kind.THROTTLED, e.kind());
                gaveUp++;
            }
            attemptTimes.add(times);
        }
        int mostAttempts = attemptTimes.stream().mapToInt(List::size).max().orElseThrow();
        // Lockstep would put every caller's k-th retry at the same instant; count the callers sharing one.
        int worstCollision = 0;
        double[] firstRetry = new double[ops];
        for (int k = 1; k < maxAttempts; k++) {
            Map<Instant, Integer> at = new HashMap<>();
            for (List<Instant> times : attemptTimes) {
                if (times.size() > k) {
                    at.merge(times.get(k), 1, Integer::sum);
                }
            }
            worstCollision = Math.max(worstCollision, at.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        }
        for (int op = 0; op < ops; op++) {
            firstRetry[op] = Duration.between(attemptTimes.get(op).get(0), attemptTimes.get(op).get(1)).toMillis();
        }
        double mean = java.util.Arrays.stream(firstRetry).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(firstRetry).map(d -> (d - mean) * (d - mean)).sum() / (ops - 1));
        long worstLag = successes.stream().mapToLong(t -> Duration.between(Fixtures.T0.plus(outage), t).toSeconds())
                .max().orElse(-1);
        double medianLag = successes.stream().mapToLong(t -> Duration.between(Fixtures.T0.plus(outage), t).toMillis())
                .sorted().skip(successes.size() / 2).findFirst().orElse(-1) / 1000.0;
        System.out.printf(Locale.ROOT, "[figure] 100%% throttling for 60 s, %d operations: at most %d attempts "
                + "(limit %d), first-retry delay mean %.0f ms sd %.0f ms, at most %d callers retrying at one instant, "
                + "%d succeeded (median %.1f s, worst %d s after recovery), %d gave up%n", ops, mostAttempts,
                maxAttempts, mean, sd, worstCollision, successes.size(), medianLag, worstLag, gaveUp);
        assertTrue(mostAttempts <= maxAttempts);
        // Full jitter on [0, 2 s] is uniform: sd = 2000 / sqrt(12) = 577 ms; lockstep would give sd 0.
        assertTrue(sd > 400 && sd < 750, "first-retry spread " + sd);
        assertTrue(worstCollision <= 2, "callers retrying at one instant: " + worstCollision);
        assertTrue(successes.size() >= ops * 0.95, "succeeded " + successes.size());
        assertTrue(worstLag <= 30, "success came " + worstLag + " s after recovery, beyond one maximum backoff");
    }

    @Test
    void describe_strayRuntimeException_becomesTransientCloudException() {
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.describe(any())).thenThrow(new IllegalStateException("socket closed"));
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(3)
                .sleeper(d -> { }).build();
        CloudException e = assertThrows(CloudException.class, () -> guarded.describe(DescribeRequest.all()));
        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("socket closed"), e.getMessage());
        verify(provider, times(3)).describe(any());
    }

    @Test
    void provision_strayRuntimeException_isTimedOutAndReconciledByDescribe() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        CloudProvider provider = mock(CloudProvider.class, org.mockito.AdditionalAnswers.delegatesTo(sim));
        AtomicInteger calls = new AtomicInteger();
        org.mockito.Mockito.doAnswer(inv -> {
            calls.incrementAndGet();
            sim.provision(inv.getArgument(0));
            throw new IllegalStateException("connection reset after the request was sent");
        }).when(provider).provision(any());
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).sleeper(clock::advance).build();
        ProvisionResult result = guarded.provision(request("lost-answer", 3));
        assertEquals(3, result.fulfilled());
        assertEquals(1, calls.get(), "answered from describe, not retried");
    }

    @Test
    void provision_hangingCall_timesOutWithinTheCallTimeout() {
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.provision(any())).thenAnswer(inv -> {
            Thread.sleep(5_000);
            return null;
        });
        when(provider.describe(any())).thenThrow(new CloudException(Kind.TRANSIENT, "describe down"));
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ofMillis(50)).maxAttempts(2)
                .sleeper(d -> { }).build();
        long start = System.nanoTime();
        CloudException e = assertThrows(CloudException.class, () -> guarded.provision(request("hang", 1)));
        assertEquals(Kind.TIMED_OUT, e.kind());
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }

    @Test
    void provision_capacityUnavailableOrInvalid_notRetried() {
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.provision(any())).thenThrow(new CloudException(Kind.CAPACITY_UNAVAILABLE, "full"))
                .thenThrow(new CloudException(Kind.INVALID_REQUEST, "bad type"));
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).sleeper(d -> { }).build();
        assertEquals(Kind.CAPACITY_UNAVAILABLE,
                assertThrows(CloudException.class, () -> guarded.provision(request("a", 1))).kind());
        assertEquals(Kind.INVALID_REQUEST,
                assertThrows(CloudException.class, () -> guarded.provision(request("b", 1))).kind());
        verify(provider, times(2)).provision(any());
    }

    @Test
    void offers_retryBudgetSpent_failsWithoutFurtherRetries() {
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.offers()).thenThrow(new CloudException(Kind.TRANSIENT, "flaky"));
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(10)
                .retryBudget(0.0, 3).sleeper(d -> { }).build();
        assertThrows(CloudException.class, guarded::offers);
        CloudException second = assertThrows(CloudException.class, guarded::offers);
        assertTrue(second.getMessage().contains("retry budget"), second.getMessage());
        verify(provider, times(5)).offers();
    }

    @Test
    void backoff_fullJitter_staysWithinTheDoublingCeiling() {
        GuardedCloud guarded = GuardedCloud.builder(mock(CloudProvider.class))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).seed(3).build();
        Set<Duration> seen = new HashSet<>();
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = Math.min(1_000, 100L << (attempt - 1));
            for (int n = 0; n < 200; n++) {
                Duration d = guarded.backoff(attempt);
                assertTrue(!d.isNegative() && d.toMillis() <= ceiling, attempt + ": " + d);
                seen.add(d);
            }
        }
        assertTrue(seen.size() > 1_500, "delays repeat: " + seen.size());
    }

    @Test
    void offers_nullAndOverflowingPrices_leftOutCountedAndTheRestKept() {
        List<io.fleetpredict.cloud.Offer> catalogue = SimulatedCloud.defaultCatalogue();
        io.fleetpredict.cloud.Offer base = catalogue.get(0);
        io.fleetpredict.cloud.Offer huge = new io.fleetpredict.cloud.Offer("x.huge", base.family(), base.region(),
                base.cpuCores(), base.memoryGiB(), base.bandwidthGbps(), base.storageGiB(), 1e308,
                java.util.OptionalDouble.empty(), 0, base.bootTime());
        List<io.fleetpredict.cloud.Offer> offered = new ArrayList<>(catalogue);
        offered.add(1, null);
        offered.add(huge);
        CloudProvider cloud = mock(CloudProvider.class);
        when(cloud.offers()).thenReturn(offered);
        when(cloud.name()).thenReturn("mock");
        GuardedCloud guard = GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).build();

        assertEquals(catalogue, guard.offers());
        assertEquals(2, guard.excludedOffers());
        verify(cloud, times(1)).offers();
        assertTrue(GuardedCloud.priceable(1e6));
        assertTrue(!GuardedCloud.priceable(1e300));
    }
}
