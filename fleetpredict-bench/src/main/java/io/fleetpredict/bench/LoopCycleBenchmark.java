package io.fleetpredict.bench;

import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.replay.FleetLoop;
import io.fleetpredict.replay.Policies;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
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
 * Time for one {@code FleetPredictor.cycle()} of the library's loop as a replay runs it: one service, the
 * monitor's step of one minute, a 5-minute boot, the near-term forecast at an SLA target of 99.9%, the
 * projection, the cost gate, launches and releases against the simulated cloud, and the in-memory store.
 * The loop first runs 8 days of a seeded daily load (a sine between about 15 and 65 instances with noise
 * and a daily surge), so its error pools are full (a week) and its fleet is in steady state; each
 * invocation then moves the clock one step and runs one cycle. The load is periodic, so the loop never
 * runs out of trace. The baseline contender is the same loop at a loose target (90%), whose fleet churns
 * less.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar LoopCycle} (add {@code -prof gc} for the
 * allocation rate).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LoopCycleBenchmark {

    /** The SLA targets compared. */
    public enum Contender {
        /** 90% of the time served: the baseline. */
        LOOSE(0.9),
        /** 99.9% of the time served. */
        TIGHT(0.999);

        private final double served;

        Contender(double served) {
            this.served = served;
        }
    }

    private static final int DAY = 1440;
    private static final long SEED = 19980610L;

    /** The target under test. */
    @Param
    public Contender contender;

    private FleetLoop.Stepper loop;
    private Random random;
    private long step;

    private double demand(long t) {
        double surge = (t % DAY) >= 900 && (t % DAY) < 960 ? 1.5 : 1;
        return surge * (40_000 + 25_000 * Math.sin(2 * Math.PI * t / DAY)) + 2_000 * random.nextGaussian();
    }

    /** Builds the loop and runs it through 8 days. */
    @Setup
    public void setUp() {
        random = new Random(SEED);
        loop = Policies.fleetpredict(contender.served, List.of()).start(Instant.parse("1998-06-01T00:00:00Z"),
                Duration.ofMinutes(1), 1000, Duration.ofMinutes(5), 0.096);
        loop.step(Double.NaN);
        for (step = 1; step < 8 * DAY; step++) {
            loop.step(demand(step - 1));
        }
    }

    /**
     * Moves one minute on and runs one cycle.
     *
     * @return the cycle's report, so the work is not eliminated
     */
    @Benchmark
    public CycleReport cycle() {
        CycleReport r = loop.step(demand(step - 1));
        step++;
        return r;
    }
}
