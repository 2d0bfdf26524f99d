package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Naive2 against the M4 organisers' R benchmark code ({@code SeasonalityTest} and {@code Benchmarks}
 * from Mcompetitions/M4-methods, "Benchmarks and Evaluation.R"), run in R 4.2.2 with forecast 8.20 as
 * {@code naive(des_input, h = fh)$mean * SIout}, {@code options(digits = 15)}.
 */
class SeasonallyAdjustedNaiveTest {

    @Test
    void naive2_airPassengers_matchesM4Code() {
        // R: n2(AirPassengers, 14); the series tests seasonal.
        FittedModel m = Forecasters.naive2(12).fit(Datasets.monthly(RDatasets.AIRPASSENGERS));
        assertTrue(((SeasonallyAdjustedNaive) m).seasonallyAdjusted());
        double[] expected = {437.482029956205, 424.694904581234, 484.168254771089, 469.047571495585,
            471.677574175491, 534.831010909108, 589.516706990022, 586.323140173464, 509.701917313420,
            443.022165724692, 385.068468834488, 432.000000000000, 437.482029956205, 424.694904581234};
        assertArrayEquals(expected, m.forecast(14).mean(), 1e-9);
    }

    @Test
    void naive2_usAccDeathsPartialLastYear_matchesM4Code() {
        // R: n2(ts(USAccDeaths[1:65], frequency = 12), 13); 65 is not a multiple of the period.
        FittedModel m = Forecasters.naive2(12).fit(Datasets.monthly(Arrays.copyOf(RDatasets.USACCDEATHS, 65)));
        double[] expected = {9559.52871652911, 10460.65148948428, 9760.71476601511, 8656.53850244249,
            9034.83790077447, 8507.32593554931, 8654.65812954348, 7955.79924273711, 7288.78307934293,
            8058.31044446320, 8253.17085986155, 9115.00000000000, 9559.52871652911};
        assertArrayEquals(expected, m.forecast(13).mean(), 1e-8);
    }

    @Test
    void naive2_fewerThanThreePeriods_isTheRandomWalk() {
        // R: n2(ts(AirPassengers[1:35], frequency = 12), 3) gives 146 146 146 (not tested: n < 3m).
        FittedModel m = Forecasters.naive2(12).fit(Datasets.monthly(Arrays.copyOf(RDatasets.AIRPASSENGERS, 35)));
        assertArrayEquals(new double[] {146, 146, 146}, m.forecast(3).mean(), 0);
        assertTrue(m.description().contains("fewer than three periods"), m.description());
    }

    @Test
    void naive2_notSeasonal_isTheRandomWalk() {
        // R: n2(ts(AirPassengers[1:40], frequency = 12), 13) finds no seasonality: 181 repeated.
        FittedModel m = Forecasters.naive2(12).fit(Datasets.monthly(Arrays.copyOf(RDatasets.AIRPASSENGERS, 40)));
        assertFalse(((SeasonallyAdjustedNaive) m).seasonallyAdjusted());
        double[] expected = new double[13];
        Arrays.fill(expected, 181);
        assertArrayEquals(expected, m.forecast(13).mean(), 0);
    }

    @Test
    void naive2_nonPositiveSeasonalSeries_fallsBackToRandomWalkAndSaysSo() {
        double[] v = new double[60];
        for (int t = 0; t < v.length; t++) {
            v[t] = 10 * Math.sin(2 * Math.PI * t / 12);
        }
        FittedModel m = Forecasters.naive2(12).fit(TimeSeries.ofValues(v));
        assertTrue(m.description().contains("positive"), m.description());
        Forecast f = m.forecast(5, 95);
        for (int h = 0; h < 5; h++) {
            assertEquals(v[59], f.mean(h), 0);
        }
    }

    @Test
    void naive2_constantSeries_flat() {
        double[] v = new double[100];
        Arrays.fill(v, 7);
        Forecast f = Forecasters.naive2(24).fit(TimeSeries.ofValues(v)).forecast(30, 95);
        for (int h = 0; h < 30; h++) {
            assertEquals(7, f.mean(h), 0);
        }
    }

    @Test
    void naive2_tooShort_throwsInsufficientData() {
        assertThrows(InsufficientDataException.class, () -> Forecasters.naive2(24).fit(TimeSeries.ofValues(5)));
    }
}
