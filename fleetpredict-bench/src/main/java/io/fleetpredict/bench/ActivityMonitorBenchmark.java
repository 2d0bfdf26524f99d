package io.fleetpredict.bench;

import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.monitor.Observation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Ingestion throughput of {@link ActivityMonitor}: observations per second into eight metrics, one
 * call per observation ({@code RECORD}) or in batches of {@value #BATCH} ({@code RECORD_ALL}), against
 * a baseline that only sums into a synchronized hash map of buckets (no lateness, no retention, no
 * exact sums).
 *
 * <p>Run with {@code java -jar fleetpredict-bench/target/benchmarks.jar ActivityMonitorBenchmark -t 4}
 * to measure contention; each thread replays the same seeded stream with time moving forward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ActivityMonitorBenchmark {

    /** The ingestion paths compared. */
    public enum Contender {
        /** A synchronized map from (metric, bucket) to a plain double sum. */
        BASELINE_MAP,
        /** {@link ActivityMonitor#record} once per observation. */
        RECORD,
        /** {@link ActivityMonitor#recordAll} with batches of {@value ActivityMonitorBenchmark#BATCH}. */
        RECORD_ALL
    }

    static final int BATCH = 1000;
    private static final int METRICS = 8;
    private static final long SEED = 42L;
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    /** The path measured. */
    @Param
    public Contender contender;

    private final MetricKey[] keys = new MetricKey[METRICS];
    private final int[] metric = new int[BATCH];
    private final long[] offsetMillis = new long[BATCH];
    private final double[] value = new double[BATCH];
    private final AtomicLong round = new AtomicLong();
    private ActivityMonitor monitor;
    private Map<Long, double[]> baseline;

    /** Builds the seeded stream: a thousand observations spread over ten seconds, jittered by up to two. */
    @Setup(Level.Trial)
    public void setUpStream() {
        Random rnd = new Random(SEED);
        for (int m = 0; m < METRICS; m++) {
            keys[m] = m < 3 ? MetricKey.fleet("activity_" + m) : MetricKey.of("usage_" + m, "svc");
        }
        for (int i = 0; i < BATCH; i++) {
            metric[i] = rnd.nextInt(METRICS);
            offsetMillis[i] = i * 10L + rnd.nextInt(2000);
            value[i] = metric[i] < 3 ? rnd.nextInt(10) : rnd.nextDouble() * 64;
        }
    }

    /** A fresh monitor (and baseline map) per iteration. */
    @Setup(Level.Iteration)
    public void setUpMonitor() {
        ActivityMonitor.Builder builder = ActivityMonitor.builder()
                .step(Duration.ofSeconds(10))
                .latenessWindow(Duration.ofMinutes(1))
                .retention(Duration.ofHours(1))
                .clock(Clock.fixed(T0, ZoneOffset.UTC));
        for (int m = 0; m < METRICS; m++) {
            builder.metric(keys[m], m < 3 ? MetricKind.COUNTER : MetricKind.GAUGE_MEAN);
        }
        monitor = builder.build();
        baseline = new HashMap<>();
        round.set(0);
    }

    /**
     * Ingests one round of the stream, ten seconds later than the previous round.
     *
     * @param bh sink for results
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ingest(Blackhole bh) {
        long base = round.getAndIncrement() * BATCH * 10L;
        switch (contender) {
            case BASELINE_MAP:
                synchronized (baseline) {
                    for (int i = 0; i < BATCH; i++) {
                        long bucket = ((base + offsetMillis[i]) / 10_000L) * METRICS + metric[i];
                        baseline.computeIfAbsent(bucket, k -> new double[1])[0] += value[i];
                    }
                    bh.consume(baseline.size());
                }
                break;
            case RECORD:
                for (int i = 0; i < BATCH; i++) {
                    bh.consume(monitor.record(keys[metric[i]], T0.plusMillis(base + offsetMillis[i]), value[i]));
                }
                break;
            case RECORD_ALL:
                List<Observation> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    batch.add(Observation.of(keys[metric[i]], T0.plusMillis(base + offsetMillis[i]), value[i]));
                }
                bh.consume(monitor.recordAll(batch));
                break;
            default:
                throw new AssertionError(contender);
        }
    }
}
