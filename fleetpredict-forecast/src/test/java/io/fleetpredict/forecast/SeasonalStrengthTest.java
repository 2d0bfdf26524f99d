package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Stream;
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
}
