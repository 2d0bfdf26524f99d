package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which instances a scale-in releases and how many, against a provider whose instances are set by hand. */
class ReleaseChooserTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final HardCaps WIDE = new HardCaps(100, 100, HOUR, 100, 100, 100);
    private static final List<Offer> OFFERS = List.of(new Offer("m.large", "m", "us-east", 2, 8, 10, 0, 0.1,
            OptionalDouble.of(0.03), 0.01, Duration.ofMinutes(1)));

    /** A provider that only describes, applying the request's filter as a provider must. */
    private record Fixed(List<Instance> instances) implements CloudProvider {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public List<Offer> offers() {
            return OFFERS;
        }

        @Override
        public ProvisionResult provision(ProvisionRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReleaseResult release(ReleaseRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            return new DescribeResult(T0, instances.stream().filter(request::matches).toList());
        }
    }

    private static Instance instance(String id, String fleet, String type, String region,
            io.fleetpredict.cloud.PurchaseOption option, InstanceState state, Duration age) {
        Map<String, String> tags = fleet == null ? Map.of() : Map.of(PreProvisioner.TAG_FLEET, fleet,
                PreProvisioner.TAG_SERVICE, "checkout");
        Instant launched = T0.minus(age);
        return new Instance(id, type, region, option, state, launched, launched.plusSeconds(60), "key-" + id, tags,
                Map.of(), 0.1);
    }

    private static Instance running(String id, Duration age) {
        return instance(id, "shop", "m.large", "us-east", PurchaseOption.ON_DEMAND,
                InstanceState.RUNNING, age);
    }

    /**
     * The cloud: of checkout's on-demand m.large in us-east, p1 is still booting though the oldest (a slow
     * boot), p2 booting, r1 and r2 running, x running without tags (known only from its launch intent), g1
     * tagged for checkout but recorded by search's launch; instances of another type, region, option and
     * fleet; one that ended.
     */
    private static final List<Instance> CLOUD = List.of(
            running("r1", Duration.ofHours(3)),
            running("r2", Duration.ofHours(2)),
            instance("p1", "shop", "m.large", "us-east", PurchaseOption.ON_DEMAND,
                    InstanceState.PENDING, Duration.ofHours(4)),
            instance("p2", "shop", "m.large", "us-east", PurchaseOption.ON_DEMAND,
                    InstanceState.PENDING, Duration.ofHours(1)),
            instance("x", null, "m.large", "us-east", PurchaseOption.ON_DEMAND,
                    InstanceState.RUNNING, Duration.ofMinutes(30)),
            running("g1", Duration.ofMinutes(20)),
            instance("w1", "shop", "c.large", "us-east", PurchaseOption.ON_DEMAND,
                    InstanceState.RUNNING, Duration.ofMinutes(5)),
            instance("w2", "shop", "m.large", "eu-west", PurchaseOption.ON_DEMAND,
                    InstanceState.RUNNING, Duration.ofMinutes(5)),
            instance("w3", "shop", "m.large", "us-east", PurchaseOption.SPOT,
                    InstanceState.RUNNING, Duration.ofMinutes(5)),
            instance("o1", "other", "m.large", "us-east", PurchaseOption.ON_DEMAND,
                    InstanceState.RUNNING, Duration.ofMinutes(10)),
            instance("e1", "shop", "m.large", "us-east", PurchaseOption.ON_DEMAND,
                    InstanceState.TERMINATED, Duration.ofMinutes(1)));

    private static InstanceGroup group(String type, PurchaseOption option, int count) {
        return new InstanceGroup(type, "us-east", option, count,
                List.of(ResourceAmount.of(ResourceType.CPU, 2, ResourceUnit.CORES)));
    }

    /** checkout: 5 on-demand and 2 spot m.large, 1 on-demand c.large; search: 4 on-demand m.large. */
    private static FleetState state() {
        return new FleetState(1, "shop", 7, T0, List.of(
                new ServiceState("checkout", "critical", List.of(group("m.large", PurchaseOption.ON_DEMAND, 5),
                        group("m.large", PurchaseOption.SPOT, 2), group("c.large", PurchaseOption.ON_DEMAND, 1)),
                        List.of()),
                new ServiceState("search", "standard", List.of(group("m.large", PurchaseOption.ON_DEMAND, 4)),
                        List.of())));
    }

    private static ProvisioningIntent launch(String changeId, String service, String id) {
        return new ProvisioningIntent("l-" + id, changeId, "fp-" + id, service, "t", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, 1, 1, 0.1, T0.minus(Duration.ofHours(2)), ProvisioningIntent.Status.DONE,
                List.of(id));
    }

    private static ProvisioningIntent release(String changeId, String service, PurchaseOption option,
            ProvisioningIntent.Status status, Instant created, String id) {
        return new ProvisioningIntent("r-" + id, changeId, "fp-rel-" + id, service, "t", "m.large", "us-east", option,
                1, 1, 0.1, created, status, List.of(id), ProvisioningIntent.Kind.RELEASE);
    }

    /**
     * x's launch (this group), g1's launch (search's); open releases of p2 (this group), w3 (checkout's
     * spot group) and s1 (search), all written ten minutes ago; a done release written exactly an hour ago.
     */
    private static StoredFleet fleet() {
        Instant recent = T0.minusSeconds(600);
        return new StoredFleet(state(), List.of(
                launch("up", "checkout", "x"),
                launch("s-up", "search", "g1"),
                release("d-old", "checkout", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.OPEN, recent, "p2"),
                release("s-down", "checkout", PurchaseOption.SPOT, ProvisioningIntent.Status.OPEN, recent, "w3"),
                release("search-down", "search", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.OPEN, recent,
                        "s1"),
                release("d-older", "checkout", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.DONE,
                        T0.minus(HOUR), "gone1")));
    }

    private static ProvisionalChange down(String id, int count) {
        return Fixtures.scaleIn(id, "checkout", "m.large", count, PurchaseOption.ON_DEMAND, 1, T0);
    }

    private static SlaPolicies base(int minOnDemand) {
        return new SlaPolicies(1, "critical", Map.of("critical", new TierPolicy(1, 0.99, 0, 1, minOnDemand, null,
                null, Duration.ZERO, Duration.ZERO, Duration.ZERO)), List.of());
    }

    private static ReleaseChooser.ReleaseChoice choose(SlaPolicies policies, StoredFleet s, ProvisionalChange change,
            HardCaps caps, ReleaseChooser.Planned planned) {
        return new ReleaseChooser(new Fixed(CLOUD), policies).choose(s, Fixtures.plan(state()), change, caps, OFFERS,
                T0, planned);
    }

    @Test
    void choose_bootingFirstWhateverTheirAgeThenNewestRunning_skippingWhatIsLeavingOrAnotherGroups() {
        // The plan saw 5 and takes 4: target 1. 5 in the state, p2 already leaving: 3 to release. Of the
        // group's active instances p2 is leaving and g1 is search's: p1 (booting), then x, r2, r1.
        ReleaseChooser.ReleaseChoice r = choose(null, fleet(), down("d", 4), WIDE, new ReleaseChooser.Planned());
        assertEquals(3, r.wanted());
        assertEquals(List.of("p1", "x", "r2"), r.ids());
        assertEquals(List.of(), r.limits());
        assertEquals(0.1, r.unitPrice(), 0);
        assertEquals(java.util.Optional.empty(), r.nothing(down("d", 4)));
    }

    @Test
    void choose_noIntents_findsTheFleetsInstancesByTagsOnly() {
        StoredFleet bare = new StoredFleet(state(), List.of());
        ReleaseChooser.ReleaseChoice r = choose(null, bare, down("d", 5), WIDE, new ReleaseChooser.Planned());
        // Target 0: all 5; by tags p1, p2 booting, then g1, r2, r1 (x carries no tags; o1 is another fleet's).
        assertEquals(5, r.wanted());
        assertEquals(List.of("p2", "p1", "g1", "r2", "r1"), r.ids());
    }

    @Test
    void choose_theChangesOwnReleasesCount() {
        StoredFleet s = new StoredFleet(state(), List.of(
                release("d", "checkout", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.DONE,
                        T0.minusSeconds(60), "gone2"),
                release("d", "checkout", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.FAILED,
                        T0.minusSeconds(60), "r1")));
        // By group 5 - 0 - (5 - 4) = 4; by change 4 - 1 done (the failed one covers none) = 3.
        assertEquals(3, choose(null, s, down("d", 4), WIDE, new ReleaseChooser.Planned()).wanted());
    }

    @Test
    void choose_nothingLeftToRelease_alreadySatisfied() {
        ReleaseChooser.ReleaseChoice r = choose(null, fleet(), down("d", 1), WIDE, new ReleaseChooser.Planned());
        assertEquals(0, r.wanted());
        assertEquals(List.of(), r.ids());
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, r.nothing(down("d", 1)).orElseThrow());
    }

    @Test
    void choose_perCall() {
        ReleaseChooser.ReleaseChoice r = choose(null, fleet(), down("d", 4), new HardCaps(1, 100, HOUR, 100, 100, 100),
                new ReleaseChooser.Planned());
        assertEquals(List.of("p1"), r.ids());
        assertEquals(List.of(HardCaps.Limit.PER_CALL), r.limits());
    }

    @Test
    void choose_releasesPerWindow_countWhatTheWindowAndThisRunReleased() {
        // In the window: the three open releases and one instance this run planned; 5 - 4 = 1.
        ReleaseChooser.Planned planned = new ReleaseChooser.Planned();
        planned.add(down("earlier", 1), List.of("r2"));
        ReleaseChooser.ReleaseChoice r = choose(null, fleet(), down("d", 4), new HardCaps(100, 100, HOUR, 100, 100, 5),
                planned);
        assertEquals(List.of("p1"), r.ids());
        assertEquals(List.of(HardCaps.Limit.RELEASES_PER_WINDOW), r.limits());
        ReleaseChooser.ReleaseChoice none = choose(null, fleet(), down("d", 4),
                new HardCaps(100, 100, HOUR, 100, 100, 3), new ReleaseChooser.Planned());
        assertEquals(List.of(), none.ids());
        ChangeOutcome.Capped capped = assertInstanceOf(ChangeOutcome.Capped.class,
                none.nothing(down("d", 4)).orElseThrow());
        assertEquals(3, capped.wanted());
        assertEquals(List.of(HardCaps.Limit.RELEASES_PER_WINDOW), capped.limitedBy());
    }

    @Test
    void choose_onDemandBase_countsTheServicesOnDemandInstancesLessThoseLeaving() {
        // checkout's on-demand: 5 m.large + 1 c.large = 6, 1 leaving (p2): with a base of 3, 2 may go.
        ReleaseChooser.ReleaseChoice r = choose(base(3), fleet(), down("d", 4), WIDE, new ReleaseChooser.Planned());
        assertEquals(List.of("p1", "x"), r.ids());
        assertEquals(List.of(HardCaps.Limit.ON_DEMAND_BASE), r.limits());
        // This run's earlier on-demand release counts too (its spot one does not): 6 - 1 - 1 - 3 = 1.
        ReleaseChooser.Planned planned = new ReleaseChooser.Planned();
        planned.add(down("earlier", 1), List.of("r1"));
        planned.add(Fixtures.scaleIn("spot", "checkout", "m.large", 1, PurchaseOption.SPOT, 1, T0), List.of("w9"));
        assertEquals(List.of("p1"), choose(base(3), fleet(), down("d", 4), WIDE, planned).ids());
        // A base of 0 holds nothing back.
        assertEquals(List.of(), choose(base(0), fleet(), down("d", 4), WIDE, new ReleaseChooser.Planned()).limits());
    }

    @Test
    void choose_onDemandBase_countsOnlyTheServicesOpenOnDemandReleasesAsLeaving() {
        // Leaving: p2 and p3, open on-demand releases of checkout; not w3 (spot), s1 (search) nor gone1 (done),
        // one each, so that counting any of them instead gives another answer: 6 - 2 - 3 = 1 may go.
        Instant recent = T0.minusSeconds(600);
        StoredFleet s = new StoredFleet(state(), List.of(
                launch("up", "checkout", "x"),
                release("d-old", "checkout", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.OPEN, recent, "p2"),
                release("d-older", "checkout", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.OPEN, recent,
                        "p3"),
                release("s-down", "checkout", PurchaseOption.SPOT, ProvisioningIntent.Status.OPEN, recent, "w3"),
                release("search-down", "search", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.OPEN, recent,
                        "s1"),
                release("d-oldest", "checkout", PurchaseOption.ON_DEMAND, ProvisioningIntent.Status.DONE,
                        T0.minus(HOUR), "gone1")));

        ReleaseChooser.ReleaseChoice r = choose(base(3), s, down("d", 4), WIDE, new ReleaseChooser.Planned());

        assertEquals(1, r.ids().size(), r.ids().toString());
        assertEquals(List.of(HardCaps.Limit.ON_DEMAND_BASE), r.limits());
    }

    @Test
    void choose_spotScaleIn_notHeldByTheOnDemandBase() {
        StoredFleet bare = new StoredFleet(state(), List.of());
        ProvisionalChange spot = Fixtures.scaleIn("d", "checkout", "m.large", 2, PurchaseOption.SPOT, 1, T0);
        ReleaseChooser.ReleaseChoice r = new ReleaseChooser(new Fixed(CLOUD), base(100)).choose(bare,
                Fixtures.plan(state()), spot, WIDE, OFFERS, T0, new ReleaseChooser.Planned());
        assertEquals(List.of("w3"), r.ids(), "one spot m.large runs");
        assertEquals(List.of(), r.limits());
        assertEquals(0.03, r.unitPrice(), 0);
    }

    @Test
    void choose_secondChangeOfTheRun_takesOtherInstancesAndNamesNoCapWhenFewAreLeft() {
        StoredFleet bare = new StoredFleet(state(), List.of());
        ReleaseChooser.Planned planned = new ReleaseChooser.Planned();
        planned.add(down("d1", 4), List.of("p2", "p1", "g1", "r2"));
        ReleaseChooser.ReleaseChoice r = choose(base(0), bare, down("d2", 5), WIDE, planned);
        assertEquals(List.of("r1"), r.ids());
        assertEquals(List.of(), r.limits(), "running short of instances is not a cap");
    }

    @Test
    void choose_noInstanceOfTheGroupRuns_skippedSayingWhat() {
        ReleaseChooser.ReleaseChoice r = new ReleaseChooser(new Fixed(List.of()), null).choose(fleet(),
                Fixtures.plan(state()), down("d", 4), WIDE, OFFERS, T0, new ReleaseChooser.Planned());
        ChangeOutcome.Skipped skipped = assertInstanceOf(ChangeOutcome.Skipped.class,
                r.nothing(down("d", 4)).orElseThrow());
        assertEquals("no active on_demand m.large instance in us-east of service checkout carries the fleet's tag; "
                + "nothing to release", skipped.reason());
    }

    /** Records the describes it is asked, answering from {@link #CLOUD}. */
    private static final class Recording extends ForwardingCloudProvider {
        private final CloudProvider fixed = new Fixed(CLOUD);
        final List<DescribeRequest> asked = new ArrayList<>();

        @Override
        protected CloudProvider delegate() {
            return fixed;
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            asked.add(request);
            return super.describe(request);
        }
    }

    @Test
    void choose_describesByIdOnlyTheRecordedInstancesTheDescribeByTagsDoesNotList() {
        DescribeRequest byTags = DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET, "shop",
                PreProvisioner.TAG_SERVICE, "checkout"));
        // r1 and r2 recorded, both tagged: the describe by tags lists them, nothing is described by id.
        Recording tagged = new Recording();
        StoredFleet s = new StoredFleet(state(), List.of(launch("up", "checkout", "r1"), launch("up", "checkout", "r2")));
        ReleaseChooser.ReleaseChoice r = new ReleaseChooser(tagged, null).choose(s, Fixtures.plan(state()),
                down("d", 5), WIDE, OFFERS, T0, new ReleaseChooser.Planned());
        assertEquals(List.of("p2", "p1", "g1", "r2", "r1"), r.ids());
        assertEquals(List.of(byTags), tagged.asked);
        // x recorded too, without tags: described by id, alone.
        Recording untagged = new Recording();
        StoredFleet withX = new StoredFleet(state(), List.of(launch("up", "checkout", "r1"),
                launch("up", "checkout", "x")));
        ReleaseChooser.ReleaseChoice all = new ReleaseChooser(untagged, null).choose(withX, Fixtures.plan(state()),
                down("d", 5), WIDE, OFFERS, T0, new ReleaseChooser.Planned());
        assertEquals(List.of("p2", "p1", "g1", "x", "r2"), all.ids());
        assertEquals(List.of(byTags, DescribeRequest.active().withInstanceIds(Set.of("x"))), untagged.asked);
    }
}
