package io.fleetpredict.bench;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PlanBasis;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time for one {@code FleetPredictor.cycle()} in apply mode on a large fleet: 100,000 running instances of one
 * service in the simulated cloud, where the loop's own work (its predict and project steps are given, and
 * plan one small change) is what grows with the fleet: the reconcile's sweep of ended instances, the ready
 * capacity's look at the active fleet, and a scale-in's choice of instances, each a describe as large as the
 * fleet. The baseline contender plans nothing; the churning one alternates a launch of 50 instances with a
 * release of 50. Setup launches the fleet in one cycle; each invocation moves the clock 5 minutes and runs
 * one cycle.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar LoopAtScale} (add {@code -f 1 -wi 2 -i 3} for a
 * quick look).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class LoopAtScaleBenchmark {

    /** What each cycle plans. */
    public enum Contender {
        /** Nothing: the baseline, the fleet as it is. */
        STEADY,
        /** A launch of 50 instances, then a release of 50, in turn. */
        CHURN
    }

    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final int CHANGE = 50;

    /** What each cycle plans. */
    @Param
    public Contender contender;

    /** The instances the fleet runs. */
    @Param("100000")
    public int fleet;

    private MutableClock clock;
    private FleetPredictor loop;
    private long cycles;

    private ProvisionalChange change(long n, ChangeAction action, int count) {
        Instant now = clock.instant();
        return new ProvisionalChange("chg-" + n, "web", action, "m.large", "us-east", count,
                PurchaseOption.ON_DEMAND, List.of(ResourceAmount.of(ResourceType.CPU, 2.0 * count,
                        ResourceUnit.CORES)), 1, "benchmark", action == ChangeAction.SCALE_IN ? 0 : 0.096 * count,
                0.0, now, now, ChangeStatus.PROPOSED, null);
    }

    private ProvisionalFleetState plan(FleetState current) {
        long n = cycles;
        List<ProvisionalChange> changes = n == 0 ? List.of(change(n, ChangeAction.SCALE_OUT, fleet))
                : contender == Contender.STEADY ? List.of()
                : List.of(change(n, n % 2 == 1 ? ChangeAction.SCALE_OUT : ChangeAction.SCALE_IN, CHANGE));
        // A plan's changes are for services of its fleet: the first one adds web to the empty fleet.
        FleetState fleet = current.services().stream().anyMatch(s -> s.name().equals("web")) ? current
                : new FleetState(current.schemaVersion(), current.fleetId(), current.version(), current.asOf(),
                        List.of(new ServiceState("web", "standard", List.of(), List.of())));
        return new ProvisionalFleetState(fleet, changes,
                PlanBasis.of(clock.instant().plusSeconds(3600), Horizon.SHORT_TERM, current.version()), null);
    }

    /** Builds the loop and launches the fleet in its first cycle. */
    @Setup
    public void setUp() {
        clock = MutableClock.at(START);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).defaultQuota(10 * fleet)
                .defaultCapacity(10 * fleet).endedRetention(Duration.ofHours(1)).build();
        loop = FleetPredictor.builder("fleet").predict(now -> List.of()).project((predictions, current) -> plan(current))
                .cloud(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).sleeper(clock::advance).build())
                .thresholds(1e12, 1e12).caps(new HardCaps(10 * fleet, 10 * fleet, Duration.ofHours(1), 10 * fleet, 1e12))
                .mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        loop.cycle();
        cycles = 1;
    }

    /**
     * Moves 5 minutes on and runs one cycle.
     *
     * @return the cycle's report
     */
    @Benchmark
    public CycleReport cycle() {
        clock.advance(Duration.ofMinutes(5));
        CycleReport r = loop.cycle();
        cycles++;
        return r;
    }
}
