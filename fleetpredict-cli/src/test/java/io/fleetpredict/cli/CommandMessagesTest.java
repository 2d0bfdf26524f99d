package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the commands say: a refused value names the option as typed (or the file and line), not the library's
 * parameter; one message for a folder given as a file; reports that depend on the data alone; and the small
 * forms of cli.md (seconds in instants, {@code -} for a figure without a value, four significant digits).
 */
class CommandMessagesTest {

    @TempDir
    Path tmp;

    private static String example(String name) {
        return CommandRun.examples().resolve(name).toString();
    }

    private static Path sample() {
        return CommandRun.examples().getParent().getParent().resolve("fleetpredict-cli/src/main/resources/sample");
    }

    static Stream<Arguments> refusedValues() {
        String trace = sample().resolve("checkout.cpu.cores.csv").toString();
        String[] replay = {"replay", "--trace", trace, "--no-sweep", "--policies", "static,reactive"};
        String[] add = {"override", "add", "--overrides", "o.json", "--audit", "a.jsonl", "--id", "x", "--author", "a",
            "--reason", "r", "--expiry", "2030-01-01T00:00:00Z"};
        return Stream.of(
                Arguments.of(List.of("predict", "--history", sample().toString(), "--quantile", "1.5"), "--quantile 1.5:",
                        "defaultQuantile"),
                Arguments.of(List.of("provision", "--provisional", example("provisional-fleet-state.json"), "--threshold",
                        "1", "--threshold-per-cycle", "-2"), "--threshold-per-cycle -2:", "maxCostPerCycle"),
                Arguments.of(concat(replay, "--per-instance", "0"), "--per-instance 0:", "perInstance"),
                Arguments.of(concat(replay, "--per-instance", "100", "--warm-up", "60d"), "--warm-up 60d:", "warmUp"),
                Arguments.of(concat(replay, "--per-instance", "100", "--boot-time", "0s"), "--boot-time 0s:", "bootTime"),
                Arguments.of(concat(replay, "--per-instance", "100", "--target", "1.5"), "--target 1.5:",
                        "targetUtilisation"),
                Arguments.of(concat(replay, "--per-instance", "100", "--static-headroom", "-1"), "--static-headroom -1:",
                        "headroom must"),
                Arguments.of(concat(add, "--action", "floor", "--resource", "CPU", "--quantity", "-10", "--units",
                        "cores"), "--quantity -10:", "amount"),
                Arguments.of(concat(add, "--action", "floor", "--resource", "CPU", "--quantity", "10", "--units", "GiB"),
                        "--units GiB: unit \"GiB\" is not a unit of CPU; expected one of cores, millicores, vcpu", "unit:"),
                Arguments.of(concat(add, "--action", "scale", "--factor", "0"), "--factor 0: must be positive", "x0.0"));
    }

    private static List<String> concat(String[] head, String... tail) {
        return Stream.concat(Stream.of(head), Stream.of(tail)).toList();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusedValues")
    void refusedValue_usageErrorNamingTheOptionAsTyped(List<String> args, String expected, String internal) {
        CommandRun r = CommandRun.of(args.toArray(String[]::new));

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in\n" + r);
        assertFalse(r.err().contains(internal), () -> "names the library's '" + internal + "' in\n" + r);
        assertEquals("", r.out(), r::toString);
    }

    @Test
    void provision_stateDirIsAFile_saysSo() throws IOException {
        Path file = Files.writeString(tmp.resolve("state"), "x");

        CommandRun r = CommandRun.of("provision", "--provisional", example("provisional-fleet-state.json"),
                "--threshold", "1", "--state-dir", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ": cannot write: is a file, not a folder"), r::toString);
        assertFalse(r.err().contains("Exception"), r::toString);
    }

    static Stream<List<String>> folderForAFile() {
        return Stream.of(
                List.of("validate", "DIR"),
                List.of("plan", "--catalog", "DIR", "--predicted", example("predicted-fleet-state.json"), "--fleet",
                        example("fleet-state.json")),
                List.of("provision", "--provisional", "DIR", "--threshold", "1"),
                List.of("override", "add", "--overrides", "DIR", "--audit", "AUDIT", "--id", "x", "--action", "disable",
                        "--expiry", "2030-01-01T00:00:00Z", "--author", "a", "--reason", "r"),
                List.of("forecast", "--input", "DIR", "--horizon", "2"),
                List.of("accuracy", "--predicted", example("predicted-fleet-state.json"), "--actuals", "DIR"),
                List.of("evaluate", "--train", "DIR", "--test", "DIR", "--horizon", "1", "--period", "1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folderForAFile")
    void folderGivenForAFile_oneMessage(List<String> command) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("somedir"));
        String[] args = command.stream().map(a -> a.equals("DIR") ? dir.toString()
                : a.equals("AUDIT") ? tmp.resolve("a.jsonl").toString() : a).toArray(String[]::new);

        CommandRun r = CommandRun.of(args);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        // Read first (": is a folder") or checked as an output first (": cannot write: is a folder"): said once.
        String said = r.out() + r.err();
        assertTrue(said.contains(dir + ": is a folder, not a file")
                || said.contains(dir + ": cannot write: is a folder, not a file"), r::toString);
        assertEquals(1, said.split("is a folder, not a file", -1).length - 1, r::toString);
    }

    @Test
    void evaluate_missingFile_noSuchFileNamedOnce() {
        Path nope = tmp.resolve("nope.csv");

        CommandRun r = CommandRun.of("evaluate", "--train", nope.toString(), "--test", nope.toString(), "--horizon", "1",
                "--period", "1");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertEquals("fleetpredict evaluate: " + nope + ": no such file", r.err().strip());
    }

    @Test
    void accuracy_asOf_isTheEndOfTheLastActualScored() throws IOException {
        CommandRun r = CommandRun.of("accuracy", "--predicted", example("predicted-fleet-state.json"), "--actuals",
                example("actuals.csv"), "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        // The example's actuals are at 18:00 and last the default step of an hour, as cli.md shows.
        assertEquals("2024-11-29T19:00:00Z", new ObjectMapper().readTree(r.out()).get("as_of").asText());
    }

    @Test
    void accuracy_textTable_noCoverageIsADash() {
        CommandRun r = CommandRun.of("accuracy", "--predicted", example("predicted-fleet-state.json"), "--actuals",
                example("actuals.csv"));

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertFalse(r.out().contains("NaN"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("checkout/Memory/short_term")
                && l.matches(".*\\s-\\s+0\\s+\\d+\\.\\d+$")), r.out());
    }

    @Test
    void accuracy_headerOnly_saysTheFileHoldsNoActuals() throws IOException {
        Path actuals = Files.writeString(tmp.resolve("actuals.csv"), "timestamp,service,resource_type,actual,units\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", example("predicted-fleet-state.json"), "--actuals",
                actuals.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(actuals + ": holds no actuals"), r::toString);
    }

    @Test
    void accuracy_negativeActual_namesFileAndLine() throws IOException {
        Path actuals = Files.writeString(tmp.resolve("actuals.csv"),
                "timestamp,service,resource_type,actual,units\n2024-11-29T18:00:00Z,fleet,CPU,-5,cores\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", example("predicted-fleet-state.json"), "--actuals",
                actuals.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(actuals + ":2: actual \"-5\""), r::toString);
        assertFalse(r.err().contains("amount:"), r::toString);
    }

    @Test
    void overrideList_defaultStart_inWholeSeconds() {
        Path overrides = tmp.resolve("o.json");
        CommandRun add = CommandRun.of("override", "add", "--overrides", overrides.toString(), "--audit",
                tmp.resolve("a.jsonl").toString(), "--id", "x", "--action", "disable", "--expiry", "2100-01-01T00:00:00Z",
                "--author", "a", "--reason", "r");
        assertEquals(ExitCodes.OK, add.code(), add::toString);

        CommandRun r = CommandRun.of("override", "list", "--overrides", overrides.toString());

        assertTrue(r.out().matches("(?s)x: disable on fleet/all from \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ until .*"),
                r.out());
    }

    @Test
    void predict_eventNamingAnUnknownService_warnsNamingIt() throws IOException {
        Path history = tmp.resolve("history");
        CommandRun.smallHistory(history);
        Path events = Files.writeString(tmp.resolve("events.json"), """
                {"schema_version": 1, "events": [{"id": "sale", "type": "campaign", "name": "sale",
                  "start": "2024-03-21T10:00:00Z", "end": "2024-03-21T12:00:00Z", "scope": ["wbe"]}]}
                """);

        CommandRun r = CommandRun.of("predict", "-q", "--history", history.toString(), "--events", events.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.err().contains("warning: event sale names service wbe, not in the history (web)"),
                r::toString);
    }

    @Test
    void evaluate_textTable_fourSignificantDigits() {
        assertEquals("164.3", Numbers.text(164.310));
        CommandRun r = CommandRun.of("evaluate", "--train", m4("train.csv"), "--test", m4("test.csv"), "--horizon", "48",
                "--period", "24", "--model", "naive2", "--model", "theta");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        for (String row : r.out().lines().skip(1).toList()) {
            String[] cells = row.trim().split("\\s+");
            for (int i = 2; i <= 6; i++) {
                String cell = cells[i];
                String digits = cell.replace("-", "").replace(".", "").replaceFirst("^0+", "");
                boolean wholeAndLong = !cell.contains(".") && digits.length() >= 4;
                assertTrue(cell.equals("-") || cell.equals("0") || digits.length() == 4 || wholeAndLong,
                        () -> "four significant digits in " + cell + " of\n" + r.out());
            }
        }
    }

    private static String m4(String name) {
        try {
            return Path.of(CommandMessagesTest.class.getResource("m4/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
