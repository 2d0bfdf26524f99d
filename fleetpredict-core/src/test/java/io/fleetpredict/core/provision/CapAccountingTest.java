package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What a scale-out still needs and what the caps allow, each figure worked out by hand. */
class CapAccountingTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final List<Offer> OFFERS = List.of(
            new Offer("m.large", "m", "us-east", 2, 8, 10, 0, 0.1, OptionalDouble.of(0.03), 0.01,
                    Duration.ofMinutes(1)),
            new Offer("c.large", "c", "us-east", 2, 4, 10, 0, 0.2, OptionalDouble.empty(), 0, Duration.ofMinutes(1)));

    private static InstanceGroup group(String type, PurchaseOption option, int count) {
        return new InstanceGroup(type, "us-east", option, count,
                List.of(ResourceAmount.of(ResourceType.CPU, 2, ResourceUnit.CORES)));
    }

    private static FleetState state(long version, InstanceGroup... groups) {
        return new FleetState(1, "shop", version, T0, List.of(new ServiceState("checkout", "critical",
                List.of(groups), List.of())));
    }

    private static ProvisioningIntent launch(String id, String changeId, String service, String type, String region,
            PurchaseOption option, int count, int covered, double price, Instant created,
            ProvisioningIntent.Status status, List<String> ids) {
        return new ProvisioningIntent(id, changeId, "fp-" + id, service, "critical", type, region, option, count,
                covered, price, created, status, ids);
    }

    private static ProvisioningIntent release(String id, String changeId, Instant created, String... ids) {
        return new ProvisioningIntent(id, changeId, "fp-rel-" + id, "checkout", "critical", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, ids.length, ids.length, 0.1, created, ProvisioningIntent.Status.OPEN,
                List.of(ids), ProvisioningIntent.Kind.RELEASE);
    }

    private static ProvisionalChange change(String id, String type, PurchaseOption option, int count) {
        return new ProvisionalChange(id, "checkout", ChangeAction.SCALE_OUT, type, "us-east", count, option,
                List.of(ResourceAmount.of(ResourceType.CPU, 2.0 * count, ResourceUnit.CORES)), 1, "short", 0.1 * count,
                0.1 * count, T0, T0, ChangeStatus.PROPOSED, null);
    }

    /**
     * The fleet the caps are checked against: 3 on-demand and 2 spot m.large, one z.huge the offers do not
     * price; an open launch of 2 at 0.5 each written 10 minutes ago; a done launch of 3 of 4 c.large written
     * exactly one hour ago; a failed launch of 5; an open release of one instance.
     */
    private static StoredFleet fleet() {
        List<ProvisioningIntent> intents = List.of(
                launch("open", "c1", "checkout", "m.large", "us-east", PurchaseOption.ON_DEMAND, 2, 2, 0.5,
                        T0.minusSeconds(600), ProvisioningIntent.Status.OPEN, List.of()),
                launch("done", "c0", "checkout", "c.large", "us-east", PurchaseOption.ON_DEMAND, 4, 4, 0.2,
                        T0.minus(HOUR), ProvisioningIntent.Status.DONE, List.of("a", "b", "c")),
                launch("failed", "c1", "checkout", "m.large", "us-east", PurchaseOption.ON_DEMAND, 5, 5, 0.1,
                        T0.minusSeconds(300), ProvisioningIntent.Status.FAILED, List.of()),
                release("rel", "c9", T0.minusSeconds(60), "x"));
        return new StoredFleet(state(7, group("m.large", PurchaseOption.ON_DEMAND, 3),
                group("m.large", PurchaseOption.SPOT, 2), group("z.huge", PurchaseOption.ON_DEMAND, 1),
                group("c.large", PurchaseOption.ON_DEMAND, 0)), intents);
    }

    @Test
    void fleetCostPerHour_groupsAtTheirOptionsPriceAndOpenLaunchesAtTheirOwn() {
        // 3 x 0.1 on demand + 2 x 0.03 spot + z.huge unpriced (0) + the open launch's 2 x 0.5; the done,
        // failed and release intents add nothing.
        assertEquals(0.3 + 0.06 + 1.0, CapAccounting.fleetCostPerHour(fleet(), OFFERS), 1e-12);
        assertEquals(0, CapAccounting.fleetCostPerHour(StoredFleet.of(state(1)), OFFERS), 0);
    }

    @Test
    void allowance_nothingBinding_allWantedAndNoLimit() {
        CapAccounting.Allowance a = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(100, 100, HOUR, 100, 100), OFFERS, T0, 0, 0);
        assertEquals(5, a.count());
        assertEquals(List.of(), a.limits());
    }

    @Test
    void allowance_roomExactlyTheWanted_isNotACut() {
        // Per call 5; window 100 - 2 in it = 98; fleet 13 - (6 + 2 open) = 5; cost (1.86 - 1.36) / 0.1 = 5.
        CapAccounting.Allowance a = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(5, 100, HOUR, 13, 1.86), OFFERS, T0, 0, 0);
        assertEquals(5, a.count());
        assertEquals(List.of(), a.limits());
    }

    @Test
    void allowance_perCall() {
        CapAccounting.Allowance a = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(4, 100, HOUR, 100, 100), OFFERS, T0, 0, 0);
        assertEquals(4, a.count());
        assertEquals(List.of(HardCaps.Limit.PER_CALL), a.limits());
    }

    @Test
    void allowance_perWindow_countsLaunchesWrittenInsideTheWindowAndThisRunsOwn() {
        // In the window: the open launch's 2 (the done one was written exactly an hour ago, outside), plus
        // 1 this run planned: 6 - 3 = 3 left.
        CapAccounting.Allowance a = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(100, 6, HOUR, 100, 100), OFFERS, T0, 1, 0);
        assertEquals(3, a.count());
        assertEquals(List.of(HardCaps.Limit.PER_WINDOW), a.limits());
        // A second later the done launch of 3 is inside a window of an hour and a second.
        CapAccounting.Allowance wider = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(100, 6, HOUR.plusSeconds(1), 100, 100), OFFERS, T0, 1, 0);
        assertEquals(0, wider.count());
        assertEquals(List.of(HardCaps.Limit.PER_WINDOW), wider.limits());
    }

    @Test
    void allowance_fleetInstances_countsGroupsOpenLaunchesAndThisRunsOwn() {
        // 6 in the groups + 2 open + 2 planned = 10; 12 - 10 = 2.
        CapAccounting.Allowance a = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(100, 100, HOUR, 12, 100), OFFERS, T0, 2, 0);
        assertEquals(2, a.count());
        assertEquals(List.of(HardCaps.Limit.FLEET_INSTANCES), a.limits());
        assertEquals(0, CapAccounting.allowance(fleet(), 5, 0.1, new HardCaps(100, 100, HOUR, 3, 100), OFFERS, T0,
                0, 0).count(), "a fleet already over the cap gets nothing, not a negative count");
    }

    @Test
    void allowance_fleetCost_countsTheFleetAndThisRunsCost() {
        // 1.36 per hour now + 0.2 planned; (1.86 - 1.56) / 0.1 = 3.
        CapAccounting.Allowance a = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(100, 100, HOUR, 100, 1.86), OFFERS, T0, 0, 0.2);
        assertEquals(3, a.count());
        assertEquals(List.of(HardCaps.Limit.FLEET_COST), a.limits());
        // At 0.25 each: floor(0.5 / 0.25) = 2.
        assertEquals(2, CapAccounting.allowance(fleet(), 5, 0.25, new HardCaps(100, 100, HOUR, 100, 1.86), OFFERS,
                T0, 0, 0).count());
        CapAccounting.Allowance over = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(100, 100, HOUR, 100, 1.0), OFFERS, T0, 0, 0);
        assertEquals(0, over.count(), "a fleet already over the cost cap gets nothing");
        assertEquals(List.of(HardCaps.Limit.FLEET_COST), over.limits());
    }

    @Test
    void allowance_freeInstances_notCutByCost() {
        CapAccounting.Allowance a = CapAccounting.allowance(fleet(), 5, 0,
                new HardCaps(100, 100, HOUR, 100, 1.0), OFFERS, T0, 0, 0);
        assertEquals(5, a.count());
        assertEquals(List.of(), a.limits());
    }

    @Test
    void allowance_severalCaps_theTightestWinsAndEveryCutIsNamedInLimitOrder() {
        // Per call cuts 5 to 4, then the fleet cost ((1.66 - 1.36) / 0.1) to 3: both are named.
        CapAccounting.Allowance a = CapAccounting.allowance(fleet(), 5, 0.1,
                new HardCaps(4, 100, HOUR, 100, 1.66), OFFERS, T0, 0, 0);
        assertEquals(3, a.count());
        assertEquals(List.of(HardCaps.Limit.PER_CALL, HardCaps.Limit.FLEET_COST), a.limits());
        // Per window leaves 4, fleet instances 13 - 8 = 5: only per window cuts.
        CapAccounting.Allowance b = CapAccounting.allowance(fleet(), 9, 0.1,
                new HardCaps(100, 6, HOUR, 13, 100), OFFERS, T0, 0, 0);
        assertEquals(4, b.count());
        assertEquals(List.of(HardCaps.Limit.PER_WINDOW), b.limits());
    }

    @Test
    void wanted_subtractsOnlyOpenLaunchesOfTheSameGroup() {
        // Each of these differs from the change's group in one thing; only the last one counts.
        List<ProvisioningIntent> intents = new ArrayList<>(List.of(
                launch("s", "x", "checkout", "m.large", "us-east", PurchaseOption.ON_DEMAND, 1, 1, 0.1, T0,
                        ProvisioningIntent.Status.DONE, List.of("i")),
                launch("v", "x", "search", "m.large", "us-east", PurchaseOption.ON_DEMAND, 2, 2, 0.1, T0,
                        ProvisioningIntent.Status.OPEN, List.of()),
                launch("t", "x", "checkout", "c.large", "us-east", PurchaseOption.ON_DEMAND, 4, 4, 0.1, T0,
                        ProvisioningIntent.Status.OPEN, List.of()),
                launch("r", "x", "checkout", "m.large", "eu-west", PurchaseOption.ON_DEMAND, 8, 8, 0.1, T0,
                        ProvisioningIntent.Status.OPEN, List.of()),
                launch("o", "x", "checkout", "m.large", "us-east", PurchaseOption.SPOT, 16, 16, 0.1, T0,
                        ProvisioningIntent.Status.OPEN, List.of()),
                launch("m", "x", "checkout", "m.large", "us-east", PurchaseOption.ON_DEMAND, 32, 32, 0.1, T0,
                        ProvisioningIntent.Status.OPEN, List.of())));
        StoredFleet s = new StoredFleet(state(3), intents);
        ProvisionalChange c = change("c", "m.large", PurchaseOption.ON_DEMAND, 100);
        assertEquals(100 - 32, CapAccounting.wanted(s, Fixtures.plan(state(3)), c));
    }

    @Test
    void wanted_theGroupsTargetIsThePlansCountPlusTheChange() {
        // The plan saw 3, so the group's target is 3 + 5 = 8; the state holds 4 of the group (and 2 spot,
        // another group) and 2 are on their way: 8 - 4 - 2 = 2.
        FleetState planned = state(3, group("m.large", PurchaseOption.ON_DEMAND, 3));
        StoredFleet s = new StoredFleet(state(4, group("m.large", PurchaseOption.ON_DEMAND, 4),
                group("m.large", PurchaseOption.SPOT, 2)), List.of(launch("open", "c1", "checkout", "m.large",
                        "us-east", PurchaseOption.ON_DEMAND, 2, 2, 0.1, T0, ProvisioningIntent.Status.OPEN,
                        List.of())));
        assertEquals(2, CapAccounting.wanted(s, Fixtures.plan(planned),
                change("c2", "m.large", PurchaseOption.ON_DEMAND, 5)));
        // More in the fleet than the target: nothing, not a negative count.
        assertEquals(0, CapAccounting.wanted(s, Fixtures.plan(state(3)),
                change("c2", "m.large", PurchaseOption.ON_DEMAND, 5)));
    }

    @Test
    void wanted_theChangesOwnLaunchesCountWhatTheyCover() {
        // The change's own launches of another group (a substitute offer): open covering 3, done with 2 of
        // 4 launched covering floor(2 x 4 / 4) = 2, failed covering none; its release covers nothing here.
        List<ProvisioningIntent> intents = List.of(
                launch("a", "c", "checkout", "c.large", "us-east", PurchaseOption.ON_DEMAND, 3, 3, 0.2, T0,
                        ProvisioningIntent.Status.OPEN, List.of()),
                launch("b", "c", "checkout", "c.large", "us-east", PurchaseOption.ON_DEMAND, 4, 4, 0.2, T0,
                        ProvisioningIntent.Status.DONE, List.of("i1", "i2")),
                launch("f", "c", "checkout", "c.large", "us-east", PurchaseOption.ON_DEMAND, 4, 4, 0.2, T0,
                        ProvisioningIntent.Status.FAILED, List.of()),
                release("r", "c", T0, "z1"),
                launch("o", "other", "checkout", "c.large", "us-east", PurchaseOption.ON_DEMAND, 1, 1, 0.2, T0,
                        ProvisioningIntent.Status.OPEN, List.of()));
        FleetState planned = state(3, group("m.large", PurchaseOption.ON_DEMAND, 50));
        StoredFleet s = new StoredFleet(state(3), intents);
        assertEquals(10 - 3 - 2, CapAccounting.wanted(s, Fixtures.plan(planned),
                change("c", "m.large", PurchaseOption.ON_DEMAND, 10)));
    }

    @Test
    void cut_roomEqualToTheCount_namesNoLimit() {
        CapAccounting.Cut cut = new CapAccounting.Cut(4);
        cut.to(4, HardCaps.Limit.PER_CALL);
        cut.to(5, HardCaps.Limit.PER_WINDOW);
        assertEquals(4, cut.allowed());
        assertEquals(List.of(), cut.limits());
        cut.to(3, HardCaps.Limit.FLEET_COST);
        cut.to(2, HardCaps.Limit.PER_CALL);
        assertEquals(2, cut.allowed());
        assertEquals(List.of(HardCaps.Limit.PER_CALL, HardCaps.Limit.FLEET_COST), cut.limits());
    }
}
