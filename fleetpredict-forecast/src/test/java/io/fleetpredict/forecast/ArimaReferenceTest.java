package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Estimates, likelihoods and forecasts compared with R 4.2.2 (2022-11-10 r83330), {@code forecast} 8.20
 * (Debian r-cran-forecast). Coefficients, log-likelihoods and the ML innovation variance come from
 * {@code stats::arima(x, order, seasonal, method = "ML")}; forecasts and 80/95% bounds from
 * {@code forecast::forecast(forecast::Arima(x, order, seasonal, method = "ML"), h, level = c(80, 95))},
 * whose intervals use forecast's innovation variance {@code sum(residuals^2) / (nstar - npar + 1)}.
 * Both implementations stop their optimisers at a tolerance, so coefficients agree to about 1e-4.
 */
class ArimaReferenceTest {

    private static final double COEF_TOL = 2e-3;
    private static final double LOGLIK_TOL = 1e-3;

    private static FittedModel fit(Forecaster f, double[] y) {
        return f.fit(TimeSeries.ofValues(y));
    }

    private static void assertCoefficients(FittedModel m, Map<String, Double> expected) {
        expected.forEach((name, value) ->
                assertEquals(value, m.parameters().get(name), COEF_TOL, () -> name + " in " + m.description()));
    }

    @Test
    void arima_lhAr1_matchesR() {
        // arima(lh, order = c(1,0,0), method = "ML"): ar1 0.573936980049, intercept 2.41326432325,
        // sigma2 0.197489463094, loglik -29.3791624033; forecast::Arima: sigma2 0.206075961489, aicc 65.3037793521
        FittedModel m = fit(Forecasters.arima(1, 0, 0), RDatasets.LH);
        assertCoefficients(m, Map.of("ar1", 0.573936980049, "intercept", 2.41326432325));
        assertEquals(-29.3791624033, m.parameters().get("loglik"), LOGLIK_TOL);
        assertEquals(0.206075961489, m.parameters().get("sigma2"), 1e-4);
        assertEquals(65.3037793521, m.parameters().get("aicc"), 2e-3);
        Forecast f = m.forecast(5, 80, 95);
        double[] mean = {2.69261992765, 2.57359683520, 2.50528508096, 2.46607843903, 2.44357629737};
        double[] lo95 = {1.80288270802, 1.54773188246, 1.43837535340, 1.38598987506, 1.35918164480};
        double[] hi80 = {3.27438782529, 3.24437387324, 3.20289985472, 3.17231039075, 3.15262384907};
        for (int h = 0; h < 5; h++) {
            assertEquals(mean[h], f.mean(h), 1e-3);
            assertEquals(lo95[h], f.lower(95)[h], 2e-3);
            assertEquals(hi80[h], f.upper(80)[h], 2e-3);
        }
    }

    @Test
    void arima_lhAr3_matchesR() {
        // arima(lh, order = c(3,0,0), method = "ML"): 0.644802662936 -0.0633819558427 -0.219798399512
        // intercept 2.39311877789, sigma2 0.178660298186, loglik -27.0924110597
        FittedModel m = fit(Forecasters.arima(3, 0, 0), RDatasets.LH);
        assertCoefficients(m, Map.of("ar1", 0.644802662936, "ar2", -0.0633819558427, "ar3", -0.219798399512,
                "intercept", 2.39311877789));
        assertEquals(-27.0924110597, m.parameters().get("loglik"), LOGLIK_TOL);
    }

    @Test
    void arima_lhArma11_matchesR() {
        // arima(lh, order = c(1,0,1), method = "ML"): ar1 0.452180344948, ma1 0.198191218719,
        // intercept 2.41008046155, loglik -28.7620332065
        FittedModel m = fit(Forecasters.arima(1, 0, 1), RDatasets.LH);
        assertCoefficients(m, Map.of("ar1", 0.452180344948, "ma1", 0.198191218719, "intercept", 2.41008046155));
        assertEquals(-28.7620332065, m.parameters().get("loglik"), LOGLIK_TOL);
    }

    @Test
    void arima_lakeHuronAr2_matchesR() {
        // arima(LakeHuron, order = c(2,0,0), method = "ML"): 1.0436107493 -0.249493314354 579.047263842,
        // sigma2 0.478820628367, loglik -103.633222538
        FittedModel m = fit(Forecasters.arima(2, 0, 0), RDatasets.LAKE_HURON);
        assertCoefficients(m, Map.of("ar1", 1.0436107493, "ar2", -0.249493314354, "intercept", 579.047263842));
        assertEquals(-103.633222538, m.parameters().get("loglik"), LOGLIK_TOL);
    }

    @Test
    void arima_wwwUsageArima111_matchesRWithIntervals() {
        // arima(WWWusage, order = c(1,1,1), method = "ML"): ar1 0.650378074655, ma1 0.525588798348,
        // sigma2 9.79332228554, loglik -254.149735786; forecast::Arima sigma2 9.99532629116
        FittedModel m = fit(Forecasters.arima(1, 1, 1), RDatasets.WWWUSAGE);
        assertCoefficients(m, Map.of("ar1", 0.650378074655, "ma1", 0.525588798348));
        assertEquals(-254.149735786, m.parameters().get("loglik"), LOGLIK_TOL);
        assertEquals(9.99532629116, m.parameters().get("sigma2"), 1e-3);
        Forecast f = m.forecast(6, 80, 95);
        double[] mean = {218.880505540, 218.152410888, 217.678874091, 217.370896140, 217.170594034, 217.040321935};
        double[] lo80 = {214.828830803, 208.449659201, 202.312886394, 196.630281143, 191.432096258, 186.684424307};
        double[] hi95 = {225.077007323, 232.991489058, 241.179124320, 249.090929500, 256.534229499, 263.465661086};
        for (int h = 0; h < 6; h++) {
            assertEquals(mean[h], f.mean(h), 1e-3);
            assertEquals(lo80[h], f.lower(80)[h], 5e-3);
            assertEquals(hi95[h], f.upper(95)[h], 5e-3);
        }
    }

    @Test
    void arima_airlineModelOnLogAirPassengers_matchesRWithIntervals() {
        // arima(log(AirPassengers), order = c(0,1,1), seasonal = c(0,1,1), method = "ML"):
        // ma1 -0.401826782408, sma1 -0.556946638277, sigma2 0.00134803447251, loglik 244.699530597;
        // forecast::Arima aicc -483.210084815
        FittedModel m = fit(Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12)),
                RDatasets.log(RDatasets.AIRPASSENGERS));
        assertCoefficients(m, Map.of("ma1", -0.401826782408, "sma1", -0.556946638277));
        assertEquals(244.699530597, m.parameters().get("loglik"), LOGLIK_TOL);
        assertEquals(-483.210084815, m.parameters().get("aicc"), 2e-3);
        Forecast f = m.forecast(12, 80, 95);
        double[] mean = {6.11018571095, 6.05377529942, 6.17171502730, 6.19930040529, 6.23255591279, 6.36877866266,
            6.50729368861, 6.50290635839, 6.32469825757, 6.20900797801, 6.06348743861, 6.16802491310};
        double[] lo95 = {6.03760716216, 5.96920304359, 6.07665037999, 6.09479151629, 6.11938821159, 6.24756913620,
            6.37854365942, 6.36703365794, 6.18205811090, 6.05990723303, 5.90819464140, 6.00677766948};
        for (int h = 0; h < 12; h++) {
            assertEquals(mean[h], f.mean(h), 1e-4);
            assertEquals(lo95[h], f.lower(95)[h], 2e-4);
        }
    }

    @Test
    void arima_usAccDeathsAirline_matchesPredictArima() {
        // s <- arima(USAccDeaths, order = c(0,1,1), seasonal = c(0,1,1), method = "ML"):
        // ma1 -0.430278483359, sma1 -0.55277200687, sigma2 99347.4852997, loglik -425.439993561;
        // predict(s, n.ahead = 3): pred 8336.05991121 7531.82335012 8314.64028412,
        // se 315.448954537 363.005163237 405.015375137 (with the ML sigma2)
        FittedModel m = fit(Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12)), RDatasets.USACCDEATHS);
        assertCoefficients(m, Map.of("ma1", -0.430278483359, "sma1", -0.55277200687));
        assertEquals(-425.439993561, m.parameters().get("loglik"), LOGLIK_TOL);
        Forecast f = m.forecast(3, 95);
        double[] pred = {8336.05991121, 7531.82335012, 8314.64028412};
        double[] se = {315.448954537, 363.005163237, 405.015375137};
        // Our intervals use forecast's sigma2; rescale R's ML standard errors to it.
        double ratio = Math.sqrt(m.parameters().get("sigma2") / 99347.4852997);
        double z = 1.959963984540054;
        for (int h = 0; h < 3; h++) {
            assertEquals(pred[h], f.mean(h), 0.05);
            assertEquals(z * se[h] * ratio, f.upper(95)[h] - f.mean(h), 0.5);
        }
    }

    @Test
    void arima_lakeHuronWithDrift_matchesR() {
        // forecast::Arima(LakeHuron, order = c(1,1,0), include.drift = TRUE, method = "ML"):
        // ar1 0.13618438712154, drift -0.00180412272559, loglik -108.226782468, sigma2 0.56023060525
        FittedModel m = fit(Forecasters.arima(ArimaOrder.of(1, 1, 0), true), RDatasets.LAKE_HURON);
        assertCoefficients(m, Map.of("ar1", 0.13618438712154, "drift", -0.00180412272559));
        assertEquals(-108.226782468, m.parameters().get("loglik"), LOGLIK_TOL);
        Forecast f = m.forecast(4, 80, 95);
        double[] mean = {579.967974478, 579.967502048, 579.965879281, 579.964099856};
        double[] hi95 = {581.434979181, 582.187926445, 582.758710136, 583.232446660};
        for (int h = 0; h < 4; h++) {
            assertEquals(mean[h], f.mean(h), 1e-3);
            assertEquals(hi95[h], f.upper(95)[h], 3e-3);
        }
    }

    @Test
    void update_lhWithFixedCoefficients_matchesRFilterOnLongerSeries() {
        // f1 <- Arima(ts(lh[1:40]), order = c(1,0,0), method = "ML"): ar1 0.470644956592, intercept 2.301866204198
        // forecast(Arima(lh, model = f1), h = 3)$mean: 2.58337485856 2.43435683261 2.36422225026
        double[] head = java.util.Arrays.copyOf(RDatasets.LH, 40);
        FittedModel m = fit(Forecasters.arima(1, 0, 0), head);
        assertCoefficients(m, Map.of("ar1", 0.470644956592, "intercept", 2.301866204198));
        FittedModel updated = m.update(TimeSeries.ofValues(RDatasets.LH).slice(40, 48));
        assertEquals(m.parameters(), updated.parameters());
        assertEquals(48, updated.history().size());
        double[] expected = {2.58337485856, 2.43435683261, 2.36422225026};
        for (int h = 0; h < 3; h++) {
            assertEquals(expected[h], updated.forecast(3).mean(h), 2e-3);
        }
    }

    @Test
    void update_airlineModelWithTwoYears_matchesRFilterOnLongerSeries() {
        // f2 <- Arima(window(log(AirPassengers), end = c(1958,12)), order = c(0,1,1), seasonal = c(0,1,1),
        //   method = "ML"): ma1 -0.342365128458, sma1 -0.540507122917
        // forecast(Arima(log(AirPassengers), model = f2), h = 3)$mean: 6.10896108845 6.05202634593 6.16865647596
        double[] log = RDatasets.log(RDatasets.AIRPASSENGERS);
        TimeSeries all = TimeSeries.ofValues(log);
        FittedModel m = Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12)).fit(all.head(120));
        assertCoefficients(m, Map.of("ma1", -0.342365128458, "sma1", -0.540507122917));
        FittedModel updated = m.update(all.slice(120, 130)).update(all.slice(130, 144));
        double[] expected = {6.10896108845, 6.05202634593, 6.16865647596};
        for (int h = 0; h < 3; h++) {
            assertEquals(expected[h], updated.forecast(3).mean(h), 2e-4);
        }
    }
}
