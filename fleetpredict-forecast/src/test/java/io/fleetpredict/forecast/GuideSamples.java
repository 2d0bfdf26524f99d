package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that a guide quotes a compiled sample verbatim: the lines of a test source between
 * {@code // tag::NAME[]} and {@code // end::NAME[]}, without the indent of the tag line (8 for a sample inside
 * a test method, none for a whole program). Shared by the guide tests of every module (this module's
 * test-jar), so samples in docs/ cannot rot.
 */
public final class GuideSamples {

    private GuideSamples() {
    }

    /**
     * Fails unless the guide contains the test's sample tagged {@code sample}, indented by 8 in the test.
     *
     * @param testSource the test source holding the sample, relative to the module
     * @param guide the guide, relative to the module
     * @throws IOException if either cannot be read
     */
    public static void assertQuoted(Path testSource, Path guide) throws IOException {
        assertQuoted(testSource, "sample", guide);
    }

    /**
     * Fails unless the guide contains the test's sample with this tag.
     *
     * @param testSource the test source holding the sample, relative to the module
     * @param tag the sample's name
     * @param guide the guide, relative to the module
     * @return the sample as quoted
     * @throws IOException if either cannot be read
     */
    public static String assertQuoted(Path testSource, String tag, Path guide) throws IOException {
        String sample = sample(testSource, tag);
        assertTrue(Files.readString(guide).contains(sample), guide + " must quote the sample:\n" + sample);
        return sample;
    }

    /**
     * The sample with this tag, without the tag line's indent.
     *
     * @param testSource the test source holding the sample
     * @param tag the sample's name
     * @return the sample's lines, joined by {@code \n}
     * @throws IOException if the source cannot be read
     */
    public static String sample(Path testSource, String tag) throws IOException {
        List<String> lines = Files.readAllLines(testSource);
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            from = from < 0 && line.equals("// tag::" + tag + "[]") ? i : from;
            to = from >= 0 && to < 0 && line.equals("// end::" + tag + "[]") ? i : to;
        }
        assertTrue(from >= 0 && to > from, testSource + " has no sample tagged " + tag);
        int indent = lines.get(from).indexOf('/');
        return String.join("\n", lines.subList(from + 1, to).stream()
                .map(l -> l.length() < indent ? l.strip() : l.substring(indent)).toList());
    }
}
