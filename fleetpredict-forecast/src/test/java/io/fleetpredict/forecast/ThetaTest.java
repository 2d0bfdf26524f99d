package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The Theta method against R's {@code forecast::thetaf} (R 4.2.2 Patched 2022-11-10 r83330, forecast
 * 8.20); the exact calls are in the headers of the reference tables (make-references.R).
 *
 * <p>R estimates the SES smoothing parameter with Nelder-Mead on (alpha, l0); this class profiles l0 out
 * in closed form and searches alpha to 1e-10, so the two optima differ slightly. Point forecasts and
 * bounds agree within 1e-4 of the forecast's scale, its largest absolute point forecast (observed
 * differences are up to 6e-5 of it).
 */
class ThetaTest {

    private static final double RELATIVE = 1e-4;

    private static TimeSeries monthly(double[] x) {
        return TimeSeries.of(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofDays(30), x);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // reference table, data table, column, period, horizon
        "thetaf-nile.csv, data-nile.csv, x, 1, 10",
        "thetaf-airpassengers.csv, data-airpassengers.csv, x, 12, 24",
        "thetaf-nottem.csv, stl-nottem-s7.csv, x, 12, 24",
        "thetaf-wwwusage.csv, data-wwwusage.csv, x, 1, 12",
    })
    void forecast_classicSeries_matchesThetaf(String reference, String data, String column, int period, int horizon) {
        RReference ref = RReference.load(reference);
        double[] x = RReference.load(data).column(column);
        Forecast f = Forecasters.theta(period).fit(monthly(x)).forecast(horizon, 80, 95);
        double scale = java.util.Arrays.stream(ref.column("mean")).map(Math::abs).max().orElseThrow();
        assertClose(ref.column("mean"), f.mean(), scale, reference + " mean");
        assertClose(ref.column("lo80"), f.lower(80), scale, reference + " lo80");
        assertClose(ref.column("hi80"), f.upper(80), scale, reference + " hi80");
        assertClose(ref.column("lo95"), f.lower(95), scale, reference + " lo95");
        assertClose(ref.column("hi95"), f.upper(95), scale, reference + " hi95");
    }

    static void assertClose(double[] expected, double[] actual, double scale, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], RELATIVE * scale, what + " at step " + i);
        }
    }

    @Test
    void fit_nile_sesMseNoWorseThanR() {
        // R: ets(Nile, "ANN", opt.crit = "mse")$mse = 20386.744382675948 (alpha 0.245668, l0 1110.734),
        // the SES inside thetaf(Nile). The profiled optimum here is at least as good.
        double[] x = RReference.load("data-nile.csv").column("x");
        double mse = Forecasters.theta(1).fit(TimeSeries.ofValues(x)).parameters().get("mse");
        assertTrue(mse <= 20386.744382675948 * (1 + 1e-12), "mse " + mse);
        assertEquals(20386.744382675948, mse, 20386.744382675948 * 1e-4);
    }

    @Test
    void fit_airPassengers_isSeasonallyAdjustedAndReportsIt() {
        double[] x = RReference.load("data-airpassengers.csv").column("x");
        FittedModel m = Forecasters.theta(12).fit(monthly(x));
        assertEquals(1.0, m.parameters().get("seasonal"));
        assertTrue(m.description().contains("multiplicative seasonal indices"), m.description());
        // R: thetaf(AirPassengers)$model$alpha = 0.83775, drift = 1.32307
        assertEquals(0.83775, m.parameters().get("alpha"), 2e-3);
        assertEquals(1.3230696288025467, m.parameters().get("drift"), 1e-9);
    }

    @Test
    void fit_tooFewCyclesForSeasonalTest_saysNotAdjusted() {
        double[] x = RReference.load("data-airpassengers.csv").column("x");
        FittedModel m = Forecasters.theta(12).fit(monthly(java.util.Arrays.copyOf(x, 24)));
        assertEquals(0.0, m.parameters().get("seasonal"));
        assertTrue(m.description().contains("not more than two cycles"), m.description());
    }

    @Test
    void fit_twoObservations_throwsInsufficientData() {
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Forecasters.theta(1).fit(TimeSeries.ofValues(1, 2)));
        assertEquals("theta(1) needs at least 3 observations, got 2", e.getMessage());
        InsufficientDataException o = assertThrows(InsufficientDataException.class,
                () -> Forecasters.optimizedTheta(1).fit(TimeSeries.ofValues(1, 2, 3)));
        assertEquals("optimized-theta(1) needs at least 4 observations, got 3", o.getMessage());
    }

    @Test
    void factory_badPeriod_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Forecasters.theta(0));
        assertEquals("period must be at least 1, was 0", e.getMessage());
    }

    private static double[] noisy(long seed, int n, double level, double slope, double noise) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = level + slope * t + noise * r.nextGaussian() + 5 * Math.sin(2 * Math.PI * t / 12);
        }
        return x;
    }

    /** Theta = 2 and theta = 1 (SES) are points of the optimised model, so its optimum is no worse. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
        21, 22, 23, 24, 25, 26, 27, 28, 29, 30})
    void optimizedTheta_seededSeries_mseNoWorseThanStandardTheta(long seed) {
        Random r = new Random(seed * 7919);
        int n = 20 + r.nextInt(150);
        double[] x = noisy(seed, n, 50 + 50 * r.nextDouble(), r.nextGaussian() * 0.5, 0.5 + 3 * r.nextDouble());
        FittedModel otm = Forecasters.optimizedTheta(1).fit(TimeSeries.ofValues(x));
        double otmMse = otm.parameters().get("mse");
        // Standard theta in the same model: theta fixed at 2, alpha and l0 by least squares.
        double slope = Theta.slope(x);
        double intercept = java.util.Arrays.stream(x).average().orElseThrow() - (n + 1) / 2.0 * slope;
        double alpha = Theta.minimiseOverAlpha(a -> Theta.otmProfile(x, a, intercept, slope, 0.5, 0.99)[2]);
        double stmMse = Theta.otmProfile(x, alpha, intercept, slope, 0.5, 0.99)[2] / n;
        assertTrue(otmMse <= stmMse * (1 + 1e-12), () -> "OTM " + otmMse + " > STM " + stmMse);
        double sesMse = Forecasters.theta(1).fit(TimeSeries.ofValues(x)).parameters().get("mse");
        assertTrue(otmMse <= sesMse * (1 + 1e-12), () -> "OTM " + otmMse + " > SES " + sesMse);
        double theta = otm.parameters().get("theta");
        assertTrue(theta >= 1 && theta <= Theta.THETA_MAX, "theta " + theta);
    }

    @Test
    void optimizedTheta_linearTrendPlusNoise_followsTheLine() {
        // y = 10 + 0.5 t + N(0, 1): the forecast should continue the line within a few noise sigmas.
        Random r = new Random(42);
        int n = 120;
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 10 + 0.5 * t + r.nextGaussian();
        }
        FittedModel m = Forecasters.optimizedTheta(1).fit(TimeSeries.ofValues(x));
        Forecast f = m.forecast(12, 95);
        for (int h = 0; h < 12; h++) {
            double truth = 10 + 0.5 * (n + h);
            assertEquals(truth, f.mean(h), 2.5, "step " + h);
            assertTrue(f.lower(95)[h] < truth && truth < f.upper(95)[h], "95% interval covers the line at " + h);
        }
        // The slope of the forecast path is the line's, which standard theta would halve at long range.
        assertEquals(0.5, (f.mean(11) - f.mean(0)) / 11, 0.1);
        assertTrue(m.parameters().get("theta") > 1.5, m.description());
    }

    @Test
    void update_standardTheta_advancesLevelWithSameParameters() {
        double[] x = RReference.load("data-nile.csv").column("x");
        FittedModel head = Forecasters.theta(1).fit(TimeSeries.ofValues(java.util.Arrays.copyOf(x, 90)));
        FittedModel updated = head.update(TimeSeries.of(head.history().end(), head.history().step(),
                java.util.Arrays.copyOfRange(x, 90, 100)));
        Map<String, Double> p = head.parameters();
        Map<String, Double> q = updated.parameters();
        assertEquals(p.get("alpha"), q.get("alpha"));
        assertEquals(p.get("drift"), q.get("drift"));
        assertEquals(p.get("sigma2"), q.get("sigma2"));
        assertEquals(100, updated.history().size());
        double alpha = p.get("alpha");
        double level = p.get("level");
        for (int t = 90; t < 100; t++) {
            level = alpha * x[t] + (1 - alpha) * level;
        }
        assertEquals(level, q.get("level"), 1e-9);
        // thetaf's point forecast with n = 100: l_n + drift * (h - 1 + (1 - (1 - alpha)^n) / alpha)
        double expected = level + p.get("drift") * ((1 - Math.pow(1 - alpha, 100)) / alpha);
        assertEquals(expected, updated.forecast(1).mean(0), 1e-9);
    }

    @Test
    void update_seasonalTheta_deseasonalisesWithContinuingIndices() {
        double[] x = RReference.load("data-airpassengers.csv").column("x");
        FittedModel head = Forecasters.optimizedTheta(12).fit(monthly(java.util.Arrays.copyOf(x, 132)));
        FittedModel updated = head.update(TimeSeries.of(head.history().end(), head.history().step(),
                java.util.Arrays.copyOfRange(x, 132, 144)));
        assertEquals(head.parameters().get("theta"), updated.parameters().get("theta"));
        assertEquals(head.parameters().get("alpha"), updated.parameters().get("alpha"));
        // Twelve more months: the forecast for the same future month moves with the level only, so the
        // seasonal shape (ratios between months one cycle apart in the forecast) stays.
        Forecast a = head.forecast(24);
        Forecast b = updated.forecast(12);
        assertTrue(Math.abs(b.mean(0) / a.mean(12) - 1) < 0.2, "level change stays moderate");
        assertEquals(a.mean(12) / a.mean(13), b.mean(0) / b.mean(1), 0.02);
    }
}
