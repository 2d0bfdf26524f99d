package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConstancyTest {

    @Test
    void isConstant_asForecastsIsConstant() {
        // R 4.2.2, forecast 8.20, forecast:::is.constant (all.equal with its default tolerance, 1.49e-8, relative
        // to the mean absolute value): TRUE for rep(3, 10), c(rep(0, 9), 1e-9) and c(5, 5 * (1 + 1e-9), 5);
        // FALSE for c(5, 5 * (1 + 1e-7), 5).
        double[] threes = new double[10];
        Arrays.fill(threes, 3);
        assertTrue(Constancy.isConstant(threes));
        assertTrue(Constancy.isConstant(new double[] {5, 5 * (1 + 1e-9), 5}));
        assertFalse(Constancy.isConstant(new double[] {5, 5 * (1 + 1e-7), 5}));
        assertFalse(Constancy.isConstant(new double[] {1e-7, 0}));
        assertTrue(Constancy.isConstant(new double[0]));
        // Away from zero it counts relatively: is.constant(c(1000, 1000 + 1e-6)) is TRUE.
        assertTrue(Constancy.isConstant(new double[] {1000, 1000 + 1e-6}));
    }

    @Test
    void isConstant_tinyValues_departCountsRelatively() {
        // Where R counts a departure absolutely (mean absolute value within 1.49e-8: is.constant is TRUE for
        // c(rep(0, 9), 1e-9), c(0, 1e-8, 1e-8) and 1e-12 * (1 + 0.3 * sin(0:29))), the test here stays relative:
        // the same series in a unit 1e12 times larger is plainly not constant.
        assertFalse(Constancy.isConstant(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1e-9}));
        assertFalse(Constancy.isConstant(new double[] {0, 1e-8, 1e-8}));
        double[] tiny = new double[30];
        for (int i = 0; i < tiny.length; i++) {
            tiny[i] = 1e-12 * (1 + 0.3 * Math.sin(i));
        }
        assertFalse(Constancy.isConstant(tiny));
        assertTrue(Constancy.isConstant(new double[5]));
        assertTrue(Constancy.isConstant(new double[] {1e-300, 1e-300 * (1 + 1e-12)}));
    }

    @Test
    void isConstant_roundingLeftByDifferencing_isConstantAgainstTheSourceMagnitude() {
        // The second differences of a straight line in any unit are rounding: constant against the line's
        // magnitude (what R's absolute floor caught for lines of values near 1), not against their own.
        for (double unit : new double[] {1e-12, 1, 1e12}) {
            double[] line = new double[40];
            for (int i = 0; i < line.length; i++) {
                line[i] = unit * (0.1 * i + 0.7);
            }
            double[] second = new double[line.length - 2];
            for (int i = 0; i < second.length; i++) {
                second[i] = line[i + 2] - 2 * line[i + 1] + line[i];
            }
            assertFalse(Constancy.isConstant(second), "unit " + unit + ": rounding alone is not constant");
            assertTrue(Constancy.isConstant(second, Constancy.magnitude(line)), "unit " + unit);
            assertEquals(1, Kpss.differences(line, 2));
        }
    }

    @Test
    void isConstant_oneSmallDepartureInALongSeries_isNotConstant() {
        // all.equal compares only the values that differ, so a long run of equal values does not dilute one
        // that departs. R 4.2.2, forecast 8.20: y <- rep(100, 1000); y[500] <- 100.0001;
        // forecast:::is.constant(y) is FALSE.
        double[] y = new double[1000];
        Arrays.fill(y, 100);
        y[499] = 100.0001;
        assertFalse(Constancy.isConstant(y));
    }

    /**
     * The departure and the scale are both averaged over the values that differ: a hundred values 1e-9 above
     * the first depart by 1e-9 of their size (constant, as R's all.equal says), a hundred 1e-7 above by 1e-7
     * (not constant), however many of them there are.
     */
    @Test
    void isConstant_manyValuesDepartingAlike_judgedByTheirMeanRelativeDeparture() {
        double[] near = new double[101];
        double[] far = new double[101];
        Arrays.fill(near, 1 + 1e-9);
        Arrays.fill(far, 1 + 1e-7);
        near[0] = 1;
        far[0] = 1;
        assertTrue(Constancy.isConstant(near));
        assertFalse(Constancy.isConstant(far));
    }

    /** A departure of exactly the tolerance, 2^-26 of the magnitude, is within it; the next double above is not. */
    @Test
    void isConstant_departureOfExactlyTheTolerance_isConstant() {
        assertTrue(Constancy.isConstant(new double[] {0, 0x1p-26}, 1));
        assertFalse(Constancy.isConstant(new double[] {0, Math.nextUp(0x1p-26)}, 1));
    }

    /**
     * Near the largest double the sums the test averages would overflow: a series alternating 1.6e308 and 1.7e308
     * departs by 6% from its first value, as the same series in a unit 1e300 times smaller does, and is not
     * constant; one whose values differ by a few ulps still is.
     */
    @Test
    void isConstant_valuesNearTheLargestDouble_judgedAsInASmallerUnit() {
        double[] huge = new double[24];
        double[] small = new double[24];
        for (int i = 0; i < huge.length; i++) {
            huge[i] = i % 2 == 0 ? 1.6e308 : 1.7e308;
            small[i] = i % 2 == 0 ? 1.6e8 : 1.7e8;
        }
        assertFalse(Constancy.isConstant(small));
        assertFalse(Constancy.isConstant(huge));
        double[] ulps = new double[24];
        for (int i = 0; i < ulps.length; i++) {
            ulps[i] = i % 2 == 0 ? 1.7e308 : Math.nextUp(1.7e308);
        }
        assertTrue(Constancy.isConstant(ulps));
    }

    @Test
    void magnitude_isTheMeanAbsoluteValue_zeroOfNothing() {
        assertEquals(3, Constancy.magnitude(new double[] {-1, 2, -3, 6}));
        assertEquals(0, Constancy.magnitude(new double[0]));
    }

    /**
     * The mean of values near the largest double is near it, where their sum overflows: an infinite magnitude
     * made every series derived from such a one constant (a departure of 10% of it looked like rounding).
     */
    @Test
    void magnitude_valuesNearTheLargestDouble_finiteMean() {
        assertEquals(Double.MAX_VALUE, Constancy.magnitude(new double[] {Double.MAX_VALUE, -Double.MAX_VALUE}));
        double[] halves = new double[64];
        Arrays.fill(halves, Double.MAX_VALUE / 2);
        assertEquals(Double.MAX_VALUE / 2, Constancy.magnitude(halves));
        assertEquals(Double.MIN_VALUE, Constancy.magnitude(new double[] {Double.MIN_VALUE, -Double.MIN_VALUE}));
        assertFalse(Constancy.isConstant(new double[] {0, 0.1 * Double.MAX_VALUE}, Constancy.magnitude(halves)));
    }

    static IntStream seeds() {
        return IntStream.range(0, 200);
    }

    /**
     * Over seeded series mixing values near {@code ±Double.MAX_VALUE}, ordinary, tiny and subnormal values and
     * zeros: the magnitude is the exact mean absolute value, rounded (within two ulps), and the test, of the
     * series itself and of series derived from it against its magnitude, says what the same test says in exact
     * arithmetic ({@link #exactlyConstant}).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void magnitudeAndIsConstant_extremeValues_asInExactArithmetic(int seed) {
        Random r = new Random(seed);
        double[] x = mixture(r);
        double m = Constancy.magnitude(x);
        double exact = exactMean(x).doubleValue();
        assertTrue(Double.isFinite(m), "seed " + seed + ": " + m);
        assertTrue(Math.abs(m - exact) <= 2 * Math.ulp(exact), "seed " + seed + ": " + m + " against " + exact);

        // Near-constant runs at an extreme level: departures of 1e-9 are within the tolerance, of 1e-7 not.
        double level = (r.nextBoolean() ? 1 : -1) * Double.MAX_VALUE * (0.5 + 0.5 * r.nextDouble());
        for (double departure : new double[] {1e-9, 1e-7}) {
            double[] near = new double[20 + r.nextInt(60)];
            for (int i = 0; i < near.length; i++) {
                near[i] = level * (1 - departure * r.nextDouble());
            }
            assertEquals(exactlyConstant(near, 0), Constancy.isConstant(near), "seed " + seed + ", " + departure);
            assertEquals(departure < 1e-8, Constancy.isConstant(near), "seed " + seed + ", " + departure);
        }

        // Series derived from x (its half-differences: differences of values near the largest double overflow),
        // and rounding-sized noise, each judged against x's magnitude.
        double[] half = new double[x.length - 1];
        double[] noise = new double[x.length];
        for (int i = 0; i < half.length; i++) {
            half[i] = x[i + 1] / 2 - x[i] / 2;
        }
        for (int i = 0; i < noise.length; i++) {
            noise[i] = m * 1e-12 * r.nextGaussian();
        }
        BigDecimal mExact = exactMean(x);
        assertEquals(exactlyConstant(half, mExact), Constancy.isConstant(half, m), "seed " + seed + ": halves");
        assertEquals(exactlyConstant(noise, mExact), Constancy.isConstant(noise, m), "seed " + seed + ": noise");
        assertTrue(Constancy.isConstant(noise, m), "seed " + seed + ": noise of 1e-12 is rounding");
    }

    /**
     * Values near {@code ±Double.MAX_VALUE} (at least one, at least half of them), others ordinary, tiny,
     * subnormal or zero.
     */
    private static double[] mixture(Random r) {
        double[] x = new double[2 + r.nextInt(120)];
        for (int i = 0; i < x.length; i++) {
            double sign = r.nextBoolean() ? 1 : -1;
            x[i] = switch (i == 0 ? 0 : r.nextInt(8)) {
                case 0, 1, 2, 3 -> sign * Double.MAX_VALUE * (0.25 + 0.75 * r.nextDouble());
                case 4 -> sign * 1e3 * r.nextDouble();
                case 5 -> sign * 1e-300 * r.nextDouble();
                case 6 -> sign * Double.MIN_VALUE * r.nextInt(1 << 20);
                default -> 0;
            };
        }
        return x;
    }

    private static BigDecimal exactMean(double[] x) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : x) {
            sum = sum.add(new BigDecimal(v).abs());
        }
        return sum.divide(BigDecimal.valueOf(x.length), new MathContext(60));
    }

    private static boolean exactlyConstant(double[] x, double magnitude) {
        return exactlyConstant(x, new BigDecimal(magnitude));
    }

    /**
     * The test in exact arithmetic: over the k values that differ from the first, the sum of their departures
     * is within 2^-26 of the larger of the sum of their absolute values and k times the magnitude.
     */
    private static boolean exactlyConstant(double[] x, BigDecimal magnitude) {
        BigDecimal first = new BigDecimal(x[0]);
        BigDecimal departure = BigDecimal.ZERO;
        BigDecimal scale = BigDecimal.ZERO;
        int k = 0;
        for (double v : x) {
            if (v != x[0]) {
                BigDecimal b = new BigDecimal(v);
                departure = departure.add(b.subtract(first).abs());
                scale = scale.add(b.abs());
                k++;
            }
        }
        BigDecimal floor = magnitude.multiply(BigDecimal.valueOf(k));
        BigDecimal tolerance = new BigDecimal(0x1p-26);
        return k == 0 || departure.compareTo(tolerance.multiply(scale.max(floor))) <= 0;
    }
}
