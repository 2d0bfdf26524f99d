package io.fleetpredict.bench;

import io.fleetpredict.forecast.TimeSeries;
import io.fleetpredict.replay.Policies;
import io.fleetpredict.replay.Replay;
import io.fleetpredict.replay.ReplayPolicy;
import io.fleetpredict.replay.ReplayResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * Time for one replay of a seeded synthetic trace at 1-minute steps (5 days, the first 3 the warm-up,
 * 2,880 scored steps: a daily sine, noise and a few short surges) under one policy, 1,000 requests per
 * instance per step and a 5-minute boot. The static policy is the baseline: one percentile of the
 * warm-up, then a walk over the steps. Reactive adds the target-tracking state machine per step. The
 * library's loop ({@code FLEETPREDICT}) runs a real {@code FleetPredictor} against the simulated cloud, a
 * cycle per step through warm-up and scored steps alike (7,200 cycles): near-term forecast, projection,
 * cost gate, launches and releases, the fleet state store. Multiply by the steps to estimate a long trace:
 * WorldCup98 has 17 times as many steps. {@link LoopCycleBenchmark} times one cycle alone.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar Replay} (add {@code -f 1 -wi 2 -i 3} for a
 * quick look).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime) // one whole replay a sample: the loop's takes seconds, longer than any iteration
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class ReplayBenchmark {

    /** The policies compared. */
    public enum Contender {
        /** A fixed fleet: the baseline. */
        STATIC(() -> Policies.staticCapacity(99, 0.5)),
        /** AWS-style target tracking at 70%. */
        REACTIVE(() -> Policies.reactive(0.7)),
        /** The library's loop at an SLA target of 99.9% of the time served. */
        FLEETPREDICT(() -> Policies.fleetpredict(0.999, List.of()));

        private final Supplier<ReplayPolicy> policy;

        Contender(Supplier<ReplayPolicy> policy) {
            this.policy = policy;
        }
    }

    private static final int DAY = 1440;
    private static final long SEED = 19980610L;

    /** The policy under test. */
    @Param
    public Contender contender;

    private Replay replay;

    /** Builds the seeded trace and the replay. */
    @Setup
    public void setUp() {
        Random r = new Random(SEED);
        double[] v = new double[5 * DAY];
        for (int t = 0; t < v.length; t++) {
            double surge = (t % DAY) >= 900 && (t % DAY) < 1000 && r.nextDouble() < 0.98 ? 1.6 : 1;
            v[t] = surge * (40_000 + 25_000 * Math.sin(2 * Math.PI * t / DAY)) + 2_000 * r.nextGaussian();
        }
        replay = Replay.builder().trace(TimeSeries.of(Instant.parse("1998-06-01T00:00:00Z"), Duration.ofMinutes(1), v))
                .perInstance(1000).bootTime(Duration.ofMinutes(5)).pricePerHour(0.096).warmUp(Duration.ofDays(3)).build();
    }

    /**
     * Replays the trace under the contender, forecasts included.
     *
     * @return the result, so the work is not eliminated
     */
    @Benchmark
    public ReplayResult replay() {
        return replay.run(contender.policy.get());
    }
}
