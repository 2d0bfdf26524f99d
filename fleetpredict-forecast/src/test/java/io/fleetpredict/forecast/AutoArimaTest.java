package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Orders chosen by the stepwise search compared with {@code forecast::auto.arima(x)} (forecast 8.20,
 * R 4.2.2, default arguments): lh ARIMA(1,0,0) with mean, AICc 65.3037793202; LakeHuron ARIMA(0,1,0),
 * AICc 220.257864676; WWWusage ARIMA(1,1,1), AICc 514.552103153; USAccDeaths ARIMA(0,1,1)(0,1,1)[12],
 * AICc 857.316350743; log(AirPassengers) ARIMA(0,1,1)(0,1,1)[12], AICc -483.210084816.
 */
class AutoArimaTest {

    private static FittedModel auto(int period, double[] y) {
        return Forecasters.autoArima(period).fit(TimeSeries.ofValues(y));
    }

    @Test
    void autoArima_lh_picksAr1WithMean() {
        FittedModel m = auto(1, RDatasets.LH);
        assertTrue(m.description().startsWith("ARIMA(1,0,0) with non-zero mean"), m.description());
        assertEquals(65.3037793202, m.parameters().get("aicc"), 2e-3);
    }

    @Test
    void autoArima_lakeHuron_picksRandomWalk() {
        FittedModel m = auto(1, RDatasets.LAKE_HURON);
        assertTrue(m.description().startsWith("ARIMA(0,1,0):"), m.description());
        assertEquals(220.257864676, m.parameters().get("aicc"), 2e-3);
    }

    @Test
    void autoArima_wwwUsage_picksArima111() {
        FittedModel m = auto(1, RDatasets.WWWUSAGE);
        assertTrue(m.description().startsWith("ARIMA(1,1,1):"), m.description());
        assertEquals(514.552103153, m.parameters().get("aicc"), 2e-3);
    }

    @Test
    void autoArima_usAccDeaths_picksAirlineModel() {
        FittedModel m = auto(12, RDatasets.USACCDEATHS);
        assertTrue(m.description().startsWith("ARIMA(0,1,1)(0,1,1)[12]:"), m.description());
        assertEquals(857.316350743, m.parameters().get("aicc"), 2e-3);
    }

    @Test
    void autoArima_logAirPassengers_picksAirlineModel() {
        FittedModel m = auto(12, RDatasets.log(RDatasets.AIRPASSENGERS));
        assertTrue(m.description().startsWith("ARIMA(0,1,1)(0,1,1)[12]:"), m.description());
        assertEquals(-483.210084816, m.parameters().get("aicc"), 2e-3);
    }

    @Test
    void autoArima_constantSeries_isFlatWithZeroWidth() {
        double[] y = new double[50];
        java.util.Arrays.fill(y, 7.5);
        FittedModel m = auto(12, y);
        assertTrue(m.description().contains("constant series"), m.description());
        Forecast f = m.forecast(5, 95);
        for (int h = 0; h < 5; h++) {
            assertEquals(7.5, f.mean(h), 1e-12);
            assertEquals(7.5, f.lower(95)[h], 1e-12);
            assertEquals(7.5, f.upper(95)[h], 1e-12);
        }
    }

    @Test
    void autoArima_seriesShorterThanThreePeriods_dropsSeasonalTermsAndSaysSo() {
        double[] y = new double[40];
        Random rnd = new Random(5);
        for (int i = 0; i < y.length; i++) {
            y[i] = 10 + Math.sin(2 * Math.PI * i / 24) + rnd.nextGaussian();
        }
        FittedModel m = auto(24, y);
        assertTrue(m.description().contains("no seasonal difference"), m.description());
        assertTrue(!m.description().contains(")[24]"), m.description());
    }

    @Test
    void autoArima_weeklyPeriodOnHourlyData_usesSeasonalDifferencingOnlyAndSaysSo() {
        Random rnd = new Random(9);
        double[] y = new double[960];
        double e = 0;
        for (int t = 0; t < y.length; t++) {
            e = 0.6 * e + rnd.nextGaussian();
            y[t] = 50 + 10 * Math.sin(2 * Math.PI * (t % 168) / 168.0) + e;
        }
        FittedModel m = auto(168, y);
        assertTrue(m.description().contains("period 168 too long"), m.description());
        assertEquals(0.0, m.parameters().keySet().stream().filter(k -> k.startsWith("s")
                && !k.equals("sigma2")).count());
    }

    @Test
    void autoArima_threeObservations_throwsInsufficientData() {
        assertThrows(InsufficientDataException.class, () -> auto(1, new double[] {1, 2}));
    }

    @Test
    void autoArima_badPeriod_throwsWithValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Forecasters.autoArima(0));
        assertTrue(e.getMessage().contains("was 0"), e.getMessage());
    }
}
