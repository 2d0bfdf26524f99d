package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.GlobalAutoregression.Normalisation;
import io.fleetpredict.forecast.GlobalAutoregression.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which forecasters say they hold a model trained before fitting, so that cross-validation can tell. */
class TrainedBeforeFitTest {

    private static List<TimeSeries> seasonal() {
        return List.of(series(100, 0), series(60, 1), series(250, 2));
    }

    private static TimeSeries series(double level, int phase) {
        double[] v = new double[240];
        for (int t = 0; t < v.length; t++) {
            v[t] = level * (1 + 0.3 * Math.sin(2 * Math.PI * (t + phase) / 12) + 0.01 * ((t * 7919) % 13));
        }
        return TimeSeries.of(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofHours(1), v);
    }

    private static LstmConfig small() {
        return LstmConfig.builder().inputWindow(24).chunk(6).seasonalPeriod(12).horizon(12).hiddenSize(4)
                .maxEpochs(1).windowsPerEpoch(16).batchSize(8).seed(3).build();
    }

    @Test
    void trainedBeforeFit_modelsTrainedAcrossSeries_sayTheyAre() {
        Forecaster lstm = LstmModel.trainGlobal(seasonal(), small()).forecaster();
        Forecaster pooled = GlobalAutoregression.train(seasonal(), new Settings(24, 12, 1e-3, Normalisation.STANDARDISED));

        assertTrue(lstm.trainedBeforeFit());
        assertTrue(pooled.trainedBeforeFit());
        assertTrue(Forecasters.globalCandidate(seasonal(), CrossValidation.of(12),
                list -> GlobalAutoregression.train(list, new Settings(24, 12, 1e-3, Normalisation.STANDARDISED)))
                .trainedBeforeFit());
    }

    @Test
    void trainedBeforeFit_modelsThatTrainOnTheSeriesTheyFit_sayTheyAreNot() {
        assertFalse(Forecasters.theta(12).trainedBeforeFit());
        assertFalse(Forecasters.lstm(small()).trainedBeforeFit());
        assertFalse(GlobalAutoregression.local(24, 1e-2, Normalisation.STANDARDISED).trainedBeforeFit());
        assertFalse(Forecasters.auto(CrossValidation.of(12), 12).trainedBeforeFit());
        assertFalse(Forecasters.nonNegative(Forecasters.theta(12)).trainedBeforeFit());
    }

    @Test
    void trainedBeforeFit_aForecasterAroundOne_answersAsTheModelItHolds() {
        Forecaster pooled = GlobalAutoregression.train(seasonal(), new Settings(24, 12, 1e-3, Normalisation.STANDARDISED));

        assertTrue(Forecasters.nonNegative(pooled).trainedBeforeFit());
        assertTrue(Forecasters.cleaned(pooled, 12).trainedBeforeFit());
        assertTrue(Forecasters.boxCox(pooled, 0.5).trainedBeforeFit());
        // auto takes a model trained before fitting only as a global candidate of its plan.
        CrossValidation plan = CrossValidation.of(12);
        Forecaster global = Forecasters.globalCandidate(seasonal(), plan,
                list -> GlobalAutoregression.train(list, new Settings(24, 12, 1e-3, Normalisation.STANDARDISED)));
        assertTrue(Forecasters.auto(plan, List.of(global), 12).trainedBeforeFit());
        assertTrue(Forecasters.auto(plan, List.of(global)).trainedBeforeFit());
    }
}
