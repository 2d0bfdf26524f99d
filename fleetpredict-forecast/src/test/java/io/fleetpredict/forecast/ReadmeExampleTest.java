package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code sample in the README, compiled and run here so it cannot rot. */
class ReadmeExampleTest {

    @Test
    void sample_fitsAndForecastsAWeekOfHourlyLoad() {
        double[] requestsPerHour = new double[24 * 14];
        for (int i = 0; i < requestsPerHour.length; i++) {
            requestsPerHour[i] = 1000 + 400 * Math.sin(2 * Math.PI * i / 24) + (i % 7);
        }
        // tag::sample[]
        TimeSeries load = TimeSeries.of(Instant.parse("2024-10-01T00:00:00Z"), Duration.ofHours(1), requestsPerHour);
        FittedModel model = Forecasters.ets(24).fit(load);     // automatic ETS, chosen by AICc
        Forecast next = model.forecast(48, 80, 95);            // two days ahead, 80% and 95% intervals
        double expected = next.mean(0);                        // the next hour's point forecast
        double p90 = next.quantile(0.9, 0);                    // its 90th percentile (upper 80% bound)
        System.out.println(model.description());               // e.g. ETS(A,N,A) alpha=... AICc=...
        // end::sample[]
        assertEquals(48, next.horizon());
        assertTrue(p90 > expected);
        assertEquals(1000, expected, 30);
    }

    @Test
    void sample_isQuotedVerbatimInTheReadme() throws IOException {
        Path source = Path.of("src/test/java/io/fleetpredict/forecast/ReadmeExampleTest.java");
        List<String> lines = Files.readAllLines(source);
        int from = lines.indexOf("        // tag::sample[]");
        int to = lines.indexOf("        // end::sample[]");
        String sample = String.join("\n", lines.subList(from + 1, to).stream()
                .map(l -> l.isEmpty() ? l : l.substring(8)).toList());
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(sample), "README.md must quote the sample in ReadmeExampleTest:\n" + sample);
    }
}
