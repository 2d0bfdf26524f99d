package io.fleetpredict.spark;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import io.fleetpredict.forecast.Regressors;
import io.fleetpredict.forecast.TimeSeries;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.storage.StorageLevel;
import org.jspecify.annotations.Nullable;

/**
 * Forecasts and cross-validates every series of a long-format Dataset on Spark, each series exactly as the
 * same {@link io.fleetpredict.forecast.Forecaster} would in one process.
 *
 * <p><b>Input.</b> One row per series and time: {@code series_id} (any type, read as a string),
 * {@code timestamp} (a timestamp, or a string Spark can cast to one), {@code value} (a number, null for a
 * missing observation), and the regressor columns the spec names. Rows may come in any order and any
 * partitioning: the series are hashed by id into {@link ForecastSpec#partitions()} partitions and sorted by
 * time within them, so the output does not depend on how the input was partitioned.
 *
 * <p><b>Failures.</b> A series never fails the job. A series the model cannot fit is forecast by the first
 * fallback that can, and its rows name the fallback's model and the model's error; a series that cannot be
 * read (duplicate or unreadable timestamps, values that are not numbers, a record Spark could not parse, held in
 * a {@code _corrupt_record} column) or that no model can fit gets one row
 * with nulls and its error.
 */
public final class SparkForecasting {

    /** The columns every input has. */
    static final List<String> INPUT_COLUMNS = List.of("series_id", "timestamp", "value");
    /**
     * The column in which Spark's CSV and JSON readers put a record they could not parse, in their
     * {@code PERMISSIVE} mode with {@code columnNameOfCorruptRecord} left at its default: a row with a value there
     * is unreadable.
     */
    static final String CORRUPT_RECORD = "_corrupt_record";
    /** The column of the prepared rows that names their unreadable cells. */
    static final int UNREADABLE = 3;
    /** The column of the prepared rows where the regressors start. */
    static final int FIRST_REGRESSOR = 4;

    /** Exact sums of the scores: 12 decimals, room for 26 digits before the point. */
    private static final DecimalType EXACT = DataTypes.createDecimalType(38, 12);
    /** Scores beyond this are treated as not finite: they could not be summed exactly. */
    private static final double LARGEST_SUMMED = 1e20;

    private SparkForecasting() {
    }

    /**
     * Forecasts every series. The result has one row per series and step: {@code series_id} (string),
     * {@code step} (int, from 1), {@code timestamp}, {@code mean}, one column per quantile
     * ({@link ForecastSpec#quantileColumn}), {@code model} (the fitted model's description) and {@code error}
     * (null, or why the model failed when a fallback made the forecast). A series no model could forecast has
     * one row with only {@code series_id} and {@code error}.
     *
     * <p>The result is lazy, as Spark's Datasets are: the fits run when it is written or collected.
     *
     * @param data the series, long format
     * @param spec what to forecast
     * @return the forecasts
     * @throws IllegalArgumentException if a column is missing, or a global model (or fallback) was not trained
     *     for the horizon or the levels the quantiles need
     */
    public static Dataset<Row> forecast(Dataset<Row> data, ForecastSpec spec) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(spec, "spec");
        for (ModelSource m : models(spec)) {
            checkGlobal(m, spec.horizon(), spec.levels());
        }
        SparkSession spark = data.sparkSession();
        SeriesReader reader = new SeriesReader(spec.step().orElse(null), spec.gapPolicy(), spec.regressors(),
                spec.horizon(), spec.stepAdvice());
        return bySeries(prepare(data, spec.regressors()), spec.partitions())
                .mapPartitions(new SeriesForecasts(spec, reader, weights(spark, spec.model()), java8Time(spark)),
                        Encoders.row(forecastSchema(spec)));
    }

    /**
     * Cross-validates every series at rolling origins, as {@link io.fleetpredict.forecast.Backtest} does in one
     * process: at each origin of the plan the model is fitted on the values before it and scored on the
     * {@code plan.horizon()} values after (the spec's horizon is not used). The result has one row per series:
     * {@code series_id}, {@code origins} (int), {@code smape}, {@code mase} (scaled by the spec's period) and
     * {@code coverage} of the {@link ForecastSpec#coverageLevel()} interval, each the mean over the origins,
     * {@code model} (the description of the model fitted at the last origin) and {@code error}. Where the model
     * fails at any origin, the first fallback that succeeds at every origin is scored instead, and
     * {@code error} says why; a series that cannot be scored has nulls but for its id and error.
     *
     * <p>A global model is fitted to a series by reading it, so the weights scored at every origin are the ones
     * it was trained with: it is taken only as {@link ModelSource#globalTrainedBefore}, trained on the series cut
     * before the first origin of this plan or of one reaching further back (as
     * {@link #trainGlobalLstm(Dataset, LstmConfig, int, CrossValidation, String...)} trains it), and refused
     * otherwise, fallbacks included, before any work starts. A {@link ModelSource#of factory} whose forecaster
     * holds a model trained before fitting ({@link io.fleetpredict.forecast.Forecaster#trainedBeforeFit()}) is
     * refused the same way, since a factory cannot be declared trained before the origins; an LSTM can be given
     * as {@link ModelSource#globalTrainedBefore} instead, and any other such model (the pooled autoregression of
     * {@code GlobalAutoregression.train}, a transformation of a global model, {@code auto} with a global
     * candidate) cannot be cross-validated here: {@code Backtest.rollingOrigin} cross-validates a
     * {@code Forecasters.globalCandidate} in one process.
     *
     * @param data the series, long format; regressors are read from the history
     * @param spec the model, quantiles, period and reading settings
     * @param plan the origins and the horizon scored
     * @return the per-series errors, lazy
     * @throws IllegalArgumentException if a column is missing, or a global model (or fallback) was not trained
     *     for the plan's horizon and the coverage level, or not trained before the plan's first origin, or a
     *     factory (or fallback) gives a model trained before fitting
     */
    public static Dataset<Row> crossValidate(Dataset<Row> data, ForecastSpec spec, CrossValidation plan) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(plan, "plan");
        for (ModelSource m : models(spec)) {
            checkGlobal(m, plan.horizon(), new double[] {spec.coverageLevel()});
            checkTrainedBefore(m, plan);
        }
        SparkSession spark = data.sparkSession();
        SeriesReader reader = new SeriesReader(spec.step().orElse(null), spec.gapPolicy(), spec.regressors(), 0,
                spec.stepAdvice());
        return bySeries(prepare(data, spec.regressors()), spec.partitions())
                .mapPartitions(new SeriesErrors(spec, reader, weights(spark, spec.model()), java8Time(spark), plan),
                        Encoders.row(errorSchema()));
    }

    /**
     * Cross-validates every series ({@link #crossValidate}), keeps the per-series errors (memory, then disk)
     * and aggregates them ({@link #summarize}).
     *
     * @param data the series, long format
     * @param spec the model, quantiles, period and reading settings
     * @param plan the origins and the horizon scored
     * @return the per-series errors and their aggregate
     */
    public static Evaluation evaluate(Dataset<Row> data, ForecastSpec spec, CrossValidation plan) {
        Dataset<Row> perSeries = crossValidate(data, spec, plan).persist(StorageLevel.MEMORY_AND_DISK());
        return new Evaluation(perSeries, summarize(perSeries));
    }

    /**
     * Aggregates per-series errors as {@link #crossValidate} returns them. The means are exact sums (decimal,
     * 12 places) divided by the count, so they are the same however the rows are partitioned.
     *
     * @param errors the per-series errors
     * @return the aggregate
     * @throws IllegalArgumentException if a column of {@link #crossValidate}'s result is missing
     */
    public static ErrorSummary summarize(Dataset<Row> errors) {
        Objects.requireNonNull(errors, "errors");
        List<String> present = Arrays.asList(errors.columns());
        List<String> wanted = Arrays.asList(errorSchema().fieldNames());
        for (String c : wanted) {
            if (!present.contains(c)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the errors have no column '%s'; crossValidate's result has %s and %s", c,
                        String.join(", ", wanted.subList(0, wanted.size() - 1)), wanted.get(wanted.size() - 1)));
            }
        }
        Column scored = col("origins").isNotNull();
        Row r = errors.agg(count(lit(1)), count(when(scored, 1)),
                count(when(scored.and(col("error").isNotNull()), 1)),
                exactSum("smape"), count(when(finite("smape"), 1)),
                exactSum("mase"), count(when(finite("mase"), 1)),
                exactSum("coverage"), count(when(finite("coverage"), 1))).first();
        long series = r.getLong(0);
        long withScores = r.getLong(1);
        return new ErrorSummary(series, withScores, r.getLong(2), series - withScores,
                mean(r.getDecimal(3), r.getLong(4)), mean(r.getDecimal(5), r.getLong(6)),
                mean(r.getDecimal(7), r.getLong(8)));
    }

    /**
     * Trains one LSTM across the series of a Dataset on the driver, for {@link ModelSource#global}. At most
     * {@code maxSeries} series are used, chosen by a hash of their ids so that the choice, and so the model,
     * does not depend on partitioning; they are collected to the driver, in id order, with the step inferred
     * per series and gaps filled linearly. Series that cannot be read are left out.
     *
     * @param data the series, long format
     * @param config the architecture and training settings
     * @param maxSeries the most series to train on, at least 1; the driver holds them all
     * @param regressors the regressor columns the model takes, if any
     * @return the trained model
     * @throws IllegalArgumentException if no series can be read
     * @throws io.fleetpredict.forecast.InsufficientDataException if no series is {@code inputWindow + horizon} long
     */
    public static LstmModel trainGlobalLstm(Dataset<Row> data, LstmConfig config, int maxSeries,
            String... regressors) {
        return trainOnDriver(data, config, maxSeries, null, regressors);
    }

    /**
     * Trains one LSTM as {@link #trainGlobalLstm(Dataset, LstmConfig, int, String...)} does, on every series cut
     * before the first origin of a cross-validation plan, for {@link ModelSource#globalTrainedBefore} and
     * {@link #crossValidate} with that plan: no origin then scores the model on a value it was trained on. A
     * series too short for the plan (at most {@code horizon + (origins - 1) * stride + 1} values), which
     * cross-validation does not score, is left out too, since a plan reaching less far back would.
     *
     * @param data the series, long format
     * @param config the architecture and training settings
     * @param maxSeries the most series to sample, at least 1; the driver holds them all
     * @param before the plan whose first origin ends each training series
     * @param regressors the regressor columns the model takes, if any
     * @return the trained model
     * @throws IllegalArgumentException if no series can be read, or none is long enough for the plan
     * @throws io.fleetpredict.forecast.InsufficientDataException if no series cut before its first origin is
     *     {@code inputWindow + horizon} long
     */
    public static LstmModel trainGlobalLstm(Dataset<Row> data, LstmConfig config, int maxSeries,
            CrossValidation before, String... regressors) {
        Objects.requireNonNull(before, "before");
        return trainOnDriver(data, config, maxSeries, before, regressors);
    }

    private static LstmModel trainOnDriver(Dataset<Row> data, LstmConfig config, int maxSeries,
            @Nullable CrossValidation before, String[] regressors) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(config, "config");
        if (maxSeries < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "maxSeries must be at least 1, was %d",
                    maxSeries));
        }
        List<String> regs = List.of(regressors);
        Dataset<Row> prepared = prepare(data, regs);
        Dataset<Row> ids = prepared.select("series_id").where(col("series_id").isNotNull()).distinct()
                .orderBy(xxhash64(col("series_id")), col("series_id")).limit(maxSeries);
        List<Row> rows = prepared.join(broadcast(ids), "series_id").orderBy("series_id", "timestamp")
                .collectAsList();
        SeriesReader reader = new SeriesReader(null, GapPolicy.LINEAR, regs, 0);
        List<TimeSeries> series = new ArrayList<>();
        List<Regressors> pasts = new ArrayList<>();
        int read = 0;
        int from = 0;
        for (int i = 1; i <= rows.size(); i++) {
            if (i == rows.size() || !rows.get(i).getString(0).equals(rows.get(from).getString(0))) {
                try {
                    SeriesReader.Series s = reader.read(rows.get(from).getString(0), rows.subList(from, i));
                    read++;
                    if (before == null) {
                        series.add(s.history());
                        pasts.add(s.past());
                    } else {
                        // Cross-validation scores the series whose first origin is 2 or later (SeriesErrors).
                        int end = before.firstOrigin(s.history().size());
                        Regressors past = s.past();
                        if (end >= 2) {
                            series.add(s.history().head(end));
                            pasts.add(past == null ? null : past.head(end));
                        }
                    }
                } catch (SeriesReader.BadSeriesException e) {
                    // Left out, as documented: a training sample does without a series it cannot read.
                }
                from = i;
            }
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException(read == 0 || before == null // with no plan, every series read joins
                    ? "no series could be read to train on, of " + rows.size() + " rows"
                    : String.format(Locale.ROOT, "none of the %d series read is long enough to train on before the "
                            + "first origin of %d origins %d steps apart with horizon %d: each needs more than %d "
                            + "values", read, before.origins(), before.stride(), before.horizon(),
                            ModelSource.span(before) + 1));
        }
        return regs.isEmpty() ? LstmModel.trainGlobal(series, config) : LstmModel.trainGlobal(series, pasts, config);
    }

    /** The columns of {@link #forecast}'s result. */
    static StructType forecastSchema(ForecastSpec spec) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("series_id", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("step", DataTypes.IntegerType, true));
        fields.add(DataTypes.createStructField("timestamp", DataTypes.TimestampType, true));
        fields.add(DataTypes.createStructField("mean", DataTypes.DoubleType, true));
        for (double q : spec.quantiles()) {
            fields.add(DataTypes.createStructField(ForecastSpec.quantileColumn(q), DataTypes.DoubleType, true));
        }
        fields.add(DataTypes.createStructField("model", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        return DataTypes.createStructType(fields);
    }

    /** The columns of {@link #crossValidate}'s result. */
    static StructType errorSchema() {
        return DataTypes.createStructType(List.of(
                DataTypes.createStructField("series_id", DataTypes.StringType, true),
                DataTypes.createStructField("origins", DataTypes.IntegerType, true),
                DataTypes.createStructField("smape", DataTypes.DoubleType, true),
                DataTypes.createStructField("mase", DataTypes.DoubleType, true),
                DataTypes.createStructField("coverage", DataTypes.DoubleType, true),
                DataTypes.createStructField("model", DataTypes.StringType, true),
                DataTypes.createStructField("error", DataTypes.StringType, true)));
    }

    /**
     * The input reduced to the columns the readers use, in a fixed order: series id as a string, timestamp,
     * value and regressors as doubles, and the cells that could not be cast, by column and text, so a bad cell
     * becomes its series' error rather than a failed job or a silent gap.
     */
    static Dataset<Row> prepare(Dataset<Row> data, List<String> regressors) {
        List<String> present = Arrays.asList(data.columns());
        List<String> needed = new ArrayList<>(INPUT_COLUMNS);
        needed.addAll(regressors);
        for (String c : needed) {
            if (!present.contains(c)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the input has no column '%s'; its columns are %s", c, present));
            }
        }
        // Spark would cast these without a word (an epoch number as seconds, a boolean as 1 or 0), or fail
        // with its query plan: either way not the caller's data, so the column is refused here, by name.
        checkType(data, "timestamp", SparkForecasting::isTime, "a timestamp, a date, or a string Spark casts to a "
                + "timestamp (convert epoch numbers with timestamp_seconds or timestamp_millis)");
        checkType(data, "value", SparkForecasting::isNumber, "a number, or a string holding one");
        for (String r : regressors) {
            checkType(data, r, SparkForecasting::isNumber, "a number, or a string holding one");
        }
        List<Column> columns = new ArrayList<>();
        columns.add(col(quote("series_id")).cast(DataTypes.StringType).as("series_id"));
        columns.add(tryCast("timestamp", "TIMESTAMP").as("timestamp"));
        columns.add(tryCast("value", "DOUBLE").as("value"));
        List<Column> unreadable = new ArrayList<>();
        unreadable.add(unreadableTime());
        unreadable.add(unreadable("value", "DOUBLE"));
        for (String r : regressors) {
            unreadable.add(unreadable(r, "DOUBLE"));
        }
        if (present.contains(CORRUPT_RECORD)) {
            Column record = col(quote(CORRUPT_RECORD)).cast(DataTypes.StringType);
            unreadable.add(when(record.isNotNull(), concat(lit("record '"), record, lit("'"))));
        }
        columns.add(concat_ws(", ", unreadable.toArray(new Column[0])).as("unreadable"));
        for (String r : regressors) {
            columns.add(tryCast(r, "DOUBLE").as(r));
        }
        return data.select(columns.toArray(new Column[0]));
    }

    private static void checkType(Dataset<Row> data, String column, Predicate<DataType> readable, String wanted) {
        for (StructField f : data.schema().fields()) {
            if (f.name().equals(column) && !readable.test(f.dataType())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "column '%s' is of type %s; it must be %s",
                        column, f.dataType().simpleString(), wanted));
            }
        }
    }

    private static boolean isTime(DataType t) {
        return t instanceof TimestampType || t instanceof TimestampNTZType || t instanceof DateType || isText(t);
    }

    private static boolean isNumber(DataType t) {
        return t instanceof NumericType || isText(t);
    }

    /** Text to be cast, or a column of nothing but nulls. */
    private static boolean isText(DataType t) {
        return t instanceof StringType || t instanceof NullType;
    }

    /** Hash-partitions by series id and sorts each partition by series then time. */
    private static Dataset<Row> bySeries(Dataset<Row> prepared, int partitions) {
        int n = partitions > 0 ? partitions : Math.max(1, prepared.javaRDD().getNumPartitions());
        return prepared.repartition(n, col("series_id")).sortWithinPartitions(col("series_id"), col("timestamp"));
    }

    /** The model and its fallbacks. */
    private static List<ModelSource> models(ForecastSpec spec) {
        List<ModelSource> all = new ArrayList<>();
        all.add(spec.model());
        all.addAll(spec.fallbacks());
        return all;
    }

    /**
     * Refuses a global model that may have been trained on values the plan's origins score: its fit reads a
     * series and trains nothing, so the scores would be those of a model that has seen the answers.
     */
    private static void checkTrainedBefore(ModelSource model, CrossValidation plan) {
        if (model.trainedBeforeFit() && ModelSource.span(plan) > model.heldBack()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is a global model and cannot be cross-validated with %d origins %d steps apart and horizon "
                            + "%d: %s, and its fit only reads a series, so the origins would score it on values it "
                            + "may have been trained on; %s",
                    model.name(), plan.origins(), plan.stride(), plan.horizon(),
                    !model.isGlobal() ? "its factory returns a model trained before fitting, which a factory cannot "
                            + "declare trained before any origin"
                            : model.heldBack() == 0 ? "it was not declared trained before any origin"
                            : "it was trained without the last " + model.heldBack() + " values of each series, the "
                                    + "plan scores from " + ModelSource.span(plan) + " values before the end",
                    model.isTrainedLstm() ? "train it on the series cut before the first origin (trainGlobalLstm "
                            + "with the plan) and give it as ModelSource.globalTrainedBefore"
                            : "only an LSTM can be declared trained before the origins "
                                    + "(ModelSource.globalTrainedBefore takes an LstmModel), so this model cannot be "
                                    + "cross-validated in Spark: cross-validate it in one process, trained on each "
                                    + "series cut before the first origin, as Forecasters.globalCandidate(training, "
                                    + "plan, trainer) given to Backtest.rollingOrigin or to Forecasters.auto"));
        }
    }

    private static void checkGlobal(ModelSource model, int horizon, double[] levels) {
        if (!model.isGlobal()) {
            return;
        }
        if (horizon > model.trainedHorizon()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s forecasts at most %d steps, the horizon is %d", model.name(), model.trainedHorizon(),
                    horizon));
        }
        for (double level : levels) {
            if (model.trainedLevels().stream().noneMatch(l -> Math.abs(l - level) <= 1e-9)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s was trained for the levels %s, the quantiles need %s", model.name(),
                        model.trainedLevels(), level));
            }
        }
    }

    /** The broadcast weights of a global model; null for a factory, which each partition calls itself. */
    private static @Nullable Broadcast<byte[]> weights(SparkSession spark, ModelSource model) {
        return model.isGlobal() ? JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.weights())
                : null;
    }

    private static boolean java8Time(SparkSession spark) {
        return Boolean.parseBoolean(spark.conf().get("spark.sql.datetime.java8API.enabled", "false"));
    }

    private static Column tryCast(String column, String type) {
        return expr("try_cast(" + quote(column) + " AS " + type + ")");
    }

    /** A cell that cannot be cast: its column and its text, as {@code value 'n/a'}; null for one that can. */
    private static Column unreadable(String column, String type) {
        return when(col(quote(column)).isNotNull().and(tryCast(column, type).isNull()),
                concat(lit(column + " '"), col(quote(column)).cast(DataTypes.StringType), lit("'")));
    }

    /**
     * A timestamp that cannot be cast, with what was expected: a whole number is most likely epoch seconds or
     * milliseconds (a CSV export of a time series database), which the column's type check cannot see in text.
     */
    private static Column unreadableTime() {
        Column text = col(quote("timestamp")).cast(DataTypes.StringType);
        return concat(unreadable("timestamp", "TIMESTAMP"),
                when(text.rlike("^\\s*[-+]?[0-9]+\\s*$"), lit(" (a whole number: epoch seconds or milliseconds are"
                        + " not read as times; convert them first, such as with Spark's timestamp_seconds or"
                        + " timestamp_millis)"))
                        .otherwise(lit(" (expected a date and time such as 2026-03-02T10:00:00Z or"
                                + " 2026-03-02 10:00:00)")));
    }

    private static String quote(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    private static Column finite(String column) {
        Column c = col(column);
        return c.isNotNull().and(not(isnan(c))).and(abs(c).lt(LARGEST_SUMMED));
    }

    private static Column exactSum(String column) {
        return sum(when(finite(column), col(column).cast(EXACT)));
    }

    private static double mean(BigDecimal sum, long count) {
        return count == 0 ? Double.NaN : sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
    }
}
