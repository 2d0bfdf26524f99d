package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The normal quantiles and the horizon check that the analytic models' intervals rest on. */
class NormalIntervalsTest {

    @Test
    void z_isTheTwoSidedNormalQuantile() {
        // R 4.2.2: qnorm(0.975) = 1.95996398454005, qnorm(0.9) = 1.2815515655446.
        assertEquals(1.95996398454005, NormalIntervals.z(95), 1e-12);
        assertEquals(1.2815515655446, NormalIntervals.z(80), 1e-12);
    }

    @Test
    void z_levelsOfZeroOrAHundredPercent_areRejectedNamingTheLevel() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> NormalIntervals.z(0));
        assertTrue(none.getMessage().contains("level must be in (0, 100) percent, was 0.0"), none.getMessage());
        IllegalArgumentException all = assertThrows(IllegalArgumentException.class, () -> NormalIntervals.z(100));
        assertTrue(all.getMessage().contains("was 100.0"), all.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NormalIntervals.z(Double.NaN));
    }

    @Test
    void requireHorizon_takesOneToTheMaximum() {
        assertEquals(1, NormalIntervals.requireHorizon(1));
        assertEquals(Forecast.MAX_HORIZON, NormalIntervals.requireHorizon(Forecast.MAX_HORIZON));
        assertThrows(IllegalArgumentException.class, () -> NormalIntervals.requireHorizon(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NormalIntervals.requireHorizon(Forecast.MAX_HORIZON + 1));
        assertTrue(e.getMessage().contains("horizon must be from 1 to 1000000 steps, was 1000001"), e.getMessage());
    }
}
