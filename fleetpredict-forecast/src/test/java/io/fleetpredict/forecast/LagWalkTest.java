package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Naive and seasonal naive against R's forecast package.
 *
 * <p>Reference values from R 4.2.2 with forecast 8.20, {@code options(digits = 15)}:
 * {@code snaive(USAccDeaths, h = 25, level = c(80, 95))} and
 * {@code naive(USAccDeaths, h = 5, level = c(80, 95))}.
 */
class LagWalkTest {

    private static final double TOL = 1e-9;

    @Test
    void seasonalNaive_usAccDeaths_matchesForecastSnaive() {
        Forecast f = Forecasters.seasonalNaive(12).fit(Datasets.monthly(RDatasets.USACCDEATHS)).forecast(25, 80, 95);
        double[] lastYear = Arrays.copyOfRange(RDatasets.USACCDEATHS, 60, 72);
        for (int h = 0; h < 25; h++) {
            assertEquals(lastYear[h % 12], f.mean(h), 0);
        }
        // Rows Jan 1979 (h=1), Jan 1980 (h=13), Jan 1981 (h=25): widths grow as sqrt(1), sqrt(2), sqrt(3).
        assertEquals(7119.09319290333, f.lower(80)[0], TOL * 1e4);
        assertEquals(6739.58565354804, f.lower(95)[0], TOL * 1e4);
        assertEquals(8552.90680709667, f.upper(80)[0], TOL * 1e4);
        assertEquals(8932.41434645196, f.upper(95)[0], TOL * 1e4);
        assertEquals(6822.14067044630, f.lower(80)[12], TOL * 1e4);
        assertEquals(9386.56403873280, f.upper(95)[12], TOL * 1e4);
        assertEquals(5936.95464579778, f.lower(95)[24], TOL * 1e4);
        assertEquals(9077.71901418341, f.upper(80)[24], TOL * 1e4);
        assertEquals(8887.41434645196, f.upper(95)[2], TOL * 1e4);
    }

    @Test
    void naive_usAccDeaths_matchesForecastNaive() {
        Forecast f = Forecasters.naive().fit(Datasets.monthly(RDatasets.USACCDEATHS)).forecast(5, 80, 95);
        assertArrayEquals(new double[] {9240, 9240, 9240, 9240, 9240}, f.mean(), 0);
        assertArrayEquals(new double[] {8304.26557719373, 7916.67168848801, 7619.26043730840, 7368.53115438746,
            7147.63422171865}, f.lower(80), TOL * 1e4);
        assertArrayEquals(new double[] {7808.91769546917, 7216.14399606035, 6761.29273873984, 6377.83539093833,
            6040.00268567200}, f.lower(95), TOL * 1e4);
        assertArrayEquals(new double[] {10671.0823045308, 11263.8560039396, 11718.7072612602, 12102.1646090617,
            12439.9973143280}, f.upper(95), TOL * 1e4);
    }

    @Test
    void naive_constantSeries_flatForecastWithZeroWidth() {
        double[] v = new double[10];
        Arrays.fill(v, 3.5);
        Forecast f = Forecasters.naive().fit(TimeSeries.ofValues(v)).forecast(4, 95);
        for (int h = 0; h < 4; h++) {
            assertEquals(3.5, f.mean(h), 0);
            assertEquals(3.5, f.lower(95)[h], 0);
            assertEquals(3.5, f.upper(95)[h], 0);
        }
    }

    @Test
    void seasonalNaive_tooShort_throwsInsufficientDataNamingTheNeed() {
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Forecasters.seasonalNaive(24).fit(TimeSeries.ofValues(new double[24])));
        assertTrue(e.getMessage().contains("25") && e.getMessage().contains("24"), e.getMessage());
        assertThrows(InsufficientDataException.class, () -> Forecasters.naive().fit(TimeSeries.ofValues(1.0)));
    }

    @Test
    void seasonalNaive_badPeriod_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Forecasters.seasonalNaive(0));
        assertTrue(e.getMessage().contains("period") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void forecast_badHorizonOrLevel_isRejected() {
        FittedModel m = Forecasters.naive().fit(TimeSeries.ofValues(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> m.forecast(0));
        assertThrows(IllegalArgumentException.class, () -> m.forecast(3, 100));
    }

    @Test
    void names_areStable() {
        assertEquals("naive", Forecasters.naive().name());
        assertEquals("snaive(24)", Forecasters.seasonalNaive(24).name());
        assertEquals("holt-winters(288)", Forecasters.holtWinters(288).name());
        assertEquals("naive2(24)", Forecasters.naive2(24).name());
    }
}
