package io.fleetpredict.spark;

import static io.fleetpredict.spark.SharedSpark.HOUR;
import static io.fleetpredict.spark.SharedSpark.START;
import static io.fleetpredict.spark.SharedSpark.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Input of the wrong shape: a typed error naming the column before any work starts, or a documented result. */
class SparkInputTest {

    @TempDir
    Path dir;

    private static ForecastSpec naive(int horizon) {
        return ForecastSpec.builder(ModelSource.of(Forecasters::naive), horizon).build();
    }

    private static Dataset<Row> frame(DataType timestamp, DataType value, List<Row> rows) {
        return session().createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("series_id", DataTypes.StringType, true),
                DataTypes.createStructField("timestamp", timestamp, true),
                DataTypes.createStructField("value", value, true))));
    }

    private static Timestamp hour(int h) {
        return Timestamp.from(START.plus(HOUR.multipliedBy(h)));
    }

    static Stream<Arguments> notTimes() {
        return Stream.of(
                Arguments.of(DataTypes.LongType, START.toEpochMilli(), "bigint"),
                Arguments.of(DataTypes.DoubleType, 1.7e9, "double"),
                Arguments.of(DataTypes.BooleanType, true, "boolean"),
                Arguments.of(DataTypes.createArrayType(DataTypes.StringType), List.of("2026-03-02").toArray(), "array<string>"));
    }

    /** An epoch number would be read as seconds whatever its unit: the forecasts would land in another age. */
    @ParameterizedTest
    @MethodSource("notTimes")
    void forecast_timestampColumnThatIsNotATime_isRefusedNamingColumnAndType(DataType type, Object cell,
            String typeName) {
        Dataset<Row> data = frame(type, DataTypes.DoubleType, List.of(RowFactory.create("a", cell, 1.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.forecast(data, naive(2)));
        assertEquals("column 'timestamp' is of type " + typeName + "; it must be a timestamp, a date, or a string "
                + "Spark casts to a timestamp (convert epoch numbers with timestamp_seconds or timestamp_millis)",
                e.getMessage());
    }

    static Stream<Arguments> notNumbers() {
        return Stream.of(
                Arguments.of(DataTypes.BooleanType, true, "boolean"),
                Arguments.of(DataTypes.TimestampType, hour(0), "timestamp"),
                Arguments.of(DataTypes.DateType, java.sql.Date.valueOf("2026-03-02"), "date"),
                Arguments.of(DataTypes.createArrayType(DataTypes.DoubleType), new Object[] {1.0}, "array<double>"));
    }

    /** A boolean would be read as 1 and 0, a timestamp as seconds since the epoch: numbers, but not the data. */
    @ParameterizedTest
    @MethodSource("notNumbers")
    void forecastAndCrossValidate_valueOrRegressorThatIsNotANumber_isRefusedNamingColumnAndType(DataType type,
            Object cell, String typeName) {
        Dataset<Row> badValue = frame(DataTypes.TimestampType, type, List.of(RowFactory.create("a", hour(0), cell)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.forecast(badValue, naive(2)));
        assertEquals("column 'value' is of type " + typeName + "; it must be a number, or a string holding one",
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.crossValidate(badValue, naive(2), CrossValidation.of(2)));

        Dataset<Row> badRegressor = session().createDataFrame(List.of(RowFactory.create("a", hour(0), 1.0, cell)),
                SharedSpark.schema(DataTypes.createStructField("promo", type, true)));
        ForecastSpec withPromo = ForecastSpec.builder(ModelSource.of(() -> Forecasters.arima(1, 0, 0)), 2)
                .regressors("promo").build();
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.forecast(badRegressor, withPromo));
        assertEquals("column 'promo' is of type " + typeName + "; it must be a number, or a string holding one",
                r.getMessage());
    }

    @Test
    void forecast_nanValue_isAMissingObservationFilledByTheGapPolicy() {
        double[] values = {3, 5, Double.NaN, 9, 11, 13};
        List<Row> rows = new ArrayList<>();
        for (int h = 0; h < values.length; h++) {
            rows.add(RowFactory.create("a", hour(h), values[h]));
        }
        Dataset<Row> data = frame(DataTypes.TimestampType, DataTypes.DoubleType, rows);

        List<Row> linear = SparkForecastingTest.bySeries(SparkForecasting.forecast(data, naive(1))).get("a");
        TimeSeries filled = TimeSeries.filled(START, HOUR, values, GapPolicy.LINEAR);
        assertEquals(7.0, filled.get(2), "the gap filled halfway between its neighbours");
        Forecast expected = Forecasters.naive().fit(filled).forecast(1, naive(1).levels());
        SparkForecastingTest.assertSame("a", expected, Forecasters.naive().fit(filled).description(), null, naive(1),
                linear);

        ForecastSpec reject = ForecastSpec.builder(ModelSource.of(Forecasters::naive), 1).gapPolicy(GapPolicy.REJECT)
                .build();
        List<Row> refused = SparkForecastingTest.bySeries(SparkForecasting.forecast(data, reject)).get("a");
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).getString(refused.get(0).fieldIndex("error")).contains(hour(2).toInstant().toString()),
                refused.toString());
    }

    @Test
    void forecast_nanRegressor_isAMissingValueAsANullOneIs() {
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(() -> Forecasters.arima(1, 0, 0)), 2)
                .regressors("promo").build();
        double[] values = {3, 5, 8, 9, 11, 13, 12, 15, 17, 16};
        double[] promo = {0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1};
        // the same frame three ways: promo at hour 3 known, null, NaN; then NaN in the horizon
        List<List<Row>> out = new ArrayList<>();
        for (Object missing : new Object[] {null, Double.NaN}) {
            List<Row> rows = new ArrayList<>();
            for (int h = 0; h < promo.length; h++) {
                rows.add(RowFactory.create("a", hour(h), h < values.length ? values[h] : null,
                        h == 3 ? missing : (Object) promo[h]));
            }
            Dataset<Row> data = session().createDataFrame(rows,
                    SharedSpark.schema(DataTypes.createStructField("promo", DataTypes.DoubleType, true)));
            out.add(SparkForecastingTest.bySeries(SparkForecasting.forecast(data, spec)).get("a"));
        }
        assertEquals(2, out.get(0).size(), out.get(0).toString());
        assertEquals(out.get(0).toString(), out.get(1).toString(), "a NaN regressor is filled as a null one is");
        assertTrue(out.get(1).get(0).isNullAt(out.get(1).get(0).fieldIndex("error")), out.get(1).toString());

        List<Row> rows = new ArrayList<>();
        for (int h = 0; h < promo.length; h++) {
            rows.add(RowFactory.create("a", hour(h), h < values.length ? values[h] : null,
                    h == values.length ? Double.NaN : promo[h]));
        }
        Dataset<Row> data = session().createDataFrame(rows,
                SharedSpark.schema(DataTypes.createStructField("promo", DataTypes.DoubleType, true)));
        List<Row> refused = SparkForecastingTest.bySeries(SparkForecasting.forecast(data, spec)).get("a");
        assertEquals(1, refused.size(), refused.toString());
        String error = refused.get(0).getString(refused.get(0).fieldIndex("error"));
        assertTrue(error.contains("regressor promo has no value at " + hour(values.length).toInstant()), error);
    }

    @Test
    void forecast_rowSparkCouldNotParse_givesItsSeriesAnErrorRowQuotingTheRecord() {
        List<Row> rows = new ArrayList<>();
        for (int h = 0; h < 4; h++) {
            rows.add(RowFactory.create("good", hour(h), Double.toString(h), null));
            rows.add(RowFactory.create("bad", hour(h), Double.toString(h), h == 2 ? "bad,2026-03-02T02:00:00Z,2,9" : null));
        }
        Dataset<Row> data = session().createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("series_id", DataTypes.StringType, true),
                DataTypes.createStructField("timestamp", DataTypes.TimestampType, true),
                DataTypes.createStructField("value", DataTypes.StringType, true),
                DataTypes.createStructField(SparkForecasting.CORRUPT_RECORD, DataTypes.StringType, true))));

        var out = SparkForecastingTest.bySeries(SparkForecasting.forecast(data, naive(2)));

        assertEquals(2, out.get("good").size());
        assertEquals(1, out.get("bad").size());
        assertEquals("unreadable record 'bad,2026-03-02T02:00:00Z,2,9' in the row at " + hour(2).toInstant(),
                out.get("bad").get(0).getString(out.get("bad").get(0).fieldIndex("error")));
    }

    @Test
    void forecast_dateTimestamps_areDaysAtMidnight() {
        List<Row> rows = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            rows.add(RowFactory.create("a", java.sql.Date.valueOf(java.time.LocalDate.of(2026, 3, 2 + d)), 10.0 + d));
        }
        Dataset<Row> data = frame(DataTypes.DateType, DataTypes.DoubleType, rows);
        List<Row> out = SparkForecastingTest.bySeries(SparkForecasting.forecast(data, naive(2))).get("a");
        assertEquals(2, out.size());
        assertEquals(Timestamp.from(START.plus(Duration.ofDays(4))), out.get(0).getTimestamp(2));
        assertEquals(13.0, out.get(0).getDouble(3));
    }

    @Test
    void forecastAndEvaluate_emptyInput_giveNoRowsAndAnEmptySummary() {
        Dataset<Row> empty = frame(DataTypes.TimestampType, DataTypes.DoubleType, List.of());
        assertEquals(0, SparkForecasting.forecast(empty, naive(2)).count());
        ErrorSummary s = SparkForecasting.evaluate(empty, naive(2), CrossValidation.of(2)).summary();
        assertEquals(0, s.series());
        assertTrue(Double.isNaN(s.smape()), s.toString());
    }

    @Test
    void summarize_framesWithoutTheErrorColumns_isRefusedNamingTheFirstMissing() {
        Dataset<Row> notErrors = frame(DataTypes.TimestampType, DataTypes.DoubleType, List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.summarize(notErrors));
        assertEquals("the errors have no column 'origins'; crossValidate's result has series_id, origins, smape, mase, "
                + "coverage, model and error", e.getMessage());
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ForecastJob.run(session(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path csv() throws IOException {
        Path input = dir.resolve("series.csv");
        Files.write(input, List.of("series_id,timestamp,value", "a,2026-01-01T00:00:00Z,1",
                "a,2026-01-01T01:00:00Z,2", "a,2026-01-01T02:00:00Z,3"));
        return input;
    }

    @Test
    void job_inputThatDoesNotExist_exitsThreeNamingIt() {
        Path missing = dir.resolve("nowhere.parquet");
        assertEquals(3, run("--input", missing.toString(), "--output", dir.resolve("o").toString(), "--horizon", "2"));
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("fleetpredict-spark: cannot read --input " + missing + " as parquet: "), said);
        assertTrue(said.contains("does not exist"), said);
    }

    @Test
    void job_inputNotInTheFormatGiven_exitsThreeSayingWhy() throws IOException {
        Path input = csv();
        assertEquals(3, run("--input", input.toString(), "--input-format", "parquet", "--output",
                dir.resolve("o").toString(), "--horizon", "2"));
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("fleetpredict-spark: cannot read --input " + input + " as parquet: "), said);
        assertTrue(said.contains("is not a Parquet file"), said);
        assertEquals(1, said.lines().count(), "one line, not a stack trace: " + said);
    }

    @Test
    void job_outputThatExistsWithoutOverwrite_exitsThreeAndLeavesItAlone() throws IOException {
        Path output = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(output.resolve("keep.txt"), "earlier results");
        assertEquals(3, run("--input", csv().toString(), "--output", output.toString(), "--horizon", "2", "--model",
                "naive"));
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("fleetpredict-spark: --output " + output + " already exists; give --overwrite "
                + "to replace it"), said);
        assertEquals("earlier results", Files.readString(output.resolve("keep.txt")));
        assertEquals(List.of(output.resolve("keep.txt")), Files.list(output).toList());
        assertEquals(3, run("--input", csv().toString(), "--output", output.toString(), "--horizon", "2", "--model",
                "naive", "--evaluate", "--origins", "1"), "an evaluation's output alike");
        assertEquals(List.of(output.resolve("keep.txt")), Files.list(output).toList());
    }

    /** A cell too few or too many: Spark would fill a null or drop the cell, and the series would go on unaware. */
    @Test
    void job_csvRowsWithTheWrongNumberOfCells_areTheirSeriesErrorRows() throws IOException {
        Path input = dir.resolve("cells.csv");
        List<String> lines = new ArrayList<>(List.of("series_id,timestamp,value,host"));
        for (int h = 0; h < 4; h++) {
            String t = START.plus(HOUR.multipliedBy(h)).toString();
            lines.add("good," + t + "," + h + ",web-1");
            lines.add("short," + t + (h == 1 ? "" : "," + h + ",web-2"));
            lines.add("comma," + t + (h == 2 ? ",2,9" : "," + h) + ",web-3");
        }
        Files.write(input, lines);
        Path output = dir.resolve("out.parquet");
        String before = session().conf().get("spark.sql.csv.parser.columnPruning.enabled", "true");

        assertEquals(0, run("--input", input.toString(), "--output", output.toString(), "--horizon", "2", "--model",
                "naive"), err.toString(StandardCharsets.UTF_8));

        var out = SparkForecastingTest.bySeries(session().read().parquet(output.toString()));
        assertEquals(2, out.get("good").size());
        assertEquals("unreadable record 'short," + START.plus(HOUR) + "' in the row at " + START.plus(HOUR),
                out.get("short").get(0).getString(out.get("short").get(0).fieldIndex("error")));
        assertEquals("unreadable record 'comma," + START.plus(HOUR.multipliedBy(2)) + ",2,9,web-3' in the row at "
                + START.plus(HOUR.multipliedBy(2)),
                out.get("comma").get(0).getString(out.get("comma").get(0).fieldIndex("error")));
        assertEquals(before, session().conf().get("spark.sql.csv.parser.columnPruning.enabled", "true"),
                "the caller's session is left as it was");
    }

    @Test
    void job_headerOnlyCsv_writesNoForecastsAndSaysSo() throws IOException {
        Path input = dir.resolve("header.csv");
        Files.write(input, List.of("series_id,timestamp,value"));
        Path output = dir.resolve("none.csv");
        assertEquals(0, run("--input", input.toString(), "--output", output.toString(), "--horizon", "2", "--model",
                "naive"));
        assertEquals(0, session().read().option("header", "true").csv(output.toString()).count());
    }
}
