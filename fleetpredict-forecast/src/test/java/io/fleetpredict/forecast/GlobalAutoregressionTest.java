package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.GlobalAutoregression.Normalisation;
import io.fleetpredict.forecast.GlobalAutoregression.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GlobalAutoregressionTest {

    /** The AR coefficient of the differences of the simulated integrated processes. */
    private static final double PHI = 0.6;

    /**
     * An integrated AR(1): {@code z[t] - z[t-1] = PHI (z[t-1] - z[t-2]) + noise}. Its coefficients on the
     * levels sum to 1, so the window's level drops out and a pooled model of centred windows can represent
     * it exactly: its h-step conditional mean is {@code z[n-1] + delta (PHI + ... + PHI^h)}.
     */
    private static double[] integratedAr(Random r, int n, double start, double noise) {
        double[] z = new double[n];
        z[0] = start;
        z[1] = start + noise * r.nextGaussian();
        for (int t = 2; t < n; t++) {
            z[t] = z[t - 1] + PHI * (z[t - 1] - z[t - 2]) + noise * r.nextGaussian();
        }
        return z;
    }

    private static double conditionalMean(double[] z, int h) {
        double delta = z[z.length - 1] - z[z.length - 2];
        double sum = 0;
        double power = 1;
        for (int k = 1; k <= h; k++) {
            power *= PHI;
            sum += power;
        }
        return z[z.length - 1] + delta * sum;
    }

    private static double[] exp(double[] z) {
        return Arrays.stream(z).map(Math::exp).toArray();
    }

    // --- The least-squares fit against an independent reference --------------------------------------

    /**
     * The coefficients of each step equal the ridge solution computed another way: the windows built here
     * from the definition, the penalty as extra rows of an augmented design, solved by QR (commons-math)
     * instead of the Gram matrix and Cholesky (EJML). Series of different lengths make the windows near each
     * end reach only the first steps, so every step has its own set of windows.
     */
    @ParameterizedTest
    @EnumSource(Normalisation.class)
    void coefficients_smallPooledProblem_equalTheAugmentedQrSolution(Normalisation normalisation) {
        Random r = new Random(11);
        List<TimeSeries> training = new ArrayList<>();
        for (int len : new int[] {9, 12, 15}) {
            double[] v = new double[len];
            for (int t = 0; t < len; t++) {
                v[t] = 5 + 3 * r.nextDouble();
            }
            training.add(TimeSeries.ofValues(v));
        }
        int p = 3;
        int horizon = 4;
        double ridge = 0.05;
        PooledAr model = PooledAr.train(training, new Settings(p, horizon, ridge, normalisation));
        for (int h = 0; h < horizon; h++) {
            List<double[]> rows = new ArrayList<>();
            List<Double> targets = new ArrayList<>();
            for (TimeSeries s : training) {
                double[] y = s.values();
                for (int t = 0; t + p + h < y.length; t++) {
                    double[] in = Arrays.copyOfRange(y, t, t + p);
                    double target = y[t + p + h];
                    double[] row = new double[p + 1];
                    row[0] = 1;
                    if (normalisation == Normalisation.MEAN) {
                        double m = Arrays.stream(in).average().orElseThrow();
                        for (int j = 0; j < p; j++) {
                            row[j + 1] = in[j] / m - 1;
                        }
                        targets.add(target / m - 1);
                    } else {
                        double[] logs = Arrays.stream(in).map(Math::log).toArray();
                        double m = Arrays.stream(logs).average().orElseThrow();
                        double sd = 1;
                        if (normalisation == Normalisation.STANDARDISED) {
                            sd = Math.sqrt(Arrays.stream(logs).map(x -> (x - m) * (x - m)).sum() / p);
                        }
                        for (int j = 0; j < p; j++) {
                            row[j + 1] = (logs[j] - m) / sd;
                        }
                        targets.add((Math.log(target) - m) / sd);
                    }
                    rows.add(row);
                }
            }
            int n = rows.size();
            double[][] augmented = new double[n + p][p + 1];
            double[] rhs = new double[n + p];
            for (int i = 0; i < n; i++) {
                augmented[i] = rows.get(i);
                rhs[i] = targets.get(i);
            }
            for (int j = 0; j < p; j++) {
                augmented[n + j][j + 1] = Math.sqrt(ridge * n);
            }
            double[] expected = new QRDecomposition(new Array2DRowRealMatrix(augmented, false)).getSolver()
                    .solve(new ArrayRealVector(rhs, false)).toArray();
            assertArrayEquals(expected, model.coefficients(h), 1e-9, "step " + (h + 1) + " " + normalisation);
        }
    }

    /**
     * Over seeded sets of simulated series, each with its own level and noise, the pooled model forecasts
     * the process's conditional mean at every step on a new series of the same process.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void forecast_integratedArSeries_recoversTheConditionalMean(long seed) {
        Random r = new Random(seed);
        List<TimeSeries> training = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            training.add(TimeSeries.ofValues(exp(integratedAr(r, 400, 2 + 3 * r.nextDouble(), 0.01))));
        }
        int horizon = 3;
        for (Normalisation normalisation : List.of(Normalisation.LOG, Normalisation.STANDARDISED)) {
            Forecaster model = GlobalAutoregression.train(training, new Settings(4, horizon, 1e-7, normalisation));
            for (int k = 0; k < 5; k++) {
                double[] z = integratedAr(r, 100, 3, 0.01);
                Forecast f = model.fit(TimeSeries.ofValues(exp(z))).forecast(horizon, 95);
                for (int h = 1; h <= horizon; h++) {
                    // The noise is 0.01 a step; the coefficients are estimated from 7,920 windows (the
                    // standardised fit weighs the calm ones most, so its estimate is the noisier).
                    assertEquals(conditionalMean(z, h), Math.log(f.mean(h - 1)), 5e-3,
                            normalisation + " step " + h);
                }
            }
        }
    }

    @Test
    void forecast_meanNormalisedIntegratedAr_recoversTheConditionalMean() {
        Random r = new Random(7);
        List<TimeSeries> training = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            training.add(TimeSeries.ofValues(integratedAr(r, 400, 500 + 500 * r.nextDouble(), 1)));
        }
        Forecaster model = GlobalAutoregression.train(training, new Settings(4, 2, 1e-7, Normalisation.MEAN));
        for (int k = 0; k < 5; k++) {
            double[] x = integratedAr(r, 100, 800, 1);
            Forecast f = model.fit(TimeSeries.ofValues(x)).forecast(2, 95);
            assertEquals(conditionalMean(x, 1), f.mean(0), 0.3);
            assertEquals(conditionalMean(x, 2), f.mean(1), 0.5);
        }
    }

    @Test
    void local_oneLongSeries_recoversTheConditionalMean() {
        Random r = new Random(3);
        double[] z = integratedAr(r, 3000, 4, 0.01);
        Forecaster local = GlobalAutoregression.local(4, 1e-7, Normalisation.LOG);
        FittedModel fitted = local.fit(TimeSeries.ofValues(exp(z)));
        assertEquals("local-ar(4)", fitted.forecaster().name());
        Forecast f = fitted.forecast(2, 95);
        assertEquals(conditionalMean(z, 1), Math.log(f.mean(0)), 2e-3);
        assertEquals(conditionalMean(z, 2), Math.log(f.mean(1)), 3e-3);
    }

    // --- Intervals ----------------------------------------------------------------------------------------

    /**
     * On seeded sets of series whose noise differs tenfold from one series to another, the 95% intervals
     * hold about 95% of the values that follow: the pooled quantiles scaled by each series' own error scale.
     * The model is trained on each series' first 250 values and forecasts 12 steps from five later origins.
     */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25})
    void intervals_seriesOfDifferentNoise_cover95PercentOfWhatFollows(long seed) {
        Random r = new Random(seed);
        int horizon = 12;
        int trained = 250;
        List<TimeSeries> full = new ArrayList<>();
        List<TimeSeries> training = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            double noise = 0.005 * Math.pow(10, r.nextDouble());
            TimeSeries s = TimeSeries.ofValues(exp(integratedAr(r, trained + 5 * horizon, 3 + r.nextDouble(), noise)));
            full.add(s);
            training.add(s.head(trained));
        }
        Forecaster model = GlobalAutoregression.train(training, new Settings(8, horizon, 1e-4, Normalisation.LOG));
        int inside = 0;
        int total = 0;
        for (TimeSeries s : full) {
            for (int origin = trained; origin < s.size(); origin += horizon) {
                Forecast f = model.fit(s.head(origin)).forecast(horizon, 95);
                for (int h = 0; h < horizon; h++) {
                    double actual = s.get(origin + h);
                    if (actual >= f.lower(95)[h] && actual <= f.upper(95)[h]) {
                        inside++;
                    }
                    total++;
                }
            }
        }
        double coverage = (double) inside / total;
        assertTrue(coverage >= 0.92 && coverage <= 0.98, "coverage " + coverage);
    }

    @Test
    void intervals_nestAndWidenWithTheSeriesOwnNoise() {
        Random r = new Random(5);
        List<TimeSeries> training = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            training.add(TimeSeries.ofValues(exp(integratedAr(r, 300, 3, i % 2 == 0 ? 0.005 : 0.05))));
        }
        Forecaster model = GlobalAutoregression.train(training, new Settings(6, 5, 1e-4, Normalisation.LOG));
        Forecast calm = model.fit(TimeSeries.ofValues(exp(integratedAr(r, 200, 3, 0.005)))).forecast(5, 80, 95);
        Forecast noisy = model.fit(TimeSeries.ofValues(exp(integratedAr(r, 200, 3, 0.05)))).forecast(5, 80, 95);
        for (int h = 0; h < 5; h++) {
            assertTrue(calm.lower(95)[h] <= calm.lower(80)[h] && calm.upper(80)[h] <= calm.upper(95)[h]);
            double calmWidth = Math.log(calm.upper(95)[h] / calm.lower(95)[h]);
            double noisyWidth = Math.log(noisy.upper(95)[h] / noisy.lower(95)[h]);
            assertTrue(noisyWidth > 4 * calmWidth, "step " + h + ": " + noisyWidth + " against " + calmWidth);
        }
    }

    // --- No look-ahead ----------------------------------------------------------------------------------

    /**
     * As a candidate of {@code auto}, the model scored at the cross-validation origins is the same whatever
     * the training series hold at or after their earliest origin: changing every such value changes nothing
     * it forecasts, while the model trained on the whole series does change.
     */
    @Test
    void globalCandidate_valuesAtOrAfterTheEarliestOrigin_neverReachTheScoredModel() {
        CrossValidation plan = CrossValidation.of(24);
        Random r = new Random(9);
        List<TimeSeries> training = new ArrayList<>();
        List<TimeSeries> altered = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            double[] z = exp(integratedAr(r, 200, 3, 0.02));
            training.add(TimeSeries.ofValues(z));
            double[] changed = z.clone();
            int origin = SplitTrainedCandidate.beforeFirstOrigin(training.get(i), plan).size();
            for (int t = origin; t < changed.length; t++) {
                changed[t] = changed[t] * (1.5 + r.nextDouble());
            }
            altered.add(TimeSeries.ofValues(changed));
        }
        Settings settings = new Settings(12, 24, 1e-3, Normalisation.LOG);
        SplitTrainedCandidate a = (SplitTrainedCandidate) Forecasters.globalCandidate(training, plan,
                list -> GlobalAutoregression.train(list, settings));
        SplitTrainedCandidate b = (SplitTrainedCandidate) Forecasters.globalCandidate(altered, plan,
                list -> GlobalAutoregression.train(list, settings));
        TimeSeries probe = TimeSeries.ofValues(exp(integratedAr(r, 100, 3, 0.02)));
        assertEquals(a.beforeOrigins().fit(probe).forecast(24, 95), b.beforeOrigins().fit(probe).forecast(24, 95));
        assertFalse(Arrays.equals(a.onAll().fit(probe).forecast(24, 95).mean(),
                b.onAll().fit(probe).forecast(24, 95).mean()));
    }

    /** The fitted model forecasts from the values before the origin alone: what follows cannot change it. */
    @Test
    void fit_prefix_forecastDoesNotDependOnLaterValues() {
        Random r = new Random(4);
        List<TimeSeries> training = List.of(TimeSeries.ofValues(exp(integratedAr(r, 200, 3, 0.02))));
        Forecaster model = GlobalAutoregression.train(training, new Settings(5, 3, 1e-3, Normalisation.LOG));
        double[] z = exp(integratedAr(r, 80, 3, 0.02));
        double[] other = z.clone();
        other[79] = 1e6;
        assertEquals(model.fit(TimeSeries.ofValues(z).head(60)).forecast(3, 95),
                model.fit(TimeSeries.ofValues(other).head(60)).forecast(3, 95));
    }

    // --- Bad input ---------------------------------------------------------------------------------------

    @Test
    void train_badInput_failsWithATypedErrorNamingWhatAndWhere() {
        Settings s = new Settings(4, 2, 0.01, Normalisation.LOG);
        TimeSeries ok = TimeSeries.ofValues(1, 2, 3, 4, 5, 6, 7, 8);
        assertEquals("training must hold at least one series, was empty",
                assertThrows(IllegalArgumentException.class, () -> GlobalAutoregression.train(List.of(), s)).getMessage());
        InsufficientDataException shortSeries = assertThrows(InsufficientDataException.class,
                () -> GlobalAutoregression.train(List.of(ok, TimeSeries.ofValues(1, 2, 3, 4)), s));
        assertEquals("training series 1 has 4 values; 4 lags need at least 5", shortSeries.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> GlobalAutoregression.train(List.of(ok, TimeSeries.ofValues(1, 2, 0, 4, 5, 6)), s));
        assertTrue(zero.getMessage().startsWith("training series 1: value 2 is 0.0; log normalisation needs "
                + "positive values"), zero.getMessage());
        Settings mean = new Settings(4, 2, 0.01, Normalisation.MEAN);
        IllegalArgumentException zeroLevel = assertThrows(IllegalArgumentException.class,
                () -> GlobalAutoregression.train(List.of(ok, TimeSeries.ofValues(new double[8])), mean));
        assertEquals("training series 1: all 8 values are zero; mean normalisation needs a positive level",
                zeroLevel.getMessage());
        ModelFitException zeroWindow = assertThrows(ModelFitException.class,
                () -> GlobalAutoregression.train(List.of(TimeSeries.ofValues(3, 0, 0, 0, 0, 2, 5)), mean));
        assertTrue(zeroWindow.getMessage().contains("the 4 values from index 1 are all zero"), zeroWindow.getMessage());
        // A series cannot hold NaN at all: TimeSeries refuses it where it is built, naming the index.
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TimeSeries.ofValues(1, Double.NaN))
                .getMessage().startsWith("value at index 1 "));
    }

    @Test
    void settings_outOfRange_failWithTheSetting() {
        assertEquals("lags must be at least 2, was 1",
                assertThrows(IllegalArgumentException.class, () -> new Settings(1, 2, 0, Normalisation.LOG)).getMessage());
        assertEquals("horizon must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new Settings(2, 0, 0, Normalisation.LOG)).getMessage());
        assertEquals("ridge must be finite and at least 0, was NaN",
                assertThrows(IllegalArgumentException.class, () -> new Settings(2, 1, Double.NaN, Normalisation.LOG))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Settings(2, 1, -1, Normalisation.LOG));
        assertThrows(NullPointerException.class, () -> new Settings(2, 1, 0, null));
    }

    @Test
    void fitAndForecast_badInput_failWithATypedError() {
        Random r = new Random(2);
        Forecaster model = GlobalAutoregression.train(List.of(TimeSeries.ofValues(exp(integratedAr(r, 60, 3, 0.02)))),
                new Settings(6, 4, 1e-3, Normalisation.LOG));
        assertEquals("global-ar(6) needs at least 7 values (6 lags and one to measure its errors), got 6",
                assertThrows(InsufficientDataException.class,
                        () -> model.fit(TimeSeries.ofValues(1, 2, 3, 4, 5, 6))).getMessage());
        assertTrue(assertThrows(ModelFitException.class,
                () -> model.fit(TimeSeries.ofValues(1, 2, 3, -4, 5, 6, 7, 8))).getMessage()
                .contains("value 3 is -4.0"));
        FittedModel fitted = model.fit(TimeSeries.ofValues(exp(integratedAr(r, 30, 3, 0.02))));
        assertEquals("global-ar(6) forecasts at most the 4 steps it was trained for, asked for 5",
                assertThrows(IllegalArgumentException.class, () -> fitted.forecast(5, 95)).getMessage());
        assertThrows(ModelFitException.class, () -> GlobalAutoregression.local(6, 1e-3, Normalisation.LOG)
                .fit(TimeSeries.ofValues(1, 2, 3, 0, 5, 6, 7, 8, 9)));
    }

    @Test
    void update_appendsTheValuesAndForecastsFromThem() {
        Random r = new Random(8);
        Forecaster model = GlobalAutoregression.train(List.of(TimeSeries.ofValues(exp(integratedAr(r, 100, 3, 0.02)))),
                new Settings(5, 3, 1e-3, Normalisation.LOG));
        TimeSeries all = TimeSeries.ofValues(exp(integratedAr(r, 50, 3, 0.02)));
        FittedModel fitted = model.fit(all.head(40));
        FittedModel updated = fitted.update(all.slice(40, 50));
        assertEquals(all, updated.history());
        // The error scale stays the one measured at fit, so the intervals may differ from a refit; the
        // point forecast reads the last lags alone and matches it.
        assertArrayEquals(model.fit(all).forecast(3, 95).mean(), updated.forecast(3, 95).mean(), 1e-12);
        assertEquals("global-ar(5)", updated.forecaster().name());
        assertEquals(5.0, updated.parameters().get("lags"));
    }
}
