package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ExpertOverride;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.OverrideAction;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.feedback.AuditEntry;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings of the built-in predict step, given with a host's own predict step. */
class FleetPredictorHostStepTest {
    private static final Instant NOW = Instant.parse("2025-03-03T00:00:00Z");

    private static ResourceRequirement cores(double n) {
        return ResourceRequirement.of(ResourceAmount.of(ResourceType.CPU, n, ResourceUnit.CORES));
    }

    /** A host's step: checkout needs 12 cores for the coming hour. */
    private static final PredictStep HOST = now -> List.of(new PredictedFleetState(1, "shop", now,
            Horizon.SHORT_TERM, now, now.plus(Duration.ofHours(1)), List.of(cores(12)),
            List.of(new ServiceRequirements("checkout", List.of(cores(12)))), null, null));

    private static ExpertOverride checkoutOff() {
        return new ExpertOverride("off", OverrideAction.DISABLE, "checkout", null, null, null,
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), "me",
                "do not provision checkout");
    }

    /** How many instances one applied cycle launches with the host's step and these overrides. */
    private static int launched(OverrideSet set, AuditLog audit) {
        MutableClock clock = MutableClock.at(NOW);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(HOST).overrides(() -> set, audit)
                .cloud(cloud).budget(5).mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        fleet.cycle();
        return cloud.describe(DescribeRequest.active()).instances().size();
    }

    @Test
    void overrides_withTheHostsPredictStep_appliedOnTopOfItsStatesAndAudited() {
        MutableClock clock = MutableClock.at(NOW);
        AuditLog audit = AuditLog.inMemory();
        OverrideSet set = new OverrideSet(1, List.of(checkoutOff()));
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(HOST).overrides(() -> set, audit)
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).clock(clock).build();

        PredictedFleetState state = fleet.predict().get(0);

        assertTrue(state.services().get(0).resourceRequirements().isEmpty(), state::toString);
        assertEquals("off", state.overridesApplied().get(0).id());
        assertEquals(List.of(AuditEntry.AuditEvent.OVERRIDE_APPLIED),
                audit.entries().stream().map(AuditEntry::event).toList());
        // The disable reaches the plan: checkout is not sized for its 12 cores.
        int sized = launched(new OverrideSet(1, List.of()), AuditLog.inMemory());
        int disabled = launched(set, AuditLog.inMemory());
        assertTrue(disabled < sized, disabled + " instances launched with checkout disabled, " + sized + " without");
    }

    @Test
    void overrides_withTheHostsPredictStep_timedByTheWindowEachStateCovers() {
        MutableClock clock = MutableClock.at(NOW);
        // Like the near term: every state made now, each covering one five-minute step of the next half hour.
        PredictStep nearTerm = now -> java.util.stream.IntStream.range(0, 6).mapToObj(k -> new PredictedFleetState(1,
                "shop", now, Horizon.SHORT_TERM, now.plus(Duration.ofMinutes(5L * k)),
                now.plus(Duration.ofMinutes(5L * k + 5)), List.of(cores(12)),
                List.of(new ServiceRequirements("checkout", List.of(cores(12)))), null, null)).toList();
        ExpertOverride pin = new ExpertOverride("pin", OverrideAction.PIN, "checkout", ResourceType.CPU,
                ResourceAmount.of(ResourceType.CPU, 40, ResourceUnit.CORES), null, NOW.plus(Duration.ofMinutes(10)),
                NOW.plus(Duration.ofMinutes(17)), "me", "sale");
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(nearTerm)
                .overrides(() -> new OverrideSet(1, List.of(pin)), AuditLog.inMemory())
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).clock(clock).build();

        List<Double> checkout = fleet.predict().stream()
                .map(p -> p.services().get(0).resourceRequirements().get(0).quantity()).toList();
        List<Double> total = fleet.predict().stream().map(p -> p.resourceRequirements().get(0).quantity()).toList();

        assertEquals(List.of(12.0, 12.0, 40.0, 40.0, 12.0, 12.0), checkout);
        assertEquals(checkout, total);
    }

    @Test
    void overrides_setEmptyWithTheHostsPredictStep_passesItsStatesAsTheyAre() {
        MutableClock clock = MutableClock.at(NOW);
        AuditLog audit = AuditLog.inMemory();
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(HOST)
                .overrides(() -> new OverrideSet(1, List.of()), audit)
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).clock(clock).build();

        assertEquals(HOST.predict(NOW), fleet.predict());
        assertTrue(audit.entries().isEmpty());
    }

    @Test
    void build_refitEveryWithTheHostsPredictStep_refusedNamingBoth() {
        MutableClock clock = MutableClock.at(NOW);
        FleetPredictor.Builder b = FleetPredictor.builder("shop").predict(HOST).refitEvery(Duration.ofHours(6))
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).clock(clock);

        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);

        assertEquals("refitEvery(...) schedules refits of the built-in predict step's model; a predict(step) of "
                + "the host's own has none: refit in the host's step, or give monitor(...) and predictor(...) "
                + "instead of predict(step)", e.getMessage());
    }
}
