package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmModelTest {

    private static final Instant START = Instant.parse("2024-03-04T00:00:00Z");

    private static List<TimeSeries> fleet;
    private static LstmModel global;

    /** A small, fast configuration: a day of hourly history read in 6-hour steps, 12 hours ahead. */
    static LstmConfig.Builder small() {
        return LstmConfig.builder().inputWindow(24).chunk(6).seasonalPeriod(12).horizon(12).hiddenSize(8)
                .maxEpochs(3).batchSize(32).quantiles(0.025, 0.1, 0.5, 0.9, 0.975).seed(11);
    }

    /** Daily-cycle series with noise at very different scales, as a fleet of services would have. */
    static TimeSeries daily(long seed, double scale, int n) {
        Random rng = new Random(seed);
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = scale * (10 + 3 * Math.sin(2 * Math.PI * t / 12) + rng.nextGaussian() * 0.5 + 0.002 * t);
        }
        return TimeSeries.of(START, Duration.ofHours(1), v);
    }

    @BeforeAll
    static void train() {
        fleet = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fleet.add(daily(i, Math.pow(10, i - 1), 150 + 10 * i));
        }
        global = LstmModel.trainGlobal(fleet, small().build());
    }

    @Test
    void trainGlobal_sameSeed_givesBitIdenticalWeights() {
        LstmModel again = LstmModel.trainGlobal(fleet, small().build());
        assertEquals(global, again);
        assertEquals(global.hashCode(), again.hashCode());
    }

    @Test
    void trainGlobal_reportsEachEpochUpToTheMost_andTrainsTheSameModel() {
        List<int[]> reports = new ArrayList<>();
        LstmModel reported = LstmModel.trainGlobal(fleet, small().maxEpochs(5).patience(2).build(),
                (done, total) -> reports.add(new int[] {done, total}));
        assertEquals(LstmModel.trainGlobal(fleet, small().maxEpochs(5).patience(2).build()), reported);
        assertTrue(reports.size() >= 2, "at least the first epoch and the end");
        for (int i = 0; i < reports.size(); i++) {
            assertEquals(5, reports.get(i)[1]);
            assertTrue(i == 0 || reports.get(i)[0] > reports.get(i - 1)[0], "epochs only go up");
        }
        assertEquals(5, reports.get(reports.size() - 1)[0], "the last report is the whole, even after an early stop");
    }

    @Test
    void trainGlobal_otherSeed_givesOtherWeights() {
        assertNotEquals(global, LstmModel.trainGlobal(fleet, small().seed(12).build()));
    }

    @Test
    void saveLoad_roundTrip_givesIdenticalModelAndForecasts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        global.save(out);
        LstmModel loaded = LstmModel.load(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(global, loaded);
        assertEquals(global.config(), loaded.config());
        assertEquals(global.epochs(), loaded.epochs());
        for (TimeSeries s : fleet) {
            assertEquals(global.forecast(s, 12, 80, 95), loaded.forecast(s, 12, 80, 95));
        }
    }

    @Test
    void load_foreignBytes_isRejectedWithReason() {
        ForecastException e = assertThrows(ForecastException.class,
                () -> LstmModel.load(new ByteArrayInputStream("NOTLSTM-model".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        assertTrue(e.getMessage().contains("FPLSTM"), e.getMessage());
    }

    @Test
    void load_unknownVersion_isRejectedWithVersion() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        global.save(out);
        byte[] bytes = out.toByteArray();
        bytes[9] = 9;
        ForecastException e = assertThrows(ForecastException.class,
                () -> LstmModel.load(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void forecast_scaledSeries_isScaledForecast() {
        // The per-window normalisation divides by the window's level, so forecasts are equivariant to scale.
        TimeSeries s = fleet.get(2);
        double[] scaled = s.values();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 1000;
        }
        Forecast a = global.forecast(s, 12, 95);
        Forecast b = global.forecast(TimeSeries.of(s.start(), s.step(), scaled), 12, 95);
        for (int h = 0; h < 12; h++) {
            assertEquals(1000 * a.mean(h), b.mean(h), 1e-9 * Math.abs(b.mean(h)));
            assertEquals(1000 * a.upper(95)[h], b.upper(95)[h], 1e-9 * Math.abs(b.upper(95)[h]));
        }
    }

    @Test
    void forecaster_pretrained_fitOnlyReadsTheSeries() {
        Forecaster f = global.forecaster();
        FittedModel fitted = f.fit(fleet.get(0));
        assertEquals(global.forecast(fleet.get(0), 12, 80), fitted.forecast(12, 80));
        FittedModel updated = fitted.update(TimeSeries.of(fleet.get(0).end(), Duration.ofHours(1), 11, 12));
        assertEquals(fleet.get(0).size() + 2, updated.history().size());
        assertEquals(global.forecast(updated.history(), 6), updated.forecast(6));
    }

    @Test
    void forecast_untrainedLevel_namesTrainedLevels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> global.forecast(fleet.get(0), 12, 90));
        assertTrue(e.getMessage().contains("[80.0, 95.0]"), e.getMessage());
    }

    @Test
    void forecast_beyondTrainedHorizon_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> global.forecast(fleet.get(0), 13));
        assertTrue(e.getMessage().contains("trained horizon 12"), e.getMessage());
    }

    @Test
    void forecast_historyShorterThanWindow_throwsInsufficientData() {
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> global.forecaster().fit(fleet.get(0).head(23)));
        assertTrue(e.getMessage().contains("24"), e.getMessage());
    }

    @Test
    void trainGlobal_allSeriesTooShort_throwsInsufficientData() {
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> LstmModel.trainGlobal(List.of(fleet.get(0).head(30)), small().build()));
        assertTrue(e.getMessage().contains("24 + 12 = 36"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void forecast_anySeed_keepsIntervalInvariants(long seed) {
        TimeSeries s = daily(100 + seed, seed, 90);
        FittedModel fitted = Forecasters.lstm(small().seed(seed).maxEpochs(2).build()).fit(s);
        Forecast f = fitted.forecast(12, 80, 95);
        assertEquals(12, f.horizon());
        assertArrayEquals(new double[] {80, 95}, f.levels());
        for (int h = 0; h < 12; h++) {
            double m = f.mean(h);
            assertTrue(Double.isFinite(m));
            assertTrue(f.lower(95)[h] <= f.lower(80)[h] && f.lower(80)[h] <= m, "step " + h);
            assertTrue(m <= f.upper(80)[h] && f.upper(80)[h] <= f.upper(95)[h], "step " + h);
        }
    }

    @Test
    void lstm_noiselessSine_isLearnedWithinTolerance() {
        // No seasonal normalisation (period 1): the network itself has to continue the wave.
        int n = 400;
        double[] v = new double[n + 10];
        for (int t = 0; t < v.length; t++) {
            v[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 20);
        }
        LstmConfig config = LstmConfig.builder().inputWindow(40).chunk(4).seasonalPeriod(1).horizon(10)
                .hiddenSize(16).quantiles(0.1, 0.5, 0.9).calendarFeatures(false).learningRate(0.01)
                .maxEpochs(60).patience(10).batchSize(32).seed(3).build();
        TimeSeries history = TimeSeries.of(START, Duration.ofHours(1), java.util.Arrays.copyOf(v, n));
        Forecast f = Forecasters.lstm(config).fit(history).forecast(10, 80);
        double worst = 0;
        for (int h = 0; h < 10; h++) {
            worst = Math.max(worst, Math.abs(f.mean(h) - v[n + h]));
        }
        // 0.3 is a tenth of the amplitude; a flat forecast at the mean errs by up to 3.
        assertTrue(worst < 0.3, "largest error " + worst);
    }

    @Test
    void lstm_seriesShorterThanWindowPlusHorizon_throwsInsufficientData() {
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Forecasters.lstm(small().build()).fit(fleet.get(0).head(35)));
        assertTrue(e.getMessage().contains("24 + 12 = 36 values, the series has 35"), e.getMessage());
    }

    @Test
    void config_asymmetricQuantiles_areRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().quantiles(0.1, 0.5, 0.8).build());
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
    }

    @Test
    void config_windowNotMultipleOfChunk_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().inputWindow(25).build());
        assertTrue(e.getMessage().contains("inputWindow"), e.getMessage());
    }

    @Test
    void config_levels_followFromQuantiles() {
        assertEquals(List.of(80.0, 95.0), small().build().levels());
    }
}
