package io.fleetpredict.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.forecast.GuideSamples;
import io.fleetpredict.forecast.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The code sample in docs/guides/replaying-a-trace.md, compiled and run here so it cannot rot. */
class ReplayGuideTest {

    /** Ten days of one-minute requests: a daily cycle, noise, and a campaign tripling demand in 8 minutes at 18:00 each day. */
    private static TimeSeries trace(Instant start) {
        Random random = new Random(42);
        double[] v = new double[10 * 1440];
        for (int t = 0; t < v.length; t++) {
            int minute = t % 1440;
            double surge = minute >= 1080 && minute < 1140 ? Math.min(3, 1 + (minute - 1080) / 4.0) : 1;
            v[t] = surge * (20_000 + 12_000 * Math.sin(2 * Math.PI * t / 1440)) * (1 + 0.03 * random.nextGaussian());
        }
        return TimeSeries.of(start, Duration.ofMinutes(1), v);
    }

    @Test
    void sample_replaysReactiveAndShortHorizonOnTheSameTrace() throws IOException {
        Instant start = Instant.parse("2024-05-01T00:00:00Z");
        TimeSeries requestsPerMinute = trace(start);
        List<FleetEvent> campaigns = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            Instant at = start.plus(Duration.ofDays(d)).plus(Duration.ofHours(18));
            campaigns.add(new FleetEvent("campaign-" + d, EventType.CAMPAIGN, "evening campaign", at,
                    at.plus(Duration.ofHours(1)), List.of(), null));
        }
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<ReplayResult> results;
        try {
            results = sample(requestsPerMinute, campaigns);
        } finally {
            System.setOut(console);
        }
        console.print(printed.toString(StandardCharsets.UTF_8));
        assertEquals(2, results.size());
        Scores reactive = results.get(0).scores();
        Scores loop = results.get(1).scores();
        // The campaigns' ramps beat the reactive fleet; the loop, told about them, launches ahead.
        assertTrue(loop.violationMinutes() < reactive.violationMinutes(), loop + " vs " + reactive);
        // The guide quotes what the sample prints, line for line.
        String guide = Files.readString(Path.of("..", "docs", "guides", "replaying-a-trace.md"));
        for (String line : printed.toString(StandardCharsets.UTF_8).split("\\R")) {
            assertTrue(guide.contains(line + "\n"), () -> "the guide does not quote the line the sample prints: " + line);
        }
    }

    private static List<ReplayResult> sample(TimeSeries requestsPerMinute, List<FleetEvent> campaigns) {
        // tag::sample[]
        Replay replay = Replay.builder()
                .trace(requestsPerMinute)            // requests per step, here per minute
                .perInstance(1000)                   // what one instance serves per step within its SLA
                .bootTime(Duration.ofMinutes(5))     // launch to ready
                .pricePerHour(0.096)
                .warmUp(Duration.ofDays(7))          // seen by the policies, never scored
                .build();
        List<ReplayResult> results = replay.runAll(List.of(
                Policies.reactive(0.7),                        // AWS-style target tracking at 70%
                Policies.fleetpredict(0.999, campaigns)));     // the library's loop: demand served 99.9% of the time
        for (ReplayResult r : results) {
            Scores s = r.scores();
            System.out.printf("%s: cost %.2f, %.0f violation minutes, mean utilisation %.1f%%%n",
                    r.policy(), s.cost(), s.violationMinutes(), 100 * s.meanUtilisation());
        }
        // end::sample[]
        return results;
    }

    @Test
    void sample_isQuotedVerbatimInTheGuide() throws IOException {
        GuideSamples.assertQuoted(Path.of("src/test/java/io/fleetpredict/replay/ReplayGuideTest.java"), Path.of("..", "docs", "guides", "replaying-a-trace.md"));
    }
}
