package io.fleetpredict.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import io.fleetpredict.forecast.Regressors;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec and the model source on their own, without a session: what the builder keeps, refuses and derives. */
class ForecastSpecTest {

    private static final ModelSource THETA = ModelSource.of(() -> Forecasters.theta(24));

    @Test
    void quantiles_givenInAnyOrder_areKeptAscending() {
        ForecastSpec spec = ForecastSpec.builder(THETA, 6).quantiles(0.9, 0.05, 0.5).build();

        assertEquals(List.of(0.05, 0.5, 0.9), spec.quantiles());
        assertArrayEquals(new double[] {80, 90}, spec.levels(), 1e-12);
    }

    @Test
    void quantiles_repeatedApartInTheArguments_areRefused() {
        // Only a sorted copy puts the two 0.1s side by side, where the check looks.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForecastSpec.builder(THETA, 6).quantiles(0.1, 0.9, 0.1));
        assertEquals("quantiles must differ, 0.1 is given twice", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, -0.1, 1.5, Double.NaN})
    void quantiles_outsideTheOpenUnitInterval_areRefusedNamingTheValue(double q) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForecastSpec.builder(THETA, 6).quantiles(0.5, q));
        assertEquals("quantiles must each be in (0, 1), was " + q, e.getMessage());
    }

    @Test
    void coverageLevel_isTheWidestIntervalOr95WithoutOne() {
        assertEquals(95, ForecastSpec.builder(THETA, 6).quantiles(0.5).build().coverageLevel());
        assertEquals(95, ForecastSpec.builder(THETA, 6).quantiles().build().coverageLevel());
        assertEquals(80, ForecastSpec.builder(THETA, 6).build().coverageLevel());
        assertEquals(98, ForecastSpec.builder(THETA, 6).quantiles(0.01, 0.25, 0.5, 0.9).build().coverageLevel());
    }

    @Test
    void fallbacks_byDefault_areTheSeasonalNaiveAboveAPeriodOf1ThenTheNaive() {
        assertEquals(List.of("naive"), names(ForecastSpec.builder(THETA, 6).build().fallbacks()));
        assertEquals(List.of("naive"), names(ForecastSpec.builder(THETA, 6).period(1).build().fallbacks()));
        assertEquals(List.of(Forecasters.seasonalNaive(2).name(), "naive"),
                names(ForecastSpec.builder(THETA, 6).period(2).build().fallbacks()));
        assertEquals(List.of(), ForecastSpec.builder(THETA, 6).fallbacks().build().fallbacks());
    }

    @Test
    void partitions_areKept_andBelow0Refused() {
        assertEquals(0, ForecastSpec.builder(THETA, 6).build().partitions());
        assertEquals(3, ForecastSpec.builder(THETA, 6).partitions(3).build().partitions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForecastSpec.builder(THETA, 6).partitions(-1));
        assertEquals("partitions must be 0 (as the input) or positive, was -1", e.getMessage());
    }

    @Test
    void toString_namesEverySetting() {
        ForecastSpec spec = ForecastSpec.builder(THETA, 6).quantiles(0.1, 0.9).period(24).step(Duration.ofHours(1))
                .partitions(4).build();
        assertEquals("ForecastSpec[model=theta(24), horizon=6, quantiles=[0.1, 0.9], period=24, step=PT1H, "
                + "gaps=LINEAR, regressors=[], fallbacks=[snaive(24), naive], partitions=4]", spec.toString());
        assertEquals("ForecastSpec[model=naive, horizon=1, quantiles=[0.1, 0.9], period=1, step=inferred, "
                + "gaps=LINEAR, regressors=[], fallbacks=[naive], partitions=0]",
                ForecastSpec.builder(ModelSource.of(Forecasters::naive), 1).build().toString());
    }

    @Test
    void modelSource_namesItsModel_andSaysWhenItIsGlobalAndWhatItWasTrainedWithout() {
        assertEquals("theta(24)", THETA.name());
        assertEquals("theta(24)", THETA.toString());

        LstmModel lstm = LstmModel.trainGlobal(List.of(TimeSeries.of(Instant.EPOCH, Duration.ofHours(1),
                ramp(40))), LstmConfig.builder().inputWindow(8).chunk(4).seasonalPeriod(4).horizon(4).hiddenSize(2).maxEpochs(1)
                        .windowsPerEpoch(8).batchSize(4).seed(3).build());
        ModelSource global = ModelSource.global(lstm);
        assertEquals(lstm.forecaster().name(), global.name());
        assertEquals("global " + lstm.forecaster().name(), global.toString());
        ModelSource before = ModelSource.globalTrainedBefore(lstm, new CrossValidation(4, 3, 2));
        assertEquals("global " + lstm.forecaster().name() + " trained without the last 8 values", before.toString());
    }

    @Test
    void build_globalModelTrainedWithOtherRegressors_isRefusedNamingBothLists() {
        ModelSource global = ModelSource.global(lstmWith("cpu", "promo"));
        assertEquals(List.of("cpu", "promo"), global.regressorNames());
        assertEquals(List.of("cpu", "promo"),
                ForecastSpec.builder(global, 4).regressors("cpu", "promo").build().regressors());

        for (String[] named : List.of(new String[] {"promo", "cpu"}, new String[] {"cpu"}, new String[0],
                new String[] {"cpu", "promo", "price"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ForecastSpec.builder(global, 4).regressors(named).build());
            assertEquals(global.name() + " was trained with regressors [cpu, promo], the spec names "
                    + List.of(named) + ": name the same columns in the same order", e.getMessage());
        }
        ModelSource before = ModelSource.globalTrainedBefore(lstmWith("cpu", "promo"), new CrossValidation(4, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ForecastSpec.builder(before, 4).regressors("promo").build());
    }

    @Test
    void build_globalModelTrainedWithoutRegressors_isRefusedWhenTheSpecNamesSome() {
        ModelSource global = ModelSource.global(lstmWith());
        assertEquals(List.of(), global.regressorNames());
        assertEquals(List.of(), ForecastSpec.builder(global, 4).build().regressors());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForecastSpec.builder(global, 4).regressors("promo").build());
        assertEquals(global.name() + " was trained with regressors [], the spec names [promo]: name the same "
                + "columns in the same order", e.getMessage());
    }

    @Test
    void build_globalFallbackTrainedWithRegressors_isRefused_sinceFallbacksGetNone() {
        ModelSource withPromo = ModelSource.global(lstmWith("promo"));
        ModelSource arima = ModelSource.of(() -> Forecasters.arima(1, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForecastSpec.builder(arima, 4).regressors("promo")
                        .fallbacks(ModelSource.of(Forecasters::naive), withPromo).build());
        assertEquals("fallback " + withPromo.name() + " was trained with regressors [promo], and fallbacks "
                + "forecast without regressors", e.getMessage());
        // The model itself may take its regressors; a global fallback trained without any is a fallback like another.
        ModelSource plain = ModelSource.global(lstmWith());
        assertEquals(List.of(THETA, plain),
                ForecastSpec.builder(withPromo, 4).regressors("promo").fallbacks(THETA, plain).build().fallbacks());
        assertEquals(List.of(), THETA.regressorNames());
    }

    /** A small LSTM trained in well under a second, with regressors of these names in this order. */
    private static LstmModel lstmWith(String... regressors) {
        Instant start = Instant.EPOCH;
        Duration hour = Duration.ofHours(1);
        double[] values = ramp(40);
        LstmConfig config = LstmConfig.builder().inputWindow(8).chunk(4).seasonalPeriod(4).horizon(4).hiddenSize(2)
                .maxEpochs(1).windowsPerEpoch(8).batchSize(4).seed(3).build();
        if (regressors.length == 0) {
            return LstmModel.trainGlobal(List.of(TimeSeries.of(start, hour, values)), config);
        }
        Regressors.Builder b = Regressors.builder(start, hour, values.length);
        for (int j = 0; j < regressors.length; j++) {
            double[] column = new double[values.length];
            for (int i = 0; i < column.length; i++) {
                column[i] = (i + j) % 3;
            }
            b.column(regressors[j], column);
        }
        return LstmModel.trainGlobal(List.of(TimeSeries.of(start, hour, values)), List.of(b.build()), config);
    }

    private static double[] ramp(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 10 + i % 7;
        }
        return v;
    }

    private static List<String> names(List<ModelSource> sources) {
        return sources.stream().map(ModelSource::name).toList();
    }
}
