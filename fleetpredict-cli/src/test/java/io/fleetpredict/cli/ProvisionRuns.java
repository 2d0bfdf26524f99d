package io.fleetpredict.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the provision command's tests share: the example plan for the simulated cloud, the apply run into a state
 * folder that most of them repeat, and what a state folder holds, to compare before and after a run.
 */
final class ProvisionRuns {

    /** Fleet shop-eu as of 17:40, its two changes launching at 17:50 and 17:54. */
    static final Path EXAMPLE = Path.of("..", "docs", "examples", "provisional-fleet-state-sim.json");

    private ProvisionRuns() {
    }

    /** The example plan applied under a threshold of 5 per hour, keeping its state in {@code states}. */
    static String[] apply(Path states) {
        return new String[] {"provision", "--provisional", EXAMPLE.toString(), "--threshold", "5", "--apply",
            "--state-dir", states.toString()};
    }

    /** Every file under {@code folder} but the locks, with its content. */
    static Map<String, String> files(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walked = Files.walk(folder)) {
            for (Path f : walked.filter(Files::isRegularFile).filter(f -> !f.endsWith(".lock")).toList()) {
                files.put(folder.relativize(f).toString(), Files.readString(f));
            }
        }
        return files;
    }
}
