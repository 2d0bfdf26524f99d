package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that a guide quotes a compiled sample verbatim: the lines of a test source between
 * {@code // tag::sample[]} and {@code // end::sample[]}, indented by 8 in the test, without that indent.
 * Shared by the guide tests of every module (this module's test-jar), so samples in docs/ cannot rot.
 */
public final class GuideSamples {

    private GuideSamples() {
    }

    /**
     * Fails unless the guide contains the test's tagged sample.
     *
     * @param testSource the test source holding the sample, relative to the module
     * @param guide the guide, relative to the module
     * @throws IOException if either cannot be read
     */
    public static void assertQuoted(Path testSource, Path guide) throws IOException {
        List<String> lines = Files.readAllLines(testSource);
        int from = lines.indexOf("        // tag::sample[]");
        int to = lines.indexOf("        // end::sample[]");
        String sample = String.join("\n", lines.subList(from + 1, to).stream()
                .map(l -> l.isEmpty() ? l : l.substring(8)).toList());
        assertTrue(Files.readString(guide).contains(sample), guide + " must quote the sample:\n" + sample);
    }
}
