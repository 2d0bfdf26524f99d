package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CusumDriftDetectorTest {

    @Test
    void add_stationaryNormalErrors_falseAlarmsWithinTheStatedRate() {
        long steps = 0;
        int alarms = 0;
        for (int seed = 0; seed < 100; seed++) {
            Random rnd = new Random(seed);
            CusumDriftDetector d = CusumDriftDetector.defaults();
            for (int i = 0; i < 20_000; i++) {
                if (d.add(3 + 2 * rnd.nextGaussian()) && d.calibrated()) {
                    alarms++;
                }
                if (d.calibrated()) {
                    steps++;
                }
            }
        }
        double rate = (double) alarms / steps;
        System.out.printf("stationary: %d false alarms in %d steps = %.2e per step (stated at most %.2e)%n",
                alarms, steps, rate, CusumDriftDetector.DEFAULT_FALSE_ALARM_RATE);
        assertTrue(rate <= CusumDriftDetector.DEFAULT_FALSE_ALARM_RATE, "rate " + rate);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void add_levelShiftOfTwoSigma_isFlaggedWithinThirtySteps(long seed) {
        Random rnd = new Random(seed);
        CusumDriftDetector d = CusumDriftDetector.defaults();
        for (int i = 0; i < 300; i++) {
            d.add(rnd.nextGaussian());
        }
        int delay = -1;
        for (int i = 0; i < 200; i++) {
            if (d.add(2 + rnd.nextGaussian())) {
                delay = i + 1;
                break;
            }
        }
        // Expected delay for a 2-sigma shift with k=0.5, h=8 is about (h + 1.166) / (2 - 0.5) = 6.1 steps.
        System.out.printf("seed %d: 2-sigma shift flagged after %d steps%n", seed, delay);
        assertTrue(delay > 0 && delay <= 30, "delay " + delay);
    }

    @Test
    void add_spreadDoubles_isFlagged() {
        Random rnd = new Random(3);
        CusumDriftDetector d = CusumDriftDetector.defaults();
        for (int i = 0; i < 200; i++) {
            d.add(rnd.nextGaussian());
        }
        boolean flagged = false;
        for (int i = 0; i < 200 && !flagged; i++) {
            flagged = d.add(3 * rnd.nextGaussian());
        }
        assertTrue(flagged);
    }

    @Test
    void add_duringCalibration_neverAlarms() {
        CusumDriftDetector d = new CusumDriftDetector(0.5, 1, 1, 50);
        for (int i = 0; i < 50; i++) {
            assertFalse(d.add(i * 1000.0));
        }
        assertTrue(d.calibrated());
        d.reset();
        assertFalse(d.calibrated());
    }

    @Test
    void badInput_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CusumDriftDetector(0, 5, 5, 100));
        assertThrows(IllegalArgumentException.class, () -> new CusumDriftDetector(0.5, 5, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> CusumDriftDetector.defaults().add(Double.NaN));
    }

    @Test
    void add_calibrationErrorWhoseSpreadOverflows_refusedAndDetectorLeftAsItWas() {
        Random rnd = new Random(11);
        double[] errors = new double[600];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = i < 400 ? rnd.nextGaussian() : 4 + rnd.nextGaussian();
        }
        CusumDriftDetector refused = new CusumDriftDetector(0.5, 8, 12, 100);
        CusumDriftDetector twin = new CusumDriftDetector(0.5, 8, 12, 100);
        for (int i = 0; i < 50; i++) {
            refused.add(errors[i]);
            twin.add(errors[i]);
        }

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> refused.add(1e200));
        assertTrue(e.getMessage().contains("1.0E200"), e.getMessage());

        // The refused error left no trace: both detectors alarm at the same steps of the shifted stream.
        boolean anyAlarm = false;
        for (int i = 50; i < errors.length; i++) {
            boolean alarm = twin.add(errors[i]);
            assertEquals(alarm, refused.add(errors[i]), "step " + i);
            anyAlarm |= alarm;
        }
        assertTrue(anyAlarm);
    }
}

