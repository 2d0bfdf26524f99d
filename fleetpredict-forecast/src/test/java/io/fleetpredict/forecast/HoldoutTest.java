package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hold-out scoring against values computed by hand from the M4 competitor's guide (Makridakis, Spiliotis
 * and Assimakopoulos, "M4 Competition: Competitor's Guide", 2018): sMAPE = (2/h) sum |Y - F| / (|Y| + |F|)
 * x 100; MASE = mean |Y - F| over the in-sample mean |Y_t - Y_{t-m}|, m the seasonal period; OWA = the mean
 * of sMAPE and MASE, each over Naive2's on the same series.
 */
class HoldoutTest {

    private static final TimeSeries A_TRAIN = TimeSeries.ofValues(1, 2, 3, 4);
    private static final TimeSeries A_TEST = TimeSeries.ofValues(5, 6, 7);
    private static final TimeSeries B_TRAIN = TimeSeries.ofValues(10, 8, 10, 8);
    private static final TimeSeries B_TEST = TimeSeries.ofValues(10, 8);

    private static final double TOL = 1e-12;

    @Test
    void evaluate_naiveOnTwoSeries_meansMatchHandComputedScores() {
        HoldoutResult r = Holdout.evaluate(List.of(A_TRAIN, B_TRAIN), List.of(A_TEST, B_TEST), Forecasters.naive(), 2, 1);
        // A: forecast 4, 4 against 5, 6: sMAPE (200/9 + 40) / 2 = 280/9; MAE 1.5 over the lag-1 scale 1.
        assertEquals(280.0 / 9, r.scores().get(0).smape(), TOL);
        assertEquals(1.5, r.scores().get(0).mase(), TOL);
        // B: forecast 8, 8 against 10, 8: sMAPE (200 * 2/18 + 0) / 2 = 100/9; MAE 1 over the scale 2.
        assertEquals(100.0 / 9, r.scores().get(1).smape(), TOL);
        assertEquals(0.5, r.scores().get(1).mase(), TOL);
        assertEquals(190.0 / 9, r.smape(), TOL);
        assertEquals(1.0, r.mase(), TOL);
        assertEquals(r.smape(), r.mean(Metric.SMAPE), TOL);
        assertEquals(2, r.series());
        assertEquals(List.of(), r.fallbacks());
        assertEquals(Forecasters.naive().name(), r.forecaster());
    }

    @Test
    void evaluate_seasonalPeriod_scalesMaseByTheSeasonalNaiveInSampleError() {
        // Lag-2 differences of 1, 2, 3, 4 are 2 and 2: the scale is 2, so MAE 1.5 gives MASE 0.75.
        HoldoutResult r = Holdout.evaluate(List.of(A_TRAIN), List.of(A_TEST), Forecasters.naive(), 2, 2);
        assertEquals(0.75, r.mase(), TOL);
    }

    @Test
    void owa_againstAnotherResultOnTheSameSeries_isTheMeanOfTheTwoRatios() {
        HoldoutResult naive = Holdout.evaluate(List.of(A_TRAIN, B_TRAIN), List.of(A_TEST, B_TEST),
                Forecasters.naive(), 2, 1);
        // Seasonal naive at 2: A forecasts 3, 4 (sMAPE (50 + 40) / 2 = 45, MASE 2), B is exact (0, 0).
        HoldoutResult yardstick = Holdout.evaluate(List.of(A_TRAIN, B_TRAIN), List.of(A_TEST, B_TEST),
                Forecasters.seasonalNaive(2), 2, 1);
        assertEquals(22.5, yardstick.smape(), TOL);
        assertEquals(1.0, yardstick.mase(), TOL);
        assertEquals((190.0 / 9 / 22.5 + 1.0) / 2, naive.owa(yardstick), TOL);
        assertEquals(1.0, yardstick.owa(yardstick), TOL);
    }

    @Test
    void evaluate_flatTrainingSeries_isLeftOutOfTheMaseAndMsisMeansAndNamed() {
        // The second series does not change at lag 1: its MASE scale is 0, so its MASE and MSIS are not defined
        // (M4) and only A's count: naive's MASE on A alone is 1.5. Its sMAPE counts: forecast 7, 7 against
        // 7, 9 is (0 + 200 * 2/16) / 2 = 12.5.
        TimeSeries flatTrain = TimeSeries.ofValues(7, 7, 7, 7);
        TimeSeries flatTest = TimeSeries.ofValues(7, 9);
        HoldoutResult r = Holdout.evaluate(List.of(A_TRAIN, flatTrain), List.of(A_TEST, flatTest),
                Forecasters.naive(), 2, 1);
        assertEquals(List.of(1), r.flat());
        assertEquals(Double.POSITIVE_INFINITY, r.scores().get(1).mase());
        assertEquals(1.5, r.mase(), TOL);
        assertEquals(r.scores().get(0).msis(), r.msis(), TOL);
        assertEquals(r.mase(), r.mean(Metric.MASE), TOL);
        assertEquals(r.msis(), r.mean(Metric.MSIS), TOL);
        assertEquals((280.0 / 9 + 12.5) / 2, r.smape(), TOL);
        assertEquals(2, r.series());
    }

    @Test
    void evaluate_everySeriesFlat_hasNoMaseMsisOrOwa() {
        TimeSeries flatTrain = TimeSeries.ofValues(7, 7, 7, 7);
        TimeSeries flatTest = TimeSeries.ofValues(7, 9);
        HoldoutResult r = Holdout.evaluate(List.of(flatTrain), List.of(flatTest), Forecasters.naive(), 2, 1);
        assertEquals(List.of(0), r.flat());
        assertTrue(Double.isNaN(r.mase()));
        assertTrue(Double.isNaN(r.msis()));
        assertTrue(Double.isNaN(r.owa(r.smape(), 1.0)));
    }

    @Test
    void owa_yardstickWithOtherFlatSeries_isRefused() {
        Accuracy a = new Accuracy(10, 1, 0, 0, 0, 0, 95, Double.NaN, Double.NaN);
        HoldoutResult one = new HoldoutResult("x", 1, List.of(a, a), List.of(), List.of(0));
        HoldoutResult none = new HoldoutResult("y", 1, List.of(a, a), List.of());
        assertThrows(IllegalArgumentException.class, () -> one.owa(none));
        assertThrows(IllegalArgumentException.class, () -> new HoldoutResult("x", 1, List.of(a), List.of(), List.of(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new HoldoutResult("x", 1, List.of(a, a), List.of(), List.of(1, 0)));
    }

    @Test
    void owa_publishedM4HourlyFigures_givesThePublishedOwaOfSeasonalNaive() {
        // M4 hourly: sNaive sMAPE 13.912, MASE 1.193; Naive2 18.383, 2.395; published sNaive OWA 0.627.
        Accuracy snaive = new Accuracy(13.912, 1.193, 0, 0, 0, 0, 95, Double.NaN, Double.NaN);
        HoldoutResult r = new HoldoutResult("snaive", 48, List.of(snaive), List.of());
        assertEquals(0.627, r.owa(18.383, 2.395), 0.0005);
    }

    @Test
    void evaluate_seriesTheModelCannotFit_fallsBackToSeasonalNaiveAndSaysWhich() {
        TimeSeries longTrain = TimeSeries.ofValues(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        TimeSeries longTest = TimeSeries.ofValues(13, 14);
        // Seasonal naive at 10 needs 11 values: A (4 values) falls back to the naive forecast at lag 1.
        HoldoutResult r = Holdout.evaluate(List.of(A_TRAIN, longTrain), List.of(A_TEST, longTest),
                Forecasters.seasonalNaive(10), 2, 1);
        assertEquals(List.of(0), r.fallbacks());
        HoldoutResult naive = Holdout.evaluate(List.of(A_TRAIN), List.of(A_TEST), Forecasters.naive(), 2, 1);
        assertEquals(naive.scores().get(0), r.scores().get(0));
        // The long series is scored as the model forecast it: 3, 4 against 13, 14.
        assertEquals(Accuracy.smape(new double[] {13, 14}, new double[] {3, 4}), r.scores().get(1).smape(), TOL);
    }

    @Test
    void evaluate_seriesNotEvenTheFallbackCanForecast_saysWhichKeepingTheCause() {
        // The naive forecast's bounds grow with the spread of the steps, which no double holds here.
        TimeSeries huge = TimeSeries.ofValues(2, 3, 1e300, -1e308, 1e308);
        Holdout.SeriesFailedException e = assertThrows(Holdout.SeriesFailedException.class, () -> Holdout.evaluate(
                List.of(A_TRAIN, huge), List.of(A_TEST, B_TEST), Forecasters.naive(), 2, 1));
        assertEquals(1, e.index());
        assertTrue(e.getCause() instanceof ForecastException, String.valueOf(e.getCause()));
        assertEquals("series at index 1: " + e.getCause().getMessage(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void evaluate_onAPool_equalsTheSequentialResultWhateverTheScheduling(long seed) throws InterruptedException {
        Random rnd = new Random(seed);
        List<TimeSeries> train = new ArrayList<>();
        List<TimeSeries> test = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            double[] v = new double[30 + rnd.nextInt(20)];
            for (int i = 0; i < v.length; i++) {
                v[i] = 50 + 10 * Math.sin(2 * Math.PI * i / 6) + rnd.nextGaussian();
            }
            TimeSeries all = TimeSeries.ofValues(v);
            train.add(all.head(v.length - 6));
            test.add(all.slice(v.length - 6, v.length));
        }
        Forecaster f = Forecasters.seasonalNaive(6);
        HoldoutResult sequential = Holdout.evaluate(train, test, f, 6, 6);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicInteger scored = new AtomicInteger();
        try {
            HoldoutResult parallel = Holdout.evaluate(train, test, f, 6, 6, pool, scored::incrementAndGet);
            assertEquals(sequential, parallel);
            assertEquals(12, scored.get());
        } finally {
            pool.shutdownNow();
        }
        assertTrue(sequential.coverage() >= 0 && sequential.coverage() <= 1);
    }

    @Test
    void evaluate_badSets_areRejectedNamingTheSeries() {
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> Holdout.evaluate(List.of(A_TRAIN, B_TRAIN), List.of(A_TEST), Forecasters.naive(), 2, 1));
        assertTrue(mismatch.getMessage().contains("2 series") && mismatch.getMessage().contains("has 1"),
                mismatch.getMessage());
        IllegalArgumentException shortTest = assertThrows(IllegalArgumentException.class,
                () -> Holdout.evaluate(List.of(A_TRAIN, B_TRAIN), List.of(A_TEST, B_TEST), Forecasters.naive(), 3, 1));
        assertTrue(shortTest.getMessage().contains("test series 1 has 2 values"), shortTest.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Holdout.evaluate(List.of(), List.of(), Forecasters.naive(), 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Holdout.evaluate(List.of(A_TRAIN), List.of(A_TEST), Forecasters.naive(), 0, 1));
    }

    @Test
    void owa_yardstickOnOtherSeries_isRejected() {
        HoldoutResult one = Holdout.evaluate(List.of(A_TRAIN), List.of(A_TEST), Forecasters.naive(), 2, 1);
        HoldoutResult two = Holdout.evaluate(List.of(A_TRAIN, B_TRAIN), List.of(A_TEST, B_TEST), Forecasters.naive(), 2, 1);
        assertThrows(IllegalArgumentException.class, () -> one.owa(two));
    }

    @Test
    void result_fallbacksOutOfRange_isRejected() {
        Accuracy a = new Accuracy(10, 1, 0, 0, 0, 0, 95, Double.NaN, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> new HoldoutResult("x", 1, List.of(a), List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> new HoldoutResult("x", 1, List.of(), List.of()));
    }
}
