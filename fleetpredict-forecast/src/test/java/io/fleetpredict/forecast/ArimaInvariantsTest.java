package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArimaInvariantsTest {

    /** Seasonal series with trend, AR noise and level shifts, varied by seed. */
    static double[] series(long seed, int n, int m) {
        Random rnd = new Random(seed);
        double amp = rnd.nextDouble() * 10;
        double slope = rnd.nextGaussian() * 0.05;
        double ar = rnd.nextDouble() * 0.9;
        double e = 0;
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            e = ar * e + rnd.nextGaussian();
            y[t] = 100 + slope * t + amp * Math.sin(2 * Math.PI * (t % m) / m) + e;
        }
        return y;
    }

    private static void assertValid(Forecast f, int horizon) {
        assertEquals(horizon, f.horizon());
        for (int h = 0; h < horizon; h++) {
            double mean = f.mean(h);
            assertTrue(Double.isFinite(mean));
            assertTrue(f.lower(95)[h] <= f.lower(80)[h] && f.lower(80)[h] <= mean, "h=" + h);
            assertTrue(mean <= f.upper(80)[h] && f.upper(80)[h] <= f.upper(95)[h], "h=" + h);
            // Finite-sample forecast variances need not grow with the horizon (the uncertain MA state can
            // matter less later), but they are positive once the model has noise.
            assertTrue(f.upper(95)[h] > f.lower(95)[h], "h=" + h);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void autoArima_seededSeasonalSeries_givesValidForecasts(long seed) {
        FittedModel m = Forecasters.autoArima(12).fit(TimeSeries.ofValues(series(seed, 84, 12)));
        assertValid(m.forecast(24, 80, 95), 24);
        assertTrue(m.parameters().containsKey("sigma2"));
        assertTrue(m.description().startsWith("ARIMA("), m.description());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void autoArimaShort_seededHourlySeries_staysWithinItsLimitsAndGivesValidForecasts(long seed) {
        FittedModel m = Forecasters.autoArimaShort(24).fit(TimeSeries.ofValues(series(seed, 24 * 14, 24)));
        assertValid(m.forecast(48, 80, 95), 48);
        java.util.regex.Matcher o = java.util.regex.Pattern
                .compile("^ARIMA\\((\\d),(\\d),(\\d)\\)(?:\\((\\d),(\\d),(\\d)\\)\\[24\\])?").matcher(m.description());
        assertTrue(o.find(), m.description());
        assertTrue(Integer.parseInt(o.group(1)) <= 2 && Integer.parseInt(o.group(3)) <= 2, m.description());
        if (o.group(4) != null) {
            assertEquals("0", o.group(4), m.description());
            assertTrue(Integer.parseInt(o.group(6)) <= 1, m.description());
        }
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("search over (\\d+) models").matcher(m.description());
        assertTrue(count.find() && Integer.parseInt(count.group(1)) <= 16, m.description());
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void arima_seededSeriesSeveralOrders_givesValidForecasts(long seed) {
        double[] y = series(seed, 150, 7);
        ArimaOrder[] orders = {ArimaOrder.of(2, 0, 1), ArimaOrder.of(0, 1, 2), ArimaOrder.of(1, 0, 0, 1, 1, 0, 7),
            ArimaOrder.of(1, 1, 1, 0, 1, 1, 7)};
        for (ArimaOrder order : orders) {
            FittedModel m = Forecasters.arima(order, true).fit(TimeSeries.ofValues(y));
            assertValid(m.forecast(14, 80, 95), 14);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33})
    void update_inPiecesOrAtOnce_givesTheSameForecast(long seed) {
        TimeSeries all = TimeSeries.ofValues(series(seed, 200, 12));
        FittedModel m = Forecasters.arima(ArimaOrder.of(1, 0, 1, 0, 1, 1, 12)).fit(all.head(150));
        Forecast once = m.update(all.slice(150, 200)).forecast(6, 90);
        Forecast pieces = m.update(all.slice(150, 170)).update(all.slice(170, 200)).forecast(6, 90);
        for (int h = 0; h < 6; h++) {
            assertEquals(once.mean(h), pieces.mean(h), 1e-9);
            assertEquals(once.upper(90)[h], pieces.upper(90)[h], 1e-9);
        }
        assertEquals(all.end(), once.start());
    }

    @Test
    void fit_sameSeriesTwice_isDeterministic() {
        TimeSeries s = TimeSeries.ofValues(series(41, 100, 4));
        Forecaster f = Forecasters.autoArima(4);
        assertEquals(f.fit(s).forecast(8, 95), f.fit(s).forecast(8, 95));
    }

    @Test
    void fittedModel_usedFromManyThreads_givesTheSameForecast() throws Exception {
        FittedModel m = Forecasters.arima(ArimaOrder.of(1, 0, 0, 0, 1, 1, 12)).fit(TimeSeries.ofValues(series(7, 96, 12)));
        Forecast expected = m.forecast(12, 80);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Forecast>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> m.forecast(12, 80)));
            }
            for (java.util.concurrent.Future<Forecast> f : futures) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void arima_twoDifferencesWithConstant_dropsConstantAndSaysSo() {
        FittedModel m = Forecasters.arima(ArimaOrder.of(0, 2, 1), true).fit(TimeSeries.ofValues(series(3, 60, 4)));
        assertTrue(m.description().contains("constant dropped"), m.description());
    }

    @Test
    void arima_constantSeries_givesFlatForecast() {
        double[] y = new double[30];
        java.util.Arrays.fill(y, -2.0);
        Forecast f = Forecasters.arima(1, 1, 1).fit(TimeSeries.ofValues(y)).forecast(3, 80);
        assertEquals(-2.0, f.mean(2), 0.0);
    }

    @Test
    void arima_tooShortForTheOrder_throwsInsufficientData() {
        TimeSeries s = TimeSeries.ofValues(series(1, 15, 12));
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12)).fit(s));
        assertTrue(e.getMessage().contains("got 15"), e.getMessage());
    }

    @Test
    void forecast_badHorizonOrLevel_throwsWithValue() {
        FittedModel m = Forecasters.arima(1, 0, 0).fit(TimeSeries.ofValues(RDatasets.LH));
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> m.forecast(0, 80));
        assertTrue(h.getMessage().contains("was 0"), h.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class, () -> m.forecast(3, 100));
        assertTrue(l.getMessage().contains("100"), l.getMessage());
    }

    @Test
    void update_notContinuingTheHistory_throws() {
        FittedModel m = Forecasters.arima(1, 0, 0).fit(TimeSeries.ofValues(RDatasets.LH));
        assertThrows(IllegalArgumentException.class, () -> m.update(TimeSeries.ofValues(1.0, 2.0)));
    }

    @Test
    void arimaOrder_invalidValues_throwWithTheValue() {
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> ArimaOrder.of(1, 3, 0));
        assertTrue(d.getMessage().contains("d must be in [0, 2], was 3"), d.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> ArimaOrder.of(0, 0, 0, 1, 0, 0, 1));
        assertTrue(s.getMessage().contains("period above 1"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ArimaOrder.of(-1, 0, 0));
        assertThrows(NullPointerException.class, () -> Forecasters.arima(null, true));
    }

    @Test
    void arimaOrder_toString_usesTheUsualNotation() {
        assertEquals("ARIMA(0,1,1)(0,1,1)[12]", ArimaOrder.of(0, 1, 1, 0, 1, 1, 12).toString());
        assertEquals("ARIMA(2,0,1)", ArimaOrder.of(2, 0, 1).toString());
        assertEquals("arima(1,0,0) with constant", Forecasters.arima(ArimaOrder.of(1, 0, 0), true).name());
        assertEquals("auto-arima(24)", Forecasters.autoArima(24).name());
        assertEquals("auto-arima-short(24)", Forecasters.autoArimaShort(24).name());
    }
}
