package io.fleetpredict.forecast;

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
        assertTrue(Constancy.isConstant(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1e-9}));
        assertTrue(Constancy.isConstant(new double[] {5, 5 * (1 + 1e-9), 5}));
        assertFalse(Constancy.isConstant(new double[] {5, 5 * (1 + 1e-7), 5}));
        assertFalse(Constancy.isConstant(new double[] {1e-7, 0}));
        assertTrue(Constancy.isConstant(new double[0]));
        // Near zero the departure counts absolutely, up to the tolerance itself (2^-26 exactly):
        // is.constant(c(0, sqrt(.Machine$double.eps))) and is.constant(c(0, 1e-8, 1e-8)) are TRUE.
        assertTrue(Constancy.isConstant(new double[] {0, 0x1p-26}));
        assertTrue(Constancy.isConstant(new double[] {0, 1e-8, 1e-8}));
        // Away from zero it counts relatively: is.constant(c(1000, 1000 + 1e-6)) is TRUE.
        assertTrue(Constancy.isConstant(new double[] {1000, 1000 + 1e-6}));
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
}
