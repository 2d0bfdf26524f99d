package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Accuracy metrics against values worked out by hand from the M4 definitions. */
class AccuracyTest {

    private static final double[] INSAMPLE = {1, 2, 3, 5, 4, 6};
    private static final double[] ACTUAL = {10, 20, 40};
    private static final double[] FORECAST = {12, 20, 30};

    /**
     * A forecast of the opposite sign to the actual value is 200 per cent off, not a rounding above it:
     * 0.6623688051426302 against -0.09791891807530329 came out at 200.00000000000003, which {@code Accuracy}'s
     * own check refused, failing a whole evaluation of a yearly series that crosses zero.
     */
    @Test
    void smapeOfOppositeSignsIsTwoHundredNotMore() {
        java.util.Random random = new java.util.Random(7);
        int aboveBefore = 0;
        for (int i = 0; i < 10_000; i++) {
            double y = random.nextDouble() * Math.pow(10, random.nextInt(7) - 3);
            double f = -random.nextDouble() * Math.pow(10, random.nextInt(7) - 3);
            if (200 * Math.abs(y - f) / (Math.abs(y) + Math.abs(f)) > 200) {
                aboveBefore++;
            }
            double s = Accuracy.smape(new double[] {y}, new double[] {f});
            assertTrue(s <= 200 && s > 199.999_999, () -> "sMAPE of " + y + " against " + f + " was " + s);
            Accuracy a = Accuracy.of(TimeSeries.of(Instant.EPOCH, Duration.ofHours(1), new double[] {1, 2, 3}),
                    new double[] {y}, Forecast.builder("f", Instant.EPOCH, Duration.ofHours(1), new double[] {f}).build(), 1);
            assertEquals(s, a.smape());
        }
        assertTrue(aboveBefore > 0, "the seeded pairs include some whose unclamped ratio rounds above 200");
    }

    @Test
    void smape_handWorked() {
        // 200*2/22 = 18.1818..., 0, 200*10/70 = 28.5714...; mean 15.5844...
        assertEquals((400.0 / 22 + 2000.0 / 70) / 3, Accuracy.smape(ACTUAL, FORECAST), 1e-12);
    }

    @Test
    void smape_bothZero_countsAsZero() {
        assertEquals(0, Accuracy.smape(new double[] {0}, new double[] {0}), 0);
        assertEquals(200, Accuracy.smape(new double[] {0}, new double[] {5}), 1e-12);
    }

    @Test
    void mase_handWorked() {
        // MAE = (2 + 0 + 10) / 3 = 4. Lag-2 scale: |3-1|,|5-2|,|4-3|,|6-5| -> 7/4 = 1.75.
        assertEquals(4 / 1.75, Accuracy.mase(INSAMPLE, 2, ACTUAL, FORECAST), 1e-12);
        // Lag 1: 1,1,2,1,2 -> 7/5 = 1.4.
        assertEquals(4 / 1.4, Accuracy.mase(INSAMPLE, 1, ACTUAL, FORECAST), 1e-12);
        // Period not shorter than the in-sample series: lag 1.
        assertEquals(4 / 1.4, Accuracy.mase(INSAMPLE, 6, ACTUAL, FORECAST), 1e-12);
    }

    @Test
    void mase_flatInsample_isInfiniteOrZero() {
        double[] flat = {3, 3, 3};
        assertEquals(Double.POSITIVE_INFINITY, Accuracy.mase(flat, 1, ACTUAL, FORECAST));
        assertEquals(0, Accuracy.mase(flat, 1, ACTUAL, ACTUAL), 0);
    }

    @Test
    void msis_handWorked() {
        double[] lo = {9, 21, 35};
        double[] hi = {11, 25, 38};
        // widths 2 + 4 + 3 = 9; y=20 below 21: 40*1; y=40 above 38: 40*2 -> (9 + 40 + 80)/3 = 43; scale 1.75.
        assertEquals(43 / 1.75, Accuracy.msis(INSAMPLE, 2, ACTUAL, lo, hi, 0.05), 1e-12);
        assertEquals(1.0 / 3, Accuracy.coverage(ACTUAL, lo, hi), 1e-12);
    }

    @Test
    void mapeBiasMaeRmse_handWorked() {
        assertEquals((20.0 + 0 + 25) / 3, Accuracy.mape(ACTUAL, FORECAST), 1e-12);
        assertEquals((2.0 + 0 - 10) / 3, Accuracy.bias(ACTUAL, FORECAST), 1e-12);
        assertEquals(4, Accuracy.mae(ACTUAL, FORECAST), 1e-12);
        assertEquals(Math.sqrt(104.0 / 3), Accuracy.rmse(ACTUAL, FORECAST), 1e-12);
    }

    @Test
    void owa_publishedHourlyRows() {
        // m4-hourly-official-scores.csv (from the organisers' Evaluation and Ranks.xlsx): hourly OWA of
        // Naive (43.003, 11.608) is 3.593 and of Smyl (9.328, 0.893) 0.440, against Naive2 18.383 / 2.395.
        assertEquals(3.593, Accuracy.owa(43.003, 11.608, 18.383, 2.395), 0.0005);
        assertEquals(0.440, Accuracy.owa(9.328, 0.893, 18.383, 2.395), 0.0005);
        assertThrows(IllegalArgumentException.class, () -> Accuracy.owa(1, 1, 0, 1));
    }

    @Test
    void of_forecastWithAndWithoutInterval_scoresAll() {
        TimeSeries in = TimeSeries.ofValues(INSAMPLE);
        Forecast withInterval = Forecast.builder("t", in.end(), in.step(), FORECAST)
                .interval(95, new double[] {9, 20, 30}, new double[] {13, 25, 38}).build();
        Accuracy a = Accuracy.of(in, ACTUAL, withInterval, 2);
        assertEquals(Accuracy.smape(ACTUAL, FORECAST), a.smape(), 0);
        assertEquals(4 / 1.75, a.mase(), 1e-12);
        assertEquals(2.0 / 3, a.coverage(), 1e-12);
        assertEquals(Accuracy.msis(INSAMPLE, 2, ACTUAL, new double[] {9, 20, 30}, new double[] {13, 25, 38}, 0.05),
                a.msis(), 1e-12);
        Forecast pointOnly = Forecast.builder("t", Instant.EPOCH, Duration.ofHours(1), FORECAST).build();
        Accuracy b = Accuracy.of(in, ACTUAL, pointOnly, 2);
        assertTrue(Double.isNaN(b.msis()) && Double.isNaN(b.coverage()));
        assertEquals(a.mase(), b.mase(), 0);
    }

    @Test
    void metrics_mismatchedLengths_areRejectedWithBothLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Accuracy.smape(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Accuracy.smape(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.mase(new double[] {1}, 1, ACTUAL, FORECAST));
    }

    @Test
    void metric_readsTheMatchingComponent() {
        Accuracy a = new Accuracy(1, 2, 3, -4, 5, 6, 95, 7, 0.9);
        assertEquals(1, Metric.SMAPE.of(a));
        assertEquals(2, Metric.MASE.of(a));
        assertEquals(3, Metric.MAPE.of(a));
        assertEquals(4, Metric.ABS_BIAS.of(a));
        assertEquals(5, Metric.MAE.of(a));
        assertEquals(6, Metric.RMSE.of(a));
        assertEquals(7, Metric.MSIS.of(a));
        assertEquals(0.05, Metric.COVERAGE_GAP.of(a), 1e-12);
    }

    @Test
    void record_scoresAtTheEndsOfTheirRanges_areAccepted_beyondThemRejected() {
        assertEquals(0, new Accuracy(0, 1, 1, 0, 1, 1, 95, 1, 0).smape());
        assertEquals(200, new Accuracy(200, 1, 1, 0, 1, 1, 95, 1, 1).smape());
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(-1e-9, 1, 1, 0, 1, 1, 95, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(200.001, 1, 1, 0, 1, 1, 95, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(1, 1, 1, 0, 1, 1, 0, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(1, 1, 1, 0, 1, 1, 100, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(1, 1, 1, 0, 1, 1, 95, 1, -0.001));
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(1, 1, 1, 0, 1, 1, 95, 1, 1.001));
        assertTrue(Double.isNaN(new Accuracy(1, 1, 1, 0, 1, 1, 95, Double.NaN, Double.NaN).coverage()));
    }

    @Test
    void metrics_aLongerForecastSide_isRejectedNotCutShort() {
        double[] four = {12, 20, 30, 50};
        assertThrows(IllegalArgumentException.class, () -> Accuracy.mape(ACTUAL, four));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.bias(ACTUAL, four));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.mae(ACTUAL, four));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.rmse(ACTUAL, four));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.mase(INSAMPLE, 1, ACTUAL, four));
        double[] three = {11, 25, 38};
        assertThrows(IllegalArgumentException.class, () -> Accuracy.coverage(ACTUAL, four, three));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.coverage(ACTUAL, three, four));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.msis(INSAMPLE, 1, ACTUAL, four, three, 0.05));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Accuracy.msis(INSAMPLE, 1, ACTUAL, three, four, 0.05));
        assertTrue(e.getMessage().contains("actual has 3 values but the forecast side has 4"), e.getMessage());
    }

    @Test
    void coverage_observationsOnTheBounds_areInside() {
        assertEquals(1, Accuracy.coverage(new double[] {10, 20}, new double[] {10, 15}, new double[] {12, 20}), 0);
        assertEquals(0, Accuracy.coverage(new double[] {10, 20}, new double[] {10.5, 15}, new double[] {12, 19.5}), 0);
    }

    @Test
    void msis_penaltyGrowsWithTheDistanceOutside() {
        // One step, y = 10 three below [13, 15] at alpha 0.05: 2 + 40 * 3 = 122; five above [1, 5]: 4 + 40 * 5 = 204.
        // Lag-1 scale of {1, 3}: 2.
        double[] in = {1, 3};
        assertEquals(122 / 2.0, Accuracy.msis(in, 1, new double[] {10}, new double[] {13}, new double[] {15}, 0.05), 1e-12);
        assertEquals(204 / 2.0, Accuracy.msis(in, 1, new double[] {10}, new double[] {1}, new double[] {5}, 0.05), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> Accuracy.msis(in, 1, new double[] {10}, new double[] {1}, new double[] {5}, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Accuracy.msis(in, 1, new double[] {10}, new double[] {1}, new double[] {5}, 1));
    }

    @Test
    void mase_twoInsampleValues_scaleByTheirDifference() {
        // MAE 4 over the scale |7 - 3| = 4.
        assertEquals(1, Accuracy.mase(new double[] {3, 7}, 1, ACTUAL, FORECAST), 1e-12);
    }

    @Test
    void owa_naive2ScoresMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Accuracy.owa(1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Accuracy.owa(1, 1, -1, 1));
        assertEquals(1, Accuracy.owa(2, 3, 2, 3), 1e-15);
    }
}
