package io.fleetpredict.spark;

import static io.fleetpredict.spark.SharedSpark.hourly;
import static io.fleetpredict.spark.SharedSpark.longFormat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GuideSamples;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code sample in docs/guides/spark.md, compiled and run here so it cannot rot. */
class SparkGuideTest {

    @TempDir
    Path dir;

    @Test
    void sample_forecastsAndEvaluatesEverySeries() {
        SparkSession spark = SharedSpark.session();
        String input = dir.resolve("history.parquet").toString();
        String output = dir.resolve("forecasts.parquet").toString();
        longFormat(Map.of("web", hourly(41, 7 * 24), "api", hourly(42, 7 * 24))).write().parquet(input);
        // tag::sample[]
        // One row per series and hour: series_id, timestamp, value (and regressor columns, if any).
        Dataset<Row> history = spark.read().parquet(input);
        ForecastSpec spec = ForecastSpec.builder(
                        ModelSource.of(() -> Forecasters.auto(CrossValidation.of(24), 24)), 24)
                .period(24)                       // scales MASE; the fallbacks are snaive(24), then naive
                .quantiles(0.1, 0.5, 0.9)
                .build();
        SparkForecasting.forecast(history, spec)  // lazy: the fits run as Spark writes
                .write().mode(SaveMode.Overwrite).parquet(output);

        // Each series cross-validated at two origins a day apart, and the aggregate.
        Evaluation evaluation = SparkForecasting.evaluate(history, spec, CrossValidation.of(24));
        System.out.println(evaluation.summary());
        // end::sample[]
        assertEquals(2 * 24, spark.read().parquet(output).where("error IS NULL").count());
        assertEquals(2, evaluation.summary().scored());
        evaluation.perSeries().unpersist();
    }

    @Test
    void globalSample_evaluatesAnLstmTrainedBeforeTheFirstOrigin() {
        Dataset<Row> history = longFormat(Map.of("web", hourly(43, 14 * 24), "api", hourly(44, 14 * 24)));
        // Small enough to train in a second; the guide's reader brings their own.
        LstmConfig config = LstmConfig.builder().inputWindow(48).chunk(24).seasonalPeriod(24).horizon(48)
                .hiddenSize(4).maxEpochs(1).windowsPerEpoch(32).batchSize(16).seed(5).build();
        // tag::global[]
        CrossValidation plan = CrossValidation.of(48);
        LstmModel early = SparkForecasting.trainGlobalLstm(history, config, 10_000, plan); // each series cut before its first origin
        Evaluation evaluation = SparkForecasting.evaluate(history,
                ForecastSpec.builder(ModelSource.globalTrainedBefore(early, plan), 48).build(), plan);
        // end::global[]
        assertEquals(new ErrorSummary(2, 2, 0, 0, evaluation.summary().smape(), evaluation.summary().mase(),
                evaluation.summary().coverage()), evaluation.summary());
        evaluation.perSeries().unpersist();
    }

    @Test
    void sample_isQuotedVerbatimInTheGuide() throws IOException {
        Path test = Path.of("src/test/java/io/fleetpredict/spark/SparkGuideTest.java");
        Path guide = Path.of("..", "docs", "guides", "spark.md");
        GuideSamples.assertQuoted(test, guide);
        GuideSamples.assertQuoted(test, "global", guide);
    }
}
