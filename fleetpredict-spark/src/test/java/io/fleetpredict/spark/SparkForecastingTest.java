package io.fleetpredict.spark;

import static io.fleetpredict.spark.SharedSpark.HOUR;
import static io.fleetpredict.spark.SharedSpark.START;
import static io.fleetpredict.spark.SharedSpark.hourly;
import static io.fleetpredict.spark.SharedSpark.longFormat;
import static io.fleetpredict.spark.SharedSpark.schema;
import static io.fleetpredict.spark.SharedSpark.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.Backtest;
import io.fleetpredict.forecast.BacktestResult;
import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.GlobalAutoregression;
import io.fleetpredict.forecast.InsufficientDataException;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import io.fleetpredict.forecast.Metric;
import io.fleetpredict.forecast.Regressors;
import io.fleetpredict.forecast.TimeSeries;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spark against the same forecasters in one process: each series' forecast and errors are the ones the
 * library computes alone, whatever the partitioning, and a series that fails gives a row, not a failed job.
 */
class SparkForecastingTest {

    private static final int HORIZON = 24;
    private static final double TOLERANCE = 1e-12;

    /** Six two-week hourly series of different shapes. */
    private static Map<String, TimeSeries> fleet() {
        Map<String, TimeSeries> series = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            series.put("svc-" + i, hourly(11 + i, 14 * 24));
        }
        return series;
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of((ForecasterFactory) () -> Forecasters.seasonalNaive(24)),
                Arguments.of((ForecasterFactory) () -> Forecasters.theta(24)),
                Arguments.of((ForecasterFactory) () -> Forecasters.ets("AAA", 24)),
                Arguments.of((ForecasterFactory) () -> Forecasters.auto(CrossValidation.of(HORIZON), 24)));
    }

    @ParameterizedTest
    @MethodSource("models")
    void forecast_severalModels_equalTheInProcessForecasts(ForecasterFactory factory) {
        Map<String, TimeSeries> fleet = fleet();
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(factory), HORIZON).period(24)
                .quantiles(0.05, 0.1, 0.5, 0.9, 0.95).build();

        Map<String, List<Row>> spark = bySeries(SparkForecasting.forecast(longFormat(fleet), spec));

        Forecaster f = factory.create();
        assertEquals(fleet.keySet(), spark.keySet());
        fleet.forEach((id, s) -> {
            FittedModel m = f.fit(s);
            assertSame(id, m.forecast(HORIZON, spec.levels()), m.description(), null, spec, spark.get(id));
        });
    }

    @Test
    void forecast_oneTwoOrSevenPartitions_givesTheSameRows() {
        Map<String, TimeSeries> fleet = fleet();
        fleet.put("short", hourly(3, 30));
        fleet.put("one-value", TimeSeries.of(START, HOUR, 5));
        Dataset<Row> data = longFormat(fleet);
        List<List<Row>> results = new ArrayList<>();
        for (int partitions : new int[] {1, 2, 7}) {
            ForecastSpec spec = ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), HORIZON)
                    .period(24).partitions(partitions).build();
            Dataset<Row> shuffled = data.repartition(partitions);
            List<Row> rows = new ArrayList<>(SparkForecasting.forecast(shuffled, spec).collectAsList());
            rows.sort(Comparator.comparing((Row r) -> r.getString(0))
                    .thenComparing(r -> r.isNullAt(1) ? 0 : r.getInt(1)));
            results.add(rows);
        }
        assertEquals(4 * HORIZON + HORIZON + 1, results.get(0).size());
        assertEquals(results.get(0), results.get(1));
        assertEquals(results.get(0), results.get(2));
    }

    @Test
    void forecast_seriesTheModelCannotFit_isForecastByTheFallbackAndNamesTheError() {
        Map<String, TimeSeries> fleet = new LinkedHashMap<>();
        fleet.put("long", hourly(5, 14 * 24));
        fleet.put("short", hourly(6, 30));
        fleet.put("one-value", TimeSeries.of(START, HOUR, 5));
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(() -> Forecasters.holtWinters(24)), HORIZON)
                .period(24).step(HOUR).build();

        Map<String, List<Row>> rows = bySeries(SparkForecasting.forecast(longFormat(fleet), spec));

        FittedModel hw = Forecasters.holtWinters(24).fit(fleet.get("long"));
        assertSame("long", hw.forecast(HORIZON, spec.levels()), hw.description(), null, spec, rows.get("long"));

        // Holt-Winters needs two periods: the seasonal naive fallback forecasts the 30 hours instead.
        FittedModel snaive = Forecasters.seasonalNaive(24).fit(fleet.get("short"));
        Row first = rows.get("short").get(0);
        String error = first.getString(first.fieldIndex("error"));
        assertTrue(error.startsWith("holt-winters(24) failed: InsufficientDataException"), error);
        assertSame("short", snaive.forecast(HORIZON, spec.levels()), snaive.description(), error, spec,
                rows.get("short"));

        // One value: every model fails, and the series still gets its row.
        assertEquals(1, rows.get("one-value").size());
        Row failed = rows.get("one-value").get(0);
        assertTrue(failed.isNullAt(failed.fieldIndex("step")) && failed.isNullAt(failed.fieldIndex("mean"))
                && failed.isNullAt(failed.fieldIndex("model")));
        String all = failed.getString(failed.fieldIndex("error"));
        assertTrue(all.contains("holt-winters(24) failed") && all.contains("fallback snaive(24) failed")
                && all.contains("fallback naive failed"), all);
    }

    @Test
    void forecast_unreadableRows_giveThatSeriesAnErrorRowNamingTimeAndColumn() {
        List<Row> rows = new ArrayList<>();
        TimeSeries good = hourly(8, 3 * 24);
        for (int i = 0; i < good.size(); i++) {
            Timestamp t = Timestamp.from(good.timeAt(i));
            rows.add(RowFactory.create("good", t, Double.toString(good.get(i))));
            rows.add(RowFactory.create("text", t, i == 10 ? "n/a" : Double.toString(good.get(i))));
            rows.add(RowFactory.create("twice", t, Double.toString(good.get(i))));
        }
        rows.add(RowFactory.create("twice", Timestamp.from(good.timeAt(5)), "1.0"));
        rows.add(RowFactory.create(null, Timestamp.from(good.timeAt(0)), "1.0"));
        rows.add(RowFactory.create(null, Timestamp.from(good.timeAt(1)), "2.0"));
        Dataset<Row> data = session().createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("series_id", DataTypes.StringType, true),
                DataTypes.createStructField("timestamp", DataTypes.TimestampType, true),
                DataTypes.createStructField("value", DataTypes.StringType, true))));
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), HORIZON).period(24)
                .build();

        Map<String, List<Row>> out = bySeries(SparkForecasting.forecast(data, spec));

        assertEquals(HORIZON, out.get("good").size());
        assertEquals("unreadable value 'n/a' in the row at " + good.timeAt(10), error(out.get("text")));
        assertEquals("timestamp " + good.timeAt(5) + " appears more than once", error(out.get("twice")));
        assertEquals("2 rows have no series_id", error(out.get(null)));
    }

    @Test
    void forecast_missingHoursAndNullValues_areFilledAsTheGapPolicySays() {
        TimeSeries s = hourly(21, 10 * 24);
        List<Row> rows = new ArrayList<>();
        double[] raw = s.values();
        for (int i = 0; i < s.size(); i++) {
            if (i == 50 || i == 51) {
                raw[i] = Double.NaN;
                continue; // the hours are absent
            }
            if (i == 100) {
                raw[i] = Double.NaN;
                rows.add(RowFactory.create("gappy", Timestamp.from(s.timeAt(i)), null));
                continue;
            }
            rows.add(RowFactory.create("gappy", Timestamp.from(s.timeAt(i)), s.get(i)));
        }
        Dataset<Row> data = session().createDataFrame(rows, schema());
        for (GapPolicy policy : new GapPolicy[] {GapPolicy.LINEAR, GapPolicy.PREVIOUS}) {
            ForecastSpec spec = ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), HORIZON)
                    .period(24).gapPolicy(policy).build();
            FittedModel m = Forecasters.theta(24).fit(TimeSeries.filled(START, HOUR, raw, policy));
            assertSame("gappy", m.forecast(HORIZON, spec.levels()), m.description(), null, spec,
                    bySeries(SparkForecasting.forecast(data, spec)).get("gappy"));
        }
        ForecastSpec reject = ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), HORIZON)
                .gapPolicy(GapPolicy.REJECT).build();
        String error = error(bySeries(SparkForecasting.forecast(data, reject)).get("gappy"));
        assertTrue(error.startsWith("gap at index 50"), error);
    }

    @Test
    void forecast_withRegressors_equalsTheInProcessRegression() {
        TimeSeries s = hourly(31, 14 * 24);
        int n = s.size();
        double[] promo = new double[n + HORIZON];
        for (int t = 0; t < promo.length; t++) {
            promo[t] = (t / 24) % 3 == 0 ? 1 : 0;
        }
        double[] y = s.values();
        for (int t = 0; t < n; t++) {
            y[t] += 40 * promo[t];
        }
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < n + HORIZON; t++) {
            rows.add(RowFactory.create("promo", Timestamp.from(s.timeAt(t)), t < n ? y[t] : null, promo[t]));
        }
        Dataset<Row> data = session().createDataFrame(rows,
                schema(DataTypes.createStructField("promo", DataTypes.DoubleType, true)));
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(() -> Forecasters.arima(1, 0, 0)), HORIZON)
                .regressors("promo").build();

        List<Row> out = bySeries(SparkForecasting.forecast(data, spec)).get("promo");

        TimeSeries history = TimeSeries.of(START, HOUR, y);
        Regressors past = Regressors.of(START, HOUR, Map.of("promo", java.util.Arrays.copyOf(promo, n)));
        Regressors future = Regressors.of(history.end(), HOUR,
                Map.of("promo", java.util.Arrays.copyOfRange(promo, n, n + HORIZON)));
        FittedModel m = Forecasters.arima(1, 0, 0).fit(history, past);
        assertSame("promo", m.forecast(HORIZON, future, spec.levels()), m.description(), null, spec, out);
        assertTrue(m.description().contains("promo"), m.description());
    }

    @Test
    void globalLstm_trainedOnTheDriverAndBroadcast_equalsTheInProcessModel() {
        Map<String, TimeSeries> fleet = new TreeMap<>(fleet());
        LstmConfig config = LstmConfig.builder().inputWindow(48).chunk(24).seasonalPeriod(24).horizon(HORIZON)
                .hiddenSize(6).maxEpochs(2).windowsPerEpoch(64).batchSize(16).seed(7).build();
        Dataset<Row> data = longFormat(fleet);

        LstmModel trained = SparkForecasting.trainGlobalLstm(data, config, 100);

        LstmModel alone = LstmModel.trainGlobal(new ArrayList<>(fleet.values()), config);
        assertEquals(alone, trained);
        ForecastSpec spec = ForecastSpec.builder(ModelSource.global(trained), HORIZON).quantiles(0.1, 0.9)
                .partitions(3).build();
        Map<String, List<Row>> rows = bySeries(SparkForecasting.forecast(data, spec));
        fleet.forEach((id, s) -> {
            FittedModel m = alone.forecaster().fit(s);
            assertSame(id, m.forecast(HORIZON, spec.levels()), m.description(), null, spec, rows.get(id));
        });
        ForecastSpec untrainedLevel = ForecastSpec.builder(ModelSource.global(trained), HORIZON)
                .quantiles(0.01, 0.99).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.forecast(data, untrainedLevel));
        assertTrue(e.getMessage().contains("trained for the levels"), e.getMessage());
    }

    /** A small LSTM that trains in a second: the model is beside the point, what it was trained on is not. */
    private static LstmConfig smallLstm() {
        return LstmConfig.builder().inputWindow(48).chunk(24).seasonalPeriod(24).horizon(HORIZON)
                .hiddenSize(6).maxEpochs(2).windowsPerEpoch(64).batchSize(16).seed(7).build();
    }

    @Test
    void crossValidate_globalModelTrainedOnTheWholeSeries_isRefusedBeforeAnyWork() {
        Map<String, TimeSeries> fleet = new TreeMap<>(fleet());
        LstmModel onAll = LstmModel.trainGlobal(new ArrayList<>(fleet.values()), smallLstm());
        Dataset<Row> data = longFormat(fleet);
        CrossValidation plan = new CrossValidation(HORIZON, 2, 12);
        // Its fit reads a series and trains nothing: every origin would score weights that saw the values after it.
        ForecastSpec spec = ForecastSpec.builder(ModelSource.global(onAll), HORIZON).quantiles(0.025, 0.975).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.crossValidate(data, spec, plan));
        assertEquals(onAll.forecaster().name() + " is a global model and cannot be cross-validated with 2 origins 12 "
                + "steps apart and horizon 24: it was not declared trained before any origin, and its fit only reads "
                + "a series, so the origins would score it on values it may have been trained on; train it on the "
                + "series cut before the first origin (trainGlobalLstm with the plan) and give it as "
                + "ModelSource.globalTrainedBefore", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkForecasting.evaluate(data, spec, plan));

        // As a fallback it would score the same way, on the series where the model fails.
        ForecastSpec asFallback = ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), HORIZON)
                .quantiles(0.025, 0.975).fallbacks(ModelSource.global(onAll)).build();
        e = assertThrows(IllegalArgumentException.class, () -> SparkForecasting.crossValidate(data, asFallback, plan));
        assertTrue(e.getMessage().startsWith(onAll.forecaster().name() + " is a global model"), e.getMessage());
    }

    @Test
    void crossValidate_factoryOfAModelTrainedAcrossSeries_isRefusedLikeAGlobalSource() {
        Map<String, TimeSeries> fleet = new TreeMap<>(fleet());
        List<TimeSeries> all = new ArrayList<>(fleet.values());
        LstmModel onAll = LstmModel.trainGlobal(all, smallLstm());
        Forecaster pooled = GlobalAutoregression.train(all,
                new GlobalAutoregression.Settings(48, HORIZON, 1e-3, GlobalAutoregression.Normalisation.STANDARDISED));
        Dataset<Row> data = longFormat(fleet);
        CrossValidation plan = new CrossValidation(HORIZON, 2, 12);
        // Behind a factory the weights are as hidden as behind ModelSource.global, and the scores as optimistic.
        ForecastSpec lstm = ForecastSpec.builder(ModelSource.of(onAll::forecaster), HORIZON).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.crossValidate(data, lstm, plan));
        assertEquals(onAll.forecaster().name() + " is a global model and cannot be cross-validated with 2 origins 12 "
                + "steps apart and horizon 24: its factory returns a model trained before fitting, which a factory "
                + "cannot declare trained before any origin, and its fit only reads a series, so the origins would "
                + "score it on values it may have been trained on; train it on the series cut before the first "
                + "origin (trainGlobalLstm with the plan) and give it as ModelSource.globalTrainedBefore",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkForecasting.evaluate(data, lstm, plan));

        // A global autoregression, wrapped in a transformation, and as a fallback: refused all the same.
        ForecastSpec wrapped = ForecastSpec.builder(ModelSource.of(() -> Forecasters.nonNegative(pooled)), HORIZON)
                .build();
        e = assertThrows(IllegalArgumentException.class, () -> SparkForecasting.evaluate(data, wrapped, plan));
        // Not an LSTM: no source can declare it trained before the origins, and the message does not pretend one can.
        assertEquals("nonnegative(global-ar(48)) is a global model and cannot be cross-validated with 2 origins 12 "
                + "steps apart and horizon 24: its factory returns a model trained before fitting, which a factory "
                + "cannot declare trained before any origin, and its fit only reads a series, so the origins would "
                + "score it on values it may have been trained on; only an LSTM can be declared trained before the "
                + "origins (ModelSource.globalTrainedBefore takes an LstmModel), so this model cannot be "
                + "cross-validated in Spark: cross-validate it in one process, trained on each series cut before the "
                + "first origin, as Forecasters.globalCandidate(training, plan, trainer) given to "
                + "Backtest.rollingOrigin or to Forecasters.auto", e.getMessage());
        ForecastSpec asFallback = ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), HORIZON)
                .fallbacks(ModelSource.of(() -> pooled)).build();
        e = assertThrows(IllegalArgumentException.class, () -> SparkForecasting.crossValidate(data, asFallback, plan));
        assertTrue(e.getMessage().startsWith("global-ar(48) is a global model"), e.getMessage());

        // A factory of a model that trains on the series it fits is cross-validated as before.
        ForecastSpec local = ForecastSpec.builder(
                ModelSource.of(() -> GlobalAutoregression.local(48, 1e-2, GlobalAutoregression.Normalisation.STANDARDISED)),
                HORIZON).build();
        assertEquals(fleet.size(), SparkForecasting.crossValidate(data, local, plan).where("error IS NULL").count());
    }

    @Test
    void crossValidate_globalModelTrainedBeforeTheFirstOrigin_equalsTheInProcessBacktest() {
        Map<String, TimeSeries> fleet = new TreeMap<>(fleet());
        CrossValidation plan = new CrossValidation(HORIZON, 2, 12);
        // 36 values: the plan needs more than 24 + 12 + 1 = 37, so this series is neither scored nor trained on.
        fleet.put("short", hourly(17, 36));
        Dataset<Row> data = longFormat(fleet);

        LstmModel beforeOrigins = SparkForecasting.trainGlobalLstm(data, smallLstm(), 100, plan);

        List<TimeSeries> cut = new ArrayList<>();
        fleet.forEach((id, s) -> {
            if (!id.equals("short")) {
                cut.add(s.head(s.size() - HORIZON - 12));
            }
        });
        LstmModel alone = LstmModel.trainGlobal(cut, smallLstm());
        assertEquals(alone, beforeOrigins);
        // In one process: the same model as a global candidate, which Backtest scores in its form trained on the cut.
        List<LstmModel> trained = new ArrayList<>();
        Forecaster candidate = Forecasters.globalCandidate(new ArrayList<>(new TreeMap<>(fleet()).values()), plan,
                series -> {
                    LstmModel m = LstmModel.trainGlobal(series, smallLstm());
                    trained.add(m);
                    return m.forecaster();
                });
        assertEquals(alone, trained.get(0));

        ModelSource source = ModelSource.globalTrainedBefore(beforeOrigins, plan);
        ForecastSpec spec = ForecastSpec.builder(source, HORIZON).quantiles(0.025, 0.975).partitions(2).build();
        Map<String, List<Row>> rows = bySeries(SparkForecasting.crossValidate(data, spec, plan));
        for (String id : fleet().keySet()) {
            BacktestResult b = Backtest.rollingOrigin(fleet.get(id), candidate, HORIZON, 2, 12, 1);
            Row r = rows.get(id).get(0);
            assertEquals(2, r.getInt(r.fieldIndex("origins")));
            assertEquals(b.mean(Metric.SMAPE), r.getDouble(r.fieldIndex("smape")), TOLERANCE, id);
            assertEquals(b.mean(Metric.MASE), r.getDouble(r.fieldIndex("mase")), TOLERANCE, id);
            double coverage = b.folds().stream().mapToDouble(f -> f.accuracy().coverage()).sum() / 2;
            assertEquals(coverage, r.getDouble(r.fieldIndex("coverage")), TOLERANCE, id);
            assertNull(r.get(r.fieldIndex("error")));
        }
        assertTrue(rows.get("short").get(0).isNullAt(1), "the short series is not scored");

        // A plan that holds back less (one origin) is as safe; one that reaches further back is not.
        assertEquals(1, bySeries(SparkForecasting.crossValidate(data, spec, new CrossValidation(HORIZON, 1, 1)))
                .get("svc-0").get(0).getInt(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.crossValidate(data, spec, new CrossValidation(HORIZON, 2, 13)));
        assertTrue(e.getMessage().contains("it was trained without the last 36 values of each series, the plan scores "
                + "from 37 values before the end"), e.getMessage());
    }

    @Test
    void trainGlobalLstm_noSeriesLongEnoughForThePlan_isRefusedNamingWhatItNeeds() {
        Map<String, TimeSeries> fleet = new TreeMap<>();
        fleet.put("a", hourly(1, 40));
        fleet.put("b", hourly(2, 48));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.trainGlobalLstm(longFormat(fleet), smallLstm(), 10, CrossValidation.of(24)));
        assertEquals("none of the 2 series read is long enough to train on before the first origin of 2 origins 24 "
                + "steps apart with horizon 24: each needs more than 49 values", e.getMessage());

        // 50 values put the first origin at 2, where cross-validation scores a series: its 2 values join, and the
        // LSTM says they are too few.
        fleet.put("c", hourly(3, 50));
        InsufficientDataException tooFew = assertThrows(InsufficientDataException.class,
                () -> SparkForecasting.trainGlobalLstm(longFormat(fleet), smallLstm(), 10, CrossValidation.of(24)));
        assertTrue(tooFew.getMessage().endsWith("the longest of 1 given has 2"), tooFew.getMessage());
    }

    @Test
    void trainGlobalLstm_atMostOneSeries_trainsOnOneOfThem_andNoneIsRefused() {
        Map<String, TimeSeries> fleet = new TreeMap<>();
        fleet.put("a", hourly(41, 5 * 24));
        fleet.put("b", hourly(42, 5 * 24));
        Dataset<Row> data = longFormat(fleet);

        LstmModel one = SparkForecasting.trainGlobalLstm(data, smallLstm(), 1);

        List<LstmModel> alone = fleet.values().stream().map(s -> LstmModel.trainGlobal(List.of(s), smallLstm()))
                .toList();
        assertTrue(alone.contains(one), "trained on one series alone");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.trainGlobalLstm(data, smallLstm(), 0));
        assertEquals("maxSeries must be at least 1, was 0", e.getMessage());
    }

    @Test
    void crossValidate_globalModelAtAHorizonLongerThanItsOwn_isRefused() {
        LstmModel lstm = LstmModel.trainGlobal(List.of(hourly(43, 5 * 24)), smallLstm());
        CrossValidation longer = new CrossValidation(HORIZON + 1, 1, 1);
        ForecastSpec spec = ForecastSpec.builder(ModelSource.globalTrainedBefore(lstm, longer), HORIZON)
                .quantiles(0.025, 0.975).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.crossValidate(longFormat(fleet()), spec, longer));
        assertEquals(lstm.forecaster().name() + " forecasts at most 24 steps, the horizon is 25", e.getMessage());
    }

    @Test
    void forecast_sessionWithJava8Time_givesInstants() {
        Map<String, TimeSeries> fleet = new TreeMap<>(Map.of("one", hourly(44, 48)));
        Dataset<Row> data = longFormat(fleet); // its rows are made with the session's setting as it was
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(Forecasters::naive), 3).build();
        String key = "spark.sql.datetime.java8API.enabled";
        String was = session().conf().get(key, "false");
        session().conf().set(key, "true");
        try {
            List<Row> rows = bySeries(SparkForecasting.forecast(data, spec)).get("one");

            TimeSeries s = fleet.get("one");
            for (int h = 0; h < 3; h++) {
                Row r = rows.get(h);
                assertEquals(s.end().plus(HOUR.multipliedBy(h)), r.getInstant(r.fieldIndex("timestamp")));
            }
        } finally {
            session().conf().set(key, was);
        }
    }

    @Test
    void evaluate_perSeriesErrorsEqualTheInProcessBacktest_andTheSummaryTheirMeans() {
        Map<String, TimeSeries> fleet = fleet();
        fleet.put("tiny", hourly(2, 40));
        CrossValidation plan = new CrossValidation(HORIZON, 3, 12);
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), HORIZON).period(24)
                .quantiles(0.025, 0.975).partitions(2).build();

        Evaluation e = SparkForecasting.evaluate(longFormat(fleet), spec, plan);

        Map<String, List<Row>> rows = bySeries(e.perSeries());
        double smape = 0;
        double mase = 0;
        double coverage = 0;
        for (int i = 0; i < 4; i++) {
            String id = "svc-" + i;
            BacktestResult b = Backtest.rollingOrigin(fleet.get(id), Forecasters.theta(24), HORIZON, 3, 12, 24);
            Row r = rows.get(id).get(0);
            assertEquals(3, r.getInt(r.fieldIndex("origins")));
            assertEquals(b.mean(Metric.SMAPE), r.getDouble(r.fieldIndex("smape")), TOLERANCE);
            assertEquals(b.mean(Metric.MASE), r.getDouble(r.fieldIndex("mase")), TOLERANCE);
            double cov = b.folds().stream().mapToDouble(f -> f.accuracy().coverage()).sum() / 3;
            assertEquals(cov, r.getDouble(r.fieldIndex("coverage")), TOLERANCE);
            assertNull(r.get(r.fieldIndex("error")));
            smape += b.mean(Metric.SMAPE);
            mase += b.mean(Metric.MASE);
            coverage += cov;
        }
        // 40 hours cannot hold three origins 12 apart with 24 to score: an error row, not a failed job.
        Row tiny = rows.get("tiny").get(0);
        assertNull(tiny.get(tiny.fieldIndex("smape")));
        assertTrue(tiny.getString(tiny.fieldIndex("error")).contains("the series has 40"));

        ErrorSummary s = e.summary();
        assertEquals(new ErrorSummary(5, 4, 0, 1, s.smape(), s.mase(), s.coverage()), s);
        assertEquals(smape / 4, s.smape(), 1e-10);
        assertEquals(mase / 4, s.mase(), 1e-10);
        assertEquals(coverage / 4, s.coverage(), 1e-10);
        e.perSeries().unpersist();
    }

    @Test
    void forecast_missingColumn_isRefusedNamingIt() {
        Dataset<Row> data = longFormat(fleet()).withColumnRenamed("value", "demand");
        ForecastSpec spec = ForecastSpec.builder(ModelSource.of(Forecasters::naive), HORIZON).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkForecasting.forecast(data, spec));
        assertTrue(e.getMessage().startsWith("the input has no column 'value'"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ForecastSpec.builder(ModelSource.of(() -> Forecasters.theta(24)), HORIZON).regressors("promo")
                        .build());
    }

    /** Checks a series' rows against its in-process forecast, step by step. */
    static void assertSame(String id, Forecast expected, String model, String error, ForecastSpec spec,
            List<Row> rows) {
        assertNotNull(rows, id);
        assertEquals(expected.horizon(), rows.size(), id);
        for (int h = 0; h < rows.size(); h++) {
            Row r = rows.get(h);
            assertEquals(h + 1, r.getInt(r.fieldIndex("step")));
            assertEquals(expected.start().plus(expected.step().multipliedBy(h)),
                    r.getTimestamp(r.fieldIndex("timestamp")).toInstant());
            assertEquals(expected.mean(h), r.getDouble(r.fieldIndex("mean")), TOLERANCE, id);
            for (double q : spec.quantiles()) {
                assertEquals(expected.quantile(q, h), r.getDouble(r.fieldIndex(ForecastSpec.quantileColumn(q))),
                        TOLERANCE, id + " " + q);
            }
            assertEquals(model, r.getString(r.fieldIndex("model")));
            assertEquals(error, r.getString(r.fieldIndex("error")));
        }
    }

    /** The rows of each series, by step. */
    static Map<String, List<Row>> bySeries(Dataset<Row> result) {
        Map<String, List<Row>> out = new TreeMap<>(Comparator.nullsFirst(Comparator.<String>naturalOrder()));
        for (Row r : result.collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        out.values().forEach(rows -> rows.sort(Comparator.comparingInt(r -> r.isNullAt(1) ? 0 : r.getInt(1))));
        return out;
    }

    private static String error(List<Row> rows) {
        assertEquals(1, rows.size());
        return rows.get(0).getString(rows.get(0).fieldIndex("error"));
    }
}
