package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.change;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the plan's scale-outs launched in earlier cycles, in whole or in part, costs in the gate's decision: the
 * preview and the run decide alike, and what was launched is neither charged again nor cut by a recommendation.
 */
class PreProvisionerLaunchedLinesTest {

    private static final double M_LARGE = 0.096;

    private final MutableClock clock = MutableClock.at(T0);

    private PreProvisioner provisioner(CloudProvider cloud, FleetStateStore store, CostGate gate,
            PreProvisioner.Mode mode) {
        return PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(mode).gate(gate).build();
    }

    private static FleetStateStore storeWith(FleetState fleet) {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(fleet));
        return store;
    }

    @Test
    void gate_changeLaunchedInAnEarlierCycle_decidesAsARunOfThePlanDoes() {
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(1).build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        CostGate gate = CostGate.builder(0.5).build();
        ProvisionalFleetState plan = plan(fleet, change("c1", "checkout", 4, 1));
        PreProvisioner apply = provisioner(cloud, store, gate, PreProvisioner.Mode.APPLY);
        assertEquals(4, apply.run(plan).provisioned().get(0).instanceIds().size());
        clock.advance(Duration.ofMinutes(5));

        GateDecision preview = apply.gate(plan);
        ProvisioningReport planOnly = provisioner(cloud, store, gate, PreProvisioner.Mode.PLAN_ONLY).run(plan);
        ProvisioningReport applied = apply.run(plan);
        assertEquals(planOnly.decision(), preview);
        assertEquals(applied.decision(), preview);
        assertEquals(0.0, preview.costPerHour(), "c1 runs already and costs nothing new");
        assertEquals(List.of(), preview.approved());
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, applied.outcomes().get(0));
    }

    @Test
    void run_changeLaunchedInPart_nextCycleIsChargedWithWhatIsLeftOnly() {
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(1).capacity("us-east", "m.large", 3).build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "critical");
        FleetStateStore store = storeWith(fleet);
        CostGate gate = CostGate.builder(100).build();
        ProvisionalFleetState plan = plan(fleet, change("c", "checkout", 5, 1));
        PreProvisioner apply = provisioner(cloud, store, gate, PreProvisioner.Mode.APPLY);
        ChangeOutcome.Provisioned first = apply.run(plan).provisioned().get(0);
        assertTrue(first.partial());
        assertEquals(3 * M_LARGE, first.costPerHour(), 1e-12, "the report charges the 3 launched, not the 5 asked");
        clock.advance(Duration.ofMinutes(5));

        GateDecision preview = apply.gate(plan);
        assertEquals(2 * M_LARGE, preview.costPerHour(), 1e-12, "2 of the 5 are left to launch");
        assertEquals(2 * M_LARGE * 5 / 60, preview.costPerCycle(), 1e-12);
        ProvisioningReport second = apply.run(plan);
        assertEquals(preview, second.decision());
        assertEquals(List.of("c"), second.decision().approved().stream().map(c -> c.id()).toList());
    }

    @Test
    void run_changeLaunchedInPartOverTheThreshold_recommendationsCutAndMoveOnlyWhatIsLeft() {
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(1).capacity("us-east", "m.large", 8).build();
        FleetState fleet = emptyFleet("shop", 0, "checkout", "standard");
        FleetStateStore store = storeWith(fleet);
        ProvisionalFleetState plan = plan(fleet, change("c", "checkout", 10, 1));
        assertEquals(8, provisioner(cloud, store, CostGate.builder(100).build(), PreProvisioner.Mode.APPLY)
                .run(plan).provisioned().get(0).instanceIds().size());
        clock.advance(Duration.ofMinutes(5));
        // All of checkout may run on spot, none on demand is required, and its headroom of 300% would leave
        // 12.5 of the 20 cores the plan buys: 3 instances of 2 cores fewer, were they all still to buy.
        TierPolicy standard = new TierPolicy(5, 0.95, 3.0, 1.0, 0, null, null, Duration.ZERO,
                Duration.ofMinutes(30), Duration.ofMinutes(30));
        CostGate tight = CostGate.builder(0.1)
                .slaPolicies(new SlaPolicies(1, "standard", Map.of("standard", standard), List.of())).build();
        PreProvisioner planOnly = provisioner(cloud, store, tight, PreProvisioner.Mode.PLAN_ONLY);

        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                planOnly.run(plan).decision());
        assertEquals(2 * M_LARGE, over.costPerHour(), 1e-12);
        Recommendation.ScaleDown down = only(over, Recommendation.ScaleDown.class);
        assertEquals(10, down.fromCount());
        assertEquals(9, down.toCount(), "one of the 2 left closes the excess of 0.092");
        assertEquals(M_LARGE, down.savingPerHour(), 1e-12);
        Recommendation.MoveToSpot spot = only(over, Recommendation.MoveToSpot.class);
        assertEquals(2, spot.count(), "the 8 launched run on demand already");
        Recommendation.TrimHeadroom trim = only(over, Recommendation.TrimHeadroom.class);
        assertEquals(2, trim.instancesSaved(), "only the 2 left can be bought fewer");
        assertEquals(2 * M_LARGE, trim.savingPerHour(), 1e-12);
        assertEquals(over, planOnly.gate(plan));
    }

    private static <T extends Recommendation> T only(GateDecision.OverThreshold over, Class<T> kind) {
        List<T> found = over.recommendations().stream().filter(kind::isInstance).map(kind::cast).toList();
        assertEquals(1, found.size(), over.recommendations().toString());
        return found.get(0);
    }
}
