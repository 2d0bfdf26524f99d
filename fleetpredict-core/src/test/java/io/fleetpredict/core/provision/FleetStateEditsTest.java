package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fleet-state edits, each against a state worked out by hand. */
class FleetStateEditsTest {

    private static final List<ResourceAmount> TWO_CORES_8_GIB = List.of(
            ResourceAmount.of(ResourceType.CPU, 2, ResourceUnit.CORES),
            ResourceAmount.of(ResourceType.MEMORY, 8, ResourceUnit.GIB));

    private static InstanceGroup group(String type, String region, PurchaseOption option, int count) {
        return new InstanceGroup(type, region, option, count, TWO_CORES_8_GIB);
    }

    /** checkout: 3 on-demand and 2 spot m.large in us-east, 1 on-demand m.large in eu-west; 12 cores, 48 GiB. */
    private static FleetState fleet() {
        ServiceState checkout = new ServiceState("checkout", "critical", List.of(
                group("m.large", "us-east", PurchaseOption.ON_DEMAND, 3),
                group("m.large", "us-east", PurchaseOption.SPOT, 2),
                group("m.large", "eu-west", PurchaseOption.ON_DEMAND, 1)),
                List.of(ResourceAmount.of(ResourceType.CPU, 12, ResourceUnit.CORES),
                        ResourceAmount.of(ResourceType.MEMORY, 48, ResourceUnit.GIB)));
        ServiceState search = new ServiceState("search", "standard", List.of(
                group("m.large", "us-east", PurchaseOption.ON_DEMAND, 7)), List.of());
        return new FleetState(1, "shop", 4, T0, List.of(checkout, search));
    }

    private static double amount(ServiceState s, ResourceType type) {
        return s.allocatedResources().stream().filter(a -> a.type() == type).findFirst().orElseThrow().amount();
    }

    @Test
    void bump_laterNow_nextVersionAsOfNow() {
        FleetState bumped = FleetStateEdits.bump(fleet(), T0.plusSeconds(1));
        assertEquals(5, bumped.version());
        assertEquals(T0.plusSeconds(1), bumped.asOf());
        assertEquals(fleet().services(), bumped.services());
    }

    @Test
    void bump_earlierOrSameNow_keepsTheStatesTime() {
        assertEquals(T0, FleetStateEdits.bump(fleet(), T0.minusSeconds(60)).asOf());
        assertEquals(T0, FleetStateEdits.bump(fleet(), T0).asOf());
        assertEquals(5, FleetStateEdits.bump(fleet(), T0.minusSeconds(60)).version());
    }

    @Test
    void count_sumsOnlyTheGroupOfServiceTypeRegionAndOption() {
        FleetState f = fleet();
        assertEquals(3, FleetStateEdits.count(f, "checkout", "m.large", "us-east", PurchaseOption.ON_DEMAND));
        assertEquals(2, FleetStateEdits.count(f, "checkout", "m.large", "us-east", PurchaseOption.SPOT));
        assertEquals(1, FleetStateEdits.count(f, "checkout", "m.large", "eu-west", PurchaseOption.ON_DEMAND));
        assertEquals(7, FleetStateEdits.count(f, "search", "m.large", "us-east", PurchaseOption.ON_DEMAND));
        assertEquals(0, FleetStateEdits.count(f, "checkout", "c.large", "us-east", PurchaseOption.ON_DEMAND));
        assertEquals(0, FleetStateEdits.count(f, "checkout", "m.large", "us-east", PurchaseOption.RESERVED));
        assertEquals(0, FleetStateEdits.count(f, "cart", "m.large", "us-east", PurchaseOption.ON_DEMAND));
    }

    @Test
    void tier_fromThePlansFleetElseUnknown() {
        ProvisionalFleetState plan = Fixtures.plan(fleet());
        assertEquals("critical", FleetStateEdits.tier(plan, "checkout"));
        assertEquals("standard", FleetStateEdits.tier(plan, "search"));
        assertEquals(FleetStateEdits.UNKNOWN_TIER, FleetStateEdits.tier(plan, "cart"));
    }

    @Test
    void capacityPerInstance_fromTheFirstSourceThatHasTheTypeInTheRegion() {
        List<ResourceAmount> four = List.of(ResourceAmount.of(ResourceType.CPU, 4, ResourceUnit.CORES));
        FleetState other = new FleetState(1, "shop", 1, T0, List.of(new ServiceState("a", "t",
                List.of(new InstanceGroup("m.large", "us-east", PurchaseOption.SPOT, 0, four),
                        new InstanceGroup("x.large", "us-east", PurchaseOption.SPOT, 0, four)), List.of())));
        AtomicInteger asked = new AtomicInteger();
        java.util.function.Supplier<Optional<Offer>> offers = () -> {
            asked.incrementAndGet();
            return Optional.empty();
        };
        assertEquals(TWO_CORES_8_GIB, FleetStateEdits.capacityPerInstance(List.of(fleet(), other), "m.large",
                "us-east", offers));
        assertEquals(four, FleetStateEdits.capacityPerInstance(List.of(other, fleet()), "m.large", "us-east", offers));
        assertEquals(four, FleetStateEdits.capacityPerInstance(List.of(fleet(), other), "x.large", "us-east", offers));
        assertEquals(0, asked.get(), "the offers are asked for only when no state knows the type");
    }

    @Test
    void capacityPerInstance_unknownToTheStates_fromTheOfferElseOneCore() {
        Offer offer = new Offer("z.big", "z", "us-east", 16, 64, 10, 0, 1.5, OptionalDouble.empty(), 0,
                Duration.ofMinutes(1));
        assertEquals(List.of(ResourceAmount.of(ResourceType.CPU, 16, ResourceUnit.CORES),
                        ResourceAmount.of(ResourceType.MEMORY, 64, ResourceUnit.GIB)),
                FleetStateEdits.capacityPerInstance(List.of(fleet()), "z.big", "us-east", () -> Optional.of(offer)));
        // The region must match too: m.large is known in us-east and eu-west, not in ap-south.
        assertEquals(List.of(ResourceAmount.of(ResourceType.CPU, 1, ResourceUnit.CORES)),
                FleetStateEdits.capacityPerInstance(List.of(fleet()), "m.large", "ap-south", Optional::empty));
    }

    @Test
    void adjust_existingGroup_countsAndAllocatesTheInstancesThatCame() {
        FleetState after = FleetStateEdits.adjust(fleet(), "checkout", "ignored", "m.large", "us-east",
                PurchaseOption.SPOT, null, null, 3);
        ServiceState checkout = after.services().get(0);
        assertEquals(5, checkout.instanceGroups().get(1).count());
        assertEquals(3, checkout.instanceGroups().get(0).count(), "the on-demand group is another group");
        assertEquals("critical", checkout.slaTier());
        // 12 cores + 3 x 2; 48 GiB + 3 x 8.
        assertEquals(18, amount(checkout, ResourceType.CPU), 1e-12);
        assertEquals(72, amount(checkout, ResourceType.MEMORY), 1e-12);
        assertEquals(fleet().services().get(1), after.services().get(1));
        assertEquals(4, after.version(), "adjust leaves the version to bump");
        assertEquals(T0, after.asOf());
    }

    @Test
    void adjust_removingMoreThanTheGroupHas_stopsAtZeroAndFreesOnlyWhatWasThere() {
        FleetState after = FleetStateEdits.adjust(fleet(), "checkout", "critical", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, null, null, -5);
        ServiceState checkout = after.services().get(0);
        assertEquals(0, checkout.instanceGroups().get(0).count());
        // Only the 3 instances there were leave: 12 - 6 cores, 48 - 24 GiB.
        assertEquals(6, amount(checkout, ResourceType.CPU), 1e-12);
        assertEquals(24, amount(checkout, ResourceType.MEMORY), 1e-12);
    }

    @Test
    void adjust_allocationWithoutTheResource_addsItInTheInstancesUnit() {
        // search records no allocation: it gains the two instances' 4 cores and 16 GiB.
        FleetState after = FleetStateEdits.adjust(fleet(), "search", "standard", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, null, null, 2);
        ServiceState search = after.services().get(1);
        assertEquals(9, search.instanceGroups().get(0).count());
        assertEquals(List.of(ResourceAmount.of(ResourceType.CPU, 4, ResourceUnit.CORES),
                ResourceAmount.of(ResourceType.MEMORY, 16, ResourceUnit.GIB)), search.allocatedResources());
    }

    @Test
    void adjust_allocationBelowWhatLeaves_isClampedAtZeroAndOtherResourcesKept() {
        List<ResourceAmount> allocated = List.of(ResourceAmount.of(ResourceType.CPU, 1, ResourceUnit.CORES),
                ResourceAmount.of(ResourceType.BANDWIDTH, 5, ResourceUnit.GBPS));
        FleetState f = new FleetState(1, "shop", 1, T0, List.of(new ServiceState("a", "t",
                List.of(group("m.large", "us-east", PurchaseOption.ON_DEMAND, 2)), allocated)));
        ServiceState a = FleetStateEdits.adjust(f, "a", "t", "m.large", "us-east", PurchaseOption.ON_DEMAND, null,
                null, -1).services().get(0);
        // 1 core - 2 is clamped at 0; memory had no allocation and goes to -8, clamped; bandwidth is untouched.
        assertEquals(List.of(ResourceAmount.of(ResourceType.CPU, 0, ResourceUnit.CORES),
                ResourceAmount.of(ResourceType.BANDWIDTH, 5, ResourceUnit.GBPS),
                ResourceAmount.of(ResourceType.MEMORY, 0, ResourceUnit.GIB)), a.allocatedResources());
    }

    @Test
    void adjust_newGroupOfAKnownService_addedWithTheGivenCapacity() {
        List<ResourceAmount> four = List.of(ResourceAmount.of(ResourceType.CPU, 4, ResourceUnit.CORES));
        ServiceState checkout = FleetStateEdits.adjust(fleet(), "checkout", "critical", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, four, null, 2).services().get(0);
        assertEquals(4, checkout.instanceGroups().size());
        assertEquals(new InstanceGroup("c.large", "us-east", PurchaseOption.ON_DEMAND, 2, four),
                checkout.instanceGroups().get(3));
        assertEquals(20, amount(checkout, ResourceType.CPU), 1e-12);
        assertEquals(48, amount(checkout, ResourceType.MEMORY), 1e-12);
    }

    @Test
    void adjust_newGroupNotAddedWhenRemovingOrCapacityUnknown() {
        FleetState f = fleet();
        List<ResourceAmount> four = List.of(ResourceAmount.of(ResourceType.CPU, 4, ResourceUnit.CORES));
        assertSame(f, FleetStateEdits.adjust(f, "checkout", "critical", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, four, null, -2));
        assertSame(f, FleetStateEdits.adjust(f, "checkout", "critical", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, four, null, 0));
        assertSame(f, FleetStateEdits.adjust(f, "checkout", "critical", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, null, null, 2));
        assertSame(f, FleetStateEdits.adjust(f, "cart", "standard", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, four, null, 0));
        assertSame(f, FleetStateEdits.adjust(f, "cart", "standard", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, four, null, -1));
    }

    @Test
    void adjust_newService_filedUnderThePlansTierElseTheGivenOne() {
        List<ResourceAmount> four = List.of(ResourceAmount.of(ResourceType.CPU, 4, ResourceUnit.CORES));
        FleetState planned = new FleetState(1, "shop", 4, T0, List.of(
                new ServiceState("cart", "premium", List.of(), List.of())));
        ProvisionalFleetState plan = Fixtures.plan(planned);
        FleetState withPlan = FleetStateEdits.adjust(fleet(), "cart", "given", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, four, plan, 1);
        assertEquals(3, withPlan.services().size());
        ServiceState cart = withPlan.services().get(2);
        assertEquals("premium", cart.slaTier());
        assertEquals(List.of(new InstanceGroup("c.large", "us-east", PurchaseOption.ON_DEMAND, 1, four)),
                cart.instanceGroups());
        assertEquals(four, cart.allocatedResources());
        assertEquals("given", FleetStateEdits.adjust(fleet(), "cart", "given", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, four, null, 1).services().get(2).slaTier());
        assertEquals("given", FleetStateEdits.adjust(fleet(), "cart", "given", "c.large", "us-east",
                PurchaseOption.ON_DEMAND, four, Fixtures.plan(fleet()), 1).services().get(2).slaTier(),
                "a plan that does not name the service leaves the given tier");
    }

    @Test
    void launchedAs_spotIsSpotAndReservedIsOnDemand() {
        assertEquals(PurchaseOption.SPOT, FleetStateEdits.launchedAs(PurchaseOption.SPOT));
        assertEquals(PurchaseOption.ON_DEMAND,
                FleetStateEdits.launchedAs(PurchaseOption.ON_DEMAND));
        assertEquals(PurchaseOption.ON_DEMAND,
                FleetStateEdits.launchedAs(PurchaseOption.RESERVED));
    }
}
