package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NearTermForecastTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static NearTermForecast fed(double[] values, Duration step, int horizon, List<FleetEvent> events) {
        NearTermForecast f = new NearTermForecast(step, horizon, 5, 1, Duration.ofDays(7));
        for (int i = 0; i < values.length; i++) {
            f.absorb(T0.plus(step.multipliedBy(i)), values[i], events);
        }
        return f;
    }

    @Test
    void quantile_matchesNumpysLinearMethod() {
        // numpy.quantile(np.arange(1, 201), q) (default method 'linear'): 1 + q * 199.
        double[] sorted = new double[200];
        Arrays.setAll(sorted, i -> i + 1);
        for (double q : new double[] {0, 0.5, 0.9, 0.99, 0.999, 1}) {
            assertEquals(1 + q * 199, NearTermForecast.quantile(sorted, q), 1e-12, "q=" + q);
        }
        // Past 1 the line from the median to the largest value goes on: at 1.5, 200 + (200 - 100.5).
        assertEquals(299.5, NearTermForecast.quantile(sorted, 1.5), 1e-12);
    }

    @Test
    void forecast_constantSeries_isExactWithNoMargin() {
        double[] v = new double[3000];
        Arrays.fill(v, 42);
        NearTermForecast f = fed(v, MINUTE, 6, List.of());
        for (int h = 1; h <= 6; h++) {
            double[] pu = f.forecast(h, 0.999, List.of());
            assertEquals(42, pu[0], 1e-12);
            assertEquals(42, pu[1], 1e-12);
        }
    }

    @Test
    void forecast_dailyShapeAtCoarseSteps_choosesTheSeasonalCandidate() {
        // Half-hourly steps: the next step is the day's shape, which the last step does not know.
        Duration step = Duration.ofMinutes(30);
        double[] v = new double[48 * 21];
        Random r = new Random(1);
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + 800 * Math.sin(2 * Math.PI * i / 48) + 10 * r.nextGaussian();
        }
        NearTermForecast f = fed(v, step, 2, List.of());
        assertTrue(f.candidate(1).startsWith("seasonal-change"), f.candidate(1));
        double next = 1000 + 800 * Math.sin(2 * Math.PI * v.length / 48);
        assertEquals(next, f.forecast(1, 0.5, List.of())[0], 40);
    }

    @Test
    void forecast_dailySteps_weeklyChangeIsACandidateThoughTheDailyOneIsNot() {
        // A day per step, two ahead: the daily change (one step) is no candidate, the weekly one (7) is, and a
        // week-shaped series is then forecast exactly.
        Duration day = Duration.ofDays(1);
        double[] week = {120, 130, 125, 140, 150, 60, 40};
        double[] v = new double[7 * 30];
        Arrays.setAll(v, i -> week[i % 7] + 2.0 * (i / 7));
        NearTermForecast f = fed(v, day, 2, List.of());

        assertEquals("seasonal-change(period=7)", f.candidate(1));
        assertEquals("seasonal-change(period=7)", f.candidate(2));
        for (int h = 1; h <= 2; h++) {
            int i = v.length - 1 + h;
            assertEquals(week[i % 7] + 2.0 * (i / 7), f.forecast(h, 0.5, List.of())[0], 1e-9, "h=" + h);
        }
    }

    @Test
    void forecast_longerSeriesThanItKeeps_dropsTheOldestAndForecastsAsBefore() {
        // An hourly series with a day and a week in it, long enough to be cut twice (the values are kept in an
        // array of 4,096 that is cut when full); the weekly change is exact, before a cut, just after it (when
        // the weeks it averages lie in what was kept) and long after.
        java.util.function.IntToDoubleFunction truth = i -> 1000 + 300 * Math.sin(2 * Math.PI * i / 24)
                + (i % 168 >= 120 ? -200 : 0);
        NearTermForecast f = new NearTermForecast(Duration.ofHours(1), 3, 5, 1, Duration.ofDays(7));
        java.util.Set<Integer> checked = java.util.Set.of(4095, 4096, 4097, 4300, 8192, 8193, 10_000);
        for (int i = 0; i < 10_000; i++) {
            if (checked.contains(i)) {
                for (int h = 1; h <= 3; h++) {
                    assertEquals("seasonal-change(period=168)", f.candidate(h), "after " + i);
                    assertEquals(truth.applyAsDouble(i - 1 + h), f.forecast(h, 0.5, List.of())[0], 1e-6,
                            "after " + i + " values, h=" + h);
                }
            }
            f.absorb(T0.plus(Duration.ofHours(i)), truth.applyAsDouble(i), List.of());
        }
    }

    /**
     * The event slope applies when the target step overlaps the event's window widened by 15 minutes on each
     * side, and not a minute beyond; maintenance has none. A ramp of one a minute, ten hours long (too short
     * for a seasonal candidate to have a past), is forecast by the last value, plus the slope of the last
     * five minutes (one a minute) in a window.
     */
    @Test
    void forecast_eventWindowEdges_slopeAddedOnlyWhereTheWidenedWindowOverlapsTheTarget() {
        double[] v = new double[600];
        Arrays.setAll(v, i -> i);
        NearTermForecast f = fed(v, MINUTE, 1, List.of());
        Instant target = T0.plus(MINUTE.multipliedBy(600)); // the step [10:00, 10:01)

        record Window(Instant start, Instant end, EventType type, double point) {
        }
        for (Window w : List.of(
                new Window(target.plus(Duration.ofMinutes(16)), target.plus(Duration.ofHours(1)), EventType.CAMPAIGN, 599),
                new Window(target.plus(Duration.ofMinutes(15)), target.plus(Duration.ofHours(1)), EventType.CAMPAIGN, 600),
                new Window(target.minus(Duration.ofHours(1)), target.minus(Duration.ofMinutes(15)), EventType.NEWS, 599),
                new Window(target.minus(Duration.ofHours(1)), target.minus(Duration.ofMinutes(14)), EventType.NEWS, 600),
                new Window(target, target.plus(Duration.ofHours(1)), EventType.MAINTENANCE, 599))) {
            List<FleetEvent> events = List.of(new FleetEvent("e", w.type(), "e", w.start(), w.end(), List.of(), null));
            assertEquals(w.point(), f.forecast(1, 0.5, events)[0], 1e-9, w.toString());
        }
    }

    /**
     * An event's errors form a pool of their own once it holds 100 of them: a 70-minute event, widened by 15
     * minutes on each side, gives exactly 100 one-minute targets, a 69-minute one 99. Demand is a flat 1,000
     * outside the events and swings by 300 inside, so the event pool's bound is wide and the ordinary one
     * nil; the next event then gets the wide bound only after the first event gave 100 errors.
     */
    @ParameterizedTest
    @ValueSource(ints = {69, 70})
    void forecast_eventPool_usedOnceItHoldsAHundredErrors(int minutes) {
        Instant first = T0.plus(MINUTE.multipliedBy(100));
        Instant second = T0.plus(MINUTE.multipliedBy(400));
        List<FleetEvent> events = List.of(
                new FleetEvent("a", EventType.CAMPAIGN, "a", first, first.plus(MINUTE.multipliedBy(minutes)), List.of(),
                        null),
                new FleetEvent("b", EventType.CAMPAIGN, "b", second, second.plusSeconds(3600), List.of(), null));
        double[] v = new double[385]; // up to the step before the second event's widened window
        for (int i = 0; i < v.length; i++) {
            boolean inWindow = i >= 85 && i < 100 + minutes + 15;
            v[i] = inWindow ? 1000 + (i % 2 == 0 ? 300 : -300) : 1000;
        }
        NearTermForecast f = fed(v, MINUTE, 1, events);

        double[] pu = f.forecast(1, 0.9, events);
        assertEquals(1000, pu[0], 1e-9);
        if (minutes == 70) {
            assertTrue(pu[1] > 1300, "the event pool's bound: " + Arrays.toString(pu));
        } else {
            assertEquals(1000, pu[1], 1e-9, "99 event errors: the ordinary pool's bound");
        }
        assertEquals(1000, f.forecast(1, 0.9, List.of())[1], 1e-9, "no event ahead: the ordinary pool");
    }

    /** Over many seeds, the bound at level p covers about p of the next steps of a stationary series. */
    @ParameterizedTest
    @ValueSource(longs = {3, 4, 5, 6, 7})
    void forecast_bound_coversItsLevelOutOfSample(long seed) {
        Random r = new Random(seed);
        double[] v = new double[6000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 500 + 50 * r.nextGaussian();
        }
        NearTermForecast f = new NearTermForecast(MINUTE, 1, 5, 1, Duration.ofDays(7));
        int covered = 0;
        int scored = 0;
        for (int i = 0; i < v.length; i++) {
            if (i >= 2000) {
                scored++;
                covered += v[i] <= f.forecast(1, 0.9, List.of())[1] ? 1 : 0;
            }
            f.absorb(T0.plus(MINUTE.multipliedBy(i)), v[i], List.of());
        }
        double share = (double) covered / scored;
        assertTrue(share > 0.88 && share < 0.92, "coverage " + share);
    }

    @Test
    void forecast_eventWindow_usesItsOwnPoolAndTheSlope() {
        // Flat 1000 with noise, and every day an hour-long ramp to 3000 at noon, announced in the feed.
        double[] v = new double[1440 * 9];
        Random r = new Random(2);
        List<FleetEvent> events = new java.util.ArrayList<>();
        for (int d = 0; d < 10; d++) {
            Instant noon = T0.plus(Duration.ofDays(d)).plus(Duration.ofHours(12));
            events.add(new FleetEvent("m" + d, EventType.CAMPAIGN, "match", noon, noon.plusSeconds(3600), List.of(), null));
        }
        for (int i = 0; i < v.length; i++) {
            int minute = i % 1440;
            double ramp = minute >= 720 && minute < 780 ? (minute - 720) * 2000 / 60.0 : 0;
            v[i] = 1000 + ramp + 20 * r.nextGaussian();
        }
        NearTermForecast f = fed(Arrays.copyOf(v, 8 * 1440 + 740), MINUTE, 6, events);
        // Twenty minutes into the ramp: the slope carries the forecast up, the event pool's margin is wider.
        double[] inEvent = f.forecast(6, 0.99, events);
        double truth = v[8 * 1440 + 740 + 5];
        assertTrue(inEvent[0] > v[8 * 1440 + 739] + 100, Arrays.toString(inEvent));
        assertTrue(inEvent[1] >= truth, Arrays.toString(inEvent) + " vs " + truth);
        double[] withoutFeed = f.forecast(6, 0.99, List.of());
        assertTrue(withoutFeed[1] < inEvent[1], Arrays.toString(withoutFeed));
    }

    @Test
    void readyCapacity_shareOfStepShort_fromReadyTimesAndEnds() {
        ReadyCapacity ready = new ReadyCapacity();
        Offer offer = new Offer("a", "f", "r", 2, 4, 1, 0, 1, OptionalDouble.empty(), 0, Duration.ofMinutes(5));
        Instant t = T0;
        Instance booted = instance("i-1", t.minusSeconds(600), t.minusSeconds(300));
        Instance booting = instance("i-2", t, t.plusSeconds(300));
        ready.observe(t, List.of(booted, booting), i -> "web", () -> List.of(offer));
        // Demand of 3 cores over [t, t + 10m): 2 cores ready for 5 minutes, then 4.
        assertEquals(0.5, ready.shortShare("web", Map.of(ResourceType.CPU, 3.0), t, t.plusSeconds(600)), 1e-12);
        // The booted instance ends at t + 10m: the next 10 minutes have 2 cores.
        ready.observe(t.plusSeconds(600), List.of(booting), i -> "web", () -> List.of(offer));
        assertEquals(1.0, ready.shortShare("web", Map.of(ResourceType.CPU, 3.0), t.plusSeconds(600),
                t.plusSeconds(1200)), 1e-12);
        assertEquals(0.0, ready.shortShare("web", Map.of(ResourceType.CPU, 2.0), t.plusSeconds(1200),
                t.plusSeconds(1800)), 1e-12);
        // An instance released before it became ready never served.
        Instance never = instance("i-3", t.plusSeconds(1800), t.plusSeconds(2100));
        ready.observe(t.plusSeconds(1800), List.of(booting, never), i -> "web", () -> List.of(offer));
        ready.observe(t.plusSeconds(1860), List.of(booting), i -> "web", () -> List.of(offer));
        assertEquals(1.0, ready.shortShare("web", Map.of(ResourceType.CPU, 3.0), t.plusSeconds(1800),
                t.plusSeconds(2400)), 1e-12);
    }

    private static Instance instance(String id, Instant launched, Instant readyAt) {
        return new Instance(id, "a", "r", PurchaseOption.ON_DEMAND,
                readyAt.isAfter(launched) ? InstanceState.PENDING : InstanceState.RUNNING, launched, readyAt, "k-" + id,
                Map.of(), Map.of(), 1);
    }
}
