package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Values around 1e300, whose spread a double holds though their squares overflow it: models fitted by sums of
 * squares fit them as they fit the same values in a larger unit.
 */
class LargeValuesTest {

    /** A power of two, about 6.7e299: the large values are the small ones exactly, in another unit. */
    private static final double UNIT = 0x1p996;

    private static double[] small() {
        Random r = new Random(5);
        double[] v = new double[60];
        for (int t = 0; t < v.length; t++) {
            v[t] = 2 + Math.sin(t / 3.0) + 0.3 * r.nextGaussian();
        }
        return v;
    }

    private static double[] large() {
        double[] v = small();
        for (int t = 0; t < v.length; t++) {
            v[t] *= UNIT;
        }
        return v;
    }

    private static void assertScaled(Forecast small, Forecast large) {
        for (int h = 0; h < small.horizon(); h++) {
            assertEquals(small.mean(h) * UNIT, large.mean(h), 1e-12 * Math.abs(small.mean(h) * UNIT), "mean " + h);
            for (double level : small.levels()) {
                assertEquals(small.lower(level)[h] * UNIT, large.lower(level)[h],
                        1e-12 * Math.abs(small.lower(level)[h] * UNIT), "lower " + level + " at " + h);
                assertEquals(small.upper(level)[h] * UNIT, large.upper(level)[h],
                        1e-12 * Math.abs(small.upper(level)[h] * UNIT), "upper " + level + " at " + h);
            }
        }
    }

    @Test
    void naiveAndSeasonalNaive_forecastValuesAround1e300AsInASmallerUnit() {
        for (Forecaster f : new Forecaster[] {Forecasters.naive(), Forecasters.seasonalNaive(12)}) {
            assertScaled(f.fit(TimeSeries.ofValues(small())).forecast(24, 80, 95),
                    f.fit(TimeSeries.ofValues(large())).forecast(24, 80, 95));
        }
    }

    @Test
    void naive_updatedWithAValueAround1e300_keepsAFiniteSpread() {
        FittedModel m = Forecasters.naive().fit(TimeSeries.ofValues(small()));
        Forecast f = m.update(TimeSeries.of(m.history().end(), m.history().step(), 3e300))
                .forecast(3, 95);
        assertTrue(Double.isFinite(f.upper(95)[2]) && f.upper(95)[2] > 3e300, "upper " + f.upper(95)[2]);
    }

    @Test
    void theta_forecastsValuesAround1e300AsInASmallerUnit() {
        for (Forecaster f : new Forecaster[] {Forecasters.theta(1), Forecasters.optimizedTheta(1)}) {
            assertScaled(f.fit(TimeSeries.ofValues(small())).forecast(24, 80, 95),
                    f.fit(TimeSeries.ofValues(large())).forecast(24, 80, 95));
        }
    }

    @Test
    void etsAndAutoArima_forecastValuesAround1e300AsInASmallerUnit() {
        // Fitted in a unit of 2^1000, where the values are the small ones divided by 16: the optimisers stop a
        // little elsewhere on the same surface, as in ScaleInvarianceTest.
        for (Forecaster f : new Forecaster[] {Forecasters.ets(1), Forecasters.autoArima(1)}) {
            Forecast small = f.fit(TimeSeries.ofValues(small())).forecast(24, 80, 95);
            Forecast large = f.fit(TimeSeries.ofValues(large())).forecast(24, 80, 95);
            for (int h = 0; h < small.horizon(); h++) {
                assertEquals(small.mean(h) * UNIT, large.mean(h), 1e-3 * Math.abs(small.mean(h) * UNIT), f.name());
                assertEquals(small.upper(95)[h] * UNIT, large.upper(95)[h], 1e-3 * Math.abs(small.upper(95)[h] * UNIT),
                        f.name());
            }
        }
    }
}
