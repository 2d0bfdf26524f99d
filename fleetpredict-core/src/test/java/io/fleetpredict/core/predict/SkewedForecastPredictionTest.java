package io.fleetpredict.core.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Forecasters whose distribution is skewed (Box-Cox, censored at zero) in a prediction: the median is written as
 * p50, a service of zeros is predicted, and a series the model cannot forecast falls back without stopping the others.
 */
class SkewedForecastPredictionTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final int N = 14 * 24;

    private static double[] web() {
        Random r = new Random(3);
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = 20 + 8 * Math.sin(2 * Math.PI * i / 24) + r.nextGaussian();
        }
        return v;
    }

    private static Prediction predict(FleetHistory history, Forecaster forecaster) {
        Predictor p = Predictor.builder().forecaster(Horizon.MEDIUM_TERM, forecaster).build();
        return p.fit(history, new EventFeed(1, List.of()), T0.plus(HOUR.multipliedBy(N))).predict();
    }

    @Test
    void idleServiceUnderGuerrerosBoxCox_isPredictedAtZeroWithTheOthers() {
        FleetHistory history = FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, web())
                .usage("idle", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, new double[N]).build();
        Prediction p = predict(history, Forecasters.boxCoxGuerrero(Forecasters.mstl(24), 24));
        ServiceForecast idle = p.horizon(Horizon.MEDIUM_TERM).forecast("idle", ResourceType.CPU);
        for (int h = 0; h < idle.forecast().horizon(); h++) {
            assertEquals(0, idle.forecast().mean(h), 1e-12, "step " + h);
        }
        assertTrue(p.horizon(Horizon.MEDIUM_TERM).forecast("web", ResourceType.CPU).forecast().mean(0) > 5);
    }

    @Test
    void p50OfACensoredForecast_isTheMedianNotTheMean() {
        // Bursts of 10 cores every fifth hour, the last value a burst: the naive median is 10 at every step, and so
        // is the median of the forecast censored at zero, whose mean is well above it.
        double[] batch = new double[N];
        for (int i = 0; i < N; i++) {
            batch[i] = i % 5 == (N - 1) % 5 ? 10 : 0;
        }
        FleetHistory history = FleetHistory.builder()
                .usage("batch", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, batch).build();
        Prediction p = predict(history, Forecasters.nonNegative(Forecasters.naive()));
        ResourceRequirement r = p.horizon(Horizon.MEDIUM_TERM).state().resourceRequirements().get(0);
        assertEquals(10, r.p50(), 1e-9);
        ServiceForecast f = p.horizon(Horizon.MEDIUM_TERM).forecast("batch", ResourceType.CPU);
        assertTrue(f.forecast().mean(f.forecast().horizon() - 1) > 15, "the censored mean is above the median");
    }

    @Test
    void seriesTheModelCannotForecast_fallsBackToNaiveWithAWarning_andTheOthersArePredicted() {
        // Under lambda = -1 values are taken to 1 - 1/x, below the pole at 1; swings between 1 and 100 make the
        // transformed forecast's bounds cross the pole, which has no finite back-transformation.
        double[] spiky = new double[N];
        for (int i = 0; i < N; i++) {
            spiky[i] = i % 2 == 0 ? 1 : 100;
        }
        FleetHistory history = FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, web())
                .usage("spiky", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, spiky).build();
        Prediction p = predict(history, Forecasters.boxCox(Forecasters.naive(), -1));
        assertTrue(p.warnings().stream().anyMatch(w -> w.startsWith("medium_term spiky.CPU: boxcox[-1.0](naive) could "
                + "not forecast (") && w.endsWith("); using the naive forecast")), p.warnings().toString());
        ServiceForecast f = p.horizon(Horizon.MEDIUM_TERM).forecast("spiky", ResourceType.CPU);
        assertEquals(spiky[N - 1], f.forecast().mean(0), 0);
        assertTrue(p.horizon(Horizon.MEDIUM_TERM).forecast("web", ResourceType.CPU) != null);
    }
}
