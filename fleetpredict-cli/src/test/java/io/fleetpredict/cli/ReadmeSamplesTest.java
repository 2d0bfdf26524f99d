package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's integration samples are the compiled ones: the code between {@code // tag::sample[]} and
 * {@code // end::sample[]} in each module's test (which runs it) is quoted verbatim in the README.
 */
class ReadmeSamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "fleetpredict-prometheus/src/test/java/io/fleetpredict/prometheus/PrometheusSourceTest.java",
        "fleetpredict-micrometer/src/test/java/io/fleetpredict/micrometer/FleetPredictorMetricsTest.java",
        "fleetpredict-kubernetes/src/test/java/io/fleetpredict/kubernetes/KarpenterCloudTest.java"})
    void readme_quotesTheTaggedSample(String file) throws IOException {
        Path source = Path.of("..").resolve(file);
        List<String> lines = Files.readAllLines(source);
        int from = lines.indexOf("        // tag::sample[]");
        int to = lines.indexOf("        // end::sample[]");
        assertTrue(from >= 0 && to > from, file + " has no tagged sample");
        String sample = String.join("\n", lines.subList(from + 1, to).stream()
                .map(l -> l.isEmpty() ? l : l.substring(8)).toList());
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains(sample), "README.md must quote the sample of " + file + ":\n" + sample);
    }
}
