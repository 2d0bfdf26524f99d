package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dynamic harmonic regression: R's Fourier terms, the harmonics it chooses, its forecasts and intervals. */
class FourierArimaTest {

    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    /** A mean of 50, two harmonics of a period of 24 and AR(1) errors (phi 0.5, innovations of sd 1). */
    private static double[] twoHarmonics(int n, long seed) {
        Random r = new Random(seed);
        double[] y = new double[n];
        double e = 0;
        for (int t = 0; t < n; t++) {
            e = 0.5 * e + r.nextGaussian();
            y[t] = truth(t + 1) + e;
        }
        return y;
    }

    private static double truth(int time) {
        return 50 + 10 * Math.sin(2 * Math.PI * time / 24) + 4 * Math.cos(4 * Math.PI * time / 24);
    }

    private static TimeSeries hourly(double[] y) {
        return TimeSeries.of(T0, Duration.ofHours(1), y);
    }

    @Test
    void columns_areRsFourierTerms() {
        // R 4.2.2, forecast 8.20: fourier(msts(rep(0, 30), seasonal.periods = c(4, 12)), K = c(2, 2)), rows 1, 2,
        // 5 and 30, and with h = 2 (times 31 and 32). S2-4 is left out (sin(pi t) = 0), as R leaves it.
        FourierArima.Harmonics h = FourierArima.Harmonics.of(new int[] {4, 12}, 20).first(new int[] {2, 2});
        assertEquals(List.of("S1-4", "C1-4", "C2-4", "S1-12", "C1-12", "S2-12", "C2-12"), h.names());
        double[][] expected = {
            {1, 0, -1, 0.49999999999999994, 0.86602540378443871, 0.86602540378443860, 0.50000000000000011},
            {0, -1, 1, 0.86602540378443860, 0.50000000000000011, 0.86602540378443871, -0.49999999999999978},
            {1, 0, -1, 0.50000000000000033, -0.86602540378443849, -0.86602540378443882, 0.49999999999999933},
            {0, -1, 1, 0, -1, 0, 1},
            {-1, 0, -1, -0.49999999999999845, -0.86602540378443971, 0.86602540378443682, 0.50000000000000322},
            {0, 1, 1, -0.86602540378443826, -0.50000000000000122, 0.86602540378443960, -0.49999999999999828}};
        int[] times = {1, 2, 5, 30, 31, 32};
        for (int row = 0; row < times.length; row++) {
            double[][] cols = h.columns(times[row], 1);
            for (int c = 0; c < cols.length; c++) {
                assertEquals(expected[row][c], cols[c][0], 1e-12, "time " + times[row] + " column " + h.names().get(c));
            }
        }
    }

    @Test
    void harmonics_ofALongerPeriod_leaveOutTheShorterPeriodsFrequencies() {
        FourierArima.Harmonics h = FourierArima.Harmonics.of(new int[] {24, 168}, 20);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, h.harmonics[0]);
        // 7/168 = 1/24, 14/168 = 2/24: those belong to the period of 24.
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 22, 23},
                h.harmonics[1]);
        // Harmonic 12 of 24 has no sine: 23 columns for the period of 24, 40 for 168.
        assertEquals(63, h.count());
        assertEquals(3, FourierArima.Harmonics.of(new int[] {24}, 3).harmonics[0].length);
    }

    @Test
    void gram_aicc_equalsTheRegressionsComputedDirectly() {
        Random r = new Random(3);
        int n = 60;
        double[] a = new double[n];
        double[] b = new double[n];
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            a[t] = r.nextGaussian();
            b[t] = r.nextGaussian();
            y[t] = 2 * a[t] - b[t] + r.nextGaussian();
        }
        FourierArima.Gram g = new FourierArima.Gram(List.of(a, b), y);
        double[] beta = LeastSquares.fit(new double[][] {a, b}, y)[0];
        double rss = 0;
        for (int t = 0; t < n; t++) {
            double e = y[t] - beta[0] * a[t] - beta[1] * b[t];
            rss += e * e;
        }
        // AICc with the coefficients and the variance counted: k = 3.
        double expected = n * Math.log(rss / n) + 2 * 3 + 2.0 * 3 * 4 / (n - 3 - 1);
        assertEquals(expected, g.aicc(new int[] {0, 1}), 1e-9);
        double rssA = 0;
        double betaA = LeastSquares.fit(new double[][] {a}, y)[0][0];
        for (int t = 0; t < n; t++) {
            rssA += (y[t] - betaA * a[t]) * (y[t] - betaA * a[t]);
        }
        assertEquals(n * Math.log(rssA / n) + 4 + 2.0 * 2 * 3 / (n - 2 - 1), g.aicc(new int[] {0}), 1e-9);
        assertTrue(g.aicc(new int[] {0, 1}) < g.aicc(new int[] {0}), "b belongs in the regression");
    }

    @Test
    void whiten_returnsTheResidualsOfTheAutoregression() {
        // By hand: AR(1) 0.5 on 1, 2, 3 leaves 2 - 0.5, 3 - 1.
        assertArrayEquals(new double[] {1.5, 2}, FourierArima.whiten(new double[] {1, 2, 3}, new double[] {0.5}), 1e-15);
        assertArrayEquals(new double[] {1, 2, 3}, FourierArima.whiten(new double[] {1, 2, 3}, new double[0]), 0);
    }

    @Test
    void yuleWalker_recoversAnAutoregression_andFindsNoneInWhiteNoise() {
        // An AR(2) with 0.6 and -0.3, 5,000 values: the Yule-Walker estimates are within a few standard errors
        // (about 0.014 each), and the whitened series is white (lag-1 autocorrelation near 0).
        Random r = new Random(9);
        int n = 5000;
        double[] x = new double[n];
        for (int t = 2; t < n; t++) {
            x[t] = 0.6 * x[t - 1] - 0.3 * x[t - 2] + r.nextGaussian();
        }
        double[] ar = FourierArima.yuleWalker(x);
        assertTrue(ar.length >= 2 && ar.length <= 6, "order " + ar.length);
        assertEquals(0.6, ar[0], 0.06);
        assertEquals(-0.3, ar[1], 0.06);
        double[] e = FourierArima.whiten(x, ar);
        double s0 = 0;
        double s1 = 0;
        for (int t = 1; t < e.length; t++) {
            s0 += e[t] * e[t];
            s1 += e[t] * e[t - 1];
        }
        assertEquals(0, s1 / s0, 0.05);
        // The first-order case in closed form: for 1, -1, 1, -1, ... (mean 0) the lag-1 autocovariance is
        // -(n - 1) / n of the variance.
        double[] alternating = new double[40];
        for (int t = 0; t < 40; t++) {
            alternating[t] = t % 2 == 0 ? 1 : -1;
        }
        assertEquals(-39.0 / 40, FourierArima.yuleWalker(alternating)[0], 1e-12);
        double[] noise = new double[2000];
        for (int t = 0; t < noise.length; t++) {
            noise[t] = r.nextGaussian();
        }
        assertTrue(FourierArima.yuleWalker(noise).length <= 2, "white noise needs (almost) no autoregression");
    }

    @Test
    void fit_recoversTheHarmonicsAndTheirCoefficients() {
        FittedModel m = Forecasters.fourierArima(24).fit(hourly(twoHarmonics(24 * 20, 1)));
        Map<String, Double> p = m.parameters();
        double k = p.get("harmonics.24");
        assertTrue(k >= 2 && k <= 6, "harmonics chosen: " + k);
        assertEquals(10, p.get("S1-24"), 0.5);
        assertEquals(0, p.get("C1-24"), 0.5);
        assertEquals(0, p.get("S2-24"), 0.5);
        assertEquals(4, p.get("C2-24"), 0.5);
        assertTrue(m.description().startsWith("Fourier terms " + (int) k + " harmonics of 24 with errors "), m.description());
    }

    @Test
    void forecast_continuesTheSeasonInPhase_andUpdateKeepsThePhase() {
        double[] all = twoHarmonics(24 * 21, 2);
        double[] head = java.util.Arrays.copyOf(all, 24 * 20);
        FittedModel m = Forecasters.fourierArima(24).fit(hourly(head));
        double[] f = m.forecast(24).mean();
        double err = 0;
        for (int h = 0; h < 24; h++) {
            err += Math.abs(f[h] - truth(head.length + h + 1));
        }
        // The errors' forecast fades to their mean within a few steps: what is left is the season, in phase.
        assertTrue(err / 24 < 1.0, "mean absolute distance to the true season " + err / 24);
        FittedModel updated = m.update(TimeSeries.of(T0.plus(Duration.ofHours(head.length)), Duration.ofHours(1),
                java.util.Arrays.copyOfRange(all, head.length, all.length)));
        double[] g = updated.forecast(24).mean();
        double errUpdated = 0;
        for (int h = 0; h < 24; h++) {
            errUpdated += Math.abs(g[h] - truth(all.length + h + 1));
        }
        assertTrue(errUpdated / 24 < 1.0, "after the update " + errUpdated / 24);
        assertEquals(all.length, updated.history().size());
    }

    @Test
    void intervals_cover95PercentOfSimulatedFutures() {
        int inside = 0;
        int total = 0;
        for (long seed = 10; seed < 30; seed++) {
            double[] y = twoHarmonics(24 * 10 + 24, seed);
            double[] train = java.util.Arrays.copyOf(y, 24 * 10);
            Forecast f = Forecasters.fourierArima(24).fit(hourly(train)).forecast(24, 95);
            for (int h = 0; h < 24; h++) {
                double v = y[train.length + h];
                inside += v >= f.lower(95)[h] && v <= f.upper(95)[h] ? 1 : 0;
                total++;
            }
        }
        double coverage = (double) inside / total;
        assertTrue(coverage >= 0.88 && coverage <= 0.995, "coverage " + coverage);
    }

    @Test
    void longPeriod_aFewHarmonicsInsteadOfAStateOfItsLength() {
        // Five-minute steps: a day of 288, four days of data with a smooth daily shape.
        Random r = new Random(5);
        int n = 288 * 4;
        double[] y = new double[n + 288];
        for (int t = 0; t < y.length; t++) {
            double day = 2 * Math.PI * (t + 1) / 288;
            y[t] = 200 + 60 * Math.sin(day) + 20 * Math.cos(2 * day) + 5 * r.nextGaussian();
        }
        TimeSeries s = TimeSeries.of(T0, Duration.ofMinutes(5), java.util.Arrays.copyOf(y, n));
        FittedModel m = Forecasters.fourierArima(288).fit(s);
        assertTrue(m.parameters().get("harmonics.288") <= 6, m.description());
        double[] f = m.forecast(288).mean();
        double err = 0;
        for (int h = 0; h < 288; h++) {
            double day = 2 * Math.PI * (n + h + 1) / 288;
            err += Math.abs(f[h] - (200 + 60 * Math.sin(day) + 20 * Math.cos(2 * day)));
        }
        assertTrue(err / 288 < 3, "mean absolute distance to the true day " + err / 288);
    }

    @Test
    void tooFewCycles_dropsThePeriod_andSaysSo() {
        FittedModel m = Forecasters.fourierArima(24, 168).fit(hourly(twoHarmonics(24 * 5, 4)));
        assertEquals(List.of("period 168 dropped: fewer than two full cycles in 120 observations"), m.notes());
        assertTrue(m.parameters().containsKey("harmonics.24"));
        assertFalse(m.parameters().containsKey("harmonics.168"));
        FittedModel none = Forecasters.fourierArima(24).fit(hourly(twoHarmonics(40, 4)));
        assertTrue(none.notes().contains("no seasonal period kept: ARIMA alone"), none.notes().toString());
        assertEquals(12, none.forecast(12).horizon());
    }

    @Test
    void badPeriods_refused() {
        assertThrows(IllegalArgumentException.class, () -> Forecasters.fourierArima());
        assertThrows(IllegalArgumentException.class, () -> Forecasters.fourierArima(0));
        assertEquals("fourier-arima(24,168)", Forecasters.fourierArima(168, 24, 24).name());
    }

    @Test
    void auto_scoresItAsTheArimaCandidateOfLongPeriodsOnly() {
        assertTrue(candidateNames(Forecasters.auto(288, 2016)).contains("fourier-arima(288,2016)"));
        assertFalse(candidateNames(Forecasters.auto(24, 168)).stream().anyMatch(c -> c.startsWith("fourier")));
    }

    private static List<String> candidateNames(Forecaster auto) {
        return ((RollingOriginSelection) auto).candidates().stream().map(Forecaster::name).toList();
    }
}
