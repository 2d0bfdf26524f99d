package io.fleetpredict.core.loop;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.GapFill;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.Fixtures;
import io.fleetpredict.core.provision.GateDecision;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.NeverReadyCloud;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a predictor built with few calls does: each default, and the errors that name what is missing. */
class FleetPredictorDefaultsTest {

    static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");

    /** A stand-in for the projection engine: scale checkout out by a few m.large (0.096 per hour each). */
    static ProjectStep growBy(int count) {
        return (predictions, current) -> Fixtures.plan(current, Fixtures.change(
                "chg-" + current.version() + "-1", "checkout", count, 1));
    }

    @Test
    void build_neitherBudgetNorThresholds_refusedNamingBoth() {
        SimulatedCloud cloud = SimulatedCloud.builder().clock(MutableClock.at(T0)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(1)).cloud(cloud).build());
        assertTrue(e.getMessage().contains("budget(perHour)") && e.getMessage().contains("thresholds("), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FleetPredictor.builder("shop").budget(-0.01));
        assertThrows(IllegalArgumentException.class, () -> FleetPredictor.builder("shop").budget(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> FleetPredictor.builder("shop").budget(Double.POSITIVE_INFINITY));
    }

    @Test
    void budget_zero_acceptedAsAThresholdOfZeroIsAndLaunchesNothing() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(2))
                .cloud(cloud).budget(0).mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        CycleReport report = fleet.cycle();
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                report.provisioning().decision());
        assertEquals(0, over.maxCostPerHour(), 0);
        assertEquals(0, cloud.describe(DescribeRequest.active()).instances().size());
    }

    @Test
    void budget_zeroWithAThresholdGivenApart_isAFleetCostCapThatLetsNoLaunchThrough() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(2))
                .cloud(cloud).budget(0).thresholds(100, 100).mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        CycleReport report = fleet.cycle();
        assertInstanceOf(GateDecision.UnderThreshold.class, report.provisioning().decision());
        assertEquals(0, cloud.describe(DescribeRequest.active()).instances().size());
        assertTrue(report.provisioning().outcomes().stream().anyMatch(o -> o instanceof ChangeOutcome.Capped c
                && c.limitedBy().contains(HardCaps.Limit.FLEET_COST)), report.provisioning().outcomes().toString());
    }

    @Test
    void budget_isTheGateThreshold() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(2))
                .cloud(cloud).budget(0.15).mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        CycleReport report = fleet.cycle();
        GateDecision.OverThreshold over = assertInstanceOf(GateDecision.OverThreshold.class,
                report.provisioning().decision());
        assertEquals(0.15, over.maxCostPerHour(), 0);
        assertEquals(0.192, over.costPerHour(), 1e-12);
        assertEquals(0, cloud.describe(DescribeRequest.active()).instances().size());
    }

    @Test
    void budget_isTheFleetCostCapWhenTheThresholdIsGivenApart() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(5))
                .cloud(cloud).budget(0.2).thresholds(100, 100).mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        CycleReport report = fleet.cycle();
        assertInstanceOf(GateDecision.UnderThreshold.class, report.provisioning().decision());
        // 0.2 per hour holds two m.large at 0.096, not five.
        assertEquals(2, cloud.describe(DescribeRequest.active()).instances().size());
        assertTrue(report.provisioning().outcomes().stream().anyMatch(o -> o instanceof ChangeOutcome.Provisioned p
                && p.limitedBy().contains(HardCaps.Limit.FLEET_COST)), report.provisioning().outcomes().toString());
    }

    @Test
    void caps_givenWithABudget_keepTheirOwnCostCap() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(5))
                .cloud(cloud).budget(100).caps(HardCaps.builder().maxFleetInstances(3).build())
                .mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        fleet.cycle();
        assertEquals(3, cloud.describe(DescribeRequest.active()).instances().size());
    }

    @Test
    void defaultStore_holdsTheFleetAndIsNotSharedBetweenBuilds() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor.Builder builder = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(1))
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).mode(PreProvisioner.Mode.APPLY)
                .clock(clock);
        FleetPredictor first = builder.build();
        FleetPredictor second = builder.build();
        assertEquals(0, first.cycle().plan().fleet().version());
        assertTrue(first.cycle().plan().fleet().version() > 0);
        // The second predictor's store has not seen the first one's launch.
        assertEquals(0, second.cycle().plan().fleet().version());
    }

    /** Every document the loop writes carries the fleet id, so an id the reader refuses is refused up front. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"my shop", "..", "-x", "a/b"})
    void builder_fleetIdTheDocumentsRefuse_refused(String id) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FleetPredictor.builder(id));
        assertTrue(e.getMessage().startsWith("fleetId: must be a plain name of at most 128 letters, digits"),
                e.getMessage());
    }

    @Test
    void metric_sameKeyTwice_refusedAsTheMonitorRefusesIt() {
        MetricKey cpu = MetricKey.of("cpu_cores", "checkout");
        FleetPredictor.Builder builder = FleetPredictor.builder("shop").metric(cpu, MetricKind.GAUGE_MEAN);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.metric(cpu, MetricKind.COUNTER));
        IllegalArgumentException monitor = assertThrows(IllegalArgumentException.class,
                () -> ActivityMonitor.builder().metric(cpu, MetricKind.GAUGE_MEAN, GapFill.ZERO)
                        .metric(cpu, MetricKind.COUNTER, GapFill.ZERO));

        assertEquals(monitor.getMessage(), e.getMessage());
        assertTrue(e.getMessage().endsWith("is already registered"), e.getMessage());
    }

    @Test
    void durations_notPositive_refusedByTheSetterNamingIt() {
        FleetPredictor.Builder builder = FleetPredictor.builder("shop");
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMinutes(-5))) {
            IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class, () -> builder.cycle(bad));
            assertTrue(cycle.getMessage().startsWith("cycle:"), cycle.getMessage());
            IllegalArgumentException refit = assertThrows(IllegalArgumentException.class,
                    () -> builder.refitEvery(bad));
            assertTrue(refit.getMessage().startsWith("refitEvery:"), refit.getMessage());
        }
    }

    @Test
    void settingsChangedAfterABuild_doNotReachTheEarlierPredictor() {
        MutableClock clock = MutableClock.at(T0);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger later = new AtomicInteger();
        FleetPredictor.Builder builder = FleetPredictor.builder("shop")
                .cloud(SimulatedCloud.builder().clock(clock).build()).metric(CPU, MetricKind.GAUGE_MEAN)
                .cycle(Duration.ofMinutes(10)).budget(5).clock(clock).events(() -> {
                    first.incrementAndGet();
                    return new EventFeed(1, List.of());
                });
        FleetPredictor built = builder.build();
        builder.events(() -> {
            later.incrementAndGet();
            return new EventFeed(1, List.of());
        });
        FleetPredictor rebuilt = builder.build();
        for (int i = 0; i < 24 * 6; i++) {
            built.record(CPU, clock.instant(), 4);
            rebuilt.record(CPU, clock.instant(), 4);
            clock.advance(Duration.ofMinutes(10));
        }
        built.cycle();
        assertTrue(first.get() > 0, "the feed given before the build is read by its predictor");
        assertEquals(0, later.get(), "a feed given after the build reaches only later builds");
        rebuilt.cycle();
        assertTrue(later.get() > 0);
    }

    @Test
    void metric_buildsTheOwnMonitorAtTheCycleStepAndRecordFeedsIt() {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T00:00:00Z"));
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .metric(CPU, MetricKind.GAUGE_MEAN).cycle(Duration.ofMinutes(10)).budget(5).clock(clock).build();
        for (int i = 0; i < 3 * 24 * 6; i++) {
            assertTrue(fleet.record(CPU, clock.instant(), 4));
            clock.advance(Duration.ofMinutes(10));
        }
        CycleReport report = fleet.cycle();
        assertFalse(report.predictions().isEmpty(), report.summary());
        // The near-term states follow the monitor's step, which is the cycle's.
        for (PredictedFleetState p : report.predictions()) {
            assertEquals(Duration.ofMinutes(10), Duration.between(p.validFrom(), p.validUntil()), p.toString());
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> fleet.record(MetricKey.of("memory_gib", "checkout"), clock.instant(), 1));
        assertTrue(unknown.getMessage().contains("memory_gib"), unknown.getMessage());
    }

    @Test
    void metricAndMonitor_refusedAsTwoMonitors() {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor monitor = ActivityMonitor.builder().clock(clock).metric(CPU, MetricKind.GAUGE_MEAN).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FleetPredictor.builder("shop")
                .monitor(monitor).metric(CPU, MetricKind.GAUGE_MEAN)
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).build());
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }

    @Test
    void record_customPredictStep_refusedSayingThereIsNoMonitor() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(1))
                .cloud(SimulatedCloud.builder().clock(clock).build()).budget(5).clock(clock).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fleet.record(CPU, T0, 1));
        assertTrue(e.getMessage().contains("no monitor"), e.getMessage());
    }

    @Test
    void defaultProjection_plansFromTheCloudsOffers() {
        MutableClock clock = MutableClock.at(T0);
        List<io.fleetpredict.cloud.Offer> offers = SimulatedCloud.defaultCatalogue().stream()
                .filter(o -> o.instanceType().equals("m.large") && o.region().equals("us-east")).toList();
        ResourceRequirement cpu = ResourceRequirement.of(ResourceAmount.of(ResourceType.CPU, 10, ResourceUnit.CORES));
        FleetPredictor fleet = FleetPredictor.builder("shop")
                .predict(t -> List.of(new PredictedFleetState(1, "shop", t, Horizon.SHORT_TERM, t,
                        t.plus(Duration.ofHours(1)), List.of(cpu), List.of(new ServiceRequirements("checkout",
                        List.of(cpu))), null, null)))
                .cloud(SimulatedCloud.builder().clock(clock).catalogue(offers).build()).budget(5).clock(clock).build();
        CycleReport report = fleet.cycle();
        assertFalse(report.plan().provisionalChanges().isEmpty(), report.summary());
        assertTrue(report.plan().provisionalChanges().stream().allMatch(c -> c.instanceType().equals("m.large")),
                report.summary());
    }

    @Test
    void maxProvisioningTime_givenUpAfterTheDefaultOrAfterTheOneGiven() {
        for (Duration limit : new Duration[] {null, Duration.ofMinutes(30)}) {
            MutableClock clock = MutableClock.at(T0);
            SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
            NeverReadyCloud cloud = new NeverReadyCloud(sim);
            FleetPredictor.Builder b = FleetPredictor.builder("shop").predict(now -> List.of()).project(growBy(2))
                    .cloud(cloud).budget(10).mode(PreProvisioner.Mode.APPLY).clock(clock);
            FleetPredictor fleet = (limit == null ? b : b.maxProvisioningTime(limit)).build();
            fleet.cycle();
            cloud.stuck(true);
            // m.large is due ready 3 minutes after its launch; 20 minutes later it is 17 past that.
            clock.advance(Duration.ofMinutes(20));
            assertEquals(limit == null ? 2 : 0, fleet.reconcile().givenUp().size(), String.valueOf(limit));
            clock.advance(Duration.ofMinutes(14));
            assertEquals(limit == null ? 0 : 2, fleet.reconcile().givenUp().size(), String.valueOf(limit));
        }
        assertThrows(IllegalArgumentException.class, () -> FleetPredictor.builder("shop").maxProvisioningTime(Duration.ZERO));
    }
}
