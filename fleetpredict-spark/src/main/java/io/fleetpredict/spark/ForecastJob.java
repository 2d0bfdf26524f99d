package io.fleetpredict.spark;

import static org.apache.spark.sql.functions.col;

import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.ForecastException;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.jspecify.annotations.Nullable;

/**
 * The {@code spark-submit} job: reads long-format series from Parquet or CSV, forecasts (or cross-validates)
 * each, and writes the result as Parquet or CSV.
 *
 * <pre>
 * spark-submit --class io.fleetpredict.spark.ForecastJob fleetpredict-spark-VERSION-job.jar \
 *     --input s3://bucket/series.parquet --output s3://bucket/forecasts.parquet \
 *     --model auto --period 24 --period 168 --horizon 48 --quantiles 0.1,0.5,0.9
 * </pre>
 *
 * <p>Options: {@code --input PATH} and {@code --output PATH} (required); {@code --horizon H} (required);
 * {@code --model NAME} ({@code auto} by default; see {@link #MODELS}, and {@code lstm} for one LSTM trained on
 * the driver across {@code --lstm-series N} series, 1000 by default); {@code --period P}, repeatable (1 by
 * default; the first scales MASE); {@code --quantiles Q,Q,...} (0.1,0.9); {@code --step ISO-8601} (positive; inferred
 * per series by default, and a series' error row that needs it names it); {@code --gaps linear|previous|reject}; {@code --regressors A,B}; {@code --partitions N};
 * {@code --input-format} and {@code --output-format} {@code parquet|csv} (from the path's extension by default,
 * Parquet otherwise); {@code --overwrite}; {@code --evaluate} to cross-validate instead, with
 * {@code --origins N} (2) and {@code --stride S} (the horizon), printing the aggregate (the {@code lstm} it
 * evaluates is trained on the series cut before the first origin, so that no origin scores it on a value it was
 * trained on). Exit codes: 0 done,
 * 2 bad arguments, 3 input the job cannot read or use, or an output that exists without {@code --overwrite}. A
 * series that cannot be read or forecast is an error row in the output, not an exit code; the job says on stderr
 * how many there are and the first one's error.
 */
public final class ForecastJob {

    /**
     * The models by name: the forecasting library's ({@link Forecasters#names()}, each built by
     * {@link Forecasters#byName(String, CrossValidation, int...)} with the periods and, for {@code auto}, a
     * cross-validation at the horizon) and {@code lstm}.
     */
    static final List<String> MODELS = java.util.stream.Stream.concat(Forecasters.names().stream(),
            java.util.stream.Stream.of("lstm")).sorted().toList();

    private ForecastJob() {
    }

    /**
     * Runs the job in the session {@code spark-submit} provides, and exits with its code when it is not 0.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("fleetpredict-forecast").getOrCreate();
        int code;
        try {
            code = run(spark, args, System.out, System.err);
        } finally {
            spark.stop();
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the job in a session the caller owns.
     *
     * @param spark the session
     * @param args the options
     * @param out where the evaluation's aggregate and the summary line go
     * @param err where errors go
     * @return 0 when done, 2 for bad arguments, 3 for input the job cannot read or use, or an output that exists
     *     without {@code --overwrite}
     */
    public static int run(SparkSession spark, String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("fleetpredict-spark: " + e.getMessage());
            return 2;
        }
        Dataset<Row> data;
        try {
            String input = Objects.requireNonNull(o.input, "--input, checked by the parser");
            data = "csv".equals(o.inputFormat) ? readCsv(spark, input) : spark.read().parquet(input);
        } catch (Exception e) {
            // Spark's failures are Scala exceptions, checked in Java's eyes though no signature declares them.
            if (!(e instanceof SparkThrowable)) {
                throw e;
            }
            err.println("fleetpredict-spark: cannot read --input " + o.input + " as " + o.inputFormat + ": "
                    + rootMessage(e));
            return 3;
        }
        // Spark parses only the CSV cells a query uses unless told otherwise, and then cannot see that a row has
        // too few or too many: the setting is the caller's session's, so it is put back as it was.
        String pruning = spark.conf().get(CSV_PRUNING, "true");
        spark.conf().set(CSV_PRUNING, "false");
        try {
            CrossValidation plan = o.evaluate
                    ? new CrossValidation(o.horizon, o.origins, o.stride > 0 ? o.stride : o.horizon) : null;
            ForecastSpec spec = spec(o, data, plan);
            if (plan != null) {
                Evaluation e = SparkForecasting.evaluate(data, spec, plan);
                boolean written = write(e.perSeries(), o);
                if (written) {
                    out.println(e.summary());
                }
                e.perSeries().unpersist();
                if (!written) {
                    return outputExists(o, err);
                }
            } else {
                // Kept for the count of error rows after the write, which would otherwise forecast everything again.
                Dataset<Row> forecasts = SparkForecasting.forecast(data, spec).persist(StorageLevel.MEMORY_AND_DISK());
                try {
                    if (!write(forecasts, o)) {
                        return outputExists(o, err);
                    }
                    out.println("forecasts of " + spec.model().name() + " written to " + o.output);
                    errorRows(forecasts, err);
                } finally {
                    forecasts.unpersist();
                }
            }
            return 0;
        } catch (IllegalArgumentException | ForecastException e) {
            // A ForecastException here is the driver's LSTM training refusing the data (too short to train on):
            // the series' own fits never throw out of the job.
            err.println("fleetpredict-spark: " + e.getMessage());
            return 3;
        } finally {
            spark.conf().set(CSV_PRUNING, pruning);
        }
    }

    /**
     * Says on {@code err} how many series got an error row instead of a forecast, and the first one's error: a
     * failing series is not an exit code, but a run whose series could not be read should not look like a
     * clean one.
     */
    private static void errorRows(Dataset<Row> forecasts, PrintStream err) {
        Dataset<Row> errors = forecasts.where(col("step").isNull());
        long n = errors.count();
        if (n > 0) {
            Row first = errors.orderBy(col("series_id").asc_nulls_first()).first();
            err.println(String.format(Locale.ROOT, "fleetpredict-spark: %d series have an error row and no forecast;"
                    + " the first, %s: %s", n, first.isNullAt(0) ? "without a series_id" : "'" + first.getString(0)
                    + "'", first.getString(first.fieldIndex("error"))));
        }
    }

    /** The session setting that lets Spark's CSV reader parse only the cells a query uses. */
    private static final String CSV_PRUNING = "spark.sql.csv.parser.columnPruning.enabled";

    /**
     * A CSV file as text columns named by its header, with a row whose number of cells differs from the header's
     * kept whole in {@link SparkForecasting#CORRUPT_RECORD}, so that it becomes its series' error rather than a
     * null or a dropped cell.
     */
    private static Dataset<Row> readCsv(SparkSession spark, String input) {
        StructType header = spark.read().option("header", "true").csv(input).schema();
        return spark.read().option("header", "true").option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", SparkForecasting.CORRUPT_RECORD)
                .schema(header.add(SparkForecasting.CORRUPT_RECORD, DataTypes.StringType, true)).csv(input);
    }

    private static int outputExists(Options o, PrintStream err) {
        err.println("fleetpredict-spark: --output " + o.output + " already exists; give --overwrite to replace it");
        return 3;
    }

    /** The message of the innermost cause, on one line: Spark wraps a read failure in a task failure and more. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).replaceAll("\\s+", " ").strip();
    }

    /**
     * Writes the result, unless the output exists and {@code --overwrite} was not given: Spark refuses that
     * before any work, and the existing output is left as it was.
     *
     * @return whether the result was written
     */
    private static boolean write(Dataset<Row> result, Options o) {
        try {
            result.write().mode(o.overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).format(o.outputFormat)
                    .option("header", "true").save(o.output);
            return true;
        } catch (Exception e) {
            if (e instanceof SparkThrowable t && "PATH_ALREADY_EXISTS".equals(t.getCondition())) {
                return false;
            }
            throw e;
        }
    }

    /** The spec of the job; an LSTM to be evaluated is trained on the series cut before the plan's first origin. */
    private static ForecastSpec spec(Options o, Dataset<Row> data, @Nullable CrossValidation plan) {
        ModelSource model;
        int[] periods = o.periods;
        int horizon = o.horizon;
        int first = periods[0];
        String[] regressors = o.regressors.toArray(new String[0]);
        if (o.model.equals("lstm")) {
            LstmConfig config = lstmConfig(first, horizon, o.quantiles);
            model = plan == null
                    ? ModelSource.global(SparkForecasting.trainGlobalLstm(data, config, o.lstmSeries, regressors))
                    : ModelSource.globalTrainedBefore(
                            SparkForecasting.trainGlobalLstm(data, config, o.lstmSeries, plan, regressors), plan);
        } else {
            String name = o.model;
            model = ModelSource.of(() -> Forecasters.byName(name, CrossValidation.of(horizon), periods));
        }
        ForecastSpec.Builder b = ForecastSpec.builder(model, horizon).period(first).quantiles(o.quantiles)
                .gapPolicy(o.gaps).regressors(regressors).partitions(o.partitions)
                .stepAdvice("give the step with --step");
        if (o.step != null) {
            b.step(o.step);
        }
        return b.build();
    }

    /**
     * The LSTM of the job, as the command line's {@code evaluate} trains it ({@link LstmConfig#tuned}), with the
     * quantiles asked for and their mirror images.
     */
    static LstmConfig lstmConfig(int period, int horizon, double[] quantiles) {
        TreeSet<Double> lower = new TreeSet<>();
        for (double q : quantiles) {
            if (q != 0.5) {
                lower.add(q < 0.5 ? q : Math.round((1 - q) * 1e12) / 1e12);
            }
        }
        List<Double> all = new ArrayList<>(lower);
        all.add(0.5);
        for (double q : lower.descendingSet()) {
            all.add(Math.round((1 - q) * 1e12) / 1e12);
        }
        return LstmConfig.tuned(period, horizon)
                .quantiles(all.stream().mapToDouble(Double::doubleValue).toArray())
                .build();
    }

    /** The parsed options. */
    private static final class Options {
        @Nullable String input;
        @Nullable String output;
        @Nullable String inputFormat;
        @Nullable String outputFormat;
        String model = "auto";
        int[] periods = {1};
        int horizon;
        double[] quantiles = {0.1, 0.9};
        @Nullable Duration step;
        GapPolicy gaps = GapPolicy.LINEAR;
        List<String> regressors = List.of();
        int partitions;
        boolean overwrite;
        boolean evaluate;
        int origins = 2;
        int stride;
        int lstmSeries = 1000;

        static Options parse(String[] args) {
            Map<String, List<String>> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--overwrite") || a.equals("--evaluate")) {
                    given.computeIfAbsent(a, k -> new ArrayList<>()).add("true");
                    continue;
                }
                if (!a.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected an option and its value at '" + a + "'");
                }
                given.computeIfAbsent(a, k -> new ArrayList<>()).add(args[++i]);
            }
            Options o = new Options();
            List<String> periods = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : given.entrySet()) {
                String v = e.getValue().get(e.getValue().size() - 1);
                switch (e.getKey()) {
                    case "--input" -> o.input = v;
                    case "--output" -> o.output = v;
                    case "--input-format" -> o.inputFormat = format("--input-format", v);
                    case "--output-format" -> o.outputFormat = format("--output-format", v);
                    case "--model" -> o.model = v.toLowerCase(Locale.ROOT);
                    case "--period" -> periods.addAll(e.getValue());
                    case "--horizon" -> o.horizon = positive("--horizon", v);
                    case "--quantiles" -> o.quantiles = Arrays.stream(v.split(","))
                            .mapToDouble(q -> number("--quantiles", q)).toArray();
                    case "--step" -> o.step = duration(v);
                    case "--gaps" -> o.gaps = gaps(v);
                    case "--regressors" -> o.regressors = List.of(v.split(","));
                    case "--partitions" -> o.partitions = positive("--partitions", v);
                    case "--overwrite" -> o.overwrite = true;
                    case "--evaluate" -> o.evaluate = true;
                    case "--origins" -> o.origins = positive("--origins", v);
                    case "--stride" -> o.stride = positive("--stride", v);
                    case "--lstm-series" -> o.lstmSeries = positive("--lstm-series", v);
                    default -> throw new IllegalArgumentException("unknown option " + e.getKey());
                }
            }
            if (o.input == null || o.output == null) {
                throw new IllegalArgumentException("--input and --output are required");
            }
            if (o.horizon == 0) {
                throw new IllegalArgumentException("--horizon is required");
            }
            if (!MODELS.contains(o.model)) {
                throw new IllegalArgumentException("unknown model '" + o.model + "'; known: "
                        + String.join(", ", MODELS));
            }
            if (!periods.isEmpty()) {
                o.periods = periods.stream().mapToInt(p -> positive("--period", p)).toArray();
            }
            if (o.inputFormat == null) {
                o.inputFormat = o.input.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet";
            }
            if (o.outputFormat == null) {
                o.outputFormat = o.output.toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet";
            }
            return o;
        }

        private static String format(String option, String v) {
            String f = v.toLowerCase(Locale.ROOT);
            if (!f.equals("csv") && !f.equals("parquet")) {
                throw new IllegalArgumentException(option + " must be csv or parquet, was '" + v + "'");
            }
            return f;
        }

        private static int positive(String option, String v) {
            try {
                int n = Integer.parseInt(v.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below with the option's name
            }
            throw new IllegalArgumentException(option + " must be a whole number of at least 1, was '" + v + "'");
        }

        private static double number(String option, String v) {
            double q;
            try {
                q = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be numbers in (0, 1), was '" + v + "'", e);
            }
            if (!(q > 0 && q < 1)) {
                throw new IllegalArgumentException(option + " must be numbers in (0, 1), was '" + v + "'");
            }
            return q;
        }

        private static Duration duration(String v) {
            Duration d;
            try {
                d = Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--step must be a positive ISO-8601 duration such as PT1H, was '"
                        + v + "'", e);
            }
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("--step must be a positive ISO-8601 duration such as PT1H, was '"
                        + v + "'");
            }
            return d;
        }

        private static GapPolicy gaps(String v) {
            try {
                return GapPolicy.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--gaps must be linear, previous or reject, was '" + v + "'", e);
            }
        }
    }
}
