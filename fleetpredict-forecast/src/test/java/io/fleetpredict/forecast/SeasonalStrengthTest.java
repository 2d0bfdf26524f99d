package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seasonal strength and the seasonal difference auto-ARIMA takes, against R 4.2.2 with forecast 8.20:
 * {@code forecast:::seas.heuristic(x)} and {@code nsdiffs(x)} on series of R's {@code datasets} package,
 * computed on 2026-12-06.
 */
class SeasonalStrengthTest {

    static Stream<Arguments> series() {
        return Stream.of(
                // a season whose swing grows with the level: a fixed seasonal figure puts it in the remainder
                Arguments.of("UKgas[1:100]", Arrays.copyOf(RDatasets.UKGAS, 100), 4, 0.9773617236, 1),
                Arguments.of("USAccDeaths", RDatasets.USACCDEATHS, 12, 0.9447944649, 1),
                Arguments.of("JohnsonJohnson", RDatasets.JOHNSON_JOHNSON, 4, 0.8209060452, 1),
                // a smooth trend with little season
                Arguments.of("austres", RDatasets.AUSTRES, 4, 0.3248002879, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void strengthAndDifferences_asForecastsSeasHeuristicAndNsdiffs(String name, double[] x, int m, double strength,
            int differences) {
        assertEquals(strength, SeasonalStrength.of(x, m), 1e-6, name);
        assertEquals(differences, SeasonalStrength.differences(x, m), name);
    }

    @Test
    void strength_twoStepSeason_asSeasHeuristic() {
        // R 4.2.2, forecast 8.20: x <- ts(c(10, 2, 11, 3, 12, 2, 13, 4, 12, 3, 14, 2, 15, 4, 13, 3, 16, 4, 15, 2),
        // frequency = 2); forecast:::seas.heuristic(x) is 0.986532751173859 and nsdiffs(x) is 1.
        double[] x = {10, 2, 11, 3, 12, 2, 13, 4, 12, 3, 14, 2, 15, 4, 13, 3, 16, 4, 15, 2};
        assertEquals(0.986532751173859, SeasonalStrength.of(x, 2), 1e-6);
        assertEquals(1, SeasonalStrength.differences(x, 2));
    }

    @Test
    void strength_twoCyclesOrFewer_isZero_andMoreIsMeasured() {
        // R's mstl needs more than two cycles (stl stops with "less than two periods" at 24 monthly values);
        // from 25 on it measures. R 4.2.2, forecast 8.20:
        // forecast:::seas.heuristic(ts(USAccDeaths[1:25], frequency = 12)) is 0.968424197043364.
        assertEquals(0, SeasonalStrength.of(Arrays.copyOf(RDatasets.USACCDEATHS, 24), 12), 0);
        assertEquals(0, SeasonalStrength.of(Arrays.copyOf(RDatasets.USACCDEATHS, 20), 12), 0);
        assertEquals(0.968424197043364, SeasonalStrength.of(Arrays.copyOf(RDatasets.USACCDEATHS, 25), 12), 1e-6);
    }

    @Test
    void differences_constantSeries_isZeroBeforeAnyDecomposition() {
        // The strength of a constant series is a ratio of rounding errors (R 4.2.2, forecast 8.20:
        // forecast:::seas.heuristic(ts(rep(7, 30), frequency = 4)) is 0.190), so nsdiffs tests for a constant
        // series first and takes no difference: nsdiffs(ts(rep(7, 30), frequency = 4)) is 0.
        double[] x = new double[30];
        Arrays.fill(x, 7);
        assertEquals(0, SeasonalStrength.differences(x, 4));
    }

    @Test
    void centredMovingAverage_asDecomposesTrend() {
        // R 4.2.2: decompose(ts(x, frequency = 4))$trend and decompose(ts(x, frequency = 3))$trend.
        double[] x = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
        double nan = Double.NaN;
        assertArrayEquals(new double[] {nan, nan, 2.5, 3.75, 4.5, 4.875, 5.5, 4.75, 4.375, 5, nan, nan},
                SeasonalStrength.centredMovingAverage(x, 4), 1e-12);
        assertArrayEquals(new double[] {nan, 8 / 3.0, 2, 10 / 3.0, 5, 16 / 3.0, 17 / 3.0, 13 / 3.0, 14 / 3.0,
            13 / 3.0, 16 / 3.0, nan}, SeasonalStrength.centredMovingAverage(x, 3), 1e-12);
    }

    @Test
    void variance_isTheSampleVarianceOfTheFirstValues() {
        // R: var(c(1, 2, 3, 4)) is 5/3; the fifth value is not counted.
        assertEquals(5 / 3.0, SeasonalStrength.variance(new double[] {1, 2, 3, 4, 100}, 4), 1e-15);
    }
}
