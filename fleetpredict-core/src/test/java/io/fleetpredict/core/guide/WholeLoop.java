package io.fleetpredict.core.guide;

// A program of docs/guides/embedding.md, quoted there from the tag on (without this package line).
// tag::whole-loop[]
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.StoredFleet;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

public class WholeLoop {
    public static void main(String[] args) throws Exception {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-03T00:00:00Z"));
        MetricKey transactions = MetricKey.fleet("transactions");        // activity of the whole fleet
        MetricKey cpu = MetricKey.of("cpu_cores", "checkout");           // the CPU cores checkout uses
        ActivityMonitor monitor = ActivityMonitor.builder().step(Duration.ofMinutes(15)).clock(clock)
                .metric(transactions, MetricKind.COUNTER).metric(cpu, MetricKind.GAUGE_MEAN).build();
        SlaPolicies sla = SlaPolicies.builder()
                .tier("critical", TierPolicy.builder().weight(100).maxSpotShare(0).minOnDemandCount(2)
                        .leadTime(Duration.ofMinutes(10)).maxViolationShare(0.01).build())
                .tier("standard", TierPolicy.builder().build())    // the documented standard tier
                .defaultTier("standard")
                .service("checkout", "critical")
                .build();
        FleetStateStore store = FleetStateStores.directory(Files.createTempDirectory("fleet"));  // survives restarts
        store.create(StoredFleet.of(new FleetState(1, "shop", 0, clock.instant(), List.of())));  // false if there
        FleetPredictor fleet = FleetPredictor.builder("shop")
                .monitor(monitor)                     // the near term, at the monitor's step, sized by the SLA
                .predictor(Predictor.builder().slaPolicies(sla).fleetId("shop").clock(clock)   // published terms
                        .horizons(List.of(HorizonSpec.shortTerm(), HorizonSpec.mediumTerm())).build())
                .feedbackTracking(AccuracyTracker.builder().clock(clock).build())   // accuracy; drift -> refit
                .slaPolicies(sla)
                .cloud(SimulatedCloud.builder().clock(clock).build())
                .store(store)
                .thresholds(5.00, 0.50)               // cost per hour, cost per cycle: above, a person decides
                .caps(HardCaps.builder().maxFleetInstances(12).maxFleetCostPerHour(10).build())
                .cycle(Duration.ofMinutes(30))
                .mode(PreProvisioner.Mode.APPLY)      // the default is PLAN_ONLY
                .clock(clock)
                .build();
        Random noise = new Random(42);
        for (int tick = 0; tick < 5 * 24 * 12; tick++) {                // five days, every 5 minutes
            double hour = tick / 12.0 % 24;                              // an evening peak at 19:00
            double tx = (300 + 900 * Math.exp(-Math.pow((hour - 19) / 1.5, 2))) * (1 + 0.03 * noise.nextGaussian());
            fleet.record(transactions, clock.instant(), tx);
            fleet.record(cpu, clock.instant(), (1 + tx / 100) * (1 + 0.02 * noise.nextGaussian()));
            clock.advance(Duration.ofMinutes(5));
            if (tick >= 4 * 24 * 12 && tick % 6 == 5) {                 // after four days, a cycle every 30 minutes
                CycleReport report = fleet.cycle();
                if (report.cycle() % 12 == 1) {
                    System.out.println(report.summary());
                }
            }
        }
    }
}
// end::whole-loop[]
