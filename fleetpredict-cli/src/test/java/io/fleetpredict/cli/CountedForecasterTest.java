package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.forecast.GapPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counting the fits changes nothing: the predictor with counted forecasters predicts exactly what the default
 * predictor does. This fails if the predictor's default forecasters change and the counted ones do not follow.
 */
class CountedForecasterTest {

    @TempDir
    Path tmp;

    @Test
    void countFits_samePredictionAsTheDefaultForecasters_andCountsEachFit() throws Exception {
        FleetHistory history = PredictCommand.readHistory(CommandRun.smallHistory(tmp.resolve("h")), GapPolicy.REJECT, ZoneOffset.UTC);
        EventFeed none = new EventFeed(1, List.of());
        List<PredictedFleetState> plain = Predictor.builder().build().fit(history, none, history.end()).predict().states();
        Progress progress = Progress.start(new PrintWriter(new StringWriter()),
                new Display(false, Duration.ofDays(1), Duration.ofDays(1)), "predict", 0, "models fitted");
        List<PredictedFleetState> counted = CountedForecaster.countFits(Predictor.builder(), history.step(), progress)
                .build().fit(history, none, history.end()).predict().states();
        assertEquals(plain.stream().map(Documents::write).toList(), counted.stream().map(Documents::write).toList());
        // Two series, three horizons.
        assertEquals(6, progress.done());
    }
}
