package io.fleetpredict.core.demand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.InsufficientDataException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemandModelTest {

    private static final Instant T0 = Instant.parse("2024-10-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(5);

    private static TimeSeries series(double[] v) {
        return TimeSeries.of(T0, STEP, v);
    }

    @Test
    void fit_cpuExactlyTwoHundredthsOfACorePerTransaction_returnsThatSlope() {
        Random rnd = new Random(1);
        int n = 500;
        double[] tx = new double[n];
        double[] cpu = new double[n];
        for (int i = 0; i < n; i++) {
            tx[i] = 1000 + 800 * Math.sin(2 * Math.PI * i / 288) + 100 * rnd.nextDouble();
            cpu[i] = 1.5 + 0.02 * tx[i];
        }
        DemandFit fit = DemandModel.defaults().fit(series(cpu), Map.of("transactions", series(tx)));
        assertEquals(0.02, fit.slopes().get("transactions"), 1e-12);
        assertEquals(1.5, fit.intercept(), 1e-9);
        assertEquals(1.0, fit.rSquared(), 1e-12);
        assertTrue(fit.usable());
        assertEquals(1.5 + 0.02 * 2000, fit.predict(Map.of("transactions", 2000.0)), 1e-9);
    }

    /**
     * Reference: R 4.2.2, MASS 7.3.58.2,
     * {@code rlm(y ~ x1 + x2, psi = psi.huber, k = 1.345, maxit = 200, acc = 1e-12)} on the data below
     * (two gross outliers at rows 14 and 20). Coefficients 1.18932685580384, 0.0204090269863138,
     * 0.00625245941468232.
     */
    @Test
    void fit_dataWithOutliers_matchesMassRlmHuber() {
        double[] x1 = {120, 340, 560, 230, 410, 890, 150, 600, 720, 310, 480, 950, 275, 530, 660, 205, 780, 390, 845, 455};
        double[] x2 = {30, 80, 140, 60, 95, 210, 40, 150, 170, 75, 120, 230, 70, 125, 160, 50, 190, 100, 200, 110};
        double[] y = {3.9, 8.6, 13.3, 6.5, 10.1, 20.5, 4.6, 14.5, 16.9, 8.0, 11.6, 22.1, 7.2, 30.0, 15.6, 5.6, 18.4, 9.7, 19.9, 2.0};
        Map<String, TimeSeries> activity = new LinkedHashMap<>();
        activity.put("x1", series(x1));
        activity.put("x2", series(x2));
        DemandFit fit = DemandModel.builder().minObservations(10).maxIterations(200).build().fit(series(y), activity);
        assertEquals(1.18932685580384, fit.intercept(), 1e-6);
        assertEquals(0.0204090269863138, fit.slopes().get("x1"), 1e-8);
        assertEquals(0.00625245941468232, fit.slopes().get("x2"), 1e-7);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void fit_fivePercentSpikes_slopeStaysWithinTwoPercent(long seed) {
        Random rnd = new Random(seed);
        int n = 400;
        double[] tx = new double[n];
        double[] cpu = new double[n];
        for (int i = 0; i < n; i++) {
            tx[i] = 500 + 400 * rnd.nextDouble();
            cpu[i] = 2 + 0.03 * tx[i] + rnd.nextGaussian() * 0.2;
            if (rnd.nextDouble() < 0.05) {
                cpu[i] += 40; // a deploy or a batch job, not the traffic
            }
        }
        DemandFit fit = DemandModel.defaults().fit(series(cpu), Map.of("transactions", series(tx)));
        assertEquals(0.03, fit.slopes().get("transactions"), 0.03 * 0.02);
    }

    @Test
    void fit_usageUnrelatedToActivity_isPoorAndSaysSo() {
        Random rnd = new Random(7);
        int n = 300;
        double[] tx = new double[n];
        double[] cpu = new double[n];
        for (int i = 0; i < n; i++) {
            tx[i] = rnd.nextDouble() * 1000;
            cpu[i] = 10 + rnd.nextGaussian();
        }
        DemandFit fit = DemandModel.defaults().fit(series(cpu), Map.of("transactions", series(tx)));
        assertEquals(DemandFit.Quality.POOR, fit.quality());
        assertFalse(fit.usable());
        assertTrue(fit.reason().contains("forecast usage directly"), fit.reason());
    }

    @Test
    void fit_noActivityMetrics_saysForecastDirectly() {
        DemandFit fit = DemandModel.defaults().fit(series(new double[] {1, 2, 3}), Map.of());
        assertEquals(DemandFit.Quality.NO_ACTIVITY, fit.quality());
    }

    @Test
    void fit_constantActivity_isPoorNotAnException() {
        double[] tx = new double[50];
        double[] cpu = new double[50];
        for (int i = 0; i < 50; i++) {
            tx[i] = 100;
            cpu[i] = i;
        }
        DemandFit fit = DemandModel.defaults().fit(series(cpu), Map.of("transactions", series(tx)));
        assertEquals(DemandFit.Quality.POOR, fit.quality());
    }

    @Test
    void fit_seriesOverlapOnlyPartly_usesTheSharedSteps() {
        double[] tx = new double[100];
        double[] cpu = new double[100];
        for (int i = 0; i < 100; i++) {
            tx[i] = 10 + i;
        }
        for (int i = 0; i < 100; i++) {
            cpu[i] = 0.5 * (10 + i + 30); // usage starts 30 steps later than activity
        }
        TimeSeries usage = TimeSeries.of(T0.plus(STEP.multipliedBy(30)), STEP, cpu);
        DemandFit fit = DemandModel.defaults().fit(usage, Map.of("tx", series(tx)));
        assertEquals(70, fit.observations());
        assertEquals(0.5, fit.slopes().get("tx"), 1e-12);
    }

    @Test
    void fit_differentStep_isRejectedNamingTheMetric() {
        TimeSeries hourly = TimeSeries.of(T0, Duration.ofHours(1), new double[30]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemandModel.defaults().fit(series(new double[30]), Map.of("sessions", hourly)));
        assertTrue(e.getMessage().contains("sessions"), e.getMessage());
    }

    @Test
    void fit_tooFewSharedSteps_throwsInsufficientData() {
        assertThrows(InsufficientDataException.class,
                () -> DemandModel.defaults().fit(series(new double[10]), Map.of("tx", series(new double[10]))));
    }

    @Test
    void builder_badSettings_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> DemandModel.builder().minRSquared(1.5));
        assertThrows(IllegalArgumentException.class, () -> DemandModel.builder().huberK(0));
        assertThrows(IllegalArgumentException.class, () -> DemandModel.builder().minObservations(2));
    }
}
