package io.fleetpredict.core.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ShortHorizonTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static Replay replay(double[] values, double perInstance, Duration warmUp) {
        return Replay.builder().trace(TimeSeries.of(T0, MINUTE, values)).perInstance(perInstance)
                .bootTime(Duration.ofMinutes(5)).pricePerHour(1).warmUp(warmUp).build();
    }

    @Test
    void quantiles_matchLinearInterpolationOfTheSortedValues() {
        // numpy.quantile(np.arange(1, 201), q), numpy's default linear method: 1 + q * 199, such as 100.5 and 198.01.
        double[] v = new double[200];
        for (int i = 0; i < v.length; i++) {
            v[(i * 37) % 200] = i + 1; // shuffled: the function sorts
        }
        double[] q = StepForecast.quantiles(v, v.length, StepForecast.MIN_ERRORS);
        for (int i = 0; i < q.length; i++) {
            assertEquals(1 + StepForecast.QUANTILES[i] * 199, q[i], 1e-9, "quantile " + StepForecast.QUANTILES[i]);
        }
        assertEquals(100.5, q[0], 1e-12);
        assertEquals(198.01, q[5], 1e-9);
    }

    @Test
    void quantiles_tooFewErrors_areUnknown() {
        double[] q = StepForecast.quantiles(new double[StepForecast.MIN_ERRORS - 1], StepForecast.MIN_ERRORS - 1,
                StepForecast.MIN_ERRORS);
        assertTrue(Double.isNaN(q[0]));
        assertTrue(Double.isNaN(StepForecast.quantiles(new double[0], 0, 0)[0]));
        assertEquals(7, StepForecast.quantiles(new double[] {7}, 1, 1)[8]);
    }

    @Test
    void coarseSteps_aWarmUpOfFewErrors_stillGivesAMargin() {
        // 6-hour steps: the 7-day warm-up holds 28 steps, far fewer than an event pool needs.
        Random random = new Random(5);
        double[] v = new double[240];
        for (int i = 0; i < v.length; i++) {
            v[i] = 10_000 * (1 + 0.1 * random.nextGaussian());
        }
        Replay r = Replay.builder().trace(TimeSeries.of(T0, Duration.ofHours(6), v)).perInstance(100)
                .bootTime(Duration.ofMinutes(5)).pricePerHour(1).warmUp(Duration.ofDays(7)).build();
        Scores s = r.run(Policies.shortHorizon(StepForecast.builder().build(), 0.9)).scores();
        // With no margin the last step would be exceeded about half the time.
        assertTrue(s.violationShare() < 0.15, s.toString());
    }

    @Test
    void shortHorizon_unknownQuantile_isRefused() {
        StepForecast f = StepForecast.builder().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policies.shortHorizon(f, 0.97));
        assertTrue(e.getMessage().contains("0.97"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepForecast.builder().window(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> StepForecast.builder().refresh(Duration.ofHours(-1)));
    }

    @Test
    void constantDemand_errorsAreZero_fleetIsExactlyTheDemand() {
        double[] v = new double[600];
        java.util.Arrays.fill(v, 2500);
        Replay r = replay(v, 1000, Duration.ofMinutes(300));
        ReplayResult result = r.run(Policies.shortHorizon(StepForecast.builder().build(), 0.999));
        for (int a : result.activeInstances()) {
            assertEquals(3, a);
        }
        assertEquals(0, result.scores().violationMinutes());
    }

    /** Flat at 10,000, then in the event window a ramp of +500 per minute for 40 minutes, then flat; every day. */
    private static double[] dailyRamps(int days) {
        double[] v = new double[days * 1440];
        for (int i = 0; i < v.length; i++) {
            int m = i % 1440;
            int k = m - 600;
            v[i] = 10_000 + 500 * Math.max(0, Math.min(40, k));
        }
        return v;
    }

    @Test
    void rampsInsideEventWindows_slopeFollowsThem_andTheFlatHoursStayCheap() {
        double[] v = dailyRamps(4);
        List<FleetEvent> schedule = new java.util.ArrayList<>();
        for (int d = 0; d < 4; d++) {
            schedule.add(ReplayTest.event("ramp" + d, T0.plus(Duration.ofDays(d)).plus(Duration.ofMinutes(600)), 1));
        }
        Replay r = replay(v, 1000, Duration.ofDays(2));
        Scores withEvents = r.run(Policies.shortHorizon(StepForecast.builder().events(schedule).build(), 0.999)).scores();
        Scores without = r.run(Policies.shortHorizon(StepForecast.builder().build(), 0.999)).scores();
        assertEquals(0, withEvents.violationMinutes(), withEvents.toString());
        assertEquals(0, without.violationMinutes(), without.toString());
        // Without the schedule the ramps' errors widen the quantile of every minute; with it they stay in
        // the event pool, where the slope takes most of the ramp, and the flat hours need no margin.
        assertTrue(withEvents.cost() < 0.8 * without.cost(), withEvents + " vs " + without);
    }

    @Test
    void lowLoad_errorsInInstances_notInRatiosOfTinyDemand() {
        // Alternating 1 and 900 requests: a ratio error of 900x, yet one instance (1,000) always serves it.
        double[] v = new double[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 2 == 0 ? 1 : 900;
        }
        ReplayResult result = replay(v, 1000, Duration.ofMinutes(1440))
                .run(Policies.shortHorizon(StepForecast.builder().build(), 0.999));
        assertEquals(0, result.scores().violationMinutes());
        for (int a : result.activeInstances()) {
            assertEquals(1, a);
        }
    }

    /** Stationary noise around 20,000 with a 2% standard deviation per minute, seeded. */
    private static double[] noise(long seed, int n) {
        Random random = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 20_000 * (1 + 0.02 * random.nextGaussian());
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void stationaryNoise_violationsStayUnderTheQuantilesTail_andAHigherQuantileCostsMore(long seed) {
        Replay r = replay(noise(seed, 4 * 1440), 1000, Duration.ofDays(1));
        StepForecast f = StepForecast.builder().build();
        double previousCost = 0;
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            Scores s = r.run(Policies.shortHorizon(f, q)).scores();
            // The fleet covers the upper quantile of every step until a relaunch is ready, so a step's demand
            // exceeds it less often than 1 - q.
            assertTrue(s.violationShare() <= 1 - q, q + ": " + s);
            assertTrue(s.cost() >= previousCost, q + ": " + s);
            previousCost = s.cost();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void poisonedFuture_seededTracesAndSchedules_sameDecisionsUpToTheCut(long seed) {
        Random random = new Random(seed);
        int n = 3 * 1440;
        double[] truth = new double[n];
        double level = 5_000 + 20_000 * random.nextDouble();
        for (int i = 0; i < n; i++) {
            level = Math.max(100, level * (1 + 0.01 * random.nextGaussian()));
            truth[i] = random.nextDouble() < 0.002 ? level * (2 + 8 * random.nextDouble()) : level;
        }
        List<FleetEvent> schedule = new java.util.ArrayList<>();
        for (int k = 0; k < 6; k++) {
            Instant start = T0.plus(Duration.ofMinutes(random.nextInt(n)));
            schedule.add(ReplayTest.event("e" + k, start, 1 + random.nextInt(2)));
        }
        int cut = 1440 + 60 + random.nextInt(n - 1440 - 120);
        double[] poisoned = truth.clone();
        for (int i = cut; i < n; i++) {
            poisoned[i] = 1e9;
        }
        Replay a = replay(truth, 1000, Duration.ofDays(1));
        Replay b = replay(poisoned, 1000, Duration.ofDays(1));
        int decisions = cut - 1440 + 1; // the decision at the cut's own step sees only earlier steps
        for (double q : new double[] {0.9, 0.999}) {
            ProvisioningPolicy withEvents = Policies.shortHorizon(StepForecast.builder().events(schedule).build(), q);
            ProvisioningPolicy plain = Policies.shortHorizon(StepForecast.builder().build(), q);
            for (ProvisioningPolicy p : List.of(withEvents, plain)) {
                List<Integer> x = ReplayTest.answers(a, p);
                List<Integer> y = ReplayTest.answers(b, p);
                assertEquals(x.subList(0, decisions), y.subList(0, decisions), p.name() + " seed " + seed);
                assertTrue(!x.equals(y), p.name() + " never saw the poisoned future");
            }
        }
    }

    @Test
    void maintenanceEvents_changeCapacityNotDemand_soBothForecastsIgnoreThem() {
        double[] v = dailyRamps(4);
        List<FleetEvent> maintenance = new java.util.ArrayList<>();
        for (int d = 0; d < 4; d++) {
            Instant at = T0.plus(Duration.ofDays(d)).plus(Duration.ofMinutes(600));
            maintenance.add(new FleetEvent("m" + d, io.fleetpredict.core.document.EventType.MAINTENANCE, "patching", at,
                    at.plus(Duration.ofHours(1)), List.of(), null));
        }
        Replay r = replay(v, 1000, Duration.ofDays(2));
        assertEquals(ReplayTest.answers(r, Policies.shortHorizon(StepForecast.builder().build(), 0.999)),
                ReplayTest.answers(r, Policies.shortHorizon(StepForecast.builder().events(maintenance).build(), 0.999)));
        assertEquals(ReplayTest.answers(r, Policies.predictive(TraceForecast.builder().build(), 0.95, 0)),
                ReplayTest.answers(r, Policies.predictive(TraceForecast.builder().events(maintenance).build(), 0.95, 0)));
    }

    @Test
    void sharedForecast_givesTheSameAnswersAsAFreshOne() {
        Replay r = replay(noise(9, 2 * 1440), 1000, Duration.ofDays(1));
        StepForecast shared = StepForecast.builder().build();
        r.run(Policies.shortHorizon(shared, 0.9));
        int[] again = r.run(Policies.shortHorizon(shared, 0.99)).activeInstances();
        int[] fresh = r.run(Policies.shortHorizon(StepForecast.builder().build(), 0.99)).activeInstances();
        assertArrayEquals(fresh, again);
    }
}
