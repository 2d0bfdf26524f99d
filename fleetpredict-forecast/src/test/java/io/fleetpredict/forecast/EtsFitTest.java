package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.RForecastReference.RFit;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state-space recursions, likelihood, forecasts and intervals of a fitted ETS model, with R's
 * parameters and initial states plugged in, against the numbers R's forecast 8.20 computes from them
 * (provenance in {@link RForecastReference}).
 */
class EtsFitTest {

    static Stream<RFit> allCases() {
        return Stream.of(RForecastReference.USACCDEATHS_AAA, RForecastReference.USACCDEATHS_ANA,
                RForecastReference.USACCDEATHS_AADA, RForecastReference.AIRPASSENGERS_MAM,
                RForecastReference.AIRPASSENGERS_MNM, RForecastReference.LDEATHS_MADM, RForecastReference.LDEATHS_MNA,
                RForecastReference.NOTTEM_AADA, RForecastReference.WWWUSAGE_AADN, RForecastReference.WWWUSAGE_MAN,
                RForecastReference.AUSTRES_AAN, RForecastReference.AUSTRES_MADA, RForecastReference.AUSTRES_ANN);
    }

    static Stream<RFit> analyticIntervalCases() {
        return allCases().filter(r -> r.lower80 != null);
    }

    private static EtsFit withRParameters(RFit r) {
        return StateSpaceEts.withParameters(r.etsSpec(), r.period, r.parameters(), r.init, r.series());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void filter_rParameters_matchesRLikelihoodAicAndSigma2(RFit r) {
        EtsFit fit = withRParameters(r);
        // R prints loglik and aicc with 10 decimals and sigma2 with 12 significant digits.
        assertEquals(r.loglik, fit.logLikelihood(), 2e-10 * Math.abs(r.loglik) + 1e-9, "loglik");
        assertEquals(r.aicc, fit.aicc(), 2e-10 * Math.abs(r.aicc) + 1e-9, "aicc");
        assertEquals(r.sigma2, fit.sigma2(), 1e-10 * r.sigma2, "sigma2");
        assertEquals(r.loglik, fit.parameters().get("loglik"), 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void filter_rParameters_reachesRFinalStateAndPointForecasts(RFit r) {
        EtsFit fit = withRParameters(r);
        double[] state = fit.finalState();
        for (int i = 0; i < state.length; i++) {
            assertEquals(r.finalState[i], state[i], 1e-9 * Math.max(1, Math.abs(r.finalState[i])), "state " + i);
        }
        double[] mean = fit.forecast(24).mean();
        // R's damped ETS(M,Ad,M) reference is etsforecast, right only at step 1 (see RForecastReference).
        int steps = r.etsSpec().damped() && r.etsSpec().season() == EtsSpec.Season.MULTIPLICATIVE ? 1 : 24;
        for (int h = 0; h < steps; h++) {
            assertEquals(r.point[h], mean[h], 1e-9 * Math.abs(r.point[h]), "step " + h);
        }
    }

    /**
     * Analytic intervals (classes 1 and 2) against R's {@code forecast(fit, h = 24)}. For models with a
     * season and no trend (ANA, MNA) R 8.20's {@code class1} places gamma in the second seasonal slot
     * of G when there is no slope state, which shifts the seasonal term of c_j to j = m - 1 instead of
     * j = m (table 6.1 of Hyndman et al. 2008): the intervals agree up to step m - 1 = 11 and differ
     * from there; this implementation follows the book.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("analyticIntervalCases")
    void forecast_analyticClasses_intervalsMatchR(RFit r) {
        EtsFit fit = withRParameters(r);
        Forecast f = fit.forecast(24, 80, 95);
        int steps = r.etsSpec().seasonal() && !r.etsSpec().trended() ? r.period - 1 : 24;
        double[] lo = f.lower(80);
        double[] hi = f.upper(95);
        for (int h = 0; h < steps; h++) {
            assertEquals(r.lower80[h], lo[h], 1e-9 * Math.abs(r.lower80[h]) + 1e-9, "lower 80 step " + h);
            assertEquals(r.upper95[h], hi[h], 1e-9 * Math.abs(r.upper95[h]) + 1e-9, "upper 95 step " + h);
        }
    }

    /**
     * Multiplicative-error intervals far out against R: R 4.2.2 Patched, forecast 8.20,
     * {@code fit <- ets(WWWusage, model = spec, damped = d); fit$par;
     * f <- forecast(fit, h = 200, level = 95); f$lower[c(1, 10, 50, 200), 1]; f$upper[c(1, 10, 50, 200), 1]}
     * printed with {@code sprintf("%.17g")}; R's parameters and initial states are plugged in.
     */
    static Stream<Object[]> class2Cases() {
        return Stream.of(
                new Object[] {"MNN", new EtsParameters(0.99989999998358403, 0, 0, 1), new double[] {87.837129058330703},
                    new double[] {200.57062781426905, 158.28253181873797, 79.14022626748087, -84.956050581582389},
                    new double[] {239.42977226580066, 281.71786826133177, 360.86017381258887, 524.95645066165207}},
                new Object[] {"MAN", new EtsParameters(0.99989915162651255, 0.9998756892020596, 0, 1),
                    new double[] {85.258112007341211, 3.4412220823310333},
                    new double[] {205.19560950903303, -49.925539127670646, -5302.0028659562231, -72957579.355016559},
                    new double[] {230.80308595742338, 449.91612498015047, 5541.9574090799179, 72957219.174399436}},
                new Object[] {"MAdN", new EtsParameters(0.99989994246291025, 0.99989924515030015, 0, 0.80000016771149784),
                    new double[] {84.958707424123247, 0.87692790612337324},
                    new double[] {206.09272863806538, 80.958439863294103, -262.04018014500559, -2303.7614807506602},
                    new double[] {230.70645264069859, 344.75671632656588, 686.03726216432563, 2727.758334366476}});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("class2Cases")
    void forecast_multiplicativeErrorFarOut_intervalsMatchR(String spec, EtsParameters p, double[] init,
            double[] lower95, double[] upper95) {
        EtsFit fit = StateSpaceEts.withParameters(EtsSpec.parse(spec), 1, p, init, TimeSeries.ofValues(RDatasets.WWWUSAGE));
        Forecast f = fit.forecast(200, 95);
        int[] steps = {1, 10, 50, 200};
        for (int k = 0; k < steps.length; k++) {
            int h = steps[k] - 1;
            assertEquals(lower95[k], f.lower(95)[h], 1e-9 * Math.abs(lower95[k]) + 1e-9, "lower 95 step " + steps[k]);
            assertEquals(upper95[k], f.upper(95)[h], 1e-9 * Math.abs(upper95[k]) + 1e-9, "upper 95 step " + steps[k]);
        }
    }

    static Stream<Object[]> class2Models() {
        return Stream.of("MNN", "MAN", "MAdN", "MNA", "MAA", "MAdA")
                .flatMap(spec -> Stream.of(1L, 2L, 3L, 4L, 5L).map(seed -> new Object[] {spec, seed}));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("class2Models")
    void class2Variance_onePass_equalsTheDoubleLoopOfTheFormula(String name, long seed) {
        Random random = new Random(seed);
        EtsSpec spec = EtsSpec.parse(name);
        int period = spec.seasonal() ? 2 + random.nextInt(11) : 1;
        double alpha = 0.05 + 0.9 * random.nextDouble();
        double beta = spec.trended() ? alpha * random.nextDouble() : 0;
        double gamma = spec.seasonal() ? (1 - alpha) * random.nextDouble() : 0;
        double phi = spec.damped() ? 0.8 + 0.18 * random.nextDouble() : 1;
        EtsParameters p = new EtsParameters(alpha, beta, gamma, phi);
        double sigma2 = 0.0005 + 0.01 * random.nextDouble();
        double[] mu = new double[300];
        for (int h = 0; h < mu.length; h++) {
            mu[h] = 50 + 100 * random.nextDouble();
        }
        double[] expected = class2VarianceByTheFormula(spec, period, p, mu, sigma2);
        double[] actual = EtsFit.class2Variance(spec, period, p, mu, sigma2);
        for (int h = 0; h < mu.length; h++) {
            assertEquals(expected[h], actual[h], 1e-11 * expected[h], "step " + (h + 1));
        }
    }

    @Test
    void forecast_multiplicativeErrorVarianceOverflowing_namesTheModelTheStepAndTheCause() {
        // alpha = beta = 0.95 on WWWusage: theta_h grows geometrically and passes a double within 10,000 steps
        // (R's formula does the same); the bounds were -Infinity and the message blamed the series' values.
        EtsFit fit = StateSpaceEts.withParameters(EtsSpec.parse("MAN"), 1, new EtsParameters(0.95, 0.95, 0, 1),
                new double[] {85.258112007341211, 3.4412220823310333}, TimeSeries.ofValues(RDatasets.WWWUSAGE));
        ForecastException e = assertThrows(ForecastException.class, () -> fit.forecast(10_000, 80, 95));
        assertTrue(e.getMessage().startsWith("ETS(M,A,N): the forecast variance overflows a double at step "),
                e.getMessage());
        assertTrue(e.getMessage().contains("ask for fewer steps, or for no intervals"), e.getMessage());
        assertEquals(10_000, fit.forecast(10_000).horizon());

        // The step named is the first whose interval cannot be given: one step fewer has intervals.
        Matcher m = Pattern.compile("at step (\\d+) of 10000 ").matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        int step = Integer.parseInt(m.group(1));
        assertTrue(Double.isFinite(fit.forecast(step - 1, 80, 95).upper(95)[step - 2]));
        ForecastException atStep = assertThrows(ForecastException.class, () -> fit.forecast(step, 80, 95));
        assertTrue(atStep.getMessage().contains("at step " + step + " of " + step + " "), atStep.getMessage());
    }

    /**
     * Hyndman et al. (2008) section 6.3 as written: {@code theta_h = mu_h^2 + sigma2 sum_(j=1..h) c_j^2
     * theta_(h-j)}, {@code c_j = alpha + beta (phi + ... + phi^j) + gamma [j mod m = 0]}, a double loop.
     */
    private static double[] class2VarianceByTheFormula(EtsSpec spec, int period, EtsParameters p, double[] mu,
            double sigma2) {
        int horizon = mu.length;
        double[] c = new double[horizon];
        double phiJ = 0;
        for (int j = 1; j < horizon; j++) {
            phiJ += Math.pow(p.phi(), j);
            c[j] = p.alpha() + (spec.trended() ? p.beta() * phiJ : 0) + (spec.seasonal() && j % period == 0 ? p.gamma() : 0);
        }
        double[] theta = new double[horizon];
        double[] var = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            double t = mu[h] * mu[h];
            for (int j = 1; j <= h; j++) {
                t += sigma2 * c[j] * c[j] * theta[h - j];
            }
            theta[h] = t;
            var[h] = (1 + sigma2) * t - mu[h] * mu[h];
        }
        return var;
    }

    @Test
    void forecast_dampedMultiplicativeSeason_followsTheBookFromRsFinalState() {
        // Hyndman et al. (2008) table 2.1, ETS(M,Ad,M): y(n+h|n) = (l + (phi + ... + phi^h) b) s(n-m+h_m+).
        RFit r = RForecastReference.LDEATHS_MADM;
        double[] x = r.finalState;
        double phi = r.par[3];
        double[] mean = withRParameters(r).forecast(24).mean();
        double damp = 0;
        for (int h = 1; h <= 24; h++) {
            damp += Math.pow(phi, h);
            double season = x[2 + Math.floorMod(12 - h, 12)];
            assertEquals((x[0] + damp * x[1]) * season, mean[h - 1], 1e-9 * mean[h - 1], "step " + h);
        }
    }

    @Test
    void forecast_seasonalWithoutTrend_varianceGrowsByGammaAtFullPeriods() {
        // Table 6.1: ANA has c_j = alpha + gamma [j mod m = 0], so var_(h+1) - var_h = sigma2 c_h^2.
        RFit r = RForecastReference.USACCDEATHS_ANA;
        EtsFit fit = withRParameters(r);
        Forecast f = fit.forecast(25, 95);
        double z = 1.959963984540054;
        double alpha = r.par[0];
        double gamma = r.par[1];
        double[] hi = f.upper(95);
        for (int h = 1; h < 25; h++) {
            double varNow = Math.pow((hi[h] - f.mean(h)) / z, 2);
            double varBefore = Math.pow((hi[h - 1] - f.mean(h - 1)) / z, 2);
            double c = alpha + (h % 12 == 0 ? gamma : 0);
            assertEquals(fit.sigma2() * c * c, varNow - varBefore, 1e-6 * varNow, "step " + h);
        }
    }

    @Test
    void forecast_multiplicativeSeason_simulatedIntervalsAreDeterministicAndBracketThePointForecast() {
        EtsFit fit = withRParameters(RForecastReference.AIRPASSENGERS_MAM);
        Forecast a = fit.forecast(24, 80, 95);
        Forecast b = fit.forecast(24, 80, 95);
        assertEquals(a, b);
        double[] lo95 = a.lower(95);
        double[] hi95 = a.upper(95);
        double[] lo80 = a.lower(80);
        double[] hi80 = a.upper(80);
        for (int h = 0; h < 24; h++) {
            assertTrue(lo95[h] < lo80[h] && lo80[h] < a.mean(h) && a.mean(h) < hi80[h] && hi80[h] < hi95[h], "step " + h);
        }
        // With relative errors of sd 0.04 the one-step 95% interval is about mean * (1 +- 1.96 * 0.0398).
        double sd = Math.sqrt(fit.sigma2());
        assertEquals(a.mean(0) * 1.96 * sd, hi95[0] - a.mean(0), 0.05 * a.mean(0) * 1.96 * sd);
    }

    @Test
    void update_newObservations_equalsFixedParameterRunOnTheExtendedSeries() {
        RFit r = RForecastReference.USACCDEATHS_AADA;
        TimeSeries full = r.series();
        TimeSeries head = full.head(60);
        EtsFit onHead = StateSpaceEts.withParameters(r.etsSpec(), r.period, r.parameters(), r.init, head);
        EtsFit updated = (EtsFit) onHead.update(full.slice(60, 72));
        EtsFit direct = withRParameters(r);
        assertArrayEquals(direct.finalState(), updated.finalState(), 0);
        assertEquals(direct.history(), updated.history());
        assertEquals(direct.logLikelihood(), updated.logLikelihood(), 1e-9 * Math.abs(direct.logLikelihood()));
        assertEquals(direct.sigma2(), updated.sigma2(), 1e-9 * direct.sigma2());
        assertArrayEquals(direct.forecast(12, 95).upper(95), updated.forecast(12, 95).upper(95), 1e-6);
        assertArrayEquals(onHead.initialState(), updated.initialState(), 0);
        assertEquals(onHead.smoothing(), updated.smoothing());
    }

    @Test
    void update_estimatedModel_keepsParametersAndMatchesFilteringTheExtendedSeries() {
        TimeSeries full = TimeSeries.ofValues(RForecastReference.LDEATHS_MNA.data);
        EtsFit fit = (EtsFit) Forecasters.ets("MNA", 12).fit(full.head(48));
        EtsFit updated = (EtsFit) fit.update(full.slice(48, 60)).update(full.slice(60, 72));
        EtsFit refiltered = StateSpaceEts.withParameters(fit.spec(), 12, fit.smoothing(), fit.initialState(), full);
        assertArrayEquals(refiltered.finalState(), updated.finalState(), 0);
        assertEquals(refiltered.logLikelihood(), updated.logLikelihood(), 1e-9 * Math.abs(refiltered.logLikelihood()));
        assertEquals(fit.parameters().get("alpha"), updated.parameters().get("alpha"));
        assertNotEquals(fit, updated);
    }

    @Test
    void update_seriesNotContinuingHistory_isRejected() {
        EtsFit fit = withRParameters(RForecastReference.AUSTRES_ANN);
        TimeSeries gap = TimeSeries.of(fit.history().timeAt(fit.history().size() + 1), fit.history().step(), 1.0);
        assertThrows(IllegalArgumentException.class, () -> fit.update(gap));
    }

    @Test
    void forecast_badArguments_areRejectedWithTheValue() {
        EtsFit fit = withRParameters(RForecastReference.AUSTRES_ANN);
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> fit.forecast(0));
        assertTrue(h.getMessage().contains("0"), h.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class, () -> fit.forecast(3, 100));
        assertTrue(l.getMessage().contains("100"), l.getMessage());
    }

    @Test
    void filter_initialStateOfWrongLength_isRejected() {
        RFit r = RForecastReference.USACCDEATHS_AAA;
        double[] shortState = Arrays.copyOf(r.init, 5);
        assertThrows(IllegalArgumentException.class,
                () -> StateSpaceEts.withParameters(r.etsSpec(), 12, r.parameters(), shortState, r.series()));
    }

    @Test
    void quantileType8_smallSample_matchesR() {
        // R 4.2.2: quantile(c(1, 2, 3, 4, 10), c(0.1, 0.3, 0.5, 0.8, 0.9), type = 8)
        //   -> 1, 1.93333333333333, 3, 7.6, 10
        double[] v = {1, 2, 3, 4, 10};
        assertEquals(1.0, EtsFit.quantileType8(v, 0.1), 1e-12);
        assertEquals(1.93333333333333, EtsFit.quantileType8(v, 0.3), 1e-12);
        assertEquals(3.0, EtsFit.quantileType8(v, 0.5), 1e-12);
        assertEquals(7.6, EtsFit.quantileType8(v, 0.8), 1e-12);
        assertEquals(10.0, EtsFit.quantileType8(v, 0.9), 1e-12);
    }

    /**
     * The quantiles of the simulated intervals, found by selection, are those of sorting the values first,
     * exactly, over seeded samples of several sizes with ties, infinities and NaN among them.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void quantilesType8_bySelection_equalSortedQuantiles(long seed) {
        Random r = new Random(seed);
        for (int n : new int[] {1, 2, 3, 17, 100, 5000}) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                double u = r.nextDouble();
                v[i] = u < 0.02 ? Double.NaN : u < 0.04 ? Double.POSITIVE_INFINITY
                        : u < 0.06 ? Double.NEGATIVE_INFINITY : u < 0.3 ? Math.floor(r.nextGaussian() * 3)
                        : r.nextGaussian() * 100;
            }
            double[] probabilities = {0.025, 0.975, 0.1, 0.9, 0.5, 0.0, 1.0, 0.3333};
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            double[] q = EtsFit.quantilesType8(v, probabilities);
            for (int i = 0; i < probabilities.length; i++) {
                double expected = EtsFit.quantileType8(sorted, probabilities[i]);
                assertEquals(expected, q[i], 0, "n " + n + " p " + probabilities[i]);
            }
        }
    }
}
