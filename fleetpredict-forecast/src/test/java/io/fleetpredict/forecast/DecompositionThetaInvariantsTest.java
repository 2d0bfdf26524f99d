package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of the Theta and MSTL forecasters over seeded hourly series of random length (so that some
 * fits keep every period, some drop the weekly one and some no period at all): horizon length, finite
 * values, lower &lt;= mean &lt;= upper, the 80% band inside the 95% band, determinism, and identical
 * forecasts from several threads sharing one fitted model.
 */
class DecompositionThetaInvariantsTest {

    private static final int HORIZON = 30;

    static Stream<Arguments> cases() {
        List<Supplier<Forecaster>> models = List.of(
                () -> Forecasters.theta(1),
                () -> Forecasters.theta(24),
                () -> Forecasters.optimizedTheta(1),
                () -> Forecasters.optimizedTheta(24),
                () -> Forecasters.mstl(24, 168),
                () -> Forecasters.mstl(Forecasters.optimizedTheta(1), 24));
        List<Arguments> out = new ArrayList<>();
        for (Supplier<Forecaster> m : models) {
            for (long seed = 1; seed <= 12; seed++) {
                out.add(Arguments.of(m.get().name(), m, seed));
            }
        }
        return out.stream();
    }

    static TimeSeries seeded(long seed) {
        Random r = new Random(seed);
        int n = 10 + r.nextInt(600);
        double level = 20 + 200 * r.nextDouble();
        double trend = r.nextGaussian() * 0.05;
        double daily = 10 * r.nextDouble();
        double weekly = 5 * r.nextDouble();
        double noise = 0.1 + 3 * r.nextDouble();
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = Math.max(1, level + trend * t + daily * Math.sin(2 * Math.PI * t / 24)
                    + weekly * Math.cos(2 * Math.PI * t / 168) + noise * r.nextGaussian());
        }
        return TimeSeries.of(Instant.parse("2024-03-01T00:00:00Z"), Duration.ofHours(1), y);
    }

    @ParameterizedTest(name = "{0} seed {2}")
    @MethodSource("cases")
    void forecast_seededSeries_satisfiesInvariants(String name, Supplier<Forecaster> model, long seed) throws Exception {
        TimeSeries s = seeded(seed);
        FittedModel m = model.get().fit(s);
        Forecast f = m.forecast(HORIZON, 80, 95);

        assertEquals(HORIZON, f.horizon());
        assertEquals(s.end(), f.start());
        double[] lo80 = f.lower(80);
        double[] hi80 = f.upper(80);
        double[] lo95 = f.lower(95);
        double[] hi95 = f.upper(95);
        for (int h = 0; h < HORIZON; h++) {
            double mean = f.mean(h);
            assertTrue(Double.isFinite(mean) && Double.isFinite(lo95[h]) && Double.isFinite(hi95[h]), "finite at " + h);
            assertTrue(lo80[h] <= mean && mean <= hi80[h], "80% around the mean at " + h);
            assertTrue(lo95[h] <= lo80[h] && hi80[h] <= hi95[h], "80% inside 95% at " + h);
        }

        // Determinism: a second fit of the same series gives the identical forecast.
        assertEquals(f, model.get().fit(s).forecast(HORIZON, 80, 95));

        // Thread-safety: one fitted model, several threads, identical results.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Forecast>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> m.forecast(HORIZON, 80, 95)));
            }
            for (Future<Forecast> r : results) {
                assertEquals(f, r.get());
            }
        } finally {
            pool.shutdown();
        }

        // An update keeps the invariants and the history grows.
        FittedModel u = m.update(TimeSeries.of(s.end(), s.step(), 50, 51, 52));
        assertEquals(s.size() + 3, u.history().size());
        Forecast g = u.forecast(HORIZON, 95);
        for (int h = 0; h < HORIZON; h++) {
            assertTrue(g.lower(95)[h] <= g.mean(h) && g.mean(h) <= g.upper(95)[h]);
        }
    }
}
