package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite values so large that a model's arithmetic overflows a double: every named model either forecasts
 * finite figures or fails with a {@link ForecastException}, never with an exception that blames the
 * caller's input (a decomposition's overflow used to be refused as a gap the caller had left).
 */
class OverflowingValuesTest {

    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    static Stream<Arguments> cases() {
        return Forecasters.names().stream().flatMap(name -> IntStream.range(0, 4).mapToObj(seed -> Arguments.of(name,
                seed)));
    }

    /** Seed 0: zero and half the largest double in turn; others: seeded noise around a level near the largest. */
    private static double[] values(int seed) {
        double[] y = new double[120];
        Random r = new Random(seed);
        for (int t = 0; t < y.length; t++) {
            y[t] = seed == 0 ? (t % 2) * (Double.MAX_VALUE / 2)
                    : Double.MAX_VALUE / (2 + seed) * (1 + 0.5 * Math.sin(2 * Math.PI * t / 24) * r.nextDouble());
        }
        return y;
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("cases")
    void forecastsFiniteFiguresOrFailsNamingTheModel(String name, int seed) {
        TimeSeries series = TimeSeries.of(START, Duration.ofHours(1), values(seed));
        try {
            Forecast f = Forecasters.byName(name, 24).fit(series).forecast(24, 80, 95);
            for (int h = 0; h < f.horizon(); h++) {
                for (double v : List.of(f.mean(h), f.quantile(0.025, h), f.quantile(0.975, h))) {
                    assertTrue(Double.isFinite(v), name + " step " + h + ": " + v);
                }
            }
        } catch (ForecastException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), name);
        } catch (RuntimeException e) {
            fail(name + " failed with " + e + " instead of a ForecastException", e);
        }
    }
}
