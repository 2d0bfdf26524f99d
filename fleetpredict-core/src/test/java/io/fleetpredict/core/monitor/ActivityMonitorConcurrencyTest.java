package io.fleetpredict.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * One million observations of eight metrics from eight threads, checked against sums over plain
 * arrays computed independently, and against the memory bound, while the data streams in.
 *
 * <p>Time advances in chunks of five minutes; the threads race within a chunk and meet at a barrier
 * between chunks. With a ten-minute lateness window nothing can be late in any interleaving, so the
 * result must be the same whatever the scheduler does.
 */
class ActivityMonitorConcurrencyTest {

    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final int THREADS = 8;
    private static final int CHUNKS = 1250;
    private static final int PER_CHUNK = 800;
    private static final long CHUNK_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final int STEP_MILLIS = 60_000;
    private static final int BUCKETS = (int) (CHUNKS * CHUNK_MILLIS / STEP_MILLIS);
    private static final int RETENTION_BUCKETS = 360;
    private static final int LATENESS_BUCKETS = 10;
    private static final int CHECK_EVERY_CHUNKS = 60;

    private static final MetricKey[] METRICS = {
        MetricKey.fleet("sessions"), MetricKey.fleet("page_views"), MetricKey.fleet("transactions"),
        MetricKey.of("cpu_cores", "checkout"), MetricKey.of("memory_gib", "checkout"),
        MetricKey.of("bandwidth_mbps", "checkout"), MetricKey.of("storage_gib", "checkout"),
        MetricKey.of("cpu_cores", "search"),
    };
    private static final MetricKind[] KINDS = {
        MetricKind.COUNTER, MetricKind.COUNTER, MetricKind.COUNTER,
        MetricKind.GAUGE_MEAN, MetricKind.GAUGE_MEAN, MetricKind.GAUGE_MAX, MetricKind.GAUGE_MEAN,
        MetricKind.GAUGE_MAX,
    };

    // The data: observation i of chunk c is at index c * PER_CHUNK + i.
    private final int[] metric = new int[CHUNKS * PER_CHUNK];
    private final long[] millis = new long[CHUNKS * PER_CHUNK];
    private final double[] value = new double[CHUNKS * PER_CHUNK];

    // The reference, bucket by bucket, from plain arrays.
    private final BigDecimal[][] sum = new BigDecimal[METRICS.length][BUCKETS];
    private final long[][] count = new long[METRICS.length][BUCKETS];
    private final double[][] max = new double[METRICS.length][BUCKETS];
    private final long[][] latestAfterChunk = new long[CHUNKS][METRICS.length];

    private void generate(long seed) {
        Random rnd = new Random(seed);
        long[] latest = new long[METRICS.length];
        Arrays.fill(latest, Long.MIN_VALUE);
        for (int c = 0; c < CHUNKS; c++) {
            for (int i = 0; i < PER_CHUNK; i++) {
                int k = c * PER_CHUNK + i;
                int m = rnd.nextInt(METRICS.length);
                long t = c * CHUNK_MILLIS + rnd.nextInt((int) CHUNK_MILLIS);
                double v = KINDS[m] == MetricKind.COUNTER ? rnd.nextInt(20) : rnd.nextDouble() * 64;
                metric[k] = m;
                millis[k] = t;
                value[k] = v;
                int b = (int) (t / STEP_MILLIS);
                if (count[m][b] == 0) {
                    sum[m][b] = BigDecimal.ZERO;
                    max[m][b] = Double.NEGATIVE_INFINITY;
                }
                sum[m][b] = sum[m][b].add(new BigDecimal(v));
                count[m][b]++;
                max[m][b] = Math.max(max[m][b], v);
                latest[m] = Math.max(latest[m], t);
            }
            latestAfterChunk[c] = latest.clone();
        }
    }

    /**
     * The series the monitor should return after chunk {@code c}: closed buckets end at the metric's
     * latest time minus the lateness window; the window starts at the later of its first bucket and
     * the retention limit; an empty bucket is zero for a counter and the previous value for a gauge.
     */
    private double[] expected(int m, int c) {
        int closedEnd = (int) Math.floorDiv(latestAfterChunk[c][m] - LATENESS_BUCKETS * (long) STEP_MILLIS, STEP_MILLIS);
        int first = 0;
        while (count[m][first] == 0) {
            first++;
        }
        int from = Math.max(closedEnd - RETENTION_BUCKETS, first);
        double[] out = new double[Math.max(0, closedEnd - from)];
        double previous = Double.NaN;
        for (int b = from; b < closedEnd; b++) {
            double v;
            if (count[m][b] == 0) {
                v = KINDS[m] == MetricKind.COUNTER ? 0 : previous;
            } else if (KINDS[m] == MetricKind.COUNTER) {
                v = sum[m][b].doubleValue();
            } else if (KINDS[m] == MetricKind.GAUGE_MEAN) {
                v = sum[m][b].doubleValue() / count[m][b];
            } else {
                v = max[m][b];
            }
            out[b - from] = v;
            previous = v;
        }
        return out;
    }

    @Test
    void record_millionObservationsFromEightThreads_matchReferenceWithinMemoryBound() throws Exception {
        generate(20240301L);
        // Every bucket of every metric has data (about 20 observations each), and a check every 60
        // chunks (300 minutes, less than the 360 retained) compares every closed bucket at least once.
        for (int m = 0; m < METRICS.length; m++) {
            for (int b = 0; b < BUCKETS; b++) {
                assertTrue(count[m][b] > 0, "bucket " + b + " of " + METRICS[m]);
            }
        }
        assertTrue(CHECK_EVERY_CHUNKS * CHUNK_MILLIS / STEP_MILLIS < RETENTION_BUCKETS);
        ActivityMonitor.Builder builder = ActivityMonitor.builder()
                .step(Duration.ofMillis(STEP_MILLIS))
                .latenessWindow(Duration.ofMinutes(LATENESS_BUCKETS))
                .retention(Duration.ofHours(6))
                .clock(Clock.fixed(T0, ZoneOffset.UTC));
        for (int m = 0; m < METRICS.length; m++) {
            builder.metric(METRICS[m], KINDS[m]);
        }
        ActivityMonitor monitor = builder.build();
        List<String> failures = new CopyOnWriteArrayList<>();
        int[] chunkDone = {-1};
        CyclicBarrier barrier = new CyclicBarrier(THREADS, () -> {
            int c = ++chunkDone[0];
            if (c % CHECK_EVERY_CHUNKS == CHECK_EVERY_CHUNKS - 1 || c == CHUNKS - 1) {
                check(monitor, c, failures);
            }
        });
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    feed(monitor, id, barrier);
                } catch (Throwable e) {
                    errors.add(e);
                    barrier.reset();
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertEquals(List.of(), errors);
        assertEquals(List.of(), failures);
        assertEquals(CHUNKS - 1, chunkDone[0]);
        long accepted = 0;
        for (MetricStats stats : monitor.stats().values()) {
            accepted += stats.accepted();
            assertEquals(0, stats.late(), stats.metric().toString());
            assertEquals(0, stats.invalidTotal(), stats.metric().toString());
        }
        assertEquals(CHUNKS * PER_CHUNK, accepted);
    }

    /** Threads 0-3 record one at a time; threads 4-7 send batches of 25. */
    private void feed(ActivityMonitor monitor, int id, CyclicBarrier barrier)
            throws InterruptedException, BrokenBarrierException {
        List<Observation> batch = new ArrayList<>();
        for (int c = 0; c < CHUNKS; c++) {
            for (int i = id; i < PER_CHUNK; i += THREADS) {
                int k = c * PER_CHUNK + i;
                Instant time = T0.plusMillis(millis[k]);
                if (id < THREADS / 2) {
                    monitor.record(METRICS[metric[k]], time, value[k]);
                } else {
                    batch.add(Observation.of(METRICS[metric[k]], time, value[k]));
                    if (batch.size() == 25) {
                        monitor.recordAll(batch);
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                monitor.recordAll(batch);
                batch.clear();
            }
            barrier.await();
        }
    }

    private void check(ActivityMonitor monitor, int c, List<String> failures) {
        for (int m = 0; m < METRICS.length; m++) {
            MetricStats stats = monitor.stats(METRICS[m]);
            int bound = RETENTION_BUCKETS + LATENESS_BUCKETS + 1;
            if (stats.bucketCapacity() != bound || stats.retainedBuckets() > bound) {
                failures.add(String.format("chunk %d %s: %d retained of %d, bound %d",
                        c, METRICS[m], stats.retainedBuckets(), stats.bucketCapacity(), bound));
            }
            MonitoredSeries s = monitor.series(METRICS[m]);
            double[] want = expected(m, c);
            // Exact comparison: the monitor's sums and BigDecimal.doubleValue are both correctly rounded.
            if (!Arrays.equals(want, s.series().values()) || s.series().size() > RETENTION_BUCKETS) {
                failures.add(String.format("chunk %d %s: series of %d values differs from the reference of %d",
                        c, METRICS[m], s.series().size(), want.length));
            }
        }
    }
}
