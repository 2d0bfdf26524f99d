package io.fleetpredict.core.loop;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.Fixtures;
import io.fleetpredict.core.provision.ForgetfulCloud;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.GateDecision;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.StoredFleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

class FleetPredictorTest {

    /** A stand-in for the projection engine: scale checkout out by a few instances. */
    private static ProjectStep growBy(int count) {
        return (predictions, current) -> Fixtures.plan(current, Fixtures.change(
                "chg-" + current.version() + "-1", "checkout", count, 1));
    }

    @Test
    void embedding_hostWiresThePredictorAndRunsACycle() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        PredictStep predict = now -> List.of();      // the monitor and the models
        ProjectStep project = growBy(3);              // the projection engine

        FleetPredictor predictor = FleetPredictor.builder("shop")
                .predict(predict)
                .project(project)
                .cloud(cloud)
                .store(store)
                .thresholds(5.00, 0.50)               // cost per hour, cost per cycle
                .cycle(Duration.ofMinutes(5))
                .caps(new HardCaps(20, 100, Duration.ofHours(1), 200, 50.0))
                .mode(PreProvisioner.Mode.APPLY)      // the default is PLAN_ONLY
                .clock(clock)
                .build();
        CycleReport report = predictor.cycle();       // from any thread, every few minutes
        for (ChangeOutcome.Provisioned p : report.provisioning().provisioned()) {
            System.out.printf("%s: %d x %s in %s, %.3f per hour, ids %s%n", p.changeId(),
                    p.instanceIds().size(), p.instanceType(), p.region(), p.costPerHour(), p.instanceIds());
        }

        assertEquals(1, report.cycle());
        assertInstanceOf(GateDecision.UnderThreshold.class, report.provisioning().decision());
        assertEquals(3, report.provisioning().provisioned().get(0).instanceIds().size());
        assertEquals(3, Fixtures.total(Fixtures.counted(store.read("shop").state())));
    }

    @Test
    void builder_stepAndEngineBothOrNeither_throwsNamingTheChoice() {
        MutableClock clock = MutableClock.at(T0);
        io.fleetpredict.core.monitor.ActivityMonitor monitor = io.fleetpredict.core.monitor.ActivityMonitor.builder()
                .clock(clock).metric(io.fleetpredict.core.monitor.MetricKey.of("cpu_cores", "checkout"),
                        io.fleetpredict.core.monitor.MetricKind.GAUGE_MEAN).build();
        io.fleetpredict.core.predict.Predictor models = io.fleetpredict.core.predict.Predictor.builder().build();
        FleetStateStore store = FleetStateStores.inMemory();
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        IllegalStateException both = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> FleetPredictor.builder("shop").predict(now -> List.of()).monitor(monitor).predictor(models)
                        .project(growBy(1)).cloud(cloud).store(store).thresholds(1, 1).build());
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        // A monitor alone is a predict step (the near term); a predictor alone is not.
        IllegalStateException half = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> FleetPredictor.builder("shop").predictor(models).project(growBy(1)).cloud(cloud).store(store)
                        .thresholds(1, 1).build());
        assertTrue(half.getMessage().contains("monitor(...)"), half.getMessage());
        IllegalStateException tracking = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(1))
                        .feedbackTracking(io.fleetpredict.core.feedback.AccuracyTracker.builder().build())
                        .cloud(cloud).store(store).thresholds(1, 1).build());
        assertTrue(tracking.getMessage().contains("built-in predict step"), tracking.getMessage());
    }

    @Test
    void statefulProjectStep_noPrediction_plansNoChange() {
        MutableClock clock = MutableClock.at(T0);
        FleetState fleet = Fixtures.emptyFleet("shop", 4, "checkout", "critical");
        StatefulProjectStep step = StatefulProjectStep.of(io.fleetpredict.core.projection.ProjectionEngine.builder()
                .offers(io.fleetpredict.core.projection.CapacityOffers.fromCloud(SimulatedCloud.defaultCatalogue()))
                .clock(clock).build(), () -> new io.fleetpredict.core.document.EventFeed(1, List.of()));
        ProvisionalFleetState plan = step.project(List.of(), fleet);
        assertEquals(List.of(), plan.provisionalChanges());
        assertEquals(4, plan.basis().fleetVersion());
        assertTrue(step.lastProjection().isEmpty());
        assertEquals(io.fleetpredict.core.projection.ProjectionState.empty(), step.state());
    }

    @Test
    void cycle_planOnlyOver1000Cycles_noMutatingCall() {
        MutableClock clock = MutableClock.at(T0);
        CloudProvider cloud = mock(CloudProvider.class,
                AdditionalAnswers.delegatesTo(SimulatedCloud.builder().clock(clock).build()));
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        Random random = new Random(11);
        FleetPredictor predictor = FleetPredictor.builder("shop").predict(now -> List.of())
                .project((predictions, current) -> Fixtures.plan(current,
                        Fixtures.change("c", "checkout", 1 + random.nextInt(100), 1)))
                .cloud(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).build())
                .store(store).thresholds(random.nextDouble() * 10, 1e6).clock(clock).build();
        int planned = 0;
        for (int n = 0; n < 1_000; n++) {
            CycleReport report = predictor.cycle();
            planned += report.provisioning().outcomes().stream().filter(ChangeOutcome.Planned.class::isInstance).count();
            clock.advance(Duration.ofMinutes(5));
        }
        int mutating = org.mockito.Mockito.mockingDetails(cloud).getInvocations().stream()
                .filter(i -> List.of("provision", "release", "configure").contains(i.getMethod().getName()))
                .mapToInt(i -> 1).sum();
        System.out.printf("[figure] plan-only, 1,000 cycles: %d changes planned, %d mutating calls, %d store writes%n",
                planned, mutating, store.history("shop").size() - 1);
        verify(cloud, never()).provision(any());
        verify(cloud, never()).release(any());
        verify(cloud, never()).configure(any());
        assertEquals(0, mutating);
        assertEquals(1, store.history("shop").size());
        assertTrue(planned > 0);
    }

    @Test
    void cycle_calledFromManyThreads_cyclesSerialiseAndNumbersAreUnique() throws Exception {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        FleetPredictor predictor = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(1))
                .cloud(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).build()).store(store)
                .thresholds(100, 100).mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<CycleReport>> reports = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            reports.add(pool.submit(predictor::cycle));
        }
        List<Long> numbers = new ArrayList<>();
        for (Future<CycleReport> f : reports) {
            numbers.add(f.get(30, TimeUnit.SECONDS).cycle());
        }
        pool.shutdown();
        assertEquals(40, numbers.stream().distinct().count());
        // Each cycle plans one more instance on the state the previous cycle committed.
        assertEquals(40, Fixtures.total(Fixtures.inventory(cloud, "shop")));
        assertEquals(Fixtures.inventory(cloud, "shop"), Fixtures.counted(store.read("shop").state()));
    }

    @Test
    void steps_callableAlone() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        FleetPredictor predictor = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(2))
                .cloud(cloud).store(store).thresholds(0.1, 1).clock(clock).build();
        ProvisionalFleetState plan = predictor.project(predictor.predict());
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class, predictor.gate(plan));
        assertEquals(0.192, over.costPerHour(), 1e-12);
        FleetState unchanged = store.read("shop").state();
        assertEquals(0, predictor.provision(plan).provisioned().size());
        assertEquals(unchanged, store.read("shop").state());
        assertEquals(0, predictor.reconcile().adopted().size());
    }

    /** A stand-in for the projection engine: keep checkout at {@code target} instances, as the state counts them. */
    private static ProjectStep keepAt(int target) {
        return (predictions, current) -> {
            int counted = Fixtures.total(Fixtures.counted(current));
            return counted >= target ? Fixtures.plan(current) : Fixtures.plan(current,
                    Fixtures.change("keep-" + current.version(), "checkout", target - counted, 1));
        };
    }

    @Test
    void cycle_instanceTheCloudNoLongerLists_takenOutPastTheGraceAndReplacedByTheNextCycle() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        ForgetfulCloud cloud = new ForgetfulCloud(sim, clock);
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        FleetPredictor predictor = FleetPredictor.builder("shop").predict(now -> List.of()).project(keepAt(3))
                .cloud(cloud).store(store).thresholds(5.00, 0.50).cycle(Duration.ofMinutes(5))
                .caps(new HardCaps(20, 100, Duration.ofHours(1), 200, 50.0)).mode(PreProvisioner.Mode.APPLY)
                .clock(clock).build();
        List<String> first = predictor.cycle().provisioning().provisioned().get(0).instanceIds();
        assertEquals(3, first.size());
        // Ended (an interruption, an expiry) and forgotten by the cloud before any reconcile saw it end.
        sim.release(ReleaseRequest.of("ended-unseen", Set.of(first.get(1))));
        cloud.forget(first.get(1));

        clock.advance(Duration.ofMinutes(11));
        CycleReport dropped = predictor.cycle();
        assertEquals(2, Fixtures.total(Fixtures.counted(store.read("shop").state())));
        assertEquals(List.of(first.get(1)), dropped.provisioning().reconcile().orElseThrow().vanished());

        clock.advance(Duration.ofMinutes(5));
        CycleReport replaced = predictor.cycle();
        assertEquals(1, replaced.provisioning().provisioned().size(), replaced.provisioning().outcomes().toString());
        assertEquals(1, replaced.provisioning().provisioned().get(0).instanceIds().size());
        assertEquals(3, Fixtures.total(Fixtures.counted(store.read("shop").state())));
        assertEquals(3, Fixtures.total(Fixtures.inventory(sim, "shop")));
    }

    @Test
    void cycle_instancesEndingDaysAfterTheirLaunch_eachReplacedByTheNextCycle() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        FleetPredictor predictor = FleetPredictor.builder("shop").predict(now -> List.of()).project(keepAt(3))
                .cloud(sim).store(store).thresholds(5.00, 0.50).cycle(Duration.ofMinutes(5))
                .caps(new HardCaps(20, 100, Duration.ofHours(1), 200, 50.0)).mode(PreProvisioner.Mode.APPLY)
                .clock(clock).build();
        List<String> first = predictor.cycle().provisioning().provisioned().get(0).instanceIds();
        for (int k = 0; k < first.size(); k++) {
            // Two days on (the intents' retention is a day), one of the first launch's instances ends by hand;
            // the cycle after the one whose reconcile sees it replaces it, a write that prunes what the
            // retention lets go.
            clock.advance(Duration.ofDays(2));
            sim.release(ReleaseRequest.of("by-hand-" + k, Set.of(first.get(k))));

            CycleReport dropped = predictor.cycle(); // planned from the state before its reconcile
            assertEquals(List.of(first.get(k)), dropped.provisioning().reconcile().orElseThrow().ended());
            clock.advance(Duration.ofMinutes(5));
            CycleReport replaced = predictor.cycle();

            assertEquals(1, replaced.provisioning().provisioned().size(), "end " + k + ": "
                    + replaced.provisioning().outcomes());
            assertEquals(3, Fixtures.total(Fixtures.inventory(sim, "shop")), "end " + k);
            assertEquals(3, Fixtures.total(Fixtures.counted(store.read("shop").state())), "end " + k);
        }
    }
}
