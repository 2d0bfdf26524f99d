package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code sample in docs/guides/backtesting.md, compiled and run here so it cannot rot. */
class BacktestingGuideTest {

    @Test
    void sample_comparesTwoModelsOnTrainingDataAndLetsAutoChoose() {
        TimeSeries training = Datasets.synthetic(3, 24 * 28, 24);
        // tag::sample[]
        // Four origins a day apart at the end of the training data, each scored on the next 48 hours.
        BacktestResult ets = Backtest.rollingOrigin(training, Forecasters.ets(24), 48, 4, 24, 24);
        BacktestResult mstl = Backtest.rollingOrigin(training, Forecasters.mstl(24, 168), 48, 4, 24, 24);
        double etsMase = ets.mean(Metric.MASE);          // scaled by the in-sample seasonal naive error
        double mstlMase = mstl.mean(Metric.MASE);

        // Or let the library choose per series, cross-validating at the horizon it will forecast.
        Forecaster auto = Forecasters.auto(CrossValidation.of(48), 24, 168);
        FittedModel chosen = auto.fit(training);
        System.out.println(chosen.description());        // the models chosen and every candidate's score
        // end::sample[]
        assertEquals(4, ets.folds().size());
        assertTrue(Double.isFinite(etsMase) && Double.isFinite(mstlMase));
        assertTrue(chosen.description().contains("mstl") || chosen.description().contains("snaive"),
                chosen.description());
    }

    @Test
    void sample_isQuotedVerbatimInTheGuide() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/io/fleetpredict/forecast/BacktestingGuideTest.java"));
        int from = lines.indexOf("        // tag::sample[]");
        int to = lines.indexOf("        // end::sample[]");
        String sample = String.join("\n", lines.subList(from + 1, to).stream()
                .map(l -> l.isEmpty() ? l : l.substring(8)).toList());
        String guide = Files.readString(Path.of("..", "docs", "guides", "backtesting.md"));
        assertTrue(guide.contains(sample), "docs/guides/backtesting.md must quote the sample:\n" + sample);
    }
}
