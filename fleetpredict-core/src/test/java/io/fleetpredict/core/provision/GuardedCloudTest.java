package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
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

    /** A provider over the simulated cloud whose describe lists every instance, whatever it is asked. */
    private static CloudProvider listingEverything(SimulatedCloud sim) {
        CloudProvider provider = mock(CloudProvider.class, org.mockito.AdditionalAnswers.delegatesTo(sim));
        org.mockito.Mockito.doAnswer(inv -> sim.describe(DescribeRequest.all())).when(provider).describe(any());
        return provider;
    }

    @Test
    void describe_providerListingMoreThanAsked_answersOnlyWhatTheRequestMatches() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        List<String> mine = sim.provision(request("mine", 2)).instances().stream().map(Instance::id).toList();
        sim.provision(request("theirs", 3));
        String ended = sim.provision(request("ended", 1)).instances().get(0).id();
        sim.release(io.fleetpredict.cloud.ReleaseRequest.of("by-hand", Set.of(ended)));
        GuardedCloud guarded = GuardedCloud.builder(listingEverything(sim)).callTimeout(Duration.ZERO)
                .sleeper(clock::advance).build();

        for (DescribeRequest r : List.of(DescribeRequest.active().withTags(Map.of("k", "mine")),
                DescribeRequest.all().withIdempotencyKey("mine"),
                DescribeRequest.active().withInstanceIds(Set.of(mine.get(0), mine.get(1), ended)))) {
            assertEquals(new HashSet<>(mine), guarded.describe(r).instances().stream().map(Instance::id)
                    .collect(java.util.stream.Collectors.toSet()), r.toString());
        }
        assertEquals(List.of(ended), guarded.describe(DescribeRequest.all().withInstanceIds(Set.of(ended)))
                .instances().stream().map(Instance::id).toList());
        assertEquals(6, guarded.describe(DescribeRequest.all()).instances().size(), "no filter, nothing left out");
    }

    @Test
    void provision_lostAnswerAgainstAProviderListingMoreThanAsked_answeredWithItsOwnInstancesOnly() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        sim.provision(request("earlier", 4));
        CloudProvider provider = listingEverything(sim);
        org.mockito.Mockito.doAnswer(inv -> {
            sim.provision(inv.getArgument(0));
            throw new IllegalStateException("connection reset after the request was sent");
        }).when(provider).provision(any());
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).sleeper(clock::advance).build();

        ProvisionResult result = guarded.provision(request("lost-answer", 3));

        assertEquals(3, result.instances().size());
        assertTrue(result.instances().stream().allMatch(i -> i.idempotencyKey().equals("lost-answer")),
                result.instances().toString());
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
    void provision_timedOutThenTransientWhileDescribeIsDown_endsTimedOutNotTransient() {
        // The first attempt may have been applied (a create stored, then answered with a server error); describe
        // cannot tell, and the retries fail on their own. TRANSIENT would tell the caller nothing was applied,
        // and it would give the launch up while the instance runs, untracked.
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.name()).thenReturn("flaky");
        when(provider.provision(any())).thenThrow(new CloudException(Kind.TIMED_OUT, "create answered 500"))
                .thenThrow(new CloudException(Kind.TRANSIENT, "read answered 503"));
        when(provider.describe(any())).thenThrow(new CloudException(Kind.TRANSIENT, "describe answered 503"));
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(4)
                .sleeper(d -> { }).build();
        CloudException e = assertThrows(CloudException.class, () -> guarded.provision(request("maybe", 1)));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("read answered 503") && e.getMessage().contains("create answered 500"),
                e.getMessage());
        verify(provider, times(4)).provision(any());
    }

    @Test
    void release_timedOutThenRetryBudgetSpent_endsTimedOut() {
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.name()).thenReturn("flaky");
        when(provider.release(any())).thenThrow(new CloudException(Kind.TIMED_OUT, "delete answered 500"))
                .thenThrow(new CloudException(Kind.THROTTLED, "slow down"));
        when(provider.describe(any())).thenThrow(new CloudException(Kind.TRANSIENT, "describe answered 503"));
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(10)
                .retryBudget(0.0, 1).sleeper(d -> { }).build();
        CloudException e = assertThrows(CloudException.class,
                () -> guarded.release(new io.fleetpredict.cloud.ReleaseRequest("rel-1", Set.of("i-1"))));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
    }

    @Test
    void provision_transientOnEveryAttempt_staysTransient() {
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.provision(any())).thenThrow(new CloudException(Kind.TRANSIENT, "answered 503"));
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(3)
                .sleeper(d -> { }).build();
        CloudException e = assertThrows(CloudException.class, () -> guarded.provision(request("never", 1)));
        assertEquals(Kind.TRANSIENT, e.kind());
        verify(provider, times(3)).provision(any());
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
    void backoff_ceilingBeyondALongOfNanoseconds_drawsUpToAbout292Years() {
        // 300 years: more nanoseconds than a long holds. The delay saturates at Long.MAX_VALUE nanoseconds.
        Duration centuries = Duration.ofDays(300L * 365);
        GuardedCloud guarded = GuardedCloud.builder(mock(CloudProvider.class))
                .backoff(centuries, centuries).seed(3).build();
        for (int n = 0; n < 100; n++) {
            Duration d = guarded.backoff(1 + n % 8);
            assertTrue(!d.isNegative() && d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) <= 0, d::toString);
        }
    }

    @Test
    void callTimeoutBeyondALongOfNanoseconds_callsWaitWithoutALimit() {
        CloudProvider provider = mock(CloudProvider.class);
        io.fleetpredict.cloud.DescribeResult empty = new io.fleetpredict.cloud.DescribeResult(Fixtures.T0, List.of());
        when(provider.describe(any())).thenReturn(empty);
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ofDays(300L * 365))
                .sleeper(d -> { }).build();
        assertEquals(empty, guarded.describe(DescribeRequest.all()));
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

    @Test
    void offers_retryBudgetEarnsItsRatioOnEveryCallUpToTheReserve() {
        // Each call's first attempt fails and a retry succeeds, so each call needs one whole token.
        CloudProvider provider = mock(CloudProvider.class);
        java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean();
        when(provider.offers()).thenAnswer(inv -> {
            if (failNext.getAndSet(false)) {
                throw new CloudException(Kind.TRANSIENT, "flaky");
            }
            return List.of();
        });
        // A reserve of one token and half a token per call: the reserve pays the first retry, and every
        // second call after it has earned the next one.
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(2)
                .retryBudget(0.5, 1).sleeper(d -> { }).build();
        List<Boolean> succeeded = new ArrayList<>();
        for (int call = 0; call < 6; call++) {
            failNext.set(true);
            try {
                guarded.offers();
                succeeded.add(true);
            } catch (CloudException e) {
                assertTrue(e.getMessage().contains("retry budget"), e.getMessage());
                succeeded.add(false);
            }
        }
        assertEquals(List.of(true, false, true, false, true, false), succeeded);

        // Calls that need no retry earn tokens only up to the reserve: after ten of them, one retry, not five.
        for (int call = 0; call < 10; call++) {
            guarded.offers();
        }
        failNext.set(true);
        guarded.offers();
        failNext.set(true);
        assertThrows(CloudException.class, guarded::offers);
    }

    @Test
    void releaseAndConfigure_answeredByTheProvider_returnedAsTheProviderGaveThem() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        GuardedCloud guarded = GuardedCloud.builder(sim).callTimeout(Duration.ZERO).sleeper(clock::advance).build();
        List<String> ids = guarded.provision(request("p", 2)).instances().stream().map(Instance::id).toList();

        io.fleetpredict.cloud.ConfigureResult configured = guarded.configure(new io.fleetpredict.cloud.ConfigureRequest(
                "c", Set.copyOf(ids), Map.of("weight", "3")));
        assertEquals(Set.copyOf(ids), configured.instances().stream().map(Instance::id).collect(
                java.util.stream.Collectors.toSet()));
        io.fleetpredict.cloud.ReleaseResult released = guarded.release(io.fleetpredict.cloud.ReleaseRequest.of("r", ids));
        assertEquals(2, released.instances().size());
        assertTrue(released.instances().stream().noneMatch(i -> i.state().active()));
        assertEquals(sim.name(), guarded.name());
        assertEquals(sim, guarded.delegate());
    }

    @Test
    void releaseAndConfigure_appliedThenLost_answeredFromDescribeOnlyWhenDescribeShowsThemApplied() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        List<String> ids = sim.provision(request("p", 2)).instances().stream().map(Instance::id).toList();
        CloudProvider provider = mock(CloudProvider.class, org.mockito.AdditionalAnswers.delegatesTo(sim));
        AtomicInteger releases = new AtomicInteger();
        org.mockito.Mockito.doAnswer(inv -> {
            releases.incrementAndGet();
            sim.release(inv.getArgument(0));
            throw new IllegalStateException("connection reset after the request was sent");
        }).when(provider).release(any());
        AtomicInteger configures = new AtomicInteger();
        org.mockito.Mockito.doAnswer(inv -> {
            configures.incrementAndGet();
            sim.configure(inv.getArgument(0));
            throw new IllegalStateException("connection reset after the request was sent");
        }).when(provider).configure(any());
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).sleeper(clock::advance).build();

        io.fleetpredict.cloud.ConfigureResult configured = guarded.configure(new io.fleetpredict.cloud.ConfigureRequest(
                "c", Set.copyOf(ids), Map.of("weight", "3")));
        assertEquals(2, configured.instances().size());
        assertTrue(configured.instances().stream().allMatch(i -> "3".equals(i.configuration().get("weight"))));
        assertEquals(1, configures.get(), "answered from describe, not retried");
        io.fleetpredict.cloud.ReleaseResult released = guarded.release(io.fleetpredict.cloud.ReleaseRequest.of("r", ids));
        assertEquals(2, released.instances().size());
        assertEquals(1, releases.get(), "answered from describe, not retried");
    }

    @Test
    void releaseAndConfigure_lostAndNotShownByDescribe_retriedUntilTheAttemptsAreSpent() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        List<String> ids = sim.provision(request("p", 2)).instances().stream().map(Instance::id).toList();
        clock.advance(Duration.ofMinutes(10)); // booted: describe shows both running
        CloudProvider provider = mock(CloudProvider.class, org.mockito.AdditionalAnswers.delegatesTo(sim));
        // The calls are lost before they reach the cloud: describe still shows the instances running and
        // unconfigured, so each call is retried.
        org.mockito.Mockito.doThrow(new IllegalStateException("lost")).when(provider).release(any());
        org.mockito.Mockito.doThrow(new IllegalStateException("lost")).when(provider).configure(any());
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(3)
                .sleeper(clock::advance).build();

        CloudException r = assertThrows(CloudException.class,
                () -> guarded.release(io.fleetpredict.cloud.ReleaseRequest.of("r", ids)));
        assertEquals(Kind.TIMED_OUT, r.kind());
        verify(provider, times(3)).release(any());
        CloudException c = assertThrows(CloudException.class, () -> guarded.configure(
                new io.fleetpredict.cloud.ConfigureRequest("c", Set.copyOf(ids), Map.of("weight", "3"))));
        assertEquals(Kind.TIMED_OUT, c.kind());
        verify(provider, times(3)).configure(any());
        // One of the two released: describe shows one still active, which is not a completed release.
        org.mockito.Mockito.doAnswer(inv -> {
            sim.release(io.fleetpredict.cloud.ReleaseRequest.of("half", List.of(ids.get(0))));
            throw new IllegalStateException("lost halfway");
        }).when(provider).release(any());
        assertThrows(CloudException.class, () -> guarded.release(io.fleetpredict.cloud.ReleaseRequest.of("r2", ids)));
    }

    @Test
    void callsWithATimeout_answerErrorAndProviderFailureComeBackAsTheProviderGaveThem() {
        CloudProvider provider = mock(CloudProvider.class);
        io.fleetpredict.cloud.DescribeResult empty = new io.fleetpredict.cloud.DescribeResult(Fixtures.T0, List.of());
        when(provider.describe(any())).thenReturn(empty);
        when(provider.provision(any())).thenThrow(new CloudException(Kind.INVALID_REQUEST, "bad type"));
        when(provider.offers()).thenThrow(new StackOverflowError("deep"));
        java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.ExecutorService counting = new java.util.concurrent.AbstractExecutorService() {
            @Override
            public void execute(Runnable command) {
                submitted.incrementAndGet();
                pool.execute(command);
            }

            @Override
            public void shutdown() {
                pool.shutdown();
            }

            @Override
            public List<Runnable> shutdownNow() {
                return pool.shutdownNow();
            }

            @Override
            public boolean isShutdown() {
                return pool.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return pool.isTerminated();
            }

            @Override
            public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
                return pool.awaitTermination(timeout, unit);
            }
        };
        try {
            GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ofSeconds(10)).executor(counting)
                    .sleeper(d -> { }).build();
            assertEquals(empty, guarded.describe(DescribeRequest.all()));
            assertEquals(Kind.INVALID_REQUEST,
                    assertThrows(CloudException.class, () -> guarded.provision(request("x", 1))).kind());
            assertThrows(StackOverflowError.class, guarded::offers);
            assertEquals(3, submitted.get(), "every call ran on the given executor");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void describeWithATimeout_checkedExceptionFromTheProvider_isTransient() {
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.describe(any())).thenAnswer(inv -> {
            throw new java.io.IOException("connection refused");
        });
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ofSeconds(10)).maxAttempts(2)
                .sleeper(d -> { }).build();
        CloudException e = assertThrows(CloudException.class, () -> guarded.describe(DescribeRequest.all()));
        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        verify(provider, times(2)).describe(any());
    }

    @Test
    void waitingCallerInterrupted_failsAndKeepsItsInterrupt() {
        CloudProvider provider = mock(CloudProvider.class);
        io.fleetpredict.cloud.DescribeResult empty = new io.fleetpredict.cloud.DescribeResult(Fixtures.T0, List.of());
        when(provider.describe(any())).thenAnswer(inv -> {
            Thread.sleep(200);
            return empty;
        });
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ofSeconds(10)).maxAttempts(2)
                .sleeper(d -> { }).build();
        Thread.currentThread().interrupt();
        try {
            // Both attempts see the interrupt: the first restores it for the second, and for the caller.
            CloudException e = assertThrows(CloudException.class, () -> guarded.describe(DescribeRequest.all()));
            assertEquals(Kind.TRANSIENT, e.kind());
            assertTrue(e.getMessage().contains("interrupted while waiting for describe"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void backoffOrDescribeLagInterrupted_failsAndKeepsTheInterrupt() {
        CloudProvider provider = mock(CloudProvider.class);
        when(provider.offers()).thenThrow(new CloudException(Kind.TRANSIENT, "flaky"));
        when(provider.provision(any())).thenThrow(new CloudException(Kind.TIMED_OUT, "no answer"));
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).describeLag(Duration.ofSeconds(5))
                .sleeper(d -> {
                    throw new InterruptedException();
                }).build();
        try {
            CloudException backoff = assertThrows(CloudException.class, guarded::offers);
            assertTrue(backoff.getMessage().contains("interrupted while backing off"), backoff.getMessage());
            assertTrue(Thread.interrupted(), "the interrupt is kept");
            CloudException lag = assertThrows(CloudException.class, () -> guarded.provision(request("x", 1)));
            assertTrue(lag.getMessage().contains("interrupted while waiting for describe"), lag.getMessage());
            assertTrue(Thread.interrupted(), "the interrupt is kept");
            verify(provider, never()).describe(any());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void everyCall_nullAnswer_typedCloudExceptionNamingTheProviderAndTheCall() {
        CloudProvider provider = mock(CloudProvider.class); // answers null to every call returning a record
        when(provider.name()).thenReturn("acme");
        when(provider.capabilities()).thenReturn(null);
        when(provider.offers()).thenReturn(null);
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(2)
                .sleeper(d -> { }).build();
        Map<String, org.junit.jupiter.api.function.Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("capabilities", guarded::capabilities);
        calls.put("offers", guarded::offers);
        calls.put("describe", () -> guarded.describe(DescribeRequest.all()));
        calls.put("provision", () -> guarded.provision(request("k", 1)));
        calls.put("release", () -> guarded.release(io.fleetpredict.cloud.ReleaseRequest.of("r", List.of("i-1"))));
        calls.forEach((call, executable) -> {
            CloudException e = assertThrows(CloudException.class, executable, call);
            // A mutation answered null is settled by describe; here describe answers null too, so what the
            // mutation did is unknown, as after a timeout.
            boolean mutation = call.equals("provision") || call.equals("release");
            assertEquals(mutation ? Kind.TIMED_OUT : Kind.TRANSIENT, e.kind(), call);
            assertTrue(e.getMessage().contains("provider acme broke its contract: " + call + " returned null"),
                    e.getMessage());
        });
        verify(provider, times(2)).offers();
        verify(provider, times(2)).provision(any());
    }

    @Test
    void configure_nullAnswerAndNotShownAppliedByDescribe_transientAfterTheAttempts() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        List<String> ids = sim.provision(request("p", 2)).instances().stream().map(Instance::id).toList();
        CloudProvider provider = mock(CloudProvider.class, org.mockito.AdditionalAnswers.delegatesTo(sim));
        org.mockito.Mockito.doReturn(null).when(provider).configure(any());
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(3)
                .sleeper(clock::advance).build();
        CloudException e = assertThrows(CloudException.class, () -> guarded.configure(
                new io.fleetpredict.cloud.ConfigureRequest("c", Set.copyOf(ids), Map.of("weight", "3"))));
        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("configure returned null; describe does not show it applied"), e.getMessage());
        verify(provider, times(3)).configure(any());
    }

    @Test
    void provision_nullAnswerButLaunched_answeredFromDescribeWithoutASecondLaunch() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        CloudProvider provider = mock(CloudProvider.class, org.mockito.AdditionalAnswers.delegatesTo(sim));
        org.mockito.Mockito.doAnswer(inv -> {
            sim.provision(inv.getArgument(0));
            return null;
        }).when(provider).provision(any());
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).sleeper(clock::advance).build();
        ProvisionResult result = guarded.provision(request("launched-then-null", 3));
        assertEquals(3, result.fulfilled());
        assertEquals(3, sim.describe(DescribeRequest.all()).instances().size());
        verify(provider, times(1)).provision(any());
    }

    @Test
    void provision_resultOfAnotherRequest_refusedAsABrokenContract() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        ProvisionResult stale = sim.provision(request("earlier", 1));
        CloudProvider provider = mock(CloudProvider.class, org.mockito.AdditionalAnswers.delegatesTo(sim));
        org.mockito.Mockito.doReturn(stale).when(provider).provision(any());
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(2)
                .sleeper(clock::advance).build();
        CloudException e = assertThrows(CloudException.class, () -> guarded.provision(request("now", 2)));
        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("provision answered another request than the one sent"), e.getMessage());
    }

    @Test
    void releaseAndConfigure_resultOfTheRequestSentIsTheProvidersOwnAndOfAnotherIsRefused() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        List<String> ids = sim.provision(request("p", 3)).instances().stream().map(Instance::id).toList();
        CloudProvider provider = mock(CloudProvider.class, org.mockito.AdditionalAnswers.delegatesTo(sim));
        List<Object> given = new ArrayList<>();
        org.mockito.Mockito.doAnswer(inv -> {
            Object r = sim.release(inv.getArgument(0));
            given.add(r);
            return r;
        }).when(provider).release(any());
        org.mockito.Mockito.doAnswer(inv -> {
            Object r = sim.configure(inv.getArgument(0));
            given.add(r);
            return r;
        }).when(provider).configure(any());
        GuardedCloud guarded = GuardedCloud.builder(provider).callTimeout(Duration.ZERO).maxAttempts(2)
                .sleeper(clock::advance).build();

        io.fleetpredict.cloud.ConfigureResult configured = guarded.configure(new io.fleetpredict.cloud.ConfigureRequest(
                "c", Set.of(ids.get(0)), Map.of("weight", "3")));
        io.fleetpredict.cloud.ReleaseResult released = guarded.release(
                io.fleetpredict.cloud.ReleaseRequest.of("r", List.of(ids.get(0))));
        assertTrue(given.get(0) == configured && given.get(1) == released, "the provider's answers, as given");

        org.mockito.Mockito.doReturn(released).when(provider).release(any());
        org.mockito.Mockito.doReturn(configured).when(provider).configure(any());
        CloudException r = assertThrows(CloudException.class, () -> guarded.release(
                io.fleetpredict.cloud.ReleaseRequest.of("r2", List.of(ids.get(1)))));
        assertTrue(r.getMessage().contains("release answered another request than the one sent"), r.getMessage());
        CloudException c = assertThrows(CloudException.class, () -> guarded.configure(
                new io.fleetpredict.cloud.ConfigureRequest("c2", Set.of(ids.get(2)), Map.of("weight", "5"))));
        assertTrue(c.getMessage().contains("configure answered another request than the one sent"), c.getMessage());
    }

    @Test
    void offers_missingListOrUnpriceableSpotPrice_refusedOrLeftOut() {
        CloudProvider none = mock(CloudProvider.class);
        when(none.offers()).thenReturn(null);
        when(none.name()).thenReturn("mock");
        CloudException e = assertThrows(CloudException.class,
                () -> GuardedCloud.builder(none).callTimeout(Duration.ZERO).sleeper(d -> { }).build().offers());
        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("provider mock broke its contract: offers returned null"), e.getMessage());

        io.fleetpredict.cloud.Offer base = SimulatedCloud.defaultCatalogue().get(0);
        io.fleetpredict.cloud.Offer wildSpot = new io.fleetpredict.cloud.Offer("x.spot", base.family(), base.region(),
                base.cpuCores(), base.memoryGiB(), base.bandwidthGbps(), base.storageGiB(), 0.1,
                java.util.OptionalDouble.of(1e300), 0.01, base.bootTime());
        CloudProvider cloud = mock(CloudProvider.class);
        when(cloud.offers()).thenReturn(List.of(base, wildSpot));
        GuardedCloud guard = GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).build();
        assertEquals(List.of(base), guard.offers());
        assertEquals(1, guard.excludedOffers());
    }

    @Test
    void priceable_atTheLimitOfAYearOfTheLargestFleet() {
        // A price is summable when a year (366 days) of Integer.MAX_VALUE instances stays finite:
        // 1e294 x 2147483647 x 24 x 366 = 1.9e307; 1e296 gives 1.9e309, past Double.MAX_VALUE.
        assertTrue(GuardedCloud.priceable(1e294));
        assertTrue(!GuardedCloud.priceable(1e296));
        assertTrue(!GuardedCloud.priceable(Double.NaN));
    }

    @Test
    void builder_smallestValidSettingsAccepted_othersRefused() {
        CloudProvider provider = mock(CloudProvider.class);
        assertEquals(1, GuardedCloud.builder(provider).maxAttempts(1).build().maxAttempts());
        assertThrows(IllegalArgumentException.class, () -> GuardedCloud.builder(provider).maxAttempts(0));
        GuardedCloud.builder(provider).backoff(Duration.ofMillis(5), Duration.ofMillis(5)).retryBudget(0, 0)
                .retryBudget(1, 0).build();
        assertThrows(IllegalArgumentException.class,
                () -> GuardedCloud.builder(provider).backoff(Duration.ofMillis(5), Duration.ofMillis(4)));
        assertThrows(IllegalArgumentException.class, () -> GuardedCloud.builder(provider).retryBudget(-0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> GuardedCloud.builder(provider).retryBudget(1.1, 0));
        assertThrows(IllegalArgumentException.class, () -> GuardedCloud.builder(provider).retryBudget(0.5, -1));
    }
}
