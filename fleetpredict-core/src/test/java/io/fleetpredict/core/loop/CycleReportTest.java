package io.fleetpredict.core.loop;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.provision.Fixtures;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A cycle's report reads as a summary: what was predicted, proposed, gated, launched, and what it costs. */
class CycleReportTest {

    static CycleReport cycle(PreProvisioner.Mode mode, double perHour) {
        MutableClock clock = MutableClock.at(T0);
        return FleetPredictor.builder("shop").predict(now -> List.of()).project(FleetPredictorDefaultsTest.growBy(3))
                .cloud(SimulatedCloud.builder().clock(clock).build()).thresholds(perHour, 100).mode(mode).clock(clock)
                .build().cycle();
    }

    @Test
    void summary_applied_saysWhatWasProposedLaunchedAndWhatItCosts() {
        CycleReport report = cycle(PreProvisioner.Mode.APPLY, 5);
        // Three m.large on demand at 0.096 per hour each (the simulated cloud's catalogue).
        assertEquals(String.join("\n",
                "cycle 1 at 2025-03-01T12:00:00Z (apply)",
                "predicted:   nothing (the predict step gave no state)",
                "proposed:    checkout scale_out 3 x m.large on_demand in us-east, +0.288 per hour",
                "gate:        approved, +0.288 per hour",
                "provisioned: 3 instances (checkout 3 x m.large on_demand); released: none",
                "cost:        +0.288 per hour"), report.summary());
        assertEquals(0.288, report.costChangePerHour(), 1e-12);
    }

    @Test
    void summary_planOnlyOverThreshold_saysWhatWouldBeDoneAndWhatWasRefused() {
        String summary = cycle(PreProvisioner.Mode.PLAN_ONLY, 0.1).summary();
        assertTrue(summary.contains("\ngate:        over the threshold: 0.288 per hour asked, 0.1 allowed; 0 approved, "
                + "1 refused\n"), summary);
        assertTrue(summary.contains("\nprovisioned: nothing (plan only: 0 to launch, 0 to release)\n"), summary);
        assertTrue(summary.endsWith("\ncost:        +0 per hour"), summary);
    }

    @Test
    void summary_changeNotDueOrDeferred_saysItWaitsOrWasDeferredNotApproved() {
        MutableClock clock = MutableClock.at(T0);
        ProvisionalChange later = Fixtures.change("c1", "checkout", 1, 1);
        // Launches an hour from now, after the next cycle: it waits, charged nothing now.
        ProvisionalChange waiting = new ProvisionalChange(later.id(), later.service(), later.action(),
                later.instanceType(), later.region(), later.count(), later.purchaseOption(), later.resourceDelta(),
                later.priority(), later.slaReason(), later.estimatedCostPerHour(), later.estimatedTotalCost(),
                later.neededBy(), T0.plusSeconds(3600), ChangeStatus.PROPOSED, null);
        ProvisionalChange d = Fixtures.change("c2", "search", 2, 2);
        ProvisionalChange deferred = new ProvisionalChange(d.id(), d.service(), d.action(), d.instanceType(),
                d.region(), d.count(), d.purchaseOption(), d.resourceDelta(), d.priority(), d.slaReason(),
                d.estimatedCostPerHour(), d.estimatedTotalCost(), d.neededBy(), d.launchAt(), ChangeStatus.DEFERRED,
                "over budget");
        String summary = FleetPredictor.builder("shop").predict(now -> List.of())
                .project((predictions, current) -> Fixtures.plan(current, waiting, deferred))
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).mode(PreProvisioner.Mode.APPLY)
                .clock(clock).build().cycle().summary();
        assertTrue(summary.contains("\ngate:        no change due this cycle; 1 change is weighed in a later cycle, "
                + "when it falls due; 1 change deferred by the plan, not weighed\n"), summary);
        assertTrue(summary.contains("\nprovisioned: none; released: none; waiting c1\n"), summary);

        String onlyDeferred = FleetPredictor.builder("shop").predict(now -> List.of())
                .project((predictions, current) -> Fixtures.plan(current, deferred))
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).mode(PreProvisioner.Mode.APPLY)
                .clock(clock).build().cycle().summary();
        assertTrue(onlyDeferred.contains("\ngate:        no change to weigh; 1 change deferred by the plan, "
                + "not weighed\n"), onlyDeferred);
    }

    @Test
    void summary_oneInstanceLaunched_saysInstanceInTheSingular() {
        MutableClock clock = MutableClock.at(T0);
        String summary = FleetPredictor.builder("shop").predict(now -> List.of()).project(FleetPredictorDefaultsTest.growBy(1))
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).mode(PreProvisioner.Mode.APPLY)
                .clock(clock).build().cycle().summary();
        assertTrue(summary.contains("\nprovisioned: 1 instance (checkout 1 x m.large on_demand); released: none\n"),
                summary);
    }

    @Test
    void toString_oneShortLine() {
        String line = cycle(PreProvisioner.Mode.APPLY, 5).toString();
        assertEquals("CycleReport[cycle 1 at 2025-03-01T12:00:00Z, apply, 0 predicted states, 1 changes proposed, "
                + "3 instances launched, 0 released, +0.288 per hour]", line);
    }

    @Test
    void summary_manyChanges_listsFiveAndCountsTheRest() {
        MutableClock clock = MutableClock.at(T0);
        ProjectStep seven = (predictions, current) -> Fixtures.plan(current,
                java.util.stream.IntStream.range(0, 7).mapToObj(i -> Fixtures.change("c" + i, "s" + i, 1, 1))
                        .toArray(io.fleetpredict.core.document.ProvisionalChange[]::new));
        String summary = FleetPredictor.builder("shop").predict(now -> List.of()).project(seven)
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(50).clock(clock).build().cycle().summary();
        assertEquals(5, summary.lines().filter(l -> l.startsWith("proposed:    s")).count(), summary);
        assertTrue(summary.contains("\nproposed:    and 2 more\n"), summary);
        assertTrue(summary.contains("plan only: 7 to launch"), summary);
    }

    @Test
    void summary_scaleIn_showsWhatItSavesWithItsSignOnEveryLine() {
        // A week of a daily wave, then cycles from midnight until the night's first release.
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T00:00:00Z"));
        MetricKey cpu = MetricKey.of("cpu_cores", "checkout");
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .metric(cpu, MetricKind.GAUGE_MEAN).budget(5.00).mode(PreProvisioner.Mode.APPLY).clock(clock)
                .build();
        CycleReport scaleIn = null;
        for (int step = 0; scaleIn == null && step < 8 * 24 * 12; step++) {
            if (step >= 7 * 24 * 12) {
                CycleReport r = fleet.cycle();
                scaleIn = r.plan().provisionalChanges().stream().anyMatch(c -> c.action() == ChangeAction.SCALE_IN)
                        ? r : null;
            }
            double hour = step / 12.0 % 24;
            fleet.record(cpu, clock.instant(), 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step));
            clock.advance(Duration.ofMinutes(5));
        }
        String summary = scaleIn.summary();
        // One t.small on demand at 0.0208 per hour (the simulated cloud's catalogue) released.
        assertEquals(-0.0208, scaleIn.costChangePerHour(), 1e-12, summary);
        assertTrue(summary.contains("\nproposed:    checkout scale_in 1 x t.small on_demand in us-east, -0.0208 per hour\n"
                + "gate:        approved, -0.0208 per hour\n"), summary);
        assertTrue(summary.contains("\ncost:        -0.0208 per hour"), summary);
    }
}
