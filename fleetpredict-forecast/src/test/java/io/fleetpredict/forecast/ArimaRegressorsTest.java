package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dummy regressor with a known effect on a simulated seasonal AR(1) series: the estimate recovers it,
 * forecasts with it beat forecasts without on the event steps, and the forecasts keep the invariants.
 */
class ArimaRegressorsTest {

    private static final Instant START = Instant.parse("2024-03-04T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final double EFFECT = 5;

    /** Events of 3 hours every 2 to 4 days; y = 50 + daily cycle + EFFECT * event + AR(1) noise (sd 1). */
    static double[][] simulate(long seed, int n) {
        Random rng = new Random(seed);
        double[] event = new double[n];
        for (int t = 30; t < n; t += 48 + rng.nextInt(49)) {
            for (int k = 0; k < 3 && t + k < n; k++) {
                event[t + k] = 1;
            }
        }
        double[] y = new double[n];
        double e = 0;
        for (int t = 0; t < n; t++) {
            e = 0.6 * e + rng.nextGaussian();
            y[t] = 50 + 4 * Math.sin(2 * Math.PI * t / 24) + EFFECT * event[t] + e;
        }
        return new double[][] {y, event};
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void arimaWithDummy_knownEffect_isRecoveredAndImprovesEventForecasts(long seed) {
        int n = 24 * 40;
        int horizon = 48;
        double[][] sim = simulate(seed, n + 24 * 20);
        TimeSeries all = TimeSeries.of(START, HOUR, sim[0]);
        Regressors regs = Regressors.builder(START, HOUR, all.size()).column("event", sim[1]).build();
        Forecaster f = Forecasters.arima(ArimaOrder.of(1, 0, 0, 0, 1, 1, 24));
        FittedModel with = f.fit(all.head(n), regs.head(n));
        FittedModel without = f.fit(all.head(n));
        // The effect's standard error is about sigma / sqrt(events) * (1 - 0.6) scaled: well under 0.5 here.
        assertEquals(EFFECT, with.parameters().get("event"), 0.6, with.description());
        double errWith = 0;
        double errWithout = 0;
        int events = 0;
        for (int o = n; o + horizon <= all.size(); o += horizon) {
            FittedModel w = with.update(all.slice(n, o), regs.slice(n, o));
            FittedModel wo = without.update(all.slice(n, o));
            Forecast fw = w.forecast(horizon, regs.slice(o, o + horizon), 80, 95);
            Forecast fo = wo.forecast(horizon);
            for (int h = 0; h < horizon; h++) {
                assertTrue(Double.isFinite(fw.mean(h)));
                assertTrue(fw.lower(95)[h] <= fw.lower(80)[h] && fw.lower(80)[h] <= fw.mean(h)
                        && fw.mean(h) <= fw.upper(80)[h] && fw.upper(80)[h] <= fw.upper(95)[h]);
                if (sim[1][o + h] > 0) {
                    errWith += Math.abs(fw.mean(h) - sim[0][o + h]);
                    errWithout += Math.abs(fo.mean(h) - sim[0][o + h]);
                    events++;
                }
            }
        }
        assertTrue(events >= 9, "too few event steps: " + events);
        assertTrue(errWith < 0.6 * errWithout, String.format(Locale.ROOT,
                "MAE on %d event steps: %.3f with the dummy, %.3f without", events, errWith / events,
                errWithout / events));
    }
}
