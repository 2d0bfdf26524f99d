package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CensoredAtZeroTest {

    /** {@code E[max(Y, 0)]} for {@code Y ~ N(mu, sd^2)} by Simpson's rule over 12 standard deviations. */
    private static double integrated(double mu, double sd) {
        int n = 20000;
        double a = Math.max(0, mu - 12 * sd);
        double b = Math.max(a, mu + 12 * sd);
        double w = (b - a) / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double y = a + i * w;
            double f = y * Math.exp(-0.5 * ((y - mu) / sd) * ((y - mu) / sd)) / (sd * Math.sqrt(2 * Math.PI));
            sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * w / 3;
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "2, 1", "-1, 2", "-4, 1", "5, 0.1", "0.3, 3"})
    void censoredMean_matchesTheIntegral(double mu, double sd) {
        assertEquals(integrated(mu, sd), CensoredAtZero.censoredMean(mu, sd), 1e-9);
    }

    @Test
    void censoredMean_closedFormValues() {
        assertEquals(1 / Math.sqrt(2 * Math.PI), CensoredAtZero.censoredMean(0, 1), 1e-15);
        assertEquals(0, CensoredAtZero.censoredMean(-3, 0), 0);
        assertEquals(3, CensoredAtZero.censoredMean(3, 0), 0);
    }

    @Test
    void forecast_nearZero_raisesNegativeBoundsAndGivesTheCensoredMean() {
        TimeSeries s = TimeSeries.ofValues(3, 1, 2, 0.5, 1.5, 0, 1, 0.5);
        FittedModel raw = Forecasters.naive().fit(s);
        FittedModel bounded = Forecasters.nonNegative(Forecasters.naive()).fit(s);
        Forecast r = raw.forecast(6, 80, 95);
        Forecast b = bounded.forecast(6, 80, 95);
        double z95 = NormalIntervals.z(95);
        for (int t = 0; t < 6; t++) {
            assertTrue(r.lower(95)[t] < 0, "the case must reach below zero at step " + t);
            for (double level : new double[] {80, 95}) {
                assertEquals(Math.max(0, r.lower(level)[t]), b.lower(level)[t], 0, "lower " + level + " at " + t);
                assertEquals(r.upper(level)[t], b.upper(level)[t], 0, "upper " + level + " at " + t);
            }
            double sd = (r.upper(95)[t] - r.lower(95)[t]) / (2 * z95);
            assertEquals(integrated(r.mean(t), sd), b.mean(t), 1e-9, "mean at " + t);
            assertTrue(b.mean(t) > r.mean(t), "mean at " + t);
        }
        assertEquals("nonnegative(naive)", bounded.forecaster().name());
        assertTrue(bounded.description().startsWith("censored at zero; "), bounded.description());
    }

    @Test
    void forecast_farFromZero_isTheModelsForecast() {
        TimeSeries s = TimeSeries.ofValues(100, 101, 99, 102, 100, 101, 100, 99);
        Forecast r = Forecasters.naive().fit(s).forecast(4, 95);
        Forecast b = Forecasters.nonNegative(Forecasters.naive()).fit(s).forecast(4, 95);
        for (int t = 0; t < 4; t++) {
            assertEquals(r.mean(t), b.mean(t), 1e-12);
            assertEquals(r.lower(95)[t], b.lower(95)[t], 0);
            assertEquals(r.upper(95)[t], b.upper(95)[t], 0);
        }
    }

    /**
     * Coverage on held-out values of low, non-negative series (a level near zero, Gaussian noise, censored
     * at zero, and a daily cycle): the censored forecasts never go below zero, never cover fewer held-out
     * values than the model's own on any series, and their pooled 95% coverage stays near 95% (MSTL's own
     * is 0.906 on these series, whose censoring it does not know).
     */
    @Test
    void forecast_lowNonNegativeSeries_keepsCoverageAndStaysNonNegative() {
        int series = 60;
        int h = 24;
        int coveredRaw = 0;
        int coveredBounded = 0;
        int belowZeroRaw = 0;
        for (long seed = 1; seed <= series; seed++) {
            Random r = new Random(seed);
            double[] v = new double[10 * 24 + h];
            for (int t = 0; t < v.length; t++) {
                v[t] = Math.max(0, 1.5 + Math.sin(2 * Math.PI * t / 24) + 1.2 * r.nextGaussian());
            }
            TimeSeries train = TimeSeries.ofValues(java.util.Arrays.copyOf(v, v.length - h));
            Forecaster model = Forecasters.mstl(24);
            Forecast raw = model.fit(train).forecast(h, 80, 95);
            Forecast bounded = Forecasters.nonNegative(model).fit(train).forecast(h, 80, 95);
            int rawHere = 0;
            int boundedHere = 0;
            for (int t = 0; t < h; t++) {
                double y = v[v.length - h + t];
                assertTrue(bounded.mean(t) >= 0 && bounded.lower(95)[t] >= 0 && bounded.lower(80)[t] >= 0,
                        "seed " + seed + " step " + t);
                belowZeroRaw += raw.lower(95)[t] < 0 ? 1 : 0;
                rawHere += y >= raw.lower(95)[t] && y <= raw.upper(95)[t] ? 1 : 0;
                boundedHere += y >= bounded.lower(95)[t] && y <= bounded.upper(95)[t] ? 1 : 0;
            }
            assertTrue(boundedHere >= rawHere, "seed " + seed);
            coveredRaw += rawHere;
            coveredBounded += boundedHere;
        }
        double coverage = coveredBounded / (double) (series * h);
        assertTrue(belowZeroRaw > series * h / 4, "the model's own bounds must often go below zero: " + belowZeroRaw);
        assertTrue(coverage >= coveredRaw / (double) (series * h) && coverage >= 0.88 && coverage <= 0.99, "coverage95 " + coverage + ", the model's " + coveredRaw / (double) (series * h));
    }

    @Test
    void fit_negativeValue_isRejectedWithItsIndex() {
        ModelFitException e = assertThrows(ModelFitException.class,
                () -> Forecasters.nonNegative(Forecasters.naive()).fit(TimeSeries.ofValues(1, 2, -0.5, 3)));
        assertTrue(e.getMessage().contains("index 2 (1970-01-01T02:00:00Z) is -0.5"), e.getMessage());
        FittedModel m = Forecasters.nonNegative(Forecasters.naive()).fit(TimeSeries.ofValues(1, 2, 0.5, 3));
        assertThrows(ModelFitException.class, () -> m.update(TimeSeries.of(m.history().end(), m.history().step(), 2, -1)));
        assertEquals(6, m.update(TimeSeries.of(m.history().end(), m.history().step(), 2, 1)).history().size());
    }

    @Test
    void censoredMean_zeroSpreadAtZero_isZero() {
        // max(Y, 0) of a point mass at 0 is 0; mu / sd is 0 / 0 there, which the formula must not reach.
        assertEquals(0, CensoredAtZero.censoredMean(0, 0), 0);
    }

    @Test
    void fitReporting_negativeValue_isRejectedAsInFit() {
        ModelFitException e = assertThrows(ModelFitException.class, () -> Forecasters.nonNegative(Forecasters.naive())
                .fitReporting(TimeSeries.ofValues(1, -2, 3), FitProgress.NONE));
        assertTrue(e.getMessage().contains("index 1 (1970-01-01T01:00:00Z) is -2.0"), e.getMessage());
    }

    @Test
    void fitted_parametersNotesAndNames_areTheModels() {
        // A model cleaned of outliers notes the values it replaced.
        double[] x = new double[20];
        for (int t = 0; t < x.length; t++) {
            x[t] = t == 10 ? 500 : 10 + t % 3;
        }
        TimeSeries s = TimeSeries.ofValues(x);
        Forecaster model = Forecasters.cleaned(Forecasters.naive());
        FittedModel own = model.fit(s);
        Forecaster bounded = Forecasters.nonNegative(model);
        FittedModel m = bounded.fit(s);
        assertFalse(own.notes().isEmpty(), own.notes().toString());
        assertEquals(own.notes(), m.notes());
        FittedModel ets = Forecasters.ets("ANN", 1).fit(s);
        FittedModel boundedEts = Forecasters.nonNegative(Forecasters.ets("ANN", 1)).fit(s);
        assertFalse(ets.parameters().isEmpty());
        assertEquals(ets.parameters(), boundedEts.parameters());
        assertEquals("nonnegative(" + model.name() + ")", bounded.toString());
        assertEquals(bounded.name(), bounded.toString());
        assertEquals(m.description(), m.toString());
    }

    @Test
    void forecast_medianIsTheModelsRaisedToZeroAndIntervalsAreNotStretchedToTheMean() {
        // Bursts of 10 every fifth step, the last a burst: naive's median is 10 at every step; the censored mean
        // is higher, and the median of max(Y, 0) is max(10, 0) = 10.
        double[] v = new double[100];
        for (int t = 0; t < v.length; t++) {
            v[t] = t % 5 == 4 ? 10 : 0;
        }
        TimeSeries s = TimeSeries.ofValues(v);
        Forecast r = Forecasters.naive().fit(s).forecast(48, 10, 80, 98);
        Forecast b = Forecasters.nonNegative(Forecasters.naive()).fit(s).forecast(48, 10, 80, 98);
        for (int t = 0; t < 48; t++) {
            assertEquals(10, b.quantile(0.5, t), 0, "step " + t);
            assertEquals(r.upper(10)[t], b.upper(10)[t], 0, "upper 10 at " + t);
            assertEquals(r.quantile(0.9, t), b.quantile(0.9, t), 0, "p90 at " + t);
        }
        assertTrue(b.mean(47) > 20, "the censored mean: " + b.mean(47));
    }

    @Test
    void quantile_belowTheWidestInterval_isNotBelowZero() {
        FittedModel m = Forecasters.nonNegative(Forecasters.naive()).fit(TimeSeries.ofValues(3, 5, 2, 4, 1, 3, 5, 2, 4, 3));
        Forecast f = m.forecast(5, 80, 95);
        assertEquals(0, f.lower(95)[0], 0, "the case must censor the 95% bound");
        for (int t = 0; t < 5; t++) {
            for (double p : new double[] {0.05, 0.01, 0.005, 0.001, 1e-6}) {
                assertTrue(f.quantile(p, t) >= 0, "quantile " + p + " at step " + t + ": " + f.quantile(p, t));
            }
        }
    }
}
