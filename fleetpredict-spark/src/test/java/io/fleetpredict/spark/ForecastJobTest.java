package io.fleetpredict.spark;

import static io.fleetpredict.spark.SharedSpark.hourly;
import static io.fleetpredict.spark.SharedSpark.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.Backtest;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.Metric;
import io.fleetpredict.forecast.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit job end to end on files: CSV and Parquet in and out, evaluation, and bad arguments. */
class ForecastJobTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ForecastJob.run(session(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Map<String, TimeSeries> writeCsv(Path file) throws IOException {
        return writeCsv(file, 7 * 24);
    }

    private Map<String, TimeSeries> writeCsv(Path file, int hours) throws IOException {
        Map<String, TimeSeries> series = new LinkedHashMap<>();
        series.put("web-cpu", hourly(101, hours));
        series.put("api-cpu", hourly(102, hours));
        List<String> lines = new ArrayList<>();
        lines.add("series_id,timestamp,value");
        series.forEach((id, s) -> {
            for (int i = 0; i < s.size(); i++) {
                // Double.toString round-trips exactly, so the job reads the very values written.
                lines.add(String.format(Locale.ROOT, "%s,%s,%s", id, s.timeAt(i), Double.toString(s.get(i))));
            }
        });
        Files.write(file, lines);
        return series;
    }

    @Test
    void forecast_csvInParquetOut_writesTheModelsForecasts() throws IOException {
        Path input = dir.resolve("series.csv");
        Map<String, TimeSeries> series = writeCsv(input);
        Path output = dir.resolve("forecasts.parquet");

        int code = run("--input", input.toString(), "--output", output.toString(), "--model", "theta",
                "--period", "24", "--horizon", "12", "--quantiles", "0.1,0.5,0.9");

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Dataset<Row> written = session().read().parquet(output.toString());
        assertEquals(List.of("series_id", "step", "timestamp", "mean", "p10", "p50", "p90", "model", "error"),
                List.of(written.columns()));
        Map<String, List<Row>> rows = SparkForecastingTest.bySeries(written);
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), 12)
                .quantiles(0.1, 0.5, 0.9).build();
        series.forEach((id, s) -> {
            FittedModel m = Forecasters.theta(24).fit(s);
            SparkForecastingTest.assertSame(id, m.forecast(12, spec.levels()), m.description(), null, spec,
                    rows.get(id));
        });
        assertEquals("forecasts of " + Forecasters.theta(24).name() + " written to " + output, out.toString(StandardCharsets.UTF_8).strip());
        assertEquals("true", session().conf().get("spark.sql.csv.parser.columnPruning.enabled"),
                "the session's CSV setting put back as it was");
    }

    @Test
    void evaluate_parquetInCsvOut_writesPerSeriesErrorsAndPrintsTheAggregate() throws IOException {
        Path csv = dir.resolve("series.csv");
        Map<String, TimeSeries> series = writeCsv(csv);
        Path parquet = dir.resolve("series.parquet");
        session().read().option("header", "true").csv(csv.toString()).write().parquet(parquet.toString());
        Path output = dir.resolve("errors.csv");

        int code = run("--input", parquet.toString(), "--output", output.toString(), "--model", "snaive",
                "--period", "24", "--horizon", "24", "--evaluate", "--origins", "2", "--quantiles", "0.025,0.975");

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Map<String, List<Row>> rows = SparkForecastingTest.bySeries(
                session().read().option("header", "true").option("inferSchema", "true").csv(output.toString()));
        double smape = 0;
        for (Map.Entry<String, TimeSeries> e : series.entrySet()) {
            double expected = Backtest.rollingOrigin(e.getValue(), Forecasters.seasonalNaive(24), 24, 2, 24, 24)
                    .mean(Metric.SMAPE);
            Row r = rows.get(e.getKey()).get(0);
            assertEquals(expected, r.getDouble(r.fieldIndex("smape")), 1e-12);
            smape += expected;
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith(String.format(Locale.ROOT, "2 series: 2 scored (0 by a fallback), 0 failed; "
                + "sMAPE %.4f", smape / 2)), printed);
    }

    @Test
    void forecast_lstmOnSeriesTooShortToTrainOn_exitsWith3AndSaysWhy() throws IOException {
        Path input = dir.resolve("short.csv");
        writeCsv(input, 30);

        int code = run("--input", input.toString(), "--output", dir.resolve("f.csv").toString(), "--model", "lstm",
                "--horizon", "4");

        assertEquals(3, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("fleetpredict-spark: LSTM training needs a series of "
                + "at least inputWindow + horizon = 56 + 4 = 60 values; the longest of 2 given has 30"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void evaluate_lstm_isTrainedOnTheSeriesCutBeforeTheFirstOrigin() throws IOException {
        // 64 values would train the LSTM (56 + 4 = 60 are needed), the 56 before the first origin (64 - 4 - 4)
        // would not: the refusal shows what the evaluated model is trained on.
        Path input = dir.resolve("series.csv");
        writeCsv(input, 64);

        int code = run("--input", input.toString(), "--output", dir.resolve("e.csv").toString(), "--model", "lstm",
                "--horizon", "4", "--evaluate", "--origins", "2");

        assertEquals(3, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the longest of 2 given has 56"),
                err.toString(StandardCharsets.UTF_8));
    }

    /** A series' error row tells the job's user to give {@code --step}, not how the library's API sets it. */
    @Test
    void forecast_seriesWithoutAStep_errorRowNamesTheStepOption() throws IOException {
        Path input = dir.resolve("short.csv");
        Files.write(input, List.of("series_id,timestamp,value", "solo,2026-01-01T00:00:00Z,1",
                "skewed,2026-01-01T00:00:00Z,1", "skewed,2026-01-01T01:00:00Z,2", "skewed,2026-01-01T02:30:00Z,3"));
        Path output = dir.resolve("short-out.csv");

        assertEquals(0, run("--input", input.toString(), "--output", output.toString(), "--model", "naive",
                "--horizon", "2"), err.toString(StandardCharsets.UTF_8));

        Map<String, String> errors = new LinkedHashMap<>();
        for (Row r : session().read().option("header", "true").csv(output.toString()).collectAsList()) {
            errors.put(r.getString(r.fieldIndex("series_id")), r.getString(r.fieldIndex("error")));
        }
        assertEquals("one row gives no step; give the step with --step", errors.get("solo"));
        assertTrue(errors.get("skewed").endsWith("if either is off the grid, correct it, or give the step with --step"),
                errors.get("skewed"));
    }

    /**
     * A CSV export of epoch milliseconds, as time series databases write them, is text to Spark, so the column's
     * type check cannot refuse it before the work: each such series' error row names the value, the row and the
     * cure, and the job says on stderr that series were not forecast (its exit code stays 0, as for any failing
     * series: the others' forecasts are written).
     */
    @Test
    void forecast_csvOfEpochMilliseconds_errorRowNamesTheValueTheRowAndTheCure() throws IOException {
        Path input = dir.resolve("epoch.csv");
        List<String> lines = new ArrayList<>();
        lines.add("series_id,timestamp,value");
        for (int h = 0; h < 48; h++) {
            // One value throughout: rows without a readable time sort in no set order among themselves.
            lines.add(String.format(Locale.ROOT, "a,%d,7.5", 1_762_000_000_000L + h * 3_600_000L));
            lines.add(String.format(Locale.ROOT, "b,%s,%d", java.time.Instant.parse("2026-01-01T00:00:00Z")
                    .plusSeconds(3600L * h), h));
        }
        lines.add("c,yesterday,1");
        lines.add("c,2026-01-01T00:00:00Z,1");
        lines.add("c,2026-01-01T01:00:00Z,2");
        Files.write(input, lines);
        Path output = dir.resolve("epoch-out.csv");

        assertEquals(0, run("--input", input.toString(), "--output", output.toString(), "--model", "naive",
                "--horizon", "2"), err.toString(StandardCharsets.UTF_8));

        Map<String, String> errors = new LinkedHashMap<>();
        for (Row r : session().read().option("header", "true").csv(output.toString()).collectAsList()) {
            errors.put(r.getString(r.fieldIndex("series_id")), r.getString(r.fieldIndex("error")));
        }
        String epoch = "unreadable timestamp '1762000000000' (a whole number: epoch seconds or milliseconds are not"
                + " read as times; convert them first, such as with Spark's timestamp_seconds or timestamp_millis)"
                + " in the row without a readable time and with value 7.5; 47 more rows of the series cannot be read";
        assertEquals(epoch, errors.get("a"));
        assertNull(errors.get("b"));
        assertEquals("unreadable timestamp 'yesterday' (expected a date and time such as 2026-03-02T10:00:00Z or"
                + " 2026-03-02 10:00:00) in the row without a readable time and with value 1.0", errors.get("c"));
        assertEquals("fleetpredict-spark: 2 series have an error row and no forecast; the first, 'a': " + epoch,
                err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void run_badArgumentsOrInput_exitsWithTheirCodeAndSaysWhy() throws IOException {
        assertEquals(2, run("--input", "x.csv", "--output", "y.csv"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--horizon is required"));
        assertEquals(2, run("--input", "x.csv", "--output", "y.csv", "--horizon", "4", "--model", "prophet"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown model 'prophet'"));
        assertEquals(2, run("--input", "x.csv", "--output", "y.csv", "--horizon", "4", "--quantiles", "0.1,1.5"));

        Path input = dir.resolve("other.csv");
        Files.write(input, List.of("id,time,demand", "a,2026-01-01T00:00:00Z,1"));
        assertEquals(3, run("--input", input.toString(), "--output", dir.resolve("o.csv").toString(),
                "--horizon", "4"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("the input has no column 'series_id'"));
    }
}
