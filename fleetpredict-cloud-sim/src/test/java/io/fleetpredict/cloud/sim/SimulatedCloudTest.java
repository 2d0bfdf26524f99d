package io.fleetpredict.cloud.sim;

import static io.fleetpredict.cloud.sim.TestOffers.A_LARGE;
import static io.fleetpredict.cloud.sim.TestOffers.A_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.B_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.REGION;
import static io.fleetpredict.cloud.sim.TestOffers.T0;
import static io.fleetpredict.cloud.sim.TestOffers.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatedCloudTest {

    private final MutableClock clock = MutableClock.at(T0);

    private static Set<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).collect(Collectors.toSet());
    }

    private static CloudException.Kind kindOf(Runnable call) {
        return assertThrows(CloudException.class, call::run).kind();
    }

    @Test
    void describe_beforeBootTime_isPendingThenRunningExactlyAtReadyAt() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        Instance launched = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0);
        assertEquals(T0.plus(Duration.ofMinutes(3)), launched.readyAt());
        assertEquals(InstanceState.PENDING, launched.state());

        clock.advance(Duration.ofMinutes(3).minusNanos(1));
        assertEquals(InstanceState.PENDING, cloud.describe(DescribeRequest.all()).instances().get(0).state());
        clock.advance(Duration.ofNanos(1));
        assertEquals(InstanceState.RUNNING, cloud.describe(DescribeRequest.all()).instances().get(0).state());
    }

    /**
     * The instances of one provision hold its tags once, and the instances configured alike one copy of the
     * settings, through every state: a fleet's history is mostly alike instances, and a copy each weighs
     * more than the instance.
     */
    @Test
    void describe_instancesLaunchedAndConfiguredAlike_shareOneCopyOfTheirMaps() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        ProvisionResult launched = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 3));
        Set<String> all = ids(launched.instances());
        cloud.configure(new ConfigureRequest("c", all, Map.of("pool", "blue")));
        List<Instance> pending = cloud.describe(DescribeRequest.all()).instances();
        clock.advance(Duration.ofMinutes(3));
        List<Instance> running = cloud.describe(DescribeRequest.all()).instances();
        cloud.release(new ReleaseRequest("r", all));
        List<Instance> ended = cloud.describe(DescribeRequest.all()).instances();

        Map<String, String> settings = pending.get(0).configuration();
        assertEquals(Map.of("pool", "blue"), settings);
        for (List<Instance> snapshots : List.of(launched.instances(), pending, running, ended)) {
            for (Instance instance : snapshots) {
                assertTrue(instance.tags() == launched.request().tags(), instance + " copied its provision's tags");
            }
        }
        for (List<Instance> snapshots : List.of(pending, running, ended)) {
            for (Instance instance : snapshots) {
                assertTrue(instance.configuration() == settings, instance + " holds a copy of its settings");
            }
        }
        assertEquals(List.of(InstanceState.PENDING, InstanceState.RUNNING, InstanceState.TERMINATED),
                List.of(pending.get(2).state(), running.get(2).state(), ended.get(2).state()));
    }

    /**
     * A replay under a launch's or a configuration's key answers as the call did, though the instances have
     * since booted, been configured again and been released.
     */
    @Test
    void provisionAndConfigure_replayedAfterTheInstancesMovedOn_returnTheOriginalResults() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        ProvisionRequest launch = request("k", A_SMALL, PurchaseOption.SPOT, 3);
        ProvisionResult launched = cloud.provision(launch);
        ConfigureRequest configure = new ConfigureRequest("c1", ids(launched.instances()), Map.of("pool", "blue"));
        ConfigureResult configured = cloud.configure(configure);
        clock.advance(Duration.ofMinutes(5));
        cloud.configure(new ConfigureRequest("c2", ids(launched.instances()), Map.of("pool", "green")));
        cloud.release(new ReleaseRequest("r", ids(launched.instances())));

        assertEquals(launched, cloud.provision(launch));
        assertEquals(configured, cloud.configure(configure));
        assertEquals(List.of(InstanceState.PENDING, InstanceState.PENDING, InstanceState.PENDING),
                cloud.provision(launch).instances().stream().map(Instance::state).toList());
        assertEquals(Map.of("pool", "blue"), cloud.configure(configure).instances().get(2).configuration());
        assertEquals(3, cloud.describe(DescribeRequest.all()).instances().size());
    }

    /** Settings added later merge over the earlier in their order, on that instance alone. */
    @Test
    void configure_again_mergesOverTheEarlierSettingsOfThatInstanceOnly() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        List<Instance> launched = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 2)).instances();
        String first = launched.get(0).id();
        cloud.configure(new ConfigureRequest("c1", ids(launched), Map.of("pool", "blue")));
        Map<String, String> more = new java.util.LinkedHashMap<>();
        more.put("weight", "3");
        more.put("pool", "green");
        cloud.configure(new ConfigureRequest("c2", Set.of(first), more));
        List<Instance> described = cloud.describe(DescribeRequest.all()).instances();
        assertEquals(List.of("pool", "weight"), List.copyOf(described.get(0).configuration().keySet()));
        assertEquals(Map.of("pool", "green", "weight", "3"), described.get(0).configuration());
        assertEquals(Map.of("pool", "blue"), described.get(1).configuration());
    }

    /**
     * Asked by key, describe answers from the instances each key launched, in launch time order even when the
     * clock was set back between the launches, and with every other filter still applied.
     */
    @Test
    void describe_byKeysAfterClockSetBack_answersInLaunchTimeOrder() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        clock.advance(Duration.ofMinutes(10));
        List<Instance> late = cloud.provision(request("late", A_SMALL, PurchaseOption.ON_DEMAND, 2)).instances();
        clock.set(T0);
        List<Instance> early = cloud.provision(request("early", B_SMALL, PurchaseOption.ON_DEMAND, 1)).instances();
        cloud.provision(request("other", A_SMALL, PurchaseOption.ON_DEMAND, 1));
        cloud.release(new ReleaseRequest("r", Set.of(late.get(1).id())));

        Set<String> keys = Set.of("late", "early");
        List<Instance> both = cloud.describe(new DescribeRequest(Map.of(), Set.of(), keys, Set.of())).instances();
        assertEquals(List.of(early.get(0).id(), late.get(0).id(), late.get(1).id()),
                both.stream().map(Instance::id).toList());
        assertEquals(List.of(early.get(0).id(), late.get(0).id()), cloud.describe(new DescribeRequest(Map.of(),
                DescribeRequest.active().states(), keys, Set.of())).instances().stream().map(Instance::id).toList());
        assertEquals(4, cloud.describe(DescribeRequest.all()).instances().size());
        assertEquals(early.get(0).id(), cloud.describe(DescribeRequest.all()).instances().get(0).id());
        assertTrue(cloud.describe(DescribeRequest.all().withIdempotencyKey("never")).instances().isEmpty());
    }

    @Test
    void provision_overFamilyQuota_failsWholeAndLaunchesNothing() {
        SimulatedCloud cloud = TestOffers.cloud(clock).quota(REGION, "a", 3).build();
        cloud.provision(request("k1", A_SMALL, PurchaseOption.ON_DEMAND, 2));
        // a.large is in the same family, so it shares the quota.
        assertEquals(CloudException.Kind.QUOTA_EXCEEDED,
                kindOf(() -> cloud.provision(request("k2", A_LARGE, PurchaseOption.ON_DEMAND, 2))));
        assertEquals(2, cloud.describe(DescribeRequest.active()).instances().size());
        // Another family has its own (default) quota.
        cloud.provision(request("k3", B_SMALL, PurchaseOption.ON_DEMAND, 5));
        cloud.provision(request("k4", A_LARGE, PurchaseOption.ON_DEMAND, 1));
        assertEquals(CloudException.Kind.QUOTA_EXCEEDED,
                kindOf(() -> cloud.provision(request("k5", A_SMALL, PurchaseOption.ON_DEMAND, 1))));
    }

    @Test
    void provision_afterRelease_reusesFreedQuota() {
        SimulatedCloud cloud = TestOffers.cloud(clock).quota(REGION, "a", 2).build();
        ProvisionResult full = cloud.provision(request("k1", A_SMALL, PurchaseOption.ON_DEMAND, 2));
        cloud.release(new ReleaseRequest("r1", Set.of(full.instances().get(0).id())));
        assertEquals(1, cloud.provision(request("k2", A_SMALL, PurchaseOption.ON_DEMAND, 1)).fulfilled());
    }

    @Test
    void provision_quotaCheckedOnFullCount_evenWhenCapacityWouldPartiallyFit() {
        SimulatedCloud cloud = TestOffers.cloud(clock).quota(REGION, "a", 4).capacity(REGION, "a.small", 10).build();
        assertEquals(CloudException.Kind.QUOTA_EXCEEDED,
                kindOf(() -> cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 5))));
    }

    @Test
    void provision_beyondCapacity_isPartialThenUnavailable() {
        SimulatedCloud cloud = TestOffers.cloud(clock).capacity(REGION, "a.small", 5).build();
        assertFalse(cloud.provision(request("k1", A_SMALL, PurchaseOption.ON_DEMAND, 3)).partial());

        ProvisionResult partial = cloud.provision(request("k2", A_SMALL, PurchaseOption.SPOT, 4));
        assertTrue(partial.partial());
        assertEquals(2, partial.fulfilled());

        assertEquals(CloudException.Kind.CAPACITY_UNAVAILABLE,
                kindOf(() -> cloud.provision(request("k3", A_SMALL, PurchaseOption.ON_DEMAND, 1))));
        // Capacity is per offer: a.large in the same region is unaffected.
        assertEquals(1, cloud.provision(request("k4", A_LARGE, PurchaseOption.ON_DEMAND, 1)).fulfilled());
        assertTrue(cloud.capabilities().contains(Capability.PARTIAL_FULFILMENT));
    }

    @Test
    void provision_capacityUnavailable_doesNotConsumeKey() {
        SimulatedCloud cloud = TestOffers.cloud(clock).capacity(REGION, "a.small", 1).build();
        ProvisionResult first = cloud.provision(request("k1", A_SMALL, PurchaseOption.ON_DEMAND, 1));
        assertEquals(CloudException.Kind.CAPACITY_UNAVAILABLE,
                kindOf(() -> cloud.provision(request("k2", A_SMALL, PurchaseOption.ON_DEMAND, 1))));
        cloud.release(ReleaseRequest.of("r1", ids(first.instances())));
        assertEquals(1, cloud.provision(request("k2", A_SMALL, PurchaseOption.ON_DEMAND, 1)).fulfilled());
    }

    @Test
    void accruedCost_onDemandAndRelease_isPriceTimesHours() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        ProvisionResult result = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 2));
        clock.advance(Duration.ofMinutes(90));
        // Closed form: 2 instances x $0.10/h x 1.5 h.
        assertEquals(0.30, cloud.accruedCost(), 1e-12);

        String released = result.instances().get(0).id();
        cloud.release(new ReleaseRequest("r", Set.of(released)));
        clock.advance(Duration.ofMinutes(30));
        // The released instance stops at 1.5 h; the other runs on to 2 h: 0.15 + 0.20.
        assertEquals(0.15, cloud.accruedCost(released), 1e-12);
        assertEquals(0.35, cloud.accruedCost(), 1e-12);
    }

    @Test
    void accruedCost_spotInstance_billsAtSpotPrice() {
        SimulatedCloud cloud = TestOffers.cloud(clock).catalogue(List.of(TestOffers.withInterruptionRate(A_SMALL, 0))).build();
        cloud.provision(request("k", A_SMALL, PurchaseOption.SPOT, 1));
        clock.advance(Duration.ofHours(10));
        assertEquals(0.03 * 10, cloud.accruedCost(), 1e-12);
    }

    @Test
    void accruedCost_unknownInstance_isRejected() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        assertThrows(IllegalArgumentException.class, () -> cloud.accruedCost("i-nope"));
    }

    @Test
    void provision_spotOnOfferWithoutSpot_isInvalid() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        assertEquals(CloudException.Kind.INVALID_REQUEST,
                kindOf(() -> cloud.provision(request("k", B_SMALL, PurchaseOption.SPOT, 1))));
    }

    @Test
    void idempotencyKey_reusedByAnotherOperation_isInvalid() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        ProvisionResult result = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1));
        assertEquals(CloudException.Kind.INVALID_REQUEST,
                kindOf(() -> cloud.release(ReleaseRequest.of("k", ids(result.instances())))));
        assertTrue(cloud.describe(DescribeRequest.all()).instances().get(0).state().active());
    }

    @Test
    void provision_replay_returnsOriginalSnapshotWhileDescribeShowsCurrentState() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        ProvisionResult first = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1));
        clock.advance(Duration.ofHours(1));
        assertEquals(first, cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1)));
        assertEquals(InstanceState.RUNNING, cloud.describe(DescribeRequest.all()).instances().get(0).state());
    }

    @Test
    void configure_mergesSettingsAndRefusesEndedInstances() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        Set<String> ids = ids(cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances());
        cloud.configure(new ConfigureRequest("c1", ids, Map.of("a", "1", "b", "1")));
        cloud.configure(new ConfigureRequest("c2", ids, Map.of("b", "2")));
        assertEquals(Map.of("a", "1", "b", "2"), cloud.describe(DescribeRequest.all()).instances().get(0).configuration());

        cloud.release(ReleaseRequest.of("r", ids));
        assertEquals(CloudException.Kind.INVALID_REQUEST,
                kindOf(() -> cloud.configure(new ConfigureRequest("c3", ids, Map.of("b", "3")))));
    }

    @Test
    void describe_ordersByLaunchTimeThenId() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        cloud.provision(request("k1", A_SMALL, PurchaseOption.ON_DEMAND, 2));
        clock.advance(Duration.ofMinutes(1));
        cloud.provision(request("k2", A_LARGE, PurchaseOption.ON_DEMAND, 1));
        List<Instance> described = cloud.describe(DescribeRequest.all()).instances();
        assertEquals(List.of("k1", "k1", "k2"), described.stream().map(Instance::idempotencyKey).toList());
        assertTrue(described.get(0).id().compareTo(described.get(1).id()) < 0);
    }

    @Test
    void builder_duplicateOffer_isRejected() {
        SimulatedCloud.Builder builder = SimulatedCloud.builder().catalogue(List.of(A_SMALL, A_SMALL));
        assertThrows(IllegalArgumentException.class, builder::build);
    }

    @Test
    void builder_badKnobs_areRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatedCloud.builder().timeoutAfterApplyProbability(1.5));
        assertEquals("probability must be between 0 and 1, was 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SimulatedCloud.builder().throttle(0, 1));
        assertThrows(IllegalArgumentException.class, () -> SimulatedCloud.builder().defaultQuota(-1));
        assertThrows(IllegalArgumentException.class, () -> SimulatedCloud.builder().catalogue(List.of()));
    }

    @Test
    void capabilities_catalogueWithoutSpot_omitsSpot() {
        SimulatedCloud cloud = TestOffers.cloud(clock).catalogue(List.of(B_SMALL)).build();
        assertFalse(cloud.capabilities().contains(Capability.SPOT));
        assertTrue(cloud.capabilities().contains(Capability.CONFIGURE));
    }

    /** Capacity is counted per offer: instances of the same family's other offer, or another family's, take none. */
    @Test
    void provision_capacityOfAnOffer_isTakenOnlyByThatOffersInstances() {
        SimulatedCloud cloud = TestOffers.cloud(clock).capacity(REGION, "a.small", 2).build();
        cloud.provision(request("k1", A_LARGE, PurchaseOption.ON_DEMAND, 3));
        cloud.provision(request("k2", B_SMALL, PurchaseOption.ON_DEMAND, 3));

        ProvisionResult small = cloud.provision(request("k3", A_SMALL, PurchaseOption.SPOT, 2));

        assertEquals(2, small.fulfilled());
        assertFalse(small.partial());
        assertEquals(CloudException.Kind.CAPACITY_UNAVAILABLE,
                kindOf(() -> cloud.provision(request("k4", A_SMALL, PurchaseOption.ON_DEMAND, 1))));
    }

    /** Zero is a limit like any other: a family or offer closed to launches, not a mistake in the builder. */
    @Test
    void builder_zeroQuotaAndZeroCapacity_areAcceptedAndLaunchNothing() {
        SimulatedCloud cloud = TestOffers.cloud(clock).quota(REGION, "a", 0).capacity(REGION, "b.small", 0).build();
        assertEquals(CloudException.Kind.QUOTA_EXCEEDED,
                kindOf(() -> cloud.provision(request("k1", A_SMALL, PurchaseOption.ON_DEMAND, 1))));
        assertEquals(CloudException.Kind.CAPACITY_UNAVAILABLE,
                kindOf(() -> cloud.provision(request("k2", B_SMALL, PurchaseOption.ON_DEMAND, 1))));
        assertEquals(List.of(), cloud.describe(DescribeRequest.all()).instances());
        SimulatedCloud closed = TestOffers.cloud(clock).defaultQuota(0).defaultCapacity(0).build();
        assertEquals(CloudException.Kind.QUOTA_EXCEEDED,
                kindOf(() -> closed.provision(request("k3", B_SMALL, PurchaseOption.ON_DEMAND, 1))));
    }

    @Test
    void builder_burstOfZero_isRejectedAndProbabilitiesZeroAndOne_areTaken() {
        IllegalArgumentException burst = assertThrows(IllegalArgumentException.class,
                () -> SimulatedCloud.builder().throttle(1, 0));
        assertEquals("burst must be positive, was 0", burst.getMessage());

        SimulatedCloud never = TestOffers.cloud(clock).timeoutAfterApplyProbability(0).build();
        for (int i = 0; i < 50; i++) {
            never.provision(request("k" + i, B_SMALL, PurchaseOption.ON_DEMAND, 1));
        }
        assertEquals(50, never.describe(DescribeRequest.all()).instances().size());
        SimulatedCloud always = TestOffers.cloud(clock).timeoutAfterApplyProbability(1).build();
        assertEquals(CloudException.Kind.TIMED_OUT,
                kindOf(() -> always.provision(request("k", B_SMALL, PurchaseOption.ON_DEMAND, 1))));
    }

    /**
     * A release stays a release when the clock is set back before it, also where the answer is worked out from
     * every instance (after a describe at a later time): the released instance is not active again, neither in
     * describe nor in the quota.
     */
    @Test
    void describeAndQuota_clockSetBackBeforeARelease_stillCountTheReleasedOut() {
        SimulatedCloud cloud = TestOffers.cloud(clock).quota(REGION, "a", 2).build();
        List<Instance> launched = cloud.provision(request("k1", A_SMALL, PurchaseOption.ON_DEMAND, 2)).instances();
        clock.advance(Duration.ofHours(1));
        cloud.release(ReleaseRequest.of("r1", Set.of(launched.get(0).id())));
        assertEquals(Set.of(launched.get(1).id()), ids(cloud.describe(DescribeRequest.active()).instances()));

        clock.set(T0.plus(Duration.ofMinutes(30)));

        assertEquals(Set.of(launched.get(1).id()), ids(cloud.describe(DescribeRequest.active()).instances()));
        assertEquals(1, cloud.provision(request("k2", A_SMALL, PurchaseOption.ON_DEMAND, 1)).fulfilled(),
                "one of the quota of 2 is active");
        assertEquals(CloudException.Kind.QUOTA_EXCEEDED,
                kindOf(() -> cloud.provision(request("k3", A_SMALL, PurchaseOption.ON_DEMAND, 1))));
    }
}
