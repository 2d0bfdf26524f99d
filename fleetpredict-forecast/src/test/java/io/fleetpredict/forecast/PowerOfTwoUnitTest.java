package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every named model forecasts a series in any unit that is a power of two, from near the smallest double to near the
 * largest: the series multiplied by {@code 2^k} gets the forecast of the series itself multiplied by {@code 2^k},
 * exactly, which the models' arithmetic alone could not give (sums of squares overflow near the largest double,
 * variances underflow near the smallest). Series of an ordinary size are forecast bit for bit as before.
 */
class PowerOfTwoUnitTest {

    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final int PERIOD = 12;
    private static final int HORIZON = 12;
    private static final double[] LEVELS = {80, 95};
    private static final Map<String, Forecast> REFERENCES = new HashMap<>();

    static Stream<Arguments> scaledCases() {
        List<Arguments> cases = new ArrayList<>();
        for (String name : Forecasters.names()) {
            for (String shape : new String[] {"walk", "seasonal", "trend"}) {
                for (int k : new int[] {-1000, -500, 0, 500, 1000}) {
                    cases.add(Arguments.of(name, shape, k));
                }
            }
        }
        return cases.stream();
    }

    /** Seeded series between about 1 and 2^24, so that times 2^1000 and 2^-1000 they are still normal doubles. */
    static double[] series(String shape, long seed, int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        double level = 1000;
        for (int t = 0; t < n; t++) {
            switch (shape) {
                case "walk" -> {
                    level += 10 * r.nextGaussian();
                    v[t] = level;
                }
                case "seasonal" -> v[t] = 500 + 100 * Math.sin(2 * Math.PI * t / PERIOD) + 20 * r.nextGaussian();
                default -> v[t] = 100 + 3 * t + 15 * r.nextGaussian();
            }
        }
        return v;
    }

    private static TimeSeries hourly(double[] v) {
        return TimeSeries.of(START, Duration.ofHours(1), v);
    }

    private static double[] times(double[] v, int k) {
        double[] s = new double[v.length];
        for (int t = 0; t < v.length; t++) {
            s[t] = Math.scalb(v[t], k);
        }
        return s;
    }

    private static Forecast forecast(String name, double[] values) {
        return Forecasters.byName(name, PERIOD).fit(hourly(values)).forecast(HORIZON, LEVELS);
    }

    @ParameterizedTest(name = "{0}, {1} x 2^{2}")
    @MethodSource("scaledCases")
    void seriesTimesAPowerOfTwo_forecastIsTheSeriesForecastTimesThatPower(String name, String shape, int k) {
        double[] base = series(shape, 11, 72);
        Forecast reference = REFERENCES.computeIfAbsent(name + " " + shape, key -> forecast(name, base));
        FittedModel fitted = Forecasters.byName(name, PERIOD).fit(hourly(times(base, k)));
        Forecast f = fitted.forecast(HORIZON, LEVELS);
        assertScaled(reference, f, k, name + " " + shape + " x 2^" + k + ": " + fitted.description());
        assertArrayEquals(times(base, k), fitted.history().values(), "history");
    }

    /** Figure by figure, {@code f} is {@code reference} times {@code 2^k}, exactly, and finite. */
    private static void assertScaled(Forecast reference, Forecast f, int k, String where) {
        assertArrayEquals(times(reference.mean(), k), f.mean(), where + ": mean");
        assertArrayEquals(times(reference.median(), k), f.median(), where + ": median");
        assertArrayEquals(reference.levels(), f.levels(), where + ": levels");
        for (double level : reference.levels()) {
            assertArrayEquals(times(reference.lower(level), k), f.lower(level), where + ": lower " + level);
            assertArrayEquals(times(reference.upper(level), k), f.upper(level), where + ": upper " + level);
        }
        for (int h = 0; h < f.horizon(); h++) {
            assertTrue(Double.isFinite(f.quantile(0.01, h)) && Double.isFinite(f.quantile(0.99, h)), where);
        }
    }

    /** A random walk around a quarter of the largest double: every model's sums of its squares overflow. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void randomWalkAroundAQuarterOfTheLargestDouble_forecastAsInASmallerUnit(String name) {
        Random r = new Random(3);
        double[] base = new double[72];
        double level = 0x1p22;
        for (int t = 0; t < base.length; t++) {
            level += 0x1p15 * r.nextGaussian();
            base[t] = level;
        }
        double[] large = times(base, 1000);
        assertTrue(large[0] > Double.MAX_VALUE / 8 && large[0] < Double.MAX_VALUE / 2, "around MAX/4: " + large[0]);
        FittedModel fitted = Forecasters.byName(name, PERIOD).fit(hourly(large));
        assertScaled(forecast(name, base), fitted.forecast(HORIZON, LEVELS), 1000, name + ": " + fitted.description());
    }

    /**
     * Seasonal values of about 1e-310, subnormal doubles: fitted in a unit of 2^-1000, where their differences and
     * variances do not underflow to zero, so the intervals keep their width.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void subnormalSeasonalValues_forecastAsInALargerUnit(String name) {
        double[] tiny = times(series("seasonal", 5, 72), -1040);
        assertTrue(tiny[0] < Double.MIN_NORMAL && tiny[0] > 0, "subnormal: " + tiny[0]);
        FittedModel fitted = Forecasters.byName(name, PERIOD).fit(hourly(tiny));
        Forecast f = fitted.forecast(HORIZON, LEVELS);
        // Multiplying a subnormal by 2^1000 is exact, so this is the same series in the unit it is fitted in.
        assertScaled(forecast(name, times(tiny, 1000)), f, -1000, name + ": " + fitted.description());
        assertTrue(f.upper(95)[HORIZON - 1] > f.lower(95)[HORIZON - 1], name + ": the intervals have a width");
    }

    static Stream<String> names() {
        return Forecasters.names().stream();
    }

    @Test
    void exponent_ordinaryValuesKeepTheirUnit_othersMoveByMultiplesOf250() {
        assertEquals(0, PowerOfTwoUnit.exponent(new double[] {0x1p-125, 3}));
        assertEquals(0, PowerOfTwoUnit.exponent(new double[] {-0x1.fffffp124}));
        assertEquals(0, PowerOfTwoUnit.exponent(new double[] {0, 0}));
        assertEquals(0, PowerOfTwoUnit.exponent(new double[0]));
        assertEquals(250, PowerOfTwoUnit.exponent(new double[] {0x1p125}));
        assertEquals(-250, PowerOfTwoUnit.exponent(new double[] {0x1.fffp-126}));
        assertEquals(1000, PowerOfTwoUnit.exponent(new double[] {1, Double.MAX_VALUE}));
        assertEquals(-1000, PowerOfTwoUnit.exponent(new double[] {Double.MIN_VALUE}));
        assertEquals(-1000, PowerOfTwoUnit.exponent(new double[] {1e-310, -2e-310}));
    }

    @Test
    void parameters_inTheSeriesUnit() {
        double[] base = series("walk", 11, 72);
        FittedModel small = Forecasters.naive().fit(hourly(base));
        FittedModel large = Forecasters.naive().fit(hourly(times(base, 500)));
        assertEquals(Math.scalb(small.parameters().get("sigma"), 500), large.parameters().get("sigma"));
        FittedModel theta = Forecasters.theta(1).fit(hourly(base));
        FittedModel thetaLarge = Forecasters.theta(1).fit(hourly(times(base, 500)));
        assertEquals(theta.parameters().get("alpha"), thetaLarge.parameters().get("alpha"));
        assertEquals(Math.scalb(theta.parameters().get("level"), 500), thetaLarge.parameters().get("level"));
        assertEquals(Math.scalb(theta.parameters().get("sigma2"), 1000), thetaLarge.parameters().get("sigma2"));
        assertTrue(thetaLarge.description().endsWith("fitted in a unit of 2^500"), thetaLarge.description());
        FittedModel arima = Forecasters.arima(1, 1, 0).fit(hourly(base));
        FittedModel arimaSmall = Forecasters.arima(1, 1, 0).fit(hourly(times(base, -500)));
        assertEquals(arima.parameters().get("ar1"), arimaSmall.parameters().get("ar1"));
        assertEquals(Math.scalb(arima.parameters().get("sigma2"), -1000), arimaSmall.parameters().get("sigma2"));
        // The likelihood of 71 differences, each density 2^500 times its own in the unit 2^-500.
        double shift = 71 * -500 * Math.log(2);
        assertEquals(arima.parameters().get("loglik") - shift, arimaSmall.parameters().get("loglik"), 1e-9);
        for (String criterion : List.of("aic", "aicc", "bic")) {
            assertEquals(arima.parameters().get(criterion) + 2 * shift, arimaSmall.parameters().get(criterion), 1e-9,
                    criterion);
        }
    }

    /**
     * The likelihoods stated in the series' unit are those the models compute in it where they can: in a unit 2^10
     * times larger, where the arithmetic does not overflow, they move by as much (up to where the optimiser stops).
     */
    @Test
    void likelihoods_inALargeUnit_moveAsInAnOrdinaryOne() {
        double[] base = series("seasonal", 4, 72);
        for (Forecaster f : List.of(Forecasters.ets("ANN", 1), Forecasters.ets("MNA", PERIOD), Forecasters.arima(1, 1, 1),
                Forecasters.mstl(PERIOD), Forecasters.fourierArima(PERIOD))) {
            Map<String, Double> p = f.fit(hourly(base)).parameters();
            Map<String, Double> ordinary = f.fit(hourly(times(base, 10))).parameters();
            Map<String, Double> huge = f.fit(hourly(times(base, 1000))).parameters();
            int likelihoods = 0;
            for (Map.Entry<String, Double> e : p.entrySet()) {
                if (e.getKey().matches(".*(loglik|aic|aicc|bic)")) {
                    double perTen = ordinary.get(e.getKey()) - e.getValue();
                    assertEquals(100 * perTen, huge.get(e.getKey()) - e.getValue(), 1e-4 * Math.abs(100 * perTen),
                            f.name() + " " + e.getKey());
                    likelihoods++;
                }
            }
            assertTrue(likelihoods > 0, f.name() + " " + p);
        }
    }

    @Test
    void update_newValuesInTheSeriesUnit_sameAsTheSeriesUpdatedInAnOrdinaryUnit() {
        double[] base = series("seasonal", 2, 84);
        for (String name : List.of("ets", "auto-arima", "theta", "naive")) {
            FittedModel small = Forecasters.byName(name, PERIOD).fit(hourly(base).head(72));
            FittedModel large = Forecasters.byName(name, PERIOD).fit(hourly(times(base, 1000)).head(72));
            TimeSeries next = hourly(base).slice(72, 84);
            Forecast updated = large.update(PowerOfTwoUnit.scaled(next, 1000)).forecast(HORIZON, LEVELS);
            assertScaled(small.update(next).forecast(HORIZON, LEVELS), updated, 1000, name);
        }
    }

    /**
     * Box-Cox transforms the values in the unit they are fitted in, so Guerrero's lambda and the model after it are
     * those of the series in an ordinary unit; the domain is checked, and a value outside it named, as given.
     */
    @Test
    void boxCox_valuesNearTheLargestDouble_transformedInTheirFittingUnit() {
        double[] base = series("seasonal", 6, 72);
        Forecaster f = Forecasters.boxCoxGuerrero(Forecasters.ets(1), PERIOD);
        FittedModel small = f.fit(hourly(base));
        FittedModel large = f.fit(hourly(times(base, 1000)));
        assertEquals(small.parameters().get("lambda"), large.parameters().get("lambda"));
        assertScaled(small.forecast(HORIZON, LEVELS), large.forecast(HORIZON, LEVELS), 1000, large.description());
        double[] negative = times(base, 1000);
        negative[5] = -Double.MAX_VALUE / 3;
        ModelFitException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFitException.class,
                () -> Forecasters.boxCox(Forecasters.naive(), 0).fit(hourly(negative)));
        assertTrue(e.getMessage().contains("value " + (-Double.MAX_VALUE / 3) + " at index 5"), e.getMessage());
    }

    /**
     * Forecasts of series of an ordinary size, recorded before models were fitted in a unit of their own: the first
     * point forecast, and a hash of the bits of every point forecast, median and bound of the 80% and 95% intervals.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("recorded")
    void ordinarySeries_forecastBitForBitAsRecorded(String shape, String name, String first, long hash) {
        Forecast f = forecast(name, series(shape, 7, 96));
        assertEquals(first, Double.toHexString(f.mean(0)), shape + " " + name);
        assertEquals(hash, hash(f), shape + " " + name);
    }

    private static long hash(Forecast f) {
        long h = 1125899906842597L;
        for (int i = 0; i < f.horizon(); i++) {
            h = 31 * h + Double.doubleToLongBits(f.mean(i));
            h = 31 * h + Double.doubleToLongBits(f.median()[i]);
            for (double level : f.levels()) {
                h = 31 * h + Double.doubleToLongBits(f.lower(level)[i]);
                h = 31 * h + Double.doubleToLongBits(f.upper(level)[i]);
            }
        }
        return h;
    }

    static Stream<Arguments> recorded() {
        return Stream.of(
                Arguments.of("seasonal", "auto", "0x1.f2e966b267152p8", 0xcf7aa46a976bcf9fL),
                Arguments.of("seasonal", "auto-arima", "0x1.fed8474552f5bp8", 0x6098ad03d33c6a54L),
                Arguments.of("seasonal", "ets", "0x1.f3399fd43bc9dp8", 0x5c020afb4947a883L),
                Arguments.of("seasonal", "fourier-arima", "0x1.f1233d7a4746fp8", 0xff5d3862e4a1de0eL),
                Arguments.of("seasonal", "holt-winters", "0x1.f4c35cda75e5ap8", 0xb1f7f60a7da4b997L),
                Arguments.of("seasonal", "mstl", "0x1.f2c14a27e17a4p8", 0x486a6e0b6d19e3b2L),
                Arguments.of("seasonal", "naive", "0x1.bde4920fd4987p8", 0x211bc630dcd7c14bL),
                Arguments.of("seasonal", "naive2", "0x1.ee37048279a77p8", 0xc07fc4812637974bL),
                Arguments.of("seasonal", "optimized-theta", "0x1.ec0b69ea14bedp8", 0x7b552cac3cb34b29L),
                Arguments.of("seasonal", "snaive", "0x1.ed0ecdafb99ccp8", 0xfda0931c0a37867cL),
                Arguments.of("seasonal", "theta", "0x1.ec10b0e97050fp8", 0x2a3123ea21ea253fL),
                Arguments.of("walk", "auto", "0x1.f0a88d7d3f742p9", 0x67e9bf6995f473e3L),
                Arguments.of("walk", "auto-arima", "0x1.ebd0485852943p9", 0x3a48970148a953cfL),
                Arguments.of("walk", "ets", "0x1.ebd04f1498a14p9", 0x5705cd054c4c76e6L),
                Arguments.of("walk", "fourier-arima", "0x1.eb5a957421d16p9", 0xf99ff8364c38709fL),
                Arguments.of("walk", "holt-winters", "0x1.ebcf5d583dbbbp9", 0xb093eda81dcfa238L),
                Arguments.of("walk", "mstl", "0x1.ed82d52c5791cp9", 0xbeb6d6561813cffeL),
                Arguments.of("walk", "naive", "0x1.ebd0485852943p9", 0x45b80de7f78704acL),
                Arguments.of("walk", "naive2", "0x1.ebd0485852943p9", 0x8de4da02cccbd8caL),
                Arguments.of("walk", "optimized-theta", "0x1.ebaedb378fc99p9", 0x16b0c2b0d6ab881cL),
                Arguments.of("walk", "snaive", "0x1.fa76444463409p9", 0xc99d3706e9aca8d7L),
                Arguments.of("walk", "theta", "0x1.ebb3151ec27a8p9", 0x9bb0e14e7a58df75L),
                Arguments.of("trend", "auto", "0x1.813952829cb5fp8", 0xe317cfff8337e587L),
                Arguments.of("trend", "auto-arima", "0x1.7d57da639f563p8", 0xa10b5eb67a7413f5L),
                Arguments.of("trend", "ets", "0x1.813952829cb5fp8", 0xe317cfff8337e587L),
                Arguments.of("trend", "fourier-arima", "0x1.7307208cfbdb2p8", 0xe68c7cdac346f8ffL),
                Arguments.of("trend", "holt-winters", "0x1.848186da4a363p8", 0xb5cbe8fada9de889L),
                Arguments.of("trend", "mstl", "0x1.7f5fbffaf0924p8", 0x72c8266cbe5488efL),
                Arguments.of("trend", "naive", "0x1.7deb6d8bdf723p8", 0x3bf770bf0b615b23L),
                Arguments.of("trend", "naive2", "0x1.7deb6d8bdf723p8", 0x8ed3fdbbed3f24c2L),
                Arguments.of("trend", "optimized-theta", "0x1.7fc5ea6a8298ap8", 0x5313886d17cabde9L),
                Arguments.of("trend", "snaive", "0x1.5acb1a43cb35bp8", 0x2991bcfd9f6013fdL),
                Arguments.of("trend", "theta", "0x1.783926d71572cp8", 0x06dffc31543c6317L));
    }
}
