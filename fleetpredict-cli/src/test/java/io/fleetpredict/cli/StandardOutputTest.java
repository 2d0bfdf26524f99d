package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A result that cannot be written to standard output (a full disk, a closed pipe) fails the command with exit 3,
 * and what records the output (override apply's audit lines) records nothing. Standard output here is a writer
 * whose every write fails, as a full disk's.
 */
class StandardOutputTest {

    @TempDir
    Path tmp;

    /** A writer on a full disk: every write and flush fails. */
    private static final class FullDisk extends Writer {
        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void flush() throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void close() {
        }
    }

    private static CommandRun onFullDisk(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new FullDisk()), new PrintWriter(err), Display.PLAIN, args);
        return new CommandRun(code, "", err.toString());
    }

    private static String example(String name) {
        return CommandRun.examples().resolve(name).toString();
    }

    static Stream<List<String>> commands() {
        return Stream.of(
                List.of("plan", "--predicted", example("predicted-fleet-state.json"), "--fleet",
                        example("fleet-state.json"), "--catalog", example("instance-catalogue.json")),
                List.of("validate", "--format", "json", example("fleet-state.json")),
                List.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(), "--horizon", "3"),
                List.of("override", "list", "--overrides", example("overrides.json")),
                List.of("forecast", "--help"));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void command_stdoutCannotBeWritten_exit3SayingSo(List<String> command) {
        CommandRun r = onFullDisk(command.toArray(String[]::new));

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        String[] lines = r.err().strip().split("\n");
        assertEquals("fleetpredict " + String.join(" ", command.subList(0, command.get(0).equals("override") ? 2 : 1))
                + ": standard output: cannot write", lines[lines.length - 1], r::toString);
    }

    @Test
    void overrideApply_stdoutCannotBeWritten_nothingAudited() {
        Path audit = tmp.resolve("audit.jsonl");

        CommandRun r = onFullDisk("override", "apply", "--overrides", example("overrides.json"), "--predicted",
                example("predicted-fleet-state.json"), "--audit", audit.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("fleetpredict override apply: standard output: cannot write"), r::toString);
        assertFalse(Files.exists(audit), "override_applied lines for a document nobody received");
    }

    @Test
    void overrideApply_predictionDisabledReportCannotBeWritten_nothingAudited() throws IOException {
        Path overrides = tmp.resolve("o.json");
        Path added = tmp.resolve("added.jsonl");
        CommandRun add = CommandRun.of("override", "add", "--overrides", overrides.toString(), "--audit",
                added.toString(), "--id", "off", "--action", "disable", "--start", "2024-11-29T00:00:00Z",
                "--expiry", "2024-12-30T00:00:00Z", "--author", "a.tester", "--reason", "test");
        assertEquals(ExitCodes.OK, add.code(), add::toString);
        Path audit = tmp.resolve("audit.jsonl");

        CommandRun r = onFullDisk("override", "apply", "--overrides", overrides.toString(), "--predicted",
                example("predicted-fleet-state.json"), "--audit", audit.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertFalse(Files.exists(audit), "override_applied lines for a report nobody received");
    }

    /** The process's writer keeps why a write failed, so the message can say it. */
    @Test
    void notWritten_ofAFailedStream_saysWhy() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        PrintWriter out = new StandardOutput(full, StandardCharsets.UTF_8);
        out.print("{}");

        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> StandardOutput.flush(out));

        assertEquals("standard output: cannot write: No space left on device", e.getMessage());
    }
}
