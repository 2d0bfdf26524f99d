package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Forecast#quantile} at any probability, not only at the levels a forecast was asked for. */
class ForecastQuantileTest {

    private static final int PERIOD = 24;
    private static final double[] PROBABILITIES = probabilities();

    /** 0.001 to 0.999: the tails beyond a 95% interval, between the levels and inside the narrowest. */
    private static double[] probabilities() {
        List<Double> ps = new ArrayList<>(List.of(1e-6, 0.001, 0.005, 0.01, 0.02, 0.025, 0.03, 0.05, 0.1, 0.15, 0.2,
                0.3, 0.4, 0.45, 0.49, 0.5, 0.51, 0.55, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.975, 0.98, 0.99, 0.995,
                0.999, 1 - 1e-6));
        for (int i = 1; i < 200; i++) {
            ps.add(i / 200.0);
        }
        return ps.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
    }

    static Stream<Arguments> normalLevels() {
        return Stream.of(Arguments.of((Object) new double[] {80, 95}), Arguments.of((Object) new double[] {95}),
                Arguments.of((Object) new double[] {50, 80, 99}), Arguments.of((Object) new double[] {10}));
    }

    /** Bounds at mean ± z sd: the interpolation in z is exact, so every quantile is the normal's own. */
    @ParameterizedTest
    @MethodSource("normalLevels")
    void normalForecast_anyP_isTheAnalyticNormalQuantile(double[] levels) {
        double[] mean = {120, -3.5, 0, 4e3};
        double[] sd = {10, 0.25, 1, 800};
        Forecast.Builder b = Forecast.builder("normal", Instant.EPOCH, Duration.ofHours(1), mean);
        NormalDistribution standard = new NormalDistribution(null, 0, 1);
        for (double level : levels) {
            double z = standard.inverseCumulativeProbability(0.5 + level / 200);
            double[] lo = new double[mean.length];
            double[] hi = new double[mean.length];
            for (int h = 0; h < mean.length; h++) {
                lo[h] = mean[h] - z * sd[h];
                hi[h] = mean[h] + z * sd[h];
            }
            b.interval(level, lo, hi);
        }
        Forecast f = b.build();

        for (int h = 0; h < mean.length; h++) {
            NormalDistribution exact = new NormalDistribution(null, mean[h], sd[h]);
            for (double p : PROBABILITIES) {
                assertEquals(exact.inverseCumulativeProbability(p), f.quantile(p, h), 1e-9 * Math.max(1, sd[h]),
                        "p " + p + " step " + h);
            }
        }
    }

    static Stream<Arguments> modelForecasts() {
        List<Arguments> out = new ArrayList<>();
        List<Forecaster> models = List.of(Forecasters.naive(), Forecasters.holtWinters(PERIOD), Forecasters.ets(PERIOD),
                Forecasters.arima(1, 1, 1), Forecasters.theta(PERIOD),
                // Asymmetric, not normal: back-transformed and censored intervals.
                Forecasters.boxCox(Forecasters.seasonalNaive(PERIOD), 0.3),
                Forecasters.nonNegative(Forecasters.naive()));
        for (Forecaster model : models) {
            for (long seed = 1; seed <= 5; seed++) {
                out.add(Arguments.of(model, seed));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("modelForecasts")
    void modelForecast_isMonotoneInP_andUnchangedAtTheAskedLevels(Forecaster model, long seed) {
        TimeSeries s = Datasets.synthetic(seed, 5 * PERIOD + (int) seed, PERIOD);
        Forecast f = model.fit(s).forecast(PERIOD + 1, 80, 95);

        for (int h = 0; h < f.horizon(); h++) {
            assertEquals(f.upper(80)[h], f.quantile(0.9, h), 0.0, "step " + h);
            assertEquals(f.lower(80)[h], f.quantile(0.1, h), 0.0, "step " + h);
            assertEquals(f.upper(95)[h], f.quantile(0.975, h), 0.0, "step " + h);
            assertEquals(f.lower(95)[h], f.quantile(0.025, h), 0.0, "step " + h);
            assertEquals(f.median()[h], f.quantile(0.5, h), 0.0, "step " + h);
            assertMonotone(f, h);
        }
    }

    /** Nested intervals of random, lopsided widths: still monotone, and each asked bound returned as given. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void lopsidedForecast_isMonotoneInP_andExactAtItsLevels(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int horizon = 6;
        double[] mean = rng.doubles(horizon, -50, 50).toArray();
        double[] levels = rng.doubles(1 + rng.nextInt(4), 1, 99.9).sorted().toArray();
        Forecast.Builder b = Forecast.builder("lopsided", Instant.EPOCH, Duration.ofMinutes(5), mean);
        double[] lo = mean.clone();
        double[] hi = mean.clone();
        for (double level : levels) {
            for (int h = 0; h < horizon; h++) {
                // Some widenings are zero: flat stretches must stay flat, not turn back.
                lo[h] -= rng.nextInt(3) == 0 ? 0 : rng.nextDouble(0, 20);
                hi[h] += rng.nextInt(3) == 0 ? 0 : rng.nextDouble(0, 5);
            }
            b.interval(level, lo.clone(), hi.clone());
        }
        Forecast f = b.build();

        for (int h = 0; h < horizon; h++) {
            assertMonotone(f, h);
            for (double level : f.levels()) {
                assertEquals(f.upper(level)[h], f.quantile(0.5 + level / 200, h), 1e-9, "level " + level);
                assertEquals(f.lower(level)[h], f.quantile(0.5 - level / 200, h), 1e-9, "level " + level);
            }
        }
    }

    /** The README's case: a 90th percentile of a forecast asked for 80% and 95% lies between their upper bounds. */
    @Test
    void betweenTheAskedLevels_liesBetweenTheirBounds() {
        TimeSeries s = Datasets.synthetic(3, 6 * PERIOD, PERIOD);
        Forecast f = Forecasters.holtWinters(PERIOD).fit(s).forecast(48, 80, 95);

        for (int h = 0; h < f.horizon(); h++) {
            double q95 = f.quantile(0.95, h);
            double q05 = f.quantile(0.05, h);
            assertTrue(f.upper(80)[h] < q95 && q95 < f.upper(95)[h], "step " + h);
            assertTrue(f.lower(95)[h] < q05 && q05 < f.lower(80)[h], "step " + h);
        }
    }

    @Test
    void pOutsideTheOpenUnitInterval_isRejected() {
        Forecast f = Forecasters.naive().fit(Datasets.synthetic(1, 50, PERIOD)).forecast(2, 80);

        for (double p : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.quantile(p, 0));
            assertTrue(e.getMessage().contains("p must be in (0, 1)"), e.getMessage());
        }
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class, () -> f.quantile(1e-300, 0));
        assertTrue(tiny.getMessage().contains("too close to 0"), tiny.getMessage());
    }

    @Test
    void stepOutsideTheHorizon_isRejectedNamingTheSteps() {
        Forecast f = Forecasters.naive().fit(Datasets.synthetic(1, 50, PERIOD)).forecast(5, 80);

        for (int h : new int[] {-1, 5, Integer.MAX_VALUE}) {
            for (Executable read : List.<Executable>of(
                    () -> f.mean(h), () -> f.quantile(0.9, h), () -> f.quantile(0.5, h))) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, read);
                assertEquals("step " + h + " is outside this forecast of 5 steps (0 to 4)", e.getMessage());
            }
        }
    }

    @Test
    void seriesTooLargeForItsSpread_failsNamingTheModelAndTheOverflow() {
        double[] huge = new double[50];
        for (int t = 0; t < huge.length; t++) {
            // Steps of 2e308, beyond the largest double: the spread itself overflows, not only its square.
            huge[t] = (t % 2 == 0 ? 1 : -1) * 1e308;
        }
        FittedModel naive = Forecasters.naive().fit(TimeSeries.ofValues(huge));

        ForecastException e = assertThrows(ForecastException.class, () -> naive.forecast(3, 80));
        assertEquals("naive: lower 80.0 at step 0 is -Infinity (the series' values or spread overflow a double)",
                e.getMessage());
    }

    @Test
    void forecastWithoutIntervals_answersOnlyTheMedian() {
        Forecast f = Forecast.builder("point", Instant.EPOCH, Duration.ofHours(1), new double[] {7}).build();

        assertEquals(7, f.quantile(0.5, 0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.quantile(0.9, 0));
        assertTrue(e.getMessage().contains("has none"), e.getMessage());
    }

    private static void assertMonotone(Forecast f, int h) {
        double previous = Double.NEGATIVE_INFINITY;
        for (double p : PROBABILITIES) {
            double q = f.quantile(p, h);
            assertTrue(Double.isFinite(q), "p " + p + " step " + h);
            assertTrue(q >= previous, "quantile falls at p " + p + " step " + h + ": " + q + " < " + previous);
            previous = q;
        }
    }
}
