package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code sample in docs/guides/backtesting.md, compiled and run here so it cannot rot. */
class BacktestingGuideTest {

    @Test
    void sample_comparesTwoModelsOnTrainingDataAndLetsAutoChoose() {
        TimeSeries training = TimeSeries.of(java.time.Instant.EPOCH, java.time.Duration.ofHours(1),
                Datasets.synthetic(3, 24 * 28, 24).values());
        // tag::sample[]
        // Four origins a day apart at the end of the training data, each scored on the next 48 hours.
        BacktestResult ets = Backtest.rollingOrigin(training, Forecasters.ets(24), 48, 4, 24, 24);
        BacktestResult mstl = Backtest.rollingOrigin(training, Forecasters.mstl(24, 168), 48, 4, 24, 24);
        double etsMase = ets.mean(Metric.MASE);          // scaled by the in-sample seasonal naive error
        double mstlMase = mstl.mean(Metric.MASE);

        // Or let the library choose per series, cross-validating at the horizon it will forecast.
        Forecaster auto = Forecasters.auto(CrossValidation.of(48), 24, 168);
        FittedModel chosen = auto.fit(training);
        System.out.println(chosen.description());        // one line: the models chosen
        Map<String, Double> scores = chosen.parameters(); // "cv.<candidate>": every candidate's score
        List<String> notes = chosen.notes();              // candidates skipped and why, the models' own descriptions

        // Forecasters.auto() without periods finds them from the step (24 and 168 hourly) when the data show them.
        SeasonalPeriods found = SeasonalPeriods.detect(training);
        // Resource amounts cannot be negative: censor the forecast at zero, keeping its coverage.
        Forecaster cores = Forecasters.nonNegative(Forecasters.boxCoxGuerrero(Forecasters.mstl(24, 168), 24));
        // end::sample[]
        assertTrue(scores.keySet().stream().filter(k -> k.startsWith("cv.")).count() >= 5, scores.toString());
        assertTrue(notes.get(0).startsWith("chosen by rolling-origin cross-validation"), notes.toString());
        assertEquals(List.of(24), found.periods(), found.description());
        assertTrue(cores.fit(training).forecast(48, 95).lower(95)[0] >= 0);
        assertEquals(4, ets.folds().size());
        assertTrue(Double.isFinite(etsMase) && Double.isFinite(mstlMase));
        // Every model chosen is a daily-seasonal one: its name carries the period 24.
        assertTrue(chosen.description().matches("auto\\(24,168\\): (mean of )?([^ ]*24[^ ]*( and )?)+, best of .*"),
                chosen.description());
    }

    @Test
    void holdoutSample_scoresASetOfSeriesAsM4Does() throws InterruptedException {
        List<TimeSeries> train = new java.util.ArrayList<>();
        List<TimeSeries> test = new java.util.ArrayList<>();
        for (int seed = 1; seed <= 4; seed++) {
            TimeSeries all = Datasets.synthetic(seed, 24 * 14 + 48, 24);
            train.add(all.head(24 * 14));
            test.add(all.slice(24 * 14, 24 * 14 + 48));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            // tag::holdout[]
            // Each series fitted on its training part, forecast 48 steps and scored on its hold-out;
            // MASE and MSIS scaled at period 24. Naive2 on the same series is the OWA yardstick.
            HoldoutResult theta = Holdout.evaluate(train, test, Forecasters.theta(24), 48, 24);
            HoldoutResult naive2 = Holdout.evaluate(train, test, Forecasters.naive2(24), 48, 24);
            double owa = theta.owa(naive2);                   // below 1: better than Naive2
            double smape = theta.smape();                     // mean over the series, as M4 reports it
            List<Integer> failed = theta.fallbacks();         // series the model could not fit (seasonal naive used)

            // Many series: fit them on a pool, one callback per series scored.
            HoldoutResult onPool = Holdout.evaluate(train, test, Forecasters.theta(24), 48, 24, pool, () -> { });
            // end::holdout[]
            assertEquals(theta, onPool);
            assertEquals(4, theta.series());
            assertEquals(List.of(), failed);
            assertTrue(Double.isFinite(owa) && owa > 0, "OWA " + owa);
            assertTrue(smape > 0 && smape < 200);
            assertEquals(1.0, naive2.owa(naive2), 1e-12);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sample_isQuotedVerbatimInTheGuide() throws IOException {
        GuideSamples.assertQuoted(Path.of("src/test/java/io/fleetpredict/forecast/BacktestingGuideTest.java"), Path.of("..", "docs", "guides", "backtesting.md"));
        GuideSamples.assertQuoted(Path.of("src/test/java/io/fleetpredict/forecast/BacktestingGuideTest.java"), "holdout",
                Path.of("..", "docs", "guides", "backtesting.md"));
    }
}
