package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * MSTL against R's {@code forecast::mstl} (R 4.2.2 Patched 2022-11-10 r83330, forecast 8.20) on a
 * deterministic hourly series with daily and weekly cycles that R and {@link #hourly} build from the
 * same formula (make-references.R). The decomposition repeats R's arithmetic: components agree to 1e-9.
 * The forecast composition is checked against R's {@code thetaf} on the seasonally adjusted series plus
 * the last cycles, within 1e-4 of the forecast's scale (the SES optimum differs slightly, see ThetaTest).
 */
class MstlTest {

    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    /** R: t <- 1:840; 100 + 0.05 t + 10 sin(2 pi t / 24) + 6 cos(2 pi t / 168) + 3 sin(4 pi t / 168) + 4 noise. */
    static double[] hourly(int n) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int t = i + 1;
            double noise = ((t * 7919L) % 997) / 997.0 - 0.5;
            y[i] = 100 + 0.05 * t + 10 * Math.sin(2 * Math.PI * t / 24) + 6 * Math.cos(2 * Math.PI * t / 168)
                    + 3 * Math.sin(4 * Math.PI * t / 168) + 4 * noise;
        }
        return y;
    }

    private static TimeSeries series(double[] y) {
        return TimeSeries.of(START, Duration.ofHours(1), y);
    }

    @Test
    void decompose_hourlyTwoPeriods_matchesR() {
        // R: mstl(msts(y, seasonal.periods = c(24, 168)))
        RReference ref = RReference.load("mstl-hourly.csv");
        double[] y = hourly(840);
        assertTrue(RReference.maxAbsDiff(ref.column("x"), y) < 1e-9, "the generated series is R's");
        Mstl.Components c = Mstl.decompose(y, new int[] {24, 168});
        assertTrue(RReference.maxAbsDiff(ref.column("trend"), c.trend) < 1e-9);
        assertTrue(RReference.maxAbsDiff(ref.column("seasonal24"), c.seasonal[0]) < 1e-9);
        assertTrue(RReference.maxAbsDiff(ref.column("seasonal168"), c.seasonal[1]) < 1e-9);
        assertTrue(RReference.maxAbsDiff(ref.column("remainder"), c.remainder) < 1e-9);
    }

    @Test
    void forecast_hourlyWithTheta_matchesRComposition() {
        RReference ref = RReference.load("mstl-hourly-forecast.csv");
        Forecast f = Forecasters.mstl(Forecasters.theta(1), 168, 24).fit(series(hourly(840))).forecast(48, 80, 95);
        double scale = Arrays.stream(ref.column("mean")).map(Math::abs).max().orElseThrow();
        ThetaTest.assertClose(ref.column("mean"), f.mean(), scale, "mean");
        ThetaTest.assertClose(ref.column("lo80"), f.lower(80), scale, "lo80");
        ThetaTest.assertClose(ref.column("hi80"), f.upper(80), scale, "hi80");
        ThetaTest.assertClose(ref.column("lo95"), f.lower(95), scale, "lo95");
        ThetaTest.assertClose(ref.column("hi95"), f.upper(95), scale, "hi95");
        assertEquals(START.plus(Duration.ofHours(840)), f.start());
    }

    @Test
    void fit_periodWithoutTwoCycles_isDroppedAndDescribed() {
        // 500 hours: the weekly period (168) fits, 336 does not (R drops periods >= n / 2).
        FittedModel m = Forecasters.mstl(24, 168, 336).fit(series(hourly(500)));
        assertTrue(m.description().contains("period 336 dropped: fewer than two full cycles in 500 observations"),
                m.description());
        assertTrue(m.description().startsWith("MSTL periods 24,168 (s.window 11,15, 2 iterations)"), m.description());
        assertEquals(Arrays.asList("s.window.24", "s.window.168"),
                m.parameters().keySet().stream().filter(k -> k.startsWith("s.window")).toList());
    }

    @Test
    void fit_tooShortForAnyPeriod_degradesToNonSeasonalModel() {
        TimeSeries s = series(hourly(40));
        FittedModel m = Forecasters.mstl(Forecasters.theta(1), 24, 168).fit(s);
        assertTrue(m.description().contains("no seasonal period kept: non-seasonal model alone"), m.description());
        Forecast alone = Forecasters.theta(1).fit(s).forecast(5, 80, 95);
        Forecast f = m.forecast(5, 80, 95);
        assertArrayEquals(alone.mean(), f.mean(), 0.0);
        assertArrayEquals(alone.upper(95), f.upper(95), 0.0);
    }

    @Test
    void fit_tooShortForTheNonSeasonalModel_throwsInsufficientData() {
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Forecasters.mstl(24).fit(TimeSeries.ofValues(1, 2)));
        assertTrue(e.getMessage().contains("needs at least 3 observations, got 2"), e.getMessage());
    }

    @Test
    void factory_badArguments_throw() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Forecasters.mstl());
        assertEquals("periods must name at least one seasonal period, was empty", empty.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Forecasters.mstl(24, 0));
        assertEquals("period must be at least 1, was 0", zero.getMessage());
        assertThrows(NullPointerException.class, () -> Forecasters.mstl(null, 24));
        assertEquals("mstl(24,168)+ets(1)", Forecasters.mstl(168, 24, 24).name());
    }

    @Test
    void update_extendsSeasonalsByLastCycleAndUpdatesAdjustedModel() {
        double[] y = hourly(840);
        TimeSeries head = series(Arrays.copyOf(y, 800));
        double[] tail = Arrays.copyOfRange(y, 800, 840);
        FittedModel fitted = Forecasters.mstl(Forecasters.theta(1), 24, 168).fit(head);
        FittedModel updated = fitted.update(TimeSeries.of(head.end(), head.step(), tail));
        assertEquals(840, updated.history().size());
        assertEquals(series(y), updated.history());

        // The same by hand: seasonal naive continuation of the head's components, the adjusted model's update.
        Mstl.Components c = Mstl.decompose(head.values(), new int[] {24, 168});
        double[] seasonalAhead = new double[40 + 48];
        for (int h = 0; h < seasonalAhead.length; h++) {
            seasonalAhead[h] = c.seasonal[0][800 - 24 + h % 24] + c.seasonal[1][800 - 168 + h % 168];
        }
        double[] adjustedTail = new double[40];
        for (int j = 0; j < 40; j++) {
            adjustedTail[j] = tail[j] - seasonalAhead[j];
        }
        FittedModel adjusted = Forecasters.theta(1).fit(TimeSeries.of(START, head.step(), c.adjusted))
                .update(TimeSeries.of(head.end(), head.step(), adjustedTail));
        Forecast expected = adjusted.forecast(48, 90);
        Forecast actual = updated.forecast(48, 90);
        for (int h = 0; h < 48; h++) {
            assertEquals(expected.mean(h) + seasonalAhead[40 + h], actual.mean(h), 1e-9);
            assertEquals(expected.upper(90)[h] + seasonalAhead[40 + h], actual.upper(90)[h], 1e-9);
        }
    }

    @Test
    void decompose_noPeriod_isRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mstl.decompose(hourly(100), new int[0]));
        assertTrue(e.getMessage().contains("at least one period"), e.getMessage());
    }
}
