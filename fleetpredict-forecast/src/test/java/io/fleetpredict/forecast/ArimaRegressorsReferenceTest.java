package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Regression with ARIMA errors compared with R 4.2.2, {@code forecast} 8.20 (Debian r-cran-forecast), on
 * public datasets with a made-up dummy regressor. The R calls, with {@code options(digits = 12)}:
 * <pre>
 * y &lt;- as.numeric(LakeHuron); x &lt;- rep(0, 98); x[30:34] &lt;- 1; x[70:72] &lt;- 1
 * f1 &lt;- Arima(y, order = c(1,0,1), xreg = cbind(dummy = x))
 * forecast(f1, xreg = cbind(dummy = c(1,1,0,0)), level = c(80, 95))
 * f3 &lt;- Arima(y, order = c(1,1,0), include.drift = TRUE, xreg = cbind(dummy = x))
 * a &lt;- log(AirPassengers); z &lt;- rep(0, 144); z[50:52] &lt;- 1; z[100:102] &lt;- 1
 * f2 &lt;- Arima(a, order = c(0,1,1), seasonal = c(0,1,1), xreg = cbind(dummy = z))
 * auto.arima(y, xreg = cbind(dummy = x)); auto.arima(a, xreg = cbind(dummy = z))
 * </pre>
 * Both optimisers stop at a tolerance, so coefficients agree to about 1e-3.
 */
class ArimaRegressorsReferenceTest {

    private static final double COEF_TOL = 3e-3;
    private static final double LOGLIK_TOL = 2e-3;

    static Regressors dummy(int n, int extra, int[][] ones, double... future) {
        double[] v = new double[n + extra];
        for (int[] r : ones) {
            for (int i = r[0]; i <= r[1]; i++) {
                v[i - 1] = 1;
            }
        }
        System.arraycopy(future, 0, v, n, future.length);
        return Regressors.builder(Instant.EPOCH, Duration.ofHours(1), n + extra).column("dummy", v).build();
    }

    private static void assertCoefficients(FittedModel m, Map<String, Double> expected, double tol) {
        expected.forEach((name, value) ->
                assertEquals(value, m.parameters().get(name), tol, () -> name + " in " + m.description()));
    }

    @Test
    void arima101_lakeHuronWithDummy_matchesR() {
        double[] y = RDatasets.LAKE_HURON;
        Regressors all = dummy(y.length, 4, new int[][] {{30, 34}, {70, 72}}, 1, 1, 0, 0);
        FittedModel m = Forecasters.arima(1, 0, 1).fit(TimeSeries.ofValues(y), all.head(y.length));
        // coef: ar1 0.7448918749728 ma1 0.3182363142994 intercept 579.0499645744034 dummy 0.0740586358952;
        // loglik -103.224162113, sigma2 0.494959786465, aicc 217.100498138
        assertCoefficients(m, Map.of("ar1", 0.7448918749728, "ma1", 0.3182363142994, "intercept", 579.0499645744034,
                "dummy", 0.0740586358952), COEF_TOL);
        assertEquals(-103.224162113, m.parameters().get("loglik"), LOGLIK_TOL);
        assertEquals(0.494959786465, m.parameters().get("sigma2"), 1e-4);
        assertEquals(217.100498138, m.parameters().get("aicc"), 5e-3);
        assertEquals(java.util.List.of("dummy"), m.regressorNames());
        assertTrue(m.description().startsWith("Regression with ARIMA(1,0,1) with non-zero mean errors"),
                m.description());
        Forecast f = m.forecast(4, all.slice(y.length, y.length + 4), 80, 95);
        double[] mean = {579.807201686, 579.632917306, 579.429035652, 579.332331540};
        double[] lo95 = {578.428300806, 577.620363620, 577.139324430, 576.902434412};
        double[] hi80 = {580.708816510, 580.948855429, 580.926197346, 580.921155872};
        for (int h = 0; h < 4; h++) {
            assertEquals(mean[h], f.mean(h), 3e-3);
            assertEquals(lo95[h], f.lower(95)[h], 5e-3);
            assertEquals(hi80[h], f.upper(80)[h], 5e-3);
        }
    }

    @Test
    void arima110WithDrift_lakeHuronWithDummy_matchesR() {
        double[] y = RDatasets.LAKE_HURON;
        Regressors all = dummy(y.length, 4, new int[][] {{30, 34}, {70, 72}}, 1, 1, 0, 0);
        FittedModel m = Forecasters.arima(ArimaOrder.of(1, 1, 0), true).fit(TimeSeries.ofValues(y),
                all.head(y.length));
        // coef: ar1 0.13180567222116 drift -0.00189899659922 dummy 0.10550835863723; loglik -108.186139863,
        // sigma2 0.565726168626
        assertCoefficients(m, Map.of("ar1", 0.13180567222116, "drift", -0.00189899659922, "dummy",
                0.10550835863723), COEF_TOL);
        assertEquals(-108.186139863, m.parameters().get("loglik"), LOGLIK_TOL);
        assertEquals(0.565726168626, m.parameters().get("sigma2"), 1e-4);
        Forecast f = m.forecast(4, all.slice(y.length, y.length + 4), 95);
        double[] mean = {580.073086058, 580.072436143, 579.965193424, 579.963316128};
        double[] hi95 = {581.547268469, 582.298883096, 582.762877482, 583.235693672};
        for (int h = 0; h < 4; h++) {
            assertEquals(mean[h], f.mean(h), 3e-3);
            assertEquals(hi95[h], f.upper(95)[h], 5e-3);
        }
    }

    @Test
    void airlineModel_logAirPassengersWithDummy_matchesR() {
        double[] y = RDatasets.log(RDatasets.AIRPASSENGERS);
        Regressors all = dummy(y.length, 6, new int[][] {{50, 52}, {100, 102}}, 0, 0, 1, 1, 0, 0);
        FittedModel m = Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12)).fit(TimeSeries.ofValues(y),
                all.head(y.length));
        // coef: ma1 -0.425764923416 sma1 -0.546014098728 dummy 0.021531699401; loglik 245.662038006,
        // sigma2 0.00136375859469
        assertCoefficients(m, Map.of("ma1", -0.425764923416, "sma1", -0.546014098728, "dummy", 0.021531699401),
                COEF_TOL);
        assertEquals(245.662038006, m.parameters().get("loglik"), LOGLIK_TOL);
        assertEquals(0.00136375859469, m.parameters().get("sigma2"), 1e-6);
        Forecast f = m.forecast(6, all.slice(y.length, y.length + 6), 95);
        double[] mean = {6.11076974307, 6.05386255316, 6.19246369840, 6.21975805292, 6.23175645256, 6.36764936646};
        double[] lo95 = {6.03838999597, 5.97039813713, 6.09922320452, 6.11767342796, 6.12153507711, 6.24985194476};
        for (int h = 0; h < 6; h++) {
            assertEquals(mean[h], f.mean(h), 1e-3);
            assertEquals(lo95[h], f.lower(95)[h], 2e-3);
        }
    }

    @Test
    void autoArima_lakeHuronWithDummy_picksRandomWalkRegressionAsR() {
        double[] y = RDatasets.LAKE_HURON;
        Regressors all = dummy(y.length, 0, new int[][] {{30, 34}, {70, 72}});
        FittedModel m = Forecasters.autoArima(1).fit(TimeSeries.ofValues(y), all);
        // Regression with ARIMA(0,1,0) errors: dummy 0.18, loglik -108.99104737
        assertTrue(m.description().startsWith("Regression with ARIMA(0,1,0) errors"), m.description());
        assertEquals(0.18, m.parameters().get("dummy"), COEF_TOL);
        assertEquals(-108.99104737, m.parameters().get("loglik"), LOGLIK_TOL);
    }

    @Test
    void autoArima_logAirPassengersWithDummy_picksAirlineRegressionAsR() {
        double[] y = RDatasets.log(RDatasets.AIRPASSENGERS);
        Regressors all = dummy(y.length, 6, new int[][] {{50, 52}, {100, 102}}, 0, 0, 1, 1, 0, 0);
        FittedModel m = Forecasters.autoArima(12).fit(TimeSeries.ofValues(y), all.head(y.length));
        // Regression with ARIMA(0,1,1)(0,1,1)[12] errors: the coefficients of the airline fit above
        assertTrue(m.description().startsWith("Regression with ARIMA(0,1,1)(0,1,1)[12] errors"), m.description());
        assertCoefficients(m, Map.of("ma1", -0.425764923416, "sma1", -0.546014098728, "dummy", 0.021531699401),
                COEF_TOL);
        Forecast f = m.forecast(6, all.slice(y.length, y.length + 6));
        assertEquals(6.19246369840, f.mean(2), 1e-3);
    }

    @Test
    void forecast_withoutFutureRegressors_saysWhatIsMissing() {
        double[] y = RDatasets.LAKE_HURON;
        Regressors all = dummy(y.length, 4, new int[][] {{30, 34}});
        FittedModel m = Forecasters.arima(1, 0, 0).fit(TimeSeries.ofValues(y), all.head(y.length));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.forecast(4));
        assertTrue(e.getMessage().contains("[dummy]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> m.update(TimeSeries.of(Instant.EPOCH.plus(
                Duration.ofHours(y.length)), Duration.ofHours(1), 580.0)));
        // Future values must start where the history ends.
        IllegalArgumentException wrongStart = assertThrows(IllegalArgumentException.class,
                () -> m.forecast(2, all.slice(y.length - 1, y.length + 1)));
        assertTrue(wrongStart.getMessage().contains("must start at"), wrongStart.getMessage());
    }

    @Test
    void update_withRegressors_equalsFilteringTheLongerHistory() {
        double[] y = RDatasets.LAKE_HURON;
        int n = y.length - 6;
        Regressors all = dummy(y.length, 4, new int[][] {{30, 34}, {95, 96}}, 1, 0, 0, 0);
        FittedModel short1 = Forecasters.arima(1, 0, 1).fit(TimeSeries.ofValues(y).head(n), all.head(n));
        FittedModel updated = short1.update(TimeSeries.ofValues(y).slice(n, y.length), all.slice(n, y.length));
        assertEquals(y.length, updated.history().size());
        // An update filters with the fixed coefficients: it must not depend on where the new data are split.
        FittedModel twoSteps = short1.update(TimeSeries.ofValues(y).slice(n, n + 3), all.slice(n, n + 3))
                .update(TimeSeries.ofValues(y).slice(n + 3, y.length), all.slice(n + 3, y.length));
        Forecast a = updated.forecast(4, all.slice(y.length, y.length + 4), 95);
        Forecast b = twoSteps.forecast(4, all.slice(y.length, y.length + 4), 95);
        for (int h = 0; h < 4; h++) {
            assertEquals(a.mean(h), b.mean(h), 1e-9);
            assertEquals(a.upper(95)[h], b.upper(95)[h], 1e-9);
        }
    }
}
