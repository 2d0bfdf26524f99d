package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LstmConfigTest {

    @Test
    void tuned_hourly_isTheM4HourlyEvaluationsSetting() {
        // The settings recorded in fleetpredict-bench/results/lstm.md for OWA 0.503 on M4 hourly.
        LstmConfig c = LstmConfig.tuned(24, 48).build();
        assertEquals(168, c.inputWindow());
        assertEquals(24, c.chunk());
        assertEquals(24, c.seasonalPeriod());
        assertEquals(48, c.horizon());
        assertEquals(48, c.hiddenSize());
        assertEquals(1, c.layers());
        assertEquals(20, c.maxEpochs());
        assertEquals(40_000, c.windowsPerEpoch());
        assertEquals(64, c.batchSize());
        assertEquals(0.003, c.learningRate());
        assertEquals(4, c.patience());
        assertEquals(42, c.seed());
        assertEquals(true, c.calendarFeatures());
    }

    @Test
    void tuned_scalesTheWindowToThePeriodAndKeepsChangesMadeAfter() {
        LstmConfig weekly = LstmConfig.tuned(7, 14).hiddenSize(4).build();
        assertEquals(49, weekly.inputWindow());
        assertEquals(7, weekly.chunk());
        assertEquals(4, weekly.hiddenSize());
        LstmConfig none = LstmConfig.tuned(1, 6).build();
        assertEquals(56, none.inputWindow());
        assertEquals(8, none.chunk());
    }

    @Test
    void tuned_longestPeriodItsWindowHolds_isTakenAndOnePastIsRefusedByName() {
        int longest = Integer.MAX_VALUE / 7;
        assertEquals(7 * longest, LstmConfig.tuned(longest, 1).build().inputWindow());
        // Seven periods of one more overflow an int: the window read as a negative number.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LstmConfig.tuned(longest + 1, 1));
        assertTrue(e.getMessage().contains("seasonalPeriod " + (longest + 1)), e.getMessage());
        assertTrue(e.getMessage().contains("at most " + longest), e.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> LstmConfig.tuned(0, 1));
        assertEquals("seasonalPeriod must be at least 1, was 0", zero.getMessage());
    }
}
