package io.fleetpredict.core.guide;

// The first program of docs/guides/embedding.md, quoted there from the tag on (without this package line).
// tag::first-cycle[]
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;

public class FirstCycle {
    public static void main(String[] args) {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T00:00:00Z"));
        MetricKey cpu = MetricKey.of("cpu_cores", "checkout");         // the CPU cores the checkout service uses
        FleetPredictor fleet = FleetPredictor.builder("shop")
                .cloud(SimulatedCloud.builder().clock(clock).build())  // your own CloudProvider in production
                .metric(cpu, MetricKind.GAUGE_MEAN)
                .budget(5.00)                                          // the most the fleet may cost per hour
                .mode(PreProvisioner.Mode.APPLY)                       // the default, PLAN_ONLY, launches nothing
                .clock(clock)
                .build();
        for (int step = 0; step < 7 * 24 * 12; step++) {               // a week of history, every 5 minutes
            double hour = step / 12.0 % 24;
            fleet.record(cpu, clock.instant(), 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step));
            clock.advance(Duration.ofMinutes(5));
        }
        System.out.println(fleet.cycle().summary());                   // what it predicted, launched and costs
    }
}
// end::first-cycle[]
