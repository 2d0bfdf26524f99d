package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.OverrideApplied;
import io.fleetpredict.core.document.PredictedFleetState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code override apply} beside another run: one apply stopped, in a child JVM, at an exact point of its run
 * while another command runs in this one.
 */
class OverrideApplyConcurrencyTest {
    private static final String DOCUMENT_WRITE = "io.fleetpredict.cli.OutputFiles.write";
    private static final String AUDIT_APPEND = "io.fleetpredict.core.feedback.JsonLinesAuditLog.appendAll";

    @TempDir
    Path tmp;

    private static String example(String name) {
        return CommandRun.examples().resolve(name).toString();
    }

    private String[] apply(String overrides, Path audit, Path output) {
        return new String[] {"override", "apply", "--overrides", overrides, "--predicted",
            example("predicted-fleet-state.json"), "--audit", audit.toString(), "--output", output.toString()};
    }

    /**
     * Two applies to one {@code --output}: the first has written it and fails to append its audit lines, so it
     * puts back what the file held before. Without a lock, a second apply that wrote the file in between, said
     * so and recorded it, would have its output taken away by that put-back; it is refused instead, while the
     * first holds {@code FILE.lock} beside the output.
     */
    @Test
    void apply_anotherApplyToTheSameOutputPutsBackItsFile_secondIsRefusedNotUndone() throws Exception {
        Path out = tmp.resolve("applied.json");
        Path unwritableLog = Files.writeString(tmp.resolve("full.log"), "x".repeat(8 * 1024 * 1024 + 1));
        Path log = tmp.resolve("audit.log");
        CommandRun second;
        int first;
        try (PausedRun run = PausedRun.start(tmp.resolve("run.log"), List.of(AUDIT_APPEND),
                apply(example("overrides.json"), unwritableLog, out))) {
            run.awaitStop();
            assertTrue(Files.exists(out), "the first apply has written its output");

            second = CommandRun.of(apply(example("overrides.json"), log, out));

            first = run.finish();
            assertTrue(run.output().contains("was put back as it was"), run.output());
        }
        assertEquals(ExitCodes.INVALID_INPUT, first);
        if (second.code() == ExitCodes.OK) {
            assertTrue(Files.exists(out), "the second apply said \"" + second.out().strip() + "\" and recorded it in "
                    + "its audit log, but its output was taken away by the first one's put-back");
        }
        assertEquals(ExitCodes.INVALID_INPUT, second.code(), second::toString);
        assertTrue(second.err().contains(out + ": in use by another fleetpredict run (it holds " + out + ".lock)"),
                second::toString);
        assertFalse(Files.exists(log), "an audit line for an output the second apply did not write");
        assertFalse(Files.exists(out), "the first apply's output, without its audit lines");
    }

    /**
     * An apply run while an add is stopped between its audit line and the overrides file's write is not held
     * up by the add's lock and reads the file whole, as it was: the add replaces the file in one move, after
     * the line that records it.
     */
    @Test
    void apply_whileAnAddIsBetweenItsAuditLineAndItsDocument_readsTheDocumentAsItWas() throws Exception {
        Path overrides = Files.copy(Path.of(example("overrides.json")), tmp.resolve("o.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Path log = tmp.resolve("audit.log");
        String[] add = {"override", "add", "--overrides", overrides.toString(), "--audit", log.toString(),
            "--id", "late-uplift", "--action", "scale", "--service", "checkout", "--factor", "2",
            "--start", "2024-11-29T00:00:00Z", "--expiry", "2024-11-30T00:00:00Z", "--author", "a.tester",
            "--reason", "test"};
        try (PausedRun run = PausedRun.start(tmp.resolve("run.log"), List.of(DOCUMENT_WRITE), add)) {
            run.awaitStop();
            assertTrue(Files.readString(log).contains("\"late-uplift\""), "the add's line is appended first");

            CommandRun during = CommandRun.of(apply(overrides.toString(), tmp.resolve("during.log"),
                    tmp.resolve("during.json")));

            assertEquals(ExitCodes.OK, during.code(), during::toString);
            assertFalse(applied(tmp.resolve("during.json")).contains("late-uplift"));
            assertEquals(ExitCodes.OK, run.finish(), run.output());
        }
        CommandRun after = CommandRun.of(apply(overrides.toString(), tmp.resolve("after.log"),
                tmp.resolve("after.json")));

        assertEquals(ExitCodes.OK, after.code(), after::toString);
        assertTrue(applied(tmp.resolve("after.json")).contains("late-uplift"));
    }

    private static List<String> applied(Path state) {
        return Documents.read(state, PredictedFleetState.class).overridesApplied().stream()
                .map(OverrideApplied::id).toList();
    }
}
