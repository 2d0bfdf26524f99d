package io.fleetpredict.cloud.sim;

import static io.fleetpredict.cloud.sim.TestOffers.A_LARGE;
import static io.fleetpredict.cloud.sim.TestOffers.A_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.B_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.T0;
import static io.fleetpredict.cloud.sim.TestOffers.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.ConfigureRequest;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A simulated cloud with a retention for ended instances: what it still shows, and what it frees. */
class EndedRetentionTest {

    private static final Duration RETENTION = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.at(T0);

    private SimulatedCloud cloud(Duration retention) {
        return TestOffers.cloud(clock).defaultQuota(100_000).defaultCapacity(100_000).endedRetention(retention).build();
    }

    private static Set<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> described(SimulatedCloud cloud) {
        return ids(cloud.describe(DescribeRequest.all()).instances());
    }

    @Test
    void describe_releasedInstance_describedUntilTheRetentionPassesAndNotAfter() {
        SimulatedCloud cloud = cloud(RETENTION);
        String id = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0).id();
        clock.advance(Duration.ofMinutes(10));
        cloud.release(ReleaseRequest.of("r", List.of(id)));

        clock.advance(RETENTION);
        List<Instance> atTheEdge = cloud.describe(DescribeRequest.all()).instances();
        assertEquals(List.of(id), atTheEdge.stream().map(Instance::id).toList());
        assertEquals(InstanceState.TERMINATED, atTheEdge.get(0).state());

        clock.advance(Duration.ofNanos(1));
        assertEquals(Set.of(), described(cloud));
        assertEquals(Set.of(), ids(cloud.describe(DescribeRequest.all().withInstanceIds(Set.of(id))).instances()));
        assertEquals(Set.of(), ids(cloud.describe(DescribeRequest.all().withIdempotencyKey("k")).instances()));
        assertEquals(new SimulatedCloud.Footprint(0, 0, 0, 0, 0, 0), cloud.footprint());
    }

    @Test
    void describe_interruptedSpotInstance_describedWithinTheRetentionOfItsInterruptionOnly() {
        Offer fragile = TestOffers.withInterruptionRate(A_SMALL, 60);
        SimulatedCloud cloud = TestOffers.cloud(clock).catalogue(List.of(fragile)).endedRetention(RETENTION).build();
        String id = cloud.provision(request("k", fragile, PurchaseOption.SPOT, 1)).instances().get(0).id();
        Instant interrupted = null;
        for (int second = 1; interrupted == null; second++) {
            clock.set(T0.plusSeconds(second));
            if (cloud.describe(DescribeRequest.all()).instances().get(0).state() == InstanceState.INTERRUPTED) {
                interrupted = clock.instant();
            }
            assertTrue(second < 86_400, "a spot instance at 60 interruptions an hour lasted a day");
        }
        // Interrupted within the second before it was seen so: still shown a retention after that second's start.
        clock.set(interrupted.minusSeconds(1).plus(RETENTION));
        assertEquals(Set.of(id), described(cloud));
        clock.set(interrupted.plus(RETENTION).plusNanos(1));
        assertEquals(Set.of(), described(cloud));
        assertEquals(new SimulatedCloud.Footprint(0, 0, 0, 0, 0, 0), cloud.footprint());
    }

    @Test
    void describe_activeInstance_isNeverForgottenHoweverOld() {
        SimulatedCloud cloud = cloud(Duration.ZERO);
        String id = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0).id();
        clock.advance(Duration.ofDays(3650));
        List<Instance> all = cloud.describe(DescribeRequest.all()).instances();
        assertEquals(List.of(id), all.stream().map(Instance::id).toList());
        assertEquals(InstanceState.RUNNING, all.get(0).state());

        cloud.release(ReleaseRequest.of("r", List.of(id)));
        assertEquals(Set.of(id), described(cloud), "ended at this very instant: not more than zero ago");
        clock.advance(Duration.ofNanos(1));
        assertEquals(Set.of(), described(cloud));
    }

    @Test
    void provision_repeatedWithinTheRetention_returnsTheOriginalResultEvenWithSomeInstancesForgotten() {
        SimulatedCloud cloud = cloud(RETENTION);
        ProvisionRequest launch = request("k", A_SMALL, PurchaseOption.ON_DEMAND, 2);
        ProvisionResult first = cloud.provision(launch);
        List<String> launched = first.instances().stream().map(Instance::id).toList();
        clock.advance(Duration.ofMinutes(10));
        cloud.release(ReleaseRequest.of("r1", List.of(launched.get(0))));
        clock.advance(Duration.ofMinutes(30));
        cloud.release(ReleaseRequest.of("r2", List.of(launched.get(1))));

        clock.advance(RETENTION.minusMinutes(30));
        assertEquals(Set.copyOf(launched), described(cloud), "the first instance is at the end of its retention");
        assertEquals(first, cloud.provision(launch));
        clock.advance(Duration.ofMinutes(20));
        assertEquals(Set.of(launched.get(1)), described(cloud), "the first instance is forgotten");
        assertEquals(first, cloud.provision(launch), "the key stands while an instance it launched is shown");
        assertEquals(Set.of(launched.get(1)), described(cloud), "and the repeat launched nothing");
    }

    /** As a provider's expired idempotency token: a request under a key forgotten with its instances is new. */
    @Test
    void provision_repeatedAfterTheKeyWasForgotten_isAFirstRequest() {
        SimulatedCloud cloud = cloud(RETENTION);
        ProvisionRequest launch = request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1);
        String first = cloud.provision(launch).instances().get(0).id();
        cloud.release(ReleaseRequest.of("r", List.of(first)));
        clock.advance(RETENTION.plusNanos(1));

        ProvisionResult again = cloud.provision(launch);
        String second = again.instances().get(0).id();
        assertNotEquals(first, second);
        assertEquals(InstanceState.PENDING, again.instances().get(0).state());
        assertEquals(Set.of(second), ids(cloud.describe(DescribeRequest.all().withIdempotencyKey("k")).instances()));
        assertEquals(again, cloud.provision(launch), "the key now stands for the new launch");
        // The release's key went with its instance too: used again, it names an id the cloud no longer knows.
        CloudException unknown = assertThrows(CloudException.class,
                () -> cloud.release(ReleaseRequest.of("r", List.of(first))));
        assertEquals(CloudException.Kind.INVALID_REQUEST, unknown.kind());
    }

    @Test
    void releaseAndConfigure_forgottenId_areInvalidRequestsNamingTheId() {
        SimulatedCloud cloud = cloud(RETENTION);
        String gone = cloud.provision(request("k1", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0).id();
        String kept = cloud.provision(request("k2", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0).id();
        cloud.release(ReleaseRequest.of("r", List.of(gone)));
        clock.advance(RETENTION.plusSeconds(1));

        CloudException release = assertThrows(CloudException.class,
                () -> cloud.release(ReleaseRequest.of("r2", List.of(gone, kept))));
        assertEquals(CloudException.Kind.INVALID_REQUEST, release.kind());
        assertTrue(release.getMessage().contains(gone) && !release.getMessage().contains(kept), release.getMessage());
        CloudException configure = assertThrows(CloudException.class,
                () -> cloud.configure(new ConfigureRequest("c", Set.of(gone), Map.of("a", "b"))));
        assertEquals(CloudException.Kind.INVALID_REQUEST, configure.kind());
        assertTrue(configure.getMessage().contains(gone), configure.getMessage());
        IllegalArgumentException cost = assertThrows(IllegalArgumentException.class, () -> cloud.accruedCost(gone));
        assertTrue(cost.getMessage().contains(gone), cost.getMessage());
        assertEquals(Set.of(kept), ids(cloud.describe(DescribeRequest.active()).instances()), "nothing was released");
    }

    @Test
    void builder_negativeRetention_isRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatedCloud.builder().endedRetention(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("retention") && e.getMessage().contains("PT-1S"), e.getMessage());
    }

    /**
     * Launching, configuring and releasing for a long simulated time keeps only what is active or ended within
     * the retention, whatever was launched before; the same calls on a cloud that forgets nothing keep all.
     */
    @Test
    void footprint_manyInstancesEndedOverALongTime_holdsOnlyThoseEndedWithinTheRetention() {
        Duration retention = Duration.ofMinutes(30);
        SimulatedCloud forgetting = cloud(retention);
        SimulatedCloud remembering = TestOffers.cloud(clock).defaultQuota(100_000).defaultCapacity(100_000).build();
        int steps = 5_000;
        int lifetimeSteps = 5;
        for (SimulatedCloud cloud : List.of(forgetting, remembering)) {
            clock.set(T0);
            List<String> launched = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                String id = cloud.provision(request("p" + s, A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0)
                        .id();
                launched.add(id);
                cloud.configure(new ConfigureRequest("c" + s, Set.of(id), Map.of("step", Integer.toString(s))));
                if (s >= lifetimeSteps) {
                    cloud.release(ReleaseRequest.of("r" + s, List.of(launched.get(s - lifetimeSteps))));
                }
                clock.advance(Duration.ofMinutes(1));
            }
        }
        // Active: the last 5 launched; ended within the 30 minutes: the 30 or 31 released in the last 31 steps.
        int bound = lifetimeSteps + 32;
        SimulatedCloud.Footprint small = forgetting.footprint();
        assertTrue(small.instances() <= bound && small.live() <= lifetimeSteps && small.launchIndex() <= bound
                && small.keys() <= 3 * bound && small.endedQueued() <= bound && small.costsWaiting() <= bound,
                small.toString());
        SimulatedCloud.Footprint all = remembering.footprint();
        assertEquals(new SimulatedCloud.Footprint(steps, lifetimeSteps, steps, 3 * steps - lifetimeSteps, 0, 0), all);
        assertEquals(remembering.accruedCost(), forgetting.accruedCost(), 0.0);
    }

    /**
     * The cost of the forgotten stays in the total to the last digit: the same calls on a cloud that forgets
     * nothing, with prices and times whose sums round, give the same double after every call, however the
     * releases interleave (instances forgotten out of launch order).
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void accruedCost_instancesForgottenOutOfLaunchOrder_equalsToTheLastDigitACloudForgettingNothing(long seed) {
        Random random = new Random(seed);
        MutableClock other = MutableClock.at(T0);
        SimulatedCloud forgetting = cloud(Duration.ofMinutes(7));
        SimulatedCloud remembering = TestOffers.cloud(other).defaultQuota(100_000).defaultCapacity(100_000).build();
        List<Offer> offers = List.of(A_SMALL, A_LARGE, B_SMALL);
        List<String> active = new ArrayList<>();
        for (int call = 0; call < 600; call++) {
            if (active.size() < 3 || active.size() < 20 && random.nextBoolean()) {
                ProvisionRequest launch = request("p" + call, offers.get(random.nextInt(3)), PurchaseOption.ON_DEMAND,
                        1 + random.nextInt(3));
                List<Instance> a = forgetting.provision(launch).instances();
                assertEquals(a, remembering.provision(launch).instances());
                a.forEach(i -> active.add(i.id()));
            } else {
                String id = active.remove(random.nextInt(active.size()));
                forgetting.release(ReleaseRequest.of("r" + call, List.of(id)));
                remembering.release(ReleaseRequest.of("r" + call, List.of(id)));
            }
            Duration step = Duration.ofSeconds(random.nextInt(600), random.nextInt(1_000_000_000));
            clock.advance(step);
            other.advance(step);
            assertEquals(remembering.accruedCost(), forgetting.accruedCost(), 0.0, "after call " + call);
        }
        assertTrue(forgetting.footprint().instances() < remembering.footprint().instances() / 2,
                forgetting.footprint() + " against " + remembering.footprint());
    }

    /**
     * Random launches, repeats, releases and clock moves against a model of the contract: described are the
     * active instances and those ended at most the retention ago; a key stands while an instance its result
     * holds is described, and after that a request under it is a first request; a release naming a forgotten
     * id is refused.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void describe_randomCalls_showsTheActiveAndThoseEndedWithinTheRetention(long seed) {
        Random random = new Random(seed);
        Duration retention = Duration.ofMinutes(20);
        SimulatedCloud cloud = cloud(retention);
        Model model = new Model(retention);
        List<ProvisionRequest> launches = new ArrayList<>();
        List<ReleaseRequest> releases = new ArrayList<>();
        for (int call = 0; call < 400; call++) {
            Instant now = clock.instant();
            int what = random.nextInt(10);
            if (what < 3 || launches.isEmpty()) {
                ProvisionRequest launch = request("p" + call, random.nextBoolean() ? A_SMALL : B_SMALL,
                        PurchaseOption.ON_DEMAND, 1 + random.nextInt(3));
                launches.add(launch);
                model.launched(launch.idempotencyKey(), ids(cloud.provision(launch).instances()), now);
            } else if (what < 5) {
                ProvisionRequest launch = launches.get(random.nextInt(launches.size()));
                List<String> remembered = model.result(launch.idempotencyKey(), now);
                List<String> answered = cloud.provision(launch).instances().stream().map(Instance::id).toList();
                if (remembered != null) {
                    assertEquals(remembered, answered, "repeat of " + launch.idempotencyKey());
                } else {
                    assertTrue(answered.stream().noneMatch(model.launchedAt::containsKey), "a first request launches anew");
                    model.launched(launch.idempotencyKey(), new TreeSet<>(answered), now);
                }
            } else if (what < 8) {
                List<String> known = new ArrayList<>(model.launchedAt.keySet());
                Set<String> named = new TreeSet<>();
                for (int n = 1 + random.nextInt(2); n > 0; n--) {
                    named.add(known.get(random.nextInt(known.size())));
                }
                ReleaseRequest release = ReleaseRequest.of("r" + call, named);
                releases.add(release);
                releaseAgainstModel(cloud, model, release, now);
            } else if (what < 9 && !releases.isEmpty()) {
                releaseAgainstModel(cloud, model, releases.get(random.nextInt(releases.size())), now);
            } else {
                clock.advance(Duration.ofSeconds(random.nextInt((int) retention.multipliedBy(3).dividedBy(2).toSeconds())));
            }
            Instant at = clock.instant();
            assertEquals(model.described(at), described(cloud), "after call " + call);
            for (Instance instance : cloud.describe(DescribeRequest.all()).instances()) {
                assertEquals(model.ended.containsKey(instance.id()), instance.state() == InstanceState.TERMINATED,
                        instance.toString());
            }
            String key = launches.get(random.nextInt(launches.size())).idempotencyKey();
            assertEquals(model.launchedUnder(key, at),
                    ids(cloud.describe(DescribeRequest.all().withIdempotencyKey(key)).instances()), key);
            assertEquals(model.described(at).size(), cloud.footprint().instances());
        }
    }

    /** The forgetting is done by the cost call itself: no other call between the retention passing and it. */
    @Test
    void accruedCost_ofAnInstanceForgottenJustBefore_isRefusedSayingItMayHaveBeenForgotten() {
        SimulatedCloud cloud = cloud(RETENTION);
        String gone = cloud.provision(request("k1", B_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0).id();
        clock.advance(Duration.ofHours(2));
        cloud.release(ReleaseRequest.of("r", List.of(gone)));
        assertEquals(0.16, cloud.accruedCost(gone), 1e-12, "2 hours at 0.08");
        clock.advance(RETENTION.plusNanos(1));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cloud.accruedCost(gone));

        assertEquals("instanceId '" + gone + "' is unknown (never launched, or ended longer ago than the retention "
                + "and forgotten)", e.getMessage());
        assertEquals(0.16, cloud.accruedCost(), 1e-12, "the forgotten instance's cost stays in the total");
        IllegalArgumentException never = assertThrows(IllegalArgumentException.class,
                () -> TestOffers.cloud(clock).build().accruedCost("i-nope"));
        assertEquals("instanceId 'i-nope' is unknown", never.getMessage(), "a cloud that forgets nothing");
    }

    @Test
    void release_unknownId_saysItMayHaveBeenForgottenOnlyWhereTheCloudForgets() {
        CloudException forgetting = assertThrows(CloudException.class,
                () -> cloud(RETENTION).release(ReleaseRequest.of("r", List.of("i-nope"))));
        assertEquals("instanceIds holds unknown ids [i-nope] (never launched, or ended more than PT1H ago and "
                + "forgotten)", forgetting.getMessage());
        CloudException remembering = assertThrows(CloudException.class,
                () -> TestOffers.cloud(clock).build().release(ReleaseRequest.of("r", List.of("i-nope"))));
        assertEquals("instanceIds holds unknown ids [i-nope]", remembering.getMessage());
    }

    /**
     * A spot instance waits in the interruption queue until it is released, then in the release queue only; an
     * on-demand one released beside it is never looked for in the interruption queue. The entries are counted
     * by hand before and after the retention passes, with no other call than the count.
     */
    @Test
    void footprint_spotAndOnDemandReleased_queuedOnceEachAndFreedWhenTheRetentionPasses() {
        Offer rare = TestOffers.withInterruptionRate(A_SMALL, 0.001);
        SimulatedCloud cloud = TestOffers.cloud(clock).catalogue(List.of(rare, B_SMALL)).endedRetention(RETENTION)
                .build();
        List<Instance> spot = cloud.provision(request("k1", rare, PurchaseOption.SPOT, 2)).instances();
        Instance onDemand = cloud.provision(request("k2", B_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0);
        assertEquals(new SimulatedCloud.Footprint(3, 3, 3, 2, 2, 0), cloud.footprint(),
                "both spot instances queued for their interruption");

        cloud.release(ReleaseRequest.of("r", List.of(spot.get(0).id(), onDemand.id())));

        // 3 remembered, 1 live; 3 launches by key; keys k1, k2 and r; 2 released + 1 awaiting interruption.
        assertEquals(new SimulatedCloud.Footprint(3, 1, 3, 3, 3, 0), cloud.footprint());
        clock.advance(RETENTION.plusSeconds(1));
        // The released (launched 1st and 3rd) forgotten: k2 and r with them; k1 keeps both of its launches
        // until its second goes; the costs of the 2nd (remembered) and 3rd wait for the 2nd.
        assertEquals(new SimulatedCloud.Footprint(1, 1, 2, 1, 1, 2), cloud.footprint());
        assertEquals(Set.of(spot.get(1).id()), described(cloud));
    }

    @Test
    void footprint_interruptedSpotInstances_leaveTheLiveSetOnceDescribedAsEnded() {
        SimulatedCloud cloud = TestOffers.cloud(clock).catalogue(List.of(TestOffers.withInterruptionRate(A_SMALL, 0.5)))
                .build();
        cloud.provision(request("k", A_SMALL, PurchaseOption.SPOT, 4));
        cloud.provision(request("od", A_SMALL, PurchaseOption.ON_DEMAND, 1));
        clock.advance(Duration.ofHours(1000));

        assertEquals(1, cloud.describe(DescribeRequest.active()).instances().size(), "the on-demand instance");

        assertEquals(new SimulatedCloud.Footprint(5, 1, 5, 2, 0, 0), cloud.footprint());
    }

    private static void releaseAgainstModel(SimulatedCloud cloud, Model model, ReleaseRequest release, Instant now) {
        List<String> remembered = model.result(release.idempotencyKey(), now);
        Set<String> forgotten = new TreeSet<>(release.instanceIds());
        forgotten.removeAll(model.described(now));
        if (remembered == null && !forgotten.isEmpty()) {
            CloudException e = assertThrows(CloudException.class, () -> cloud.release(release));
            assertEquals(CloudException.Kind.INVALID_REQUEST, e.kind());
            assertTrue(e.getMessage().contains(forgotten.iterator().next()), e.getMessage());
            return;
        }
        ReleaseResult result = cloud.release(release);
        if (remembered != null) {
            assertEquals(remembered, result.instances().stream().map(Instance::id).toList());
            return;
        }
        model.released(release.idempotencyKey(), release.instanceIds(), now);
    }

    /** What the contract says a cloud with a retention shows, kept by hand. */
    private static final class Model {
        private final Duration retention;
        final Map<String, Instant> launchedAt = new LinkedHashMap<>();
        final Map<String, Instant> ended = new HashMap<>();
        /** Each key's current mutation: the ids its result holds, in the result's order. */
        private final Map<String, List<String>> results = new HashMap<>();
        private final Map<String, Set<String>> launchedBy = new HashMap<>();

        Model(Duration retention) {
            this.retention = retention;
        }

        void launched(String key, Set<String> ids, Instant now) {
            ids.forEach(id -> launchedAt.put(id, now));
            results.put(key, List.copyOf(new TreeSet<>(ids)));
            launchedBy.put(key, ids);
        }

        void released(String key, Set<String> ids, Instant now) {
            ids.forEach(id -> ended.putIfAbsent(id, now));
            results.put(key, List.copyOf(new TreeSet<>(ids)));
        }

        boolean shown(String id, Instant now) {
            Instant end = ended.get(id);
            return launchedAt.containsKey(id) && (end == null || !end.plus(retention).isBefore(now));
        }

        Set<String> described(Instant now) {
            return launchedAt.keySet().stream().filter(id -> shown(id, now)).collect(Collectors.toCollection(TreeSet::new));
        }

        /** The ids the key's result holds while any is shown; null once the key is forgotten (or never used). */
        @Nullable List<String> result(String key, Instant now) {
            List<String> ids = results.get(key);
            return ids != null && ids.stream().anyMatch(id -> shown(id, now)) ? ids : null;
        }

        Set<String> launchedUnder(String key, Instant now) {
            return launchedBy.getOrDefault(key, Set.of()).stream().filter(id -> shown(id, now))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
