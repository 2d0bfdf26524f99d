package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.forecast.Accuracy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccuracyTrackerTest {
    private static final AccuracyKey KEY = new AccuracyKey("checkout", ResourceType.CPU, Horizon.SHORT_TERM);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-11-29T12:00:00Z"), ZoneOffset.UTC);

    private static PredictedPoint point() {
        return new PredictedPoint(10, new PredictionInterval(8, 12, 80), 11, 2);
    }

    private static AccuracyTracker threeSteps(boolean registerScale) {
        AccuracyTracker t = AccuracyTracker.builder().clock(CLOCK).window(2).build();
        if (registerScale) {
            t.register(KEY, 2);
        }
        for (double actual : new double[] {12, 8, 14}) {
            t.record(KEY, point(), actual, HOUR);
        }
        return t;
    }

    @Test
    void report_threeHandComputedSteps_matchTheClosedForm() {
        KeyAccuracy a = threeSteps(true).report().find(KEY).orElseThrow();

        // errors 2, -2, 4; percentages 2/12, 2/8, 4/14; provisioned 11: short 1 and 3, over 3 at price 2.
        assertEquals(3, a.count());
        assertEquals(8.0 / 3, a.mae(), 1e-12);
        assertEquals(100 * (2.0 / 12 + 2.0 / 8 + 4.0 / 14) / 3, a.mape(), 1e-12);
        assertEquals(8.0 / 3 / 2, a.mase(), 1e-12);
        assertEquals(-4.0 / 3, a.bias(), 1e-12);
        assertEquals(80, a.intervalLevel(), 0);
        assertEquals(2.0 / 3, a.coverage(), 1e-12);
        assertEquals(3.0, a.recentMae(), 1e-12);
        assertEquals(2, a.underProvisionedSteps());
        assertEquals(120, a.underProvisionedMinutes(), 1e-9);
        assertEquals(4, a.shortfallUnitHours(), 1e-12);
        assertEquals(3, a.maxShortfall(), 1e-12);
        assertEquals(6, a.overProvisioningCost(), 1e-12);
    }

    @Test
    void report_withoutRegisteredScale_estimatesItFromTheActuals() {
        KeyAccuracy a = threeSteps(false).report().find(KEY).orElseThrow();

        // Lag-1 differences of 12, 8, 14: 4 and 6, mean 5.
        assertEquals(5, a.scale(), 1e-12);
        assertEquals(8.0 / 3 / 5, a.mase(), 1e-12);
    }

    @Test
    void record_halfHourSteps_weighTheProvisioningFiguresByDuration() {
        AccuracyTracker t = AccuracyTracker.builder().build();
        t.record(KEY, point(), 14, Duration.ofMinutes(30));
        t.record(KEY, point(), 5, Duration.ofMinutes(30));

        KeyAccuracy a = t.report().find(KEY).orElseThrow();
        assertEquals(30, a.underProvisionedMinutes(), 1e-9);
        assertEquals(1.5, a.shortfallUnitHours(), 1e-12);
        assertEquals(6 * 2 * 0.5, a.overProvisioningCost(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void report_randomSeries_agreesWithTheForecastLibrarysBatchMetrics(long seed) {
        Random rnd = new Random(seed);
        int n = 50 + rnd.nextInt(200);
        double[] actual = new double[n];
        double[] forecast = new double[n];
        AccuracyTracker t = AccuracyTracker.builder().seasonalPeriod(4).withoutDriftDetection().build();
        for (int i = 0; i < n; i++) {
            actual[i] = 50 + 10 * Math.sin(i / 3.0) + rnd.nextGaussian() * 5;
            forecast[i] = actual[i] + rnd.nextGaussian() * 3;
            t.record(KEY, PredictedPoint.of(forecast[i]), actual[i], HOUR);
        }
        KeyAccuracy a = t.report().find(KEY).orElseThrow();

        // io.fleetpredict.forecast.Accuracy computes the same metrics in batch, independently of the tracker.
        assertEquals(Accuracy.mae(actual, forecast), a.mae(), 1e-9);
        assertEquals(Accuracy.mape(actual, forecast), a.mape(), 1e-9);
        assertEquals(Accuracy.bias(actual, forecast), a.bias(), 1e-9);
        assertEquals(Accuracy.mase(actual, 4, actual, forecast), a.mase(), 1e-9);
    }

    /**
     * The rings of recent errors and last actuals grow as values arrive: at every count, below, at and past the
     * window and the period, the recent MAE is the mean of the last {@code window} absolute errors and the scale
     * the mean absolute seasonal difference, both worked out here from the whole series.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 9, 288})
    void report_everyCountThroughTheWindowAndPeriod_recentMaeAndScaleOfTheLastValues(int window) {
        int period = 7;
        AccuracyTracker t = AccuracyTracker.builder().window(window).seasonalPeriod(period).withoutDriftDetection()
                .build();
        Random rnd = new Random(window);
        int n = 2 * window + 3 * period + 5;
        double[] actual = new double[n];
        double[] abs = new double[n];
        for (int i = 0; i < n; i++) {
            actual[i] = 100 + rnd.nextGaussian() * 10;
            abs[i] = Math.abs(actual[i] - 100);
            t.record(KEY, PredictedPoint.of(100), actual[i], HOUR);

            KeyAccuracy a = t.report().find(KEY).orElseThrow();
            double recent = 0;
            int from = Math.max(0, i + 1 - window);
            for (int j = from; j <= i; j++) {
                recent += abs[j];
            }
            assertEquals(recent / (i + 1 - from), a.recentMae(), 1e-9, "after value " + i);
            double diffs = 0;
            for (int j = period; j <= i; j++) {
                diffs += Math.abs(actual[j] - actual[j - period]);
            }
            assertEquals(i < period ? Double.NaN : diffs / (i + 1 - period), a.scale(), 1e-9, "after value " + i);
        }
    }

    @Test
    void record_levelShiftInErrors_isFlaggedAndCounted() {
        AccuracyTracker t = AccuracyTracker.builder().build();
        t.register(KEY, 1.5);
        Random rnd = new Random(11);
        for (int i = 0; i < 300; i++) {
            assertTrue(!t.record(KEY, PredictedPoint.of(100), 100 + rnd.nextGaussian(), HOUR).drift());
        }
        int delay = 0;
        Recorded r;
        do {
            delay++;
            r = t.record(KEY, PredictedPoint.of(100), 103 + rnd.nextGaussian(), HOUR);
        } while (!r.drift() && delay < 100);

        assertTrue(r.drift() && delay <= 10, "delay " + delay);
        assertEquals(r.error() / 1.5, r.scaledError(), 1e-12);
        assertEquals(1, t.report().find(KEY).orElseThrow().driftAlarms());
    }

    @Test
    void record_beyondTheSeriesCap_isRefused() {
        AccuracyTracker t = AccuracyTracker.builder().maxSeries(1).build();
        t.record(KEY, PredictedPoint.of(1), 1, HOUR);

        AccuracyKey other = AccuracyKey.fleet(ResourceType.MEMORY, Horizon.SHORT_TERM);
        TooManySeriesException e = assertThrows(TooManySeriesException.class,
                () -> t.record(other, PredictedPoint.of(1), 1, HOUR));
        assertEquals(other, e.key());
        assertEquals(1, e.maxSeries());
        assertEquals(other + ": a new series, beyond the 1 series tracked at most (maxSeries)", e.getMessage());
        assertThrows(TooManySeriesException.class, () -> t.register(other, 1));
        assertEquals(List.of(KEY), t.report().series().stream().map(KeyAccuracy::key).toList());
        assertThrows(IllegalArgumentException.class, () -> t.record(KEY, PredictedPoint.of(1), Double.NaN, HOUR));
        assertThrows(IllegalArgumentException.class, () -> t.record(KEY, PredictedPoint.of(1), 1, Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> t.register(KEY, 1));
    }

    @Test
    void toJson_writesEveryFigureAndNullForTheUnknown() throws Exception {
        AccuracyTracker t = threeSteps(true);
        t.record(AccuracyKey.fleet(ResourceType.MEMORY, Horizon.LONG_TERM), PredictedPoint.of(0), 0, HOUR);

        JsonNode root = new ObjectMapper().readTree(t.report().toJson());

        assertEquals("2024-11-29T12:00:00Z", root.get("as_of").asText());
        JsonNode fleet = root.get("series").get(0);
        assertTrue(!fleet.has("service") && fleet.get("mape").isNull() && fleet.get("coverage").isNull());
        JsonNode checkout = root.get("series").get(1);
        assertEquals("checkout", checkout.get("service").asText());
        assertEquals("CPU", checkout.get("resource_type").asText());
        assertEquals("short_term", checkout.get("horizon").asText());
        assertEquals(2.0 / 3, checkout.get("coverage").asDouble(), 1e-12);
        assertEquals(6, checkout.get("over_provisioning_cost").asDouble(), 1e-12);
    }

    @Test
    void toJson_layout_isKeyColonBlankValueIndentedByTwoSpaces() {
        String json = threeSteps(true).report().toJson();

        assertTrue(json.startsWith("{\n  \"as_of\": \"2024-11-29T12:00:00Z\",\n  \"series\": [ {\n"
                + "    \"service\": \"checkout\",\n    \"resource_type\": \"CPU\",\n"), json);
        assertTrue(json.endsWith("\n    \"drift_alarms\": 0\n  } ]\n}\n"), json);
        assertFalse(json.contains("\" :"), json);
    }

    /** Recordings each of which would push one figure of a series past the largest double. */
    private static final PredictedPoint[] OVERFLOWING = {
        PredictedPoint.of(-1e308), // the error, 1e308 - -1e308
        new PredictedPoint(1, null, 1, 0), // the percentage error of an actual of Double.MIN_VALUE
        new PredictedPoint(0, null, 1e308, 1000), // the over-provisioning cost
        PredictedPoint.of(-1e200), // the spread the drift detector calibrates on
    };
    private static final double[] OVERFLOWING_ACTUAL = {1e308, Double.MIN_VALUE, 0, 1e200};

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void record_figureBeyondTheLargestDouble_refusedNamingTheSeriesAndNothingChanges(int c) {
        AccuracyTracker t = threeSteps(true);
        AccuracyReport before = t.report();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.record(KEY, OVERFLOWING[c], OVERFLOWING_ACTUAL[c], Duration.ofMinutes(5)));

        assertTrue(e.getMessage().startsWith("checkout/CPU/short_term: actual " + OVERFLOWING_ACTUAL[c]
                + " against predicted mean " + OVERFLOWING[c].mean()), e.getMessage());
        assertEquals(before, t.report());
        // The series carries on as if the refused call had not been made: errors 2, -2, 4, then 2.
        t.record(KEY, point(), 12, HOUR);
        KeyAccuracy a = t.report().find(KEY).orElseThrow();
        assertEquals(4, a.count());
        assertEquals(10.0 / 4, a.mae(), 1e-12);
        assertEquals(-6.0 / 4, a.bias(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2}) // the detector's spread of one error is 0: the fourth passes on a new series
    void record_firstActualOfASeriesRefused_leavesNoSeries(int c) {
        AccuracyTracker t = AccuracyTracker.builder().clock(CLOCK).build();

        assertThrows(IllegalArgumentException.class,
                () -> t.record(KEY, OVERFLOWING[c], OVERFLOWING_ACTUAL[c], HOUR));

        assertEquals(java.util.List.of(), t.report().series());
    }

    @Test
    void record_sumsOverflowingOnlyTogether_secondRefused() {
        AccuracyTracker t = AccuracyTracker.builder().clock(CLOCK).withoutDriftDetection().build();
        t.record(KEY, PredictedPoint.of(0), 1e308, HOUR);
        AccuracyReport before = t.report();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.record(KEY, PredictedPoint.of(0), 1e308, HOUR));

        assertTrue(e.getMessage().contains("sum of absolute errors would be Infinity"), e.getMessage());
        assertEquals(before, t.report());
    }

    @Test
    void record_stepOfAThousandYears_weighsTheProvisioningFigures() {
        AccuracyTracker t = AccuracyTracker.builder().clock(CLOCK).build();

        t.record(KEY, PredictedPoint.of(0), 2, Duration.ofDays(365_000));

        KeyAccuracy a = t.report().find(KEY).orElseThrow();
        assertEquals(365_000.0 * 24 * 60, a.underProvisionedMinutes(), 0);
        assertEquals(2 * 365_000.0 * 24, a.shortfallUnitHours(), 0);
    }
}

