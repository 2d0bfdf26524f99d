package io.fleetpredict.spark;

import io.fleetpredict.forecast.TimeSeries;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one local Spark session of the tests (two threads, no UI, UTC), started on first use and stopped when
 * the test JVM exits, and the synthetic series they forecast.
 */
final class SharedSpark {

    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);

    private static SparkSession session;

    private SharedSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("fleetpredict-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return session;
    }

    /**
     * An hourly series of {@code hours} values with a daily cycle, a trend and noise, all drawn from the seed,
     * so each seed gives a different shape.
     */
    static TimeSeries hourly(long seed, int hours) {
        SplittableRandom r = new SplittableRandom(seed);
        double level = 50 + 100 * r.nextDouble();
        double amplitude = level * (0.1 + 0.4 * r.nextDouble());
        double trend = (r.nextDouble() - 0.5) * level / 500;
        double noise = level * 0.05 * r.nextDouble();
        double[] v = new double[hours];
        for (int t = 0; t < hours; t++) {
            v[t] = level + trend * t + amplitude * Math.sin(2 * Math.PI * t / 24 + seed) + noise * gaussian(r);
        }
        return TimeSeries.of(START, HOUR, v);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** The long-format rows of series by id: {@code series_id}, {@code timestamp}, {@code value}. */
    static Dataset<Row> longFormat(Map<String, TimeSeries> series) {
        List<Row> rows = new ArrayList<>();
        series.forEach((id, s) -> {
            for (int i = 0; i < s.size(); i++) {
                rows.add(RowFactory.create(id, Timestamp.from(s.timeAt(i)), s.get(i)));
            }
        });
        return session().createDataFrame(rows, schema());
    }

    static StructType schema(StructField... extra) {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("series_id", DataTypes.StringType, true),
                DataTypes.createStructField("timestamp", DataTypes.TimestampType, true),
                DataTypes.createStructField("value", DataTypes.DoubleType, true)));
        fields.addAll(List.of(extra));
        return DataTypes.createStructType(fields);
    }
}
