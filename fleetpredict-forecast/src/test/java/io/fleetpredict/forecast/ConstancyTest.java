package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

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
}
