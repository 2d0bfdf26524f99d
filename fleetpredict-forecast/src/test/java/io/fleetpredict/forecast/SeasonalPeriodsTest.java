package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeasonalPeriodsTest {

    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    /** Level 100, a slope, a daily and a weekly cycle of the given amplitudes, and unit Gaussian noise. */
    private static TimeSeries series(Duration step, int n, double slope, double daily, double weekly, long seed) {
        Random r = new Random(seed);
        double perDay = Duration.ofDays(1).toNanos() / (double) step.toNanos();
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = 100 + slope * t + daily * Math.sin(2 * Math.PI * t / perDay)
                    + weekly * Math.cos(2 * Math.PI * t / (7 * perDay)) + r.nextGaussian();
        }
        return TimeSeries.of(START, step, v);
    }

    @Test
    void candidates_followTheStep() {
        assertEquals(List.of(288, 2016), SeasonalPeriods.candidates(Duration.ofMinutes(5)));
        assertEquals(List.of(96, 672), SeasonalPeriods.candidates(Duration.ofMinutes(15)));
        assertEquals(List.of(48, 336), SeasonalPeriods.candidates(Duration.ofMinutes(30)));
        assertEquals(List.of(24, 168), SeasonalPeriods.candidates(Duration.ofHours(1)));
        assertEquals(List.of(7, 365), SeasonalPeriods.candidates(Duration.ofDays(1)));
        assertEquals(List.of(52), SeasonalPeriods.candidates(Duration.ofDays(7)));
        assertEquals(List.of(12), SeasonalPeriods.candidates(Duration.ofDays(30)));
        assertEquals(List.of(4), SeasonalPeriods.candidates(Duration.ofDays(91)));
        assertEquals(List.of(), SeasonalPeriods.candidates(Duration.ofMinutes(11)));
        assertEquals(List.of(), SeasonalPeriods.candidates(Duration.ofDays(3)));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void detect_hourlyDailyAndWeekly_findsBoth(long seed) {
        SeasonalPeriods p = SeasonalPeriods.detect(series(Duration.ofHours(1), 8 * 168, 0.02, 10, 6, seed));
        assertEquals(List.of(24, 168), p.periods(), p.description());
        assertTrue(p.description().contains("step PT1H: 24 kept, 168 kept"), p.description());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void detect_hourlyDailyOnlyOnATrend_keepsTheDayAlone(long seed) {
        SeasonalPeriods p = SeasonalPeriods.detect(series(Duration.ofHours(1), 8 * 168, 0.5, 10, 0, seed));
        assertEquals(List.of(24), p.periods(), p.description());
        assertTrue(p.description().contains("168 not kept: the autocorrelation at lag 168, "), p.description());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void detect_noise_findsNothing(long seed) {
        SeasonalPeriods p = SeasonalPeriods.detect(series(Duration.ofHours(1), 8 * 168, 0, 0, 0, seed));
        assertEquals(List.of(), p.periods(), p.description());
        assertEquals(1, p.orNone().length);
    }

    /**
     * A 7-hour cycle correlates at lag 24 (three hours out of phase) at about -0.6: another cycle, not a day.
     * It does repeat every week (168 = 24 x 7), which is kept.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void detect_sevenHourCycle_isNotTakenForADayByItsNegativeCorrelation(long seed) {
        Random r = new Random(seed);
        double[] v = new double[8 * 168];
        for (int t = 0; t < v.length; t++) {
            v[t] = 100 + 10 * Math.sin(2 * Math.PI * t / 7) + r.nextGaussian();
        }
        SeasonalPeriods p = SeasonalPeriods.detect(TimeSeries.of(START, Duration.ofHours(1), v));
        assertEquals(List.of(168), p.periods(), p.description());
        assertTrue(p.description().matches(".*24 not kept: the autocorrelation at lag 24, -0\\.[0-9]+, is not above .*, 168 kept"),
                p.description());
    }

    @Test
    void detect_twoWeeksOfQuarterHours_keepsTheDayAndSaysTheWeekIsTooLong() {
        SeasonalPeriods p = SeasonalPeriods.detect(series(Duration.ofMinutes(15), 14 * 96, 0, 10, 6, 7));
        assertEquals(List.of(96), p.periods(), p.description());
        assertTrue(p.description().contains("672 not kept: 1344 observations are not more than three cycles"),
                p.description());
    }

    @Test
    void detect_stepWithoutSeason_saysSo() {
        SeasonalPeriods p = SeasonalPeriods.detect(series(Duration.ofMinutes(11), 500, 0, 10, 0, 1));
        assertEquals(List.of(), p.periods());
        assertEquals("no seasonal period to try for the step PT11M", p.description());
    }

    @Test
    void record_rejectsUnorderedOrShortPeriods() {
        assertThrows(IllegalArgumentException.class, () -> new SeasonalPeriods(List.of(168, 24), "x"));
        assertThrows(IllegalArgumentException.class, () -> new SeasonalPeriods(List.of(1), "x"));
        assertThrows(NullPointerException.class, () -> SeasonalPeriods.detect(null));
    }

    @Test
    void auto_withoutPeriods_usesThePeriodsFoundAndSaysSo() {
        TimeSeries s = series(Duration.ofMinutes(15), 8 * 96, 0, 10, 0, 3);
        FittedModel m = Forecasters.auto(CrossValidation.of(24)).fit(s);
        assertEquals("auto", m.forecaster().name());
        assertTrue(m.description().startsWith("periods 96 found; auto(96): "), m.description());
        assertTrue(m.parameters().containsKey("cv.snaive(96)"), m.parameters().toString());
        assertTrue(m.notes().get(0).startsWith("seasonal periods tried for the step PT15M: 96 kept"), m.notes().toString());
        // The daily cycle is forecast: the mean follows the sine a quarter of a day ahead.
        Forecast f = m.forecast(96, 95);
        assertTrue(f.mean(24) - f.mean(72) > 12, f.mean(24) + " " + f.mean(72));
    }

    @Test
    void candidates_monthAndQuarter_includeTheirShortestAndLongestSteps() {
        assertEquals(List.of(12), SeasonalPeriods.candidates(Duration.ofDays(28)));
        assertEquals(List.of(12), SeasonalPeriods.candidates(Duration.ofDays(31)));
        assertEquals(List.of(4), SeasonalPeriods.candidates(Duration.ofDays(89)));
        assertEquals(List.of(4), SeasonalPeriods.candidates(Duration.ofDays(92)));
        assertEquals(List.of(), SeasonalPeriods.candidates(Duration.ofDays(27)));
        assertEquals(List.of(), SeasonalPeriods.candidates(Duration.ofDays(32)));
        assertEquals(List.of(), SeasonalPeriods.candidates(Duration.ofDays(88)));
        assertEquals(List.of(), SeasonalPeriods.candidates(Duration.ofDays(93)));
    }

    @Test
    void detect_exactlyThreeCycles_isNotEnough_oneMoreValueIsTried() {
        SeasonalPeriods three = SeasonalPeriods.detect(series(Duration.ofHours(1), 72, 0, 10, 0, 2));
        assertEquals(List.of(), three.periods(), three.description());
        assertTrue(three.description().contains("24 not kept: 72 observations are not more than three cycles"),
                three.description());
        // One value more and the day is tried (too few values remain after detrending for its correlation to
        // be significant, which is another reason).
        SeasonalPeriods more = SeasonalPeriods.detect(series(Duration.ofHours(1), 73, 0, 10, 0, 2));
        assertTrue(more.description().contains("24 not kept: the autocorrelation at lag 24, "), more.description());
        assertFalse(more.description().contains("24 not kept: 73 observations"), more.description());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void detect_fourCyclesOfAClearDailySine_findsTheDay(long seed) {
        // Amplitude 6 on noise of sd 1: the lag-24 autocorrelation of the detrended series is about 0.7, against a
        // bound that Bartlett's large-sample variance would have put about as high.
        SeasonalPeriods p = SeasonalPeriods.detect(series(Duration.ofHours(1), 96, 0, 6, 0, seed));
        assertEquals(List.of(24), p.periods(), p.description());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void detect_fourCyclesOfNoise_findsNothingAndGivesTheCorrelationAndItsBound(long seed) {
        SeasonalPeriods p = SeasonalPeriods.detect(series(Duration.ofHours(1), 96, 0, 0, 0, seed));
        assertEquals(List.of(), p.periods(), p.description());
        assertTrue(p.description().matches(".*24 not kept: the autocorrelation at lag 24, -?[0-9.]+, is not above its 90% "
                + "bound [0-9.]+ over 72 detrended values.*"), p.description());
    }

    @Test
    void record_takesTwoAsAPeriod_andRejectsRepeatsAndNulls() {
        assertEquals(List.of(2, 3), new SeasonalPeriods(List.of(2, 3), "x").periods());
        assertThrows(IllegalArgumentException.class, () -> new SeasonalPeriods(List.of(24, 24), "x"));
        NullPointerException e = assertThrows(NullPointerException.class, () -> new SeasonalPeriods(List.of(), null));
        assertEquals("description", e.getMessage());
        assertEquals("periods", assertThrows(NullPointerException.class, () -> new SeasonalPeriods(null, "x"))
                .getMessage());
    }

    @Test
    void auto_withExtraCandidatesAndNoPeriods_isNamedAfterThem() {
        Forecaster f = Forecasters.auto(CrossValidation.of(12), List.of(Forecasters.naive(), Forecasters.theta(1)));
        assertEquals("auto+naive+" + Forecasters.theta(1).name(), f.name());
        assertEquals(f.name(), f.toString());
    }

    /**
     * Without a plan the horizon is two of the first period found, or 8 when none is found, as
     * {@link Forecasters#auto(int...)} chooses it for given periods: the cross-validation scores are those
     * of that plan.
     */
    @Test
    void auto_withoutAPlan_crossValidatesOverTwoOfThePeriodFound() {
        TimeSeries daily = series(Duration.ofHours(1), 120, 0, 10, 0, 4);
        FittedModel found = Forecasters.auto().fit(daily);
        assertTrue(found.description().startsWith("periods 24 found; "), found.description());
        assertEquals(found.description(), found.toString());
        assertEquals(Forecasters.auto(CrossValidation.of(48)).fit(daily).parameters(), found.parameters());
        TimeSeries noise = series(Duration.ofHours(1), 60, 0, 0, 0, 4);
        FittedModel none = Forecasters.auto().fit(noise);
        assertTrue(none.description().startsWith("no seasonal period found; "), none.description());
        assertEquals(Forecasters.auto(CrossValidation.of(8)).fit(noise).parameters(), none.parameters());
    }
}
