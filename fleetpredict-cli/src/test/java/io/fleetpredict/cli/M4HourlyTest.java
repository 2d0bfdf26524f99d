package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetpredict.forecast.Accuracy;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.Holdout;
import io.fleetpredict.forecast.HoldoutResult;
import io.fleetpredict.forecast.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the published M4 hourly scores of the three naive benchmarks on the 414 hourly series.
 *
 * <p>Reference: the organisers' {@code Evaluation and Ranks.xlsx} in Mcompetitions/M4-methods (snapshot
 * 6c1067e5a57161249b17289a565178dc7a3fb3ca), hourly rows: Naive1 sMAPE 43.003 MASE 11.608 MSIS 71.245,
 * sNaive 13.912 / 1.193, Naive2 18.383 / 2.395 (see Makridakis, Spiliotis and Assimakopoulos 2020, IJF
 * 36(1)). The data files (2.3 MB) are not part of this repository: the test runs when
 * {@code Hourly-train.csv} and {@code Hourly-test.csv} are found in the directory named by the system
 * property {@code fleetpredict.m4.hourly}, or in {@code shared/data/m4-hourly} next to the repository,
 * and is skipped otherwise.
 */
class M4HourlyTest {

    private static final int HORIZON = 48;
    private static final int PERIOD = 24;
    private static List<M4Series> series;

    @BeforeAll
    static void load() {
        Optional<Path> dir = locate();
        assumeTrue(dir.isPresent(), "M4 hourly data not found; skipping");
        series = M4Data.read(dir.get().resolve("Hourly-train.csv"), dir.get().resolve("Hourly-test.csv"));
    }

    private static Optional<Path> locate() {
        Stream<Path> candidates = Stream.of(
                System.getProperty("fleetpredict.m4.hourly"),
                "../../shared/data/m4-hourly",
                "../shared/data/m4-hourly",
                "/work/shared/data/m4-hourly")
                .filter(s -> s != null)
                .map(Path::of);
        return candidates.filter(p -> Files.isReadable(p.resolve("Hourly-train.csv"))
                && Files.isReadable(p.resolve("Hourly-test.csv"))).findFirst();
    }

    /** The library's hold-out scoring of the whole set, as {@code fleetpredict evaluate} runs it. */
    private static HoldoutResult score(Forecaster forecaster) {
        List<TimeSeries> train = series.stream().map(M4Series::train).toList();
        List<TimeSeries> test = series.stream().map(M4Series::test).toList();
        return Holdout.evaluate(train, test, forecaster, HORIZON, PERIOD);
    }

    @Test
    void read_hourlyFiles_has414SeriesOfPublishedLengths() {
        assertEquals(414, series.size());
        assertEquals("H1", series.get(0).id());
        assertEquals(700, series.get(0).train().size());
        for (M4Series s : series) {
            assertEquals(HORIZON, s.test().size(), s.id());
            int n = s.train().size();
            assertEquals(true, n == 700 || n == 960, s.id() + " has " + n);
        }
    }

    @Test
    void seasonalNaive_m4Hourly_matchesPublishedScores() {
        HoldoutResult r = score(Forecasters.seasonalNaive(PERIOD));
        assertEquals(13.912, r.smape(), 0.0005);
        assertEquals(1.193, r.mase(), 0.0005);
        // The published hourly OWA of sNaive is 0.627; ours, against Naive2's published figures or against
        // Naive2 scored here, is 0.62750: within a unit of the third decimal, since the published OWA comes
        // from unrounded scores and its inputs are themselves rounded to three decimals.
        assertEquals(0.627, r.owa(18.383, 2.395), 0.001);
        assertEquals(0.627, r.owa(score(Forecasters.naive2(PERIOD))), 0.001);
    }

    @Test
    void naive_m4Hourly_matchesPublishedScores() {
        HoldoutResult r = score(Forecasters.naive());
        assertEquals(43.003, r.smape(), 0.0005);
        assertEquals(11.608, r.mase(), 0.0005);
        // Published hourly MSIS 71.245 and ACD 0.011 of the Naive benchmark's 95% intervals.
        assertEquals(71.245, r.msis(), 0.0005);
        assertEquals(0.011, Math.abs(r.coverage() - 0.95), 0.0005);
    }

    @Test
    void naive2_m4Hourly_matchesPublishedScoresAndOwaIsOne() {
        HoldoutResult r = score(Forecasters.naive2(PERIOD));
        assertEquals(18.383, r.smape(), 0.0005);
        assertEquals(2.395, r.mase(), 0.0005);
        assertEquals(1.0, r.owa(r), 1e-12);
        // The published hourly OWA of sNaive, from its published sMAPE and MASE: 0.627.
        assertEquals(0.627, Accuracy.owa(13.912, 1.193, 18.383, 2.395), 0.0005);
    }
}
