package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RegressorsTest {

    private static final Instant START = Instant.parse("2024-03-04T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void events_windowWithLeadAndLag_marksOverlappingStepsWidened() {
        // A window 10:30-12:00 overlaps the steps starting 10:00 and 11:00; one lead and two lag steps widen it.
        Regressors r = Regressors.builder(START, HOUR, 20).events("e", List.of(new Regressors.Window(
                START.plus(Duration.ofMinutes(630)), START.plus(Duration.ofHours(12)))), 1, 2).build();
        double[] expected = new double[20];
        for (int i = 9; i <= 13; i++) {
            expected[i] = 1;
        }
        assertArrayEquals(expected, r.column("e"));
    }

    @Test
    void events_windowsOutsideTheGrid_areClipped() {
        Regressors r = Regressors.builder(START, HOUR, 5).events("e", List.of(
                new Regressors.Window(START.minus(HOUR.multipliedBy(3)), START.plus(HOUR)),
                new Regressors.Window(START.plus(HOUR.multipliedBy(4)), START.plus(HOUR.multipliedBy(40)))), 0, 0)
                .build();
        assertArrayEquals(new double[] {1, 0, 0, 0, 1}, r.column("e"));
    }

    @Test
    void ramp_betweenTwoInstants_risesLinearlyFromZeroToOne() {
        Regressors r = Regressors.builder(START, HOUR, 7).ramp("migration", START.plus(HOUR),
                START.plus(HOUR.multipliedBy(5))).build();
        assertArrayEquals(new double[] {0, 0, 0.25, 0.5, 0.75, 1, 1}, r.column("migration"), 1e-12);
    }

    @Test
    void calendarDummies_hourAndDay_haveOneBaselineLevelEach() {
        // 2024-03-04 is a Monday.
        Regressors r = Regressors.builder(START, HOUR, 48).hourOfDay("h", ZoneOffset.UTC)
                .dayOfWeek("d_", ZoneOffset.UTC).days("holiday", List.of(LocalDate.of(2024, 3, 5)), ZoneOffset.UTC)
                .build();
        assertEquals(23 + 6 + 1, r.count());
        assertEquals(1, r.get(r.names().indexOf("h5"), 29));
        assertEquals(0, r.get(r.names().indexOf("h5"), 30));
        assertEquals(0, r.get(r.names().indexOf("d_TUESDAY"), 23));
        assertEquals(1, r.get(r.names().indexOf("d_TUESDAY"), 24));
        assertEquals(24, java.util.Arrays.stream(r.column("holiday")).sum());
        for (int i = 0; i < 24; i++) {
            double hourSum = 0;
            for (int h = 1; h < 24; h++) {
                hourSum += r.get(r.names().indexOf("h" + h), i);
            }
            assertEquals(i == 0 ? 0 : 1, hourSum, "hour dummies at step " + i);
        }
    }

    @Test
    void sliceAndAppend_roundTrip_givesEqualRegressors() {
        Regressors r = Regressors.builder(START, HOUR, 10).column("a", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
                .column("b", 9, 8, 7, 6, 5, 4, 3, 2, 1, 0).build();
        Regressors joined = r.head(4).append(r.slice(4, 10));
        assertEquals(r, joined);
        assertEquals(r.hashCode(), joined.hashCode());
        assertEquals(START.plus(HOUR.multipliedBy(4)), r.slice(4, 10).start());
        assertEquals(List.of("a", "b"), r.names());
        assertThrows(IllegalArgumentException.class, () -> r.slice(4, 10).append(r.head(4)));
    }

    @Test
    void column_copiesInAndOut() {
        double[] values = {1, 2, 3};
        Regressors r = Regressors.builder(START, HOUR, 3).column("a", values).build();
        values[0] = 99;
        r.column("a")[1] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, r.column("a"));
    }

    @Test
    void builder_invalidColumns_areRejectedWithTheReason() {
        Regressors.Builder b = Regressors.builder(START, HOUR, 3).column("a", 1, 2, 3);
        assertMessage(() -> b.column("a", 1, 2, 3), "used twice");
        assertMessage(() -> b.column("c", 1, 2), "has 2 values for 3 steps");
        assertMessage(() -> b.column("d", 1, Double.NaN, 3), "index 1 is NaN");
        assertMessage(() -> b.column(" ", 1, 2, 3), "blank");
        assertMessage(() -> Regressors.builder(START, Duration.ZERO, 3), "step must be positive");
        assertMessage(() -> Regressors.builder(START, HOUR, -1), "size must be at least 0, was -1");
        assertMessage(() -> new Regressors.Window(START, START), "must be after its start");
        assertMessage(() -> b.events("e", List.of(), -1, 0), "were -1 and 0");
        assertMessage(() -> Regressors.of(START, HOUR, Map.of()).column("x"), "no regressor named 'x'");
    }

    @Test
    void fit_misalignedRegressors_areRejected() {
        TimeSeries s = TimeSeries.of(START, HOUR, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Regressors shifted = Regressors.builder(START.plus(HOUR), HOUR, 10).column("a", new double[10]).build();
        assertMessage(() -> Forecasters.arima(1, 0, 0).fit(s, shifted), "do not cover the series");
        Regressors reserved = Regressors.builder(START, HOUR, 10).column("ar1", new double[10]).build();
        assertMessage(() -> Forecasters.arima(1, 0, 0).fit(s, reserved), "reserved");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' lacks '" + part + "'");
    }
}
