package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Box-Cox transformation, Guerrero's lambda and bias-adjusted back-transformation against R 4.2.2 with
 * forecast 8.20 (the tables under {@code reference/}, written by {@code make-references.R}).
 */
class BoxCoxTest {

    /** The series of {@code boxcox-lambda.csv}, in its row order. */
    private static final double[][] LAMBDA_SERIES = {
        RDatasets.AIRPASSENGERS, RDatasets.USACCDEATHS, RDatasets.LDEATHS, RDatasets.NOTTEM,
        RDatasets.WWWUSAGE, RDatasets.AUSTRES, RDatasets.LH, RDatasets.LAKE_HURON,
    };

    /**
     * R's {@code optimize} stops within about {@code 1.2e-4} of the minimum; Brent's method here keeps the
     * same tolerance but not every step of R's bookkeeping.
     */
    private static final double LAMBDA_TOL = 3e-4;

    @Test
    void guerrero_rDatasets_matchesBoxCoxLambda() {
        RReference ref = RReference.load("boxcox-lambda.csv");
        for (int i = 0; i < LAMBDA_SERIES.length; i++) {
            int period = (int) ref.column("frequency")[i];
            double[] x = LAMBDA_SERIES[i];
            assertEquals(ref.column("default")[i], BoxCox.guerrero(x, period, -1, 2), LAMBDA_TOL, "series " + (i + 1));
            assertEquals(ref.column("unit")[i], BoxCox.guerrero(x, period, 0, 1), LAMBDA_TOL, "series " + (i + 1));
        }
    }

    @Test
    void guerrero_airPassengers_isThePublishedValue() {
        // BoxCox.lambda(AirPassengers) prints -0.2947156 in forecast 8.20, and Hyndman and Athanasopoulos's
        // textbook quotes lambda = -0.29 for it.
        assertEquals(-0.2947156, BoxCox.guerrero(RDatasets.AIRPASSENGERS, 12, -1, 2), LAMBDA_TOL);
    }

    @Test
    void guerrero_tooFewValues_isRejectedWithTheCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BoxCox.guerrero(new double[] {1, 2, 3}, 12, -1, 2));
        assertTrue(e.getMessage().contains("two subseries of 12 values, had 3 values"), e.getMessage());
    }

    @Test
    void inverseMean_matchesInvBoxCoxWithBiasAdjustment() {
        // R: InvBoxCox(c(1.5, 2, 2.5), lambda, biasadj = TRUE, fvar = c(0.01, 0.04, 0.09))
        double[] y = {1.5, 2.0, 2.5};
        double[] fvar = {0.01, 0.04, 0.09};
        double[] at03 = {3.45633399711206, 4.81690986122235, 6.52485764468839};
        double[] at0 = {4.50409751568975, 7.53683722090926, 12.73070618893513};
        for (int i = 0; i < 3; i++) {
            assertEquals(at03[i], BoxCox.inverseMean(y[i], fvar[i], 0.3), 1e-12);
            assertEquals(at0[i], BoxCox.inverseMean(y[i], fvar[i], 0), 1e-12);
        }
        // R: BoxCox(c(1, 5, 10), 0.5)
        assertEquals(0, BoxCox.forward(1, 0.5), 1e-15);
        assertEquals(2.47213595499958, BoxCox.forward(5, 0.5), 1e-12);
        assertEquals(4.32455532033676, BoxCox.forward(10, 0.5), 1e-12);
    }

    /**
     * The bias adjustment is {@code fvar / 2} times the inverse's second derivative; checked here against
     * that derivative by central differences, on both sides of the point where the median changes sign
     * (below it R's formula gives NaN).
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.25, 0.5, 0.9999, 1.3})
    void inverseMean_isTheSecondOrderExpansionOnBothSidesOfZero(double lambda) {
        double fvar = 0.04;
        double d = 1e-4;
        for (double x : new double[] {-5, -0.7, -0.2, 0.2, 0.7, 5}) {
            double y = (Math.signum(x) * Math.pow(Math.abs(x), lambda) - 1) / lambda;
            double second = (BoxCox.inverse(y + d, lambda) - 2 * BoxCox.inverse(y, lambda)
                    + BoxCox.inverse(y - d, lambda)) / (d * d);
            double expected = BoxCox.inverse(y, lambda) + 0.5 * fvar * second;
            double got = BoxCox.inverseMean(y, fvar, lambda);
            assertTrue(Double.isFinite(got), "x=" + x);
            assertEquals(expected, got, 1e-5 * Math.max(1, Math.abs(x)), "x=" + x);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, -0.3, 0, 0.25, 0.5, 1, 1.7, 2})
    void inverse_undoesForward(double lambda) {
        for (double x : new double[] {0.01, 0.5, 1, 3.7, 250, 1e5}) {
            assertEquals(x, BoxCox.inverse(BoxCox.forward(x, lambda), lambda), 1e-9 * x, "x=" + x);
        }
    }

    @Test
    void inverse_beyondTheNegativePole_isInfinite() {
        assertEquals(Double.POSITIVE_INFINITY, BoxCox.inverse(2.5, -0.5));
    }

    @Test
    void boxCox_logAirlineModel_matchesForecastWithBiasAdj() {
        checkAgainst("boxcox-airline-biasadj.csv",
                Forecasters.boxCox(Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12)), 0),
                RDatasets.AIRPASSENGERS, 24);
    }

    @Test
    void boxCox_squareRootArima_matchesForecastWithBiasAdj() {
        checkAgainst("boxcox-wwwusage-biasadj.csv", Forecasters.boxCox(Forecasters.arima(1, 1, 1), 0.5),
                RDatasets.WWWUSAGE, 12);
    }

    private static void checkAgainst(String file, Forecaster f, double[] data, int h) {
        RReference ref = RReference.load(file);
        FittedModel m = f.fit(TimeSeries.ofValues(data));
        Forecast fc = m.forecast(h, 80, 95);
        for (int t = 0; t < h; t++) {
            // The ARIMA coefficients agree with R's to about 1e-4 on the transformed scale.
            double tol = 5e-4 * ref.column("mean")[t];
            assertEquals(ref.column("mean")[t], fc.mean(t), tol, "mean at " + t);
            assertEquals(ref.column("lo80")[t], fc.lower(80)[t], tol, "lo80 at " + t);
            assertEquals(ref.column("hi80")[t], fc.upper(80)[t], tol, "hi80 at " + t);
            assertEquals(ref.column("lo95")[t], fc.lower(95)[t], tol, "lo95 at " + t);
            assertEquals(ref.column("hi95")[t], fc.upper(95)[t], tol, "hi95 at " + t);
        }
        assertTrue(m.parameters().containsKey("lambda"), m.parameters().toString());
    }

    @Test
    void boxCoxGuerrero_choosesLambdaOnTheSeriesItFits_andUpdates() {
        FittedModel m = Forecasters.boxCoxGuerrero(Forecasters.ets("ANN", 1), 12)
                .fit(TimeSeries.ofValues(RDatasets.AIRPASSENGERS));
        assertEquals(6.6106961351896086e-05, m.parameters().get("lambda"), LAMBDA_TOL);
        assertEquals("boxcox(ets(ANN,1))", m.forecaster().name());
        assertTrue(m.description().startsWith("Box-Cox lambda=0.0"), m.description());
        assertTrue(m.description().contains("(Guerrero, subseries of 12), bias-adjusted means; ETS(A,N,N)"), m.description());
        FittedModel head = Forecasters.boxCoxGuerrero(Forecasters.ets("ANN", 1), 12)
                .fit(TimeSeries.ofValues(java.util.Arrays.copyOf(RDatasets.AIRPASSENGERS, 132)));
        FittedModel updated = head.update(TimeSeries.of(Instant.EPOCH.plus(Duration.ofHours(132)), Duration.ofHours(1),
                java.util.Arrays.copyOfRange(RDatasets.AIRPASSENGERS, 132, 144)));
        assertEquals(144, updated.history().size());
        assertEquals(head.parameters().get("lambda"), updated.parameters().get("lambda"));
        assertEquals(head.parameters().get("alpha"), updated.parameters().get("alpha"));
        assertTrue(updated.forecast(3, 95).mean(0) > 300, updated.description());
    }

    @Test
    void boxCox_valuesOutsideTheDomain_failTheFitNamingTheValue() {
        TimeSeries withZero = TimeSeries.ofValues(5, 3, 0, 4, 6, 2, 3, 5);
        ModelFitException e = assertThrows(ModelFitException.class,
                () -> Forecasters.boxCox(Forecasters.naive(), 0).fit(withZero));
        assertTrue(e.getMessage().contains("value 0.0 at index 2"), e.getMessage());
        // A positive power takes zeros.
        Forecasters.boxCox(Forecasters.naive(), 0.5).fit(withZero);
        assertThrows(IllegalArgumentException.class, () -> Forecasters.boxCox(Forecasters.naive(), 2.5));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.5, 0.99})
    void boxCox_trendCarriedBelowZero_givesFiniteBiasAdjustedMeans(double lambda) {
        // A steady fall that a linear trend on the transformed scale carries past -1/lambda: the median and
        // the mean go negative, and the forecast stays finite instead of failing at that step.
        Random r = new Random(7);
        double[] v = new double[36];
        for (int t = 0; t < v.length; t++) {
            v[t] = 20 - 0.5 * t + 0.2 * r.nextGaussian();
        }
        Forecast f = Forecasters.boxCox(Forecasters.ets("AAN", 1), lambda).fit(TimeSeries.ofValues(v)).forecast(40, 95);
        for (int t = 0; t < 40; t++) {
            assertTrue(Double.isFinite(f.mean(t)) && f.lower(95)[t] <= f.mean(t) && f.mean(t) <= f.upper(95)[t],
                    "step " + t + ": " + f.mean(t));
        }
        assertTrue(f.mean(39) < 0, "the trend was not carried below zero: " + f.mean(39));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void boxCoxGuerrero_positiveSeries_givesOrderedFiniteForecasts(long seed) {
        Random r = new Random(seed);
        double[] v = new double[120];
        double level = 10;
        for (int t = 0; t < v.length; t++) {
            level *= Math.exp(0.01 + 0.05 * r.nextGaussian());
            v[t] = level * (1 + 0.3 * Math.sin(2 * Math.PI * t / 12));
        }
        Forecast f = Forecasters.boxCoxGuerrero(Forecasters.theta(12), 12).fit(TimeSeries.ofValues(v))
                .forecast(24, 80, 95);
        for (int t = 0; t < 24; t++) {
            assertTrue(f.lower(95)[t] <= f.lower(80)[t] && f.lower(80)[t] <= f.mean(t) && f.mean(t) <= f.upper(80)[t]
                    && f.upper(80)[t] <= f.upper(95)[t], "step " + t);
            assertTrue(f.lower(95)[t] > 0, "step " + t);
        }
    }

    @Test
    void guerrero_twoSubseries_equalisesTheirRatios() {
        // With two subseries the coefficient of variation is zero where sd / mean^(1 - lambda) agree:
        // 1 - lambda = ln(sd2 / sd1) / ln(mean2 / mean1). {4, 6} and {18, 22} (the first value, left over,
        // is not used): means 5 and 20, sds sqrt(2) and 2 sqrt(2), so lambda = 1 - ln 2 / ln 4 = 0.5.
        // R 4.2.2, forecast 8.20: forecast:::guerrero(ts(c(100, 4, 6, 18, 22), frequency = 2), -1, 2) is 0.5.
        assertEquals(0.5, BoxCox.guerrero(new double[] {100, 4, 6, 18, 22}, 2, -1, 2), LAMBDA_TOL);
    }

    @Test
    void guerrero_aZeroValue_raisesTheLowerLimitToZero() {
        // {1, 3} and {0, 50}: the ratios agree at 1 - lambda = ln 25 / ln 12.5, lambda = -0.274; a zero among
        // the values keeps lambda at least 0, and the objective rises from there, so the minimum is at 0.
        // R 4.2.2, forecast 8.20: BoxCox.lambda(ts(c(1, 3, 0, 50), frequency = 2), lower = -1, upper = 2)
        // returns 1 (too short for R), and forecast:::guerrero(same, lower = 0, upper = 2) is 4.1e-05.
        double[] x = {1, 3, 0, 50};
        assertEquals(0, BoxCox.guerrero(x, 2, -1, 2), LAMBDA_TOL);
        assertEquals(1 - Math.log(25) / Math.log(12.5), BoxCox.guerrero(new double[] {1, 3, 0.001, 50}, 2, -1, 2),
                0.01);
        // The raised limit meets the upper one: the only value left.
        assertEquals(0, BoxCox.guerrero(x, 2, -1, 0), 0);
        assertEquals(0.5, BoxCox.guerrero(new double[] {100, 4, 6, 18, 22}, 2, 0.5, 0.5), 0);
    }

    @Test
    void inverse_atTheNegativePole_isInfinite() {
        // y = -1 / lambda makes y lambda + 1 exactly 0, where x^lambda (lambda < 0) has no finite x.
        assertEquals(Double.POSITIVE_INFINITY, BoxCox.inverse(2, -0.5));
        assertEquals(Double.POSITIVE_INFINITY, BoxCox.inverse(1, -1));
    }

    @Test
    void boxCoxGuerrero_twoCyclesExactly_usesTheSeasonalSubseries_andPairsBelow() {
        // R 4.2.2, forecast 8.20: forecast:::guerrero(ts(USAccDeaths[1:24], frequency = 12), 0, 1) is
        // 0.234043212316612, and over pairs forecast:::guerrero(ts(USAccDeaths[1:23], frequency = 1), 0, 1) is
        // 0.999933893038648 (R's BoxCox.lambda returns 1 for either length, before any search).
        Forecaster f = Forecasters.boxCoxGuerrero(Forecasters.naive(), 12);
        FittedModel two = f.fit(TimeSeries.ofValues(java.util.Arrays.copyOf(RDatasets.USACCDEATHS, 24)));
        assertEquals(0.234043212316612, two.parameters().get("lambda"), LAMBDA_TOL);
        assertTrue(two.description().contains("(Guerrero, subseries of 12)"), two.description());
        FittedModel less = f.fit(TimeSeries.ofValues(java.util.Arrays.copyOf(RDatasets.USACCDEATHS, 23)));
        assertEquals(0.999933893038648, less.parameters().get("lambda"), LAMBDA_TOL);
        assertTrue(less.description().contains("(Guerrero, subseries of 2)"), less.description());
    }

    @Test
    void boxCox_lambdaRange_includesItsEnds() {
        assertEquals("boxcox[-1.0](naive)", Forecasters.boxCox(Forecasters.naive(), -1).name());
        assertEquals("boxcox[2.0](naive)", Forecasters.boxCox(Forecasters.naive(), 2).name());
        assertThrows(IllegalArgumentException.class, () -> Forecasters.boxCox(Forecasters.naive(), -1.001));
        assertThrows(IllegalArgumentException.class, () -> Forecasters.boxCox(Forecasters.naive(), 2.001));
        assertThrows(IllegalArgumentException.class, () -> Forecasters.boxCox(Forecasters.naive(), Double.NaN));
    }

    @Test
    void boxCox_namesAndParameters_sayTheTransformationAndTheModels() {
        Forecaster log = Forecasters.boxCox(Forecasters.ets("ANN", 1), 0);
        assertEquals("log(ets(ANN,1))", log.name());
        assertEquals(log.name(), log.toString());
        assertEquals("boxcox[0.5](naive)", Forecasters.boxCox(Forecasters.naive(), 0.5).name());
        TimeSeries s = TimeSeries.ofValues(RDatasets.WWWUSAGE);
        FittedModel m = log.fit(s);
        FittedModel inner = Forecasters.ets("ANN", 1).fit(TimeSeries.ofValues(
                java.util.Arrays.stream(RDatasets.WWWUSAGE).map(Math::log).toArray()));
        // lambda first, then the model's own parameters on the log scale.
        java.util.List<String> keys = new java.util.ArrayList<>(m.parameters().keySet());
        assertEquals("lambda", keys.get(0));
        assertEquals(new java.util.ArrayList<>(inner.parameters().keySet()), keys.subList(1, keys.size()));
        assertEquals(inner.parameters().get("alpha"), m.parameters().get("alpha"), 1e-12);
        assertEquals(m.description(), m.toString());
        assertTrue(m.description().startsWith("Box-Cox lambda=0.0000 (fixed), bias-adjusted means; ETS(A,N,N)"),
                m.description());
    }

    @Test
    void boxCox_notes_areTheModels() {
        // A model cleaned of outliers notes the values it replaced; here on the log scale.
        double[] x = new double[20];
        for (int t = 0; t < x.length; t++) {
            x[t] = t == 10 ? 500 : 10 + t % 3;
        }
        java.util.List<String> own = Forecasters.cleaned(Forecasters.naive())
                .fit(TimeSeries.ofValues(java.util.Arrays.stream(x).map(Math::log).toArray())).notes();
        assertFalse(own.isEmpty(), own.toString());
        assertEquals(own, Forecasters.boxCox(Forecasters.cleaned(Forecasters.naive()), 0).fit(TimeSeries.ofValues(x))
                .notes());
    }

    @Test
    void boxCox_forecastPastThePole_failsNamingTheFirstStepWithoutABackTransformation() {
        // At lambda = -1 the transformed value 1 - 1/x stays below 1; a naive forecast's 95% upper bound
        // climbs with the square root of the step and crosses 1 at some step, where no x maps to it. The
        // step is read from the naive forecast of the transformed series itself.
        double[] x = {10, 11, 10.5, 11.5, 11, 12, 11.5, 12.5};
        double[] y = java.util.Arrays.stream(x).map(v -> 1 - 1 / v).toArray();
        double[] upper = Forecasters.naive().fit(TimeSeries.ofValues(y)).forecast(200, 95).upper(95);
        int first = 0;
        while (upper[first] < 1) {
            first++;
        }
        assertTrue(first > 5, "the crossing must come after a few steps: " + first);
        FittedModel m = Forecasters.boxCox(Forecasters.naive(), -1).fit(TimeSeries.ofValues(x));
        assertEquals(first, m.forecast(first, 95).horizon());
        ModelFitException e = assertThrows(ModelFitException.class, () -> m.forecast(200, 95));
        assertTrue(e.getMessage().contains("boxcox[-1.0](naive): the forecast at step " + (first + 1)
                + " has no finite back-transformation with lambda -1.0000"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.5, 1})
    void boxCox_seriesOfZeros_forecastsZeroAtEveryLambda(double lambda) {
        // A median of exactly 0 has a mean of 0: the bias adjustment's term vanishes there, where the formula
        // itself gives 0 * (0 / 0).
        TimeSeries zeros = TimeSeries.ofValues(new double[48]);
        Forecast f = Forecasters.boxCox(Forecasters.ets(1), lambda).fit(zeros).forecast(24, 80, 95);
        for (int t = 0; t < 24; t++) {
            assertEquals(0, f.mean(t), 0, "step " + t);
            assertEquals(0, f.quantile(0.5, t), 0, "step " + t);
            assertEquals(0, f.upper(95)[t], 0, "step " + t);
        }
        assertEquals(0, BoxCox.inverseMean(-1 / lambda, 4, lambda), 0);
    }

    @Test
    void boxCoxGuerrero_seriesOfZeros_forecastsZero() {
        Forecast f = Forecasters.boxCoxGuerrero(Forecasters.ets(1), 1).fit(TimeSeries.ofValues(new double[48]))
                .forecast(12, 95);
        for (int t = 0; t < 12; t++) {
            assertEquals(0, f.mean(t), 0, "step " + t);
        }
    }

    @Test
    void boxCoxGuerrero_zerosWhereTheChoiceIsTheLog_areRefusedNamingTheFirst() {
        // A cycle of 3, 4, 5, then zeros: Guerrero's search ends at its lower limit, the log, a hair above 0; a 0
        // would be transformed to about -1/lambda, far below every other value.
        double[] v = new double[48];
        for (int t = 0; t < 40; t++) {
            v[t] = 3 + t % 3;
        }
        TimeSeries s = TimeSeries.ofValues(v);
        double lambda = BoxCox.guerrero(v, 1, BoxCoxTransformed.GUERRERO_LOWER, BoxCoxTransformed.GUERRERO_UPPER);
        assertTrue(lambda > 0 && lambda < 1e-3, "the case must choose the log: " + lambda);
        ModelFitException e = assertThrows(ModelFitException.class,
                () -> Forecasters.boxCoxGuerrero(Forecasters.naive(), 1).fit(s));
        assertTrue(e.getMessage().contains("value 0.0 at index 40") && e.getMessage().contains("is the log"),
                e.getMessage());
        assertFalse(e.getMessage().contains("0.0000"), e.getMessage());
    }

    @Test
    void boxCox_logNaive_medianAndQuantilesAreTheTransformedModels() {
        // The log of a random walk forecast by naive: the median is exp(last log) at every step, and every quantile
        // the exponential of the model's, while the mean is bias-adjusted above them.
        Random r = new Random(3);
        double[] v = new double[60];
        double level = 0;
        for (int t = 0; t < v.length; t++) {
            level += 0.4 * r.nextGaussian();
            v[t] = Math.exp(5 + level);
        }
        TimeSeries s = TimeSeries.ofValues(v);
        Forecast f = Forecasters.boxCox(Forecasters.naive(), 0).fit(s).forecast(30, 10, 80, 95);
        Forecast logs = Forecasters.naive().fit(TimeSeries.ofValues(java.util.Arrays.stream(v).map(Math::log).toArray()))
                .forecast(30, 10, 80, 95);
        for (int t = 0; t < 30; t++) {
            assertEquals(v[v.length - 1], f.quantile(0.5, t), 1e-9 * v[v.length - 1], "step " + t);
            assertEquals(Math.exp(logs.upper(10)[t]), f.upper(10)[t], 1e-9 * f.upper(10)[t], "step " + t);
            assertEquals(Math.exp(logs.lower(10)[t]), f.lower(10)[t], 1e-9 * f.lower(10)[t], "step " + t);
            // The 10% interval's lower bound is the 0.45 quantile; 0.47 lies between it and the median.
            assertEquals(f.lower(10)[t], f.quantile(0.45, t), 0, "step " + t);
            assertTrue(f.quantile(0.47, t) > f.lower(10)[t] && f.quantile(0.47, t) < f.quantile(0.5, t), "step " + t);
            assertTrue(f.mean(t) > f.quantile(0.5, t), "step " + t);
        }
        assertTrue(f.mean(29) > f.upper(10)[29], "the mean of a skewed distribution lies outside its 10% interval");
    }
}
