package io.fleetpredict.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Throughput of forecasting many synthetic hourly series of two weeks: in one process on a thread pool of
 * one and of two threads, and on Spark in {@code local[1]} and {@code local[2]}, each series forecast 24 hours
 * ahead with the 80% interval. Prints, for each, the wall time and series per second, and the CPU time the
 * whole JVM spent (every thread: Spark's, the garbage collector's, the compiler's) per series, which other
 * load on the machine does not inflate; then Spark's overhead per series (its CPU time per series minus the
 * thread pool's), and the bytes Spark shuffled and the peak execution memory of its tasks, per series.
 *
 * <p>Run from the repository root (the numbers in {@code docs/results/spark.md} come from this):
 * <pre>
 * mvn -B -q -pl fleetpredict-spark -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx8g $(sed -n 's/^ *\(--add-opens=[^ ]*\|-D[^ ]*\) *$/\1/p' fleetpredict-spark/pom.xml) \
 *     -cp fleetpredict-spark/target/test-classes:fleetpredict-spark/target/classes:$(cat fleetpredict-spark/target/cp.txt) \
 *     io.fleetpredict.spark.SparkThroughput 100000 snaive,theta
 * </pre>
 * The series are made by a closed form (a daily cycle with a phase and level per series, a trend, and
 * deterministic noise), the same in Spark's SQL and in Java.
 */
public final class SparkThroughput {

    private static final int HOURS = 14 * 24;
    private static final int HORIZON = 24;
    private static final long START_SECONDS = Instant.parse("2026-03-02T00:00:00Z").getEpochSecond();

    private SparkThroughput() {
    }

    /**
     * Runs the comparison.
     *
     * @param args the number of series (100000 by default) and the models, comma-separated, from
     *     {@code snaive}, {@code theta}, {@code ets}, {@code auto} ({@code snaive,theta} by default)
     * @throws Exception if a pool task fails
     */
    public static void main(String[] args) throws Exception {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String[] models = (args.length > 1 ? args[1] : "snaive,theta").split(",");
        System.out.printf(Locale.ROOT, "%d series of %d hours, horizon %d, %d processors, max heap %d MiB%n", series,
                HOURS, HORIZON, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        for (String model : models) {
            ForecasterFactory factory = factory(model);
            double[] poolCpu = new double[3];
            for (int threads = 1; threads <= 2; threads++) {
                long cpu0 = cpuNanos();
                double seconds = inProcess(series, factory, threads);
                poolCpu[threads] = (cpuNanos() - cpu0) / 1e3 / series;
                System.out.printf(Locale.ROOT, "%-7s in-process pool of %d: %.1f s, %.0f series/s; CPU %.0f us/series%n",
                        model, threads, seconds, series / seconds, poolCpu[threads]);
            }
            for (int cores = 1; cores <= 2; cores++) {
                SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("throughput")
                        .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
                        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                        .getOrCreate();
                AtomicLong shuffled = new AtomicLong();
                AtomicLong peak = new AtomicLong();
                spark.sparkContext().addSparkListener(new SparkListener() {
                    @Override
                    public void onTaskEnd(SparkListenerTaskEnd end) {
                        if (end.taskMetrics() != null) {
                            shuffled.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
                            peak.accumulateAndGet(end.taskMetrics().peakExecutionMemory(), Math::max);
                        }
                    }
                });
                ForecastSpec spec = ForecastSpec.builder(ModelSource.of(factory), HORIZON).period(24)
                        .step(Duration.ofHours(1)).partitions(Math.max(cores, series / 5_000)).build();
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                SparkForecasting.forecast(synthetic(spark, series, cores), spec).write().format("noop")
                        .mode("overwrite").save();
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpu = (cpuNanos() - cpu0) / 1e3 / series;
                System.out.printf(Locale.ROOT,
                        "%-7s spark local[%d]: %.1f s, %.0f series/s; CPU %.0f us/series, overhead %.0f us/series over "
                                + "the pool of %d; shuffled %.0f bytes/series, peak task execution memory %.1f MiB%n",
                        model, cores, seconds, series / seconds, cpu, cpu - poolCpu[cores], cores,
                        shuffled.get() / (double) series, peak.get() / 1048576.0);
                spark.stop();
            }
        }
    }

    /** The CPU time of the whole JVM, every thread included. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static ForecasterFactory factory(String model) {
        return switch (model) {
            case "snaive" -> () -> Forecasters.seasonalNaive(24);
            case "theta" -> () -> Forecasters.theta(24);
            case "ets" -> () -> Forecasters.ets(24);
            case "auto" -> () -> Forecasters.auto(io.fleetpredict.forecast.CrossValidation.of(HORIZON), 24);
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
    }

    /** Value {@code t} of series {@code s}, as {@link #synthetic} computes it in SQL. */
    static double value(long s, long t) {
        double level = 50 + (s % 97);
        double noise = frac(Math.sin((s * HOURS + t) * 12.9898) * 43758.5453) - 0.5;
        return level + 0.01 * (s % 7) * t + 0.3 * level * Math.sin(2 * Math.PI * t / 24 + s % 24) + 0.05 * level * noise;
    }

    private static double frac(double x) {
        return x - Math.floor(x);
    }

    /** The series in long format, made on the executors from a range, so the driver holds none of them. */
    static Dataset<Row> synthetic(SparkSession spark, int series, int partitions) {
        return spark.range(0, (long) series * HOURS, 1, partitions)
                .select(expr("id div " + HOURS).as("s"), expr("id % " + HOURS).as("t"), col("id"))
                .select(expr("concat('series-', s)").as("series_id"),
                        expr("timestamp_seconds(" + START_SECONDS + " + t * 3600)").as("timestamp"),
                        expr("50 + (s % 97) + 0.01 * (s % 7) * t + 0.3 * (50 + (s % 97)) * sin(2 * pi() * t / 24 + s % 24)"
                                + " + 0.05 * (50 + (s % 97)) * (((sin(id * 12.9898) * 43758.5453) - floor(sin(id * 12.9898)"
                                + " * 43758.5453)) - 0.5)").as("value"));
    }

    private static double inProcess(int series, ForecasterFactory factory, int threads) throws Exception {
        Forecaster f = factory.create();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<Double>> parts = new ArrayList<>();
            int chunk = Math.max(1, series / (threads * 16));
            for (int from = 0; from < series; from += chunk) {
                int lo = from;
                int hi = Math.min(series, from + chunk);
                parts.add(pool.submit(() -> {
                    double sum = 0;
                    double[] v = new double[HOURS];
                    for (int s = lo; s < hi; s++) {
                        for (int t = 0; t < HOURS; t++) {
                            v[t] = value(s, t);
                        }
                        TimeSeries ts = TimeSeries.of(Instant.ofEpochSecond(START_SECONDS), Duration.ofHours(1), v);
                        sum += f.fit(ts).forecast(HORIZON, 80).mean(HORIZON - 1);
                    }
                    return sum;
                }));
            }
            double check = 0;
            for (Future<Double> p : parts) {
                check += p.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!Double.isFinite(check)) {
                throw new IllegalStateException("a forecast was not finite");
            }
            return seconds;
        } finally {
            pool.shutdown();
        }
    }
}
