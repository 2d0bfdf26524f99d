package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input that a command cannot use gives exit 3 and a message naming the file and the place in it (a JSON
 * path or a line), whichever command reads it; never exit 1 or 2, never a stack trace.
 */
class BadInputTest {

    @TempDir
    Path tmp;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path csv(String name, String... lines) throws IOException {
        return file(name, String.join("\n", lines) + "\n");
    }

    private static void assertInvalid(CommandRun r, Path file, String place) {
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains(file.toString()), r::toString);
        assertTrue(r.err().contains(place), () -> "expected '" + place + "' in\n" + r);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    @Test
    void validate_numberWithOverflowingExponent_exit3AndTheGoodFilesStillReported() throws IOException {
        Path good = CommandRun.examples().resolve("fleet-state.json");
        String text = Files.readString(good);
        Path bad = file("bad.json", text.replace("\"version\": 41", "\"version\": 1e9999999999"));
        CommandRun r = CommandRun.of("validate", "--format", "json", good.toString(), bad.toString(), good.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        JsonNode files = new ObjectMapper().readTree(r.out()).get("files");
        assertEquals(3, files.size());
        assertTrue(files.get(0).get("valid").asBoolean());
        assertEquals("$.version", files.get(1).get("path").asText());
        assertTrue(files.get(2).get("valid").asBoolean());
    }

    static Stream<Arguments> badSeries() {
        return Stream.of(
                Arguments.of("year a billion", List.of("timestamp,value", "2024-01-01T00:00:00Z,1",
                        "+1000000000-01-01T00:00:00Z,2"), ":3:"),
                Arguments.of("year minus a billion", List.of("timestamp,value", "-1000000000-01-01T00:00:00Z,1",
                        "2024-01-01T00:00:00Z,2"), ":2:"),
                Arguments.of("one nanosecond step over centuries", List.of("timestamp,value",
                        "0001-01-01T00:00:00Z,1", "0001-01-01T00:00:00.000000001Z,2", "9999-01-01T00:00:00Z,3"),
                        "span too many steps"),
                Arguments.of("first value not a number", List.of("12x", "2", "3"), ":1:"),
                Arguments.of("first timestamped value not a number", List.of("2024-01-01T00:00:00Z,abc",
                        "2024-01-01T01:00:00Z,2"), ":1:"),
                Arguments.of("hexadecimal number", List.of("value", "1", "0x1p4", "3"), ":3:"),
                Arguments.of("number with a type suffix", List.of("value", "1", "20.5d", "3"), ":3:"),
                Arguments.of("infinity", List.of("value", "1", "Infinity", "3"), ":3:"),
                Arguments.of("header only", List.of("timestamp,value"), "no values"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSeries")
    void forecast_badSeries_exit3NamingTheFileAndLine(String name, List<String> lines, String place) throws IOException {
        Path input = csv("series.csv", lines.toArray(String[]::new));
        assertInvalid(CommandRun.of("forecast", "--input", input.toString(), "--model", "naive", "--horizon", "2"),
                input, place);
    }

    /**
     * A series header with a column left without a name (a quoted {@code ""}, a comma at the end of the line) is
     * refused naming the column and the line, as accuracy refuses one; taken for a row of data it was refused as
     * {@code value '""' is not a number}, which did not say the header was at fault.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "timestamp,\"\"|:1: column 2 of the header has no name;",
        "\"\",value|:1: column 1 of the header has no name;",
        "timestamp, \"\" |:1: column 2 of the header has no name;",
        "timestamp,|:1: column 2 of the header has no name (the line ends with a comma);",
        "# load of web|:2: column 2 of the header has no name;"})
    void forecast_seriesHeaderColumnWithoutAName_exit3NamingTheColumnAndLine(String header, String message)
            throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(header));
        if (header.startsWith("#")) {
            lines.add("timestamp,\"\"");
        }
        lines.addAll(List.of("2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z,2", "2024-01-01T02:00:00Z,3"));
        Path input = csv("series.csv", lines.toArray(String[]::new));

        CommandRun r = CommandRun.of("forecast", "--input", input.toString(), "--model", "naive", "--horizon", "2");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().startsWith("fleetpredict forecast: " + input + message), r::toString);
        assertTrue(r.err().contains("; expected 'timestamp,value' or one 'value' column"), r::toString);
    }

    @Test
    void forecast_byteOrderMarkOnOneColumnFile_firstValueKept() throws IOException {
        Path input = file("bom.csv", "\uFEFF10\n20\n30\n");
        CommandRun r = CommandRun.of("forecast", "--input", input.toString(), "--model", "naive", "--horizon", "1",
                "--format", "json");
        assertEquals(0, r.code(), r.toString());
        CommandRun withoutMark = CommandRun.of("forecast", "--input", file("plain.csv", "10\n20\n30\n").toString(),
                "--model", "naive", "--horizon", "1", "--format", "json");
        assertEquals(withoutMark.out(), r.out());
    }

    @Test
    void forecast_notUtf8_exit3NamingTheLine() throws IOException {
        Path input = tmp.resolve("latin1.csv");
        Files.write(input, new byte[] {'v', 'a', 'l', 'u', 'e', '\n', '1', '\n', '2', (byte) 0xE9, '\n', '3', '\n'});
        assertInvalid(CommandRun.of("forecast", "--input", input.toString(), "--model", "naive", "--horizon", "1"),
                input, ":3: not valid UTF-8");
    }

    /** A file saved with the line ends of old Macs, a lone carriage return, reads as the same file with line feeds. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CR", "CRLF"})
    void forecast_carriageReturnLineEnds_readAsLineFeeds(String ends) throws IOException {
        String end = ends.equals("CR") ? "\r" : "\r\n";
        String rows = String.join("\n", "timestamp,value", "2024-01-01T00:00:00Z,10", "2024-01-01T01:00:00Z,20",
                "2024-01-01T02:00:00Z,30", "2024-01-01T03:00:00Z,25") + "\n";
        CommandRun plain = CommandRun.of("forecast", "--input", file("lf.csv", rows).toString(), "--model", "naive",
                "--horizon", "2", "--format", "json");
        CommandRun r = CommandRun.of("forecast", "--input", file("cr.csv", rows.replace("\n", end)).toString(),
                "--model", "naive", "--horizon", "2", "--format", "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals(plain.out(), r.out());
    }

    /** Lines are still counted one per line end when they end in carriage returns. */
    @Test
    void forecast_carriageReturnLineEnds_errorNamesTheLine() throws IOException {
        Path input = file("cr.csv", "value\r1\r2\rabc\r4\r");
        assertInvalid(CommandRun.of("forecast", "--input", input.toString(), "--model", "naive", "--horizon", "1"),
                input, ":4: value 'abc' is not a number");
    }

    /**
     * A control character in a file (an escape sequence, a carriage return inside a line) is refused naming its line
     * and column, and never printed: repeated in a message it could clear a terminal or forge a log line.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("controlCharacters")
    void forecast_controlCharacterInALine_exit3NamingItWithoutPrintingIt(String name, String text, String place)
            throws IOException {
        Path series = csv("series.csv", "timestamp,value", "2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z," + text);
        CommandRun r = CommandRun.of("forecast", "--input", series.toString(), "--model", "naive", "--horizon", "1");
        assertInvalid(r, series, ":3: control character " + place + "; a line of this file is text");
        assertFalse(r.err().chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x85 || c == 0x202e), r::toString);
    }

    /** The actuals' service names reach the report's text: a control character in one is refused as in a series. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("controlCharacters")
    void accuracy_controlCharacterInAServiceName_exit3NamingItWithoutPrintingIt(String name, String text,
            String place) throws IOException {
        Path actuals = file("actuals.csv", actualsText() + "2024-11-29T18:00:00Z,check" + text + ",CPU,1,cores\n");
        CommandRun a = accuracy(actuals);
        long line = actualsText().lines().count() + 1;
        assertInvalid(a, actuals, ":" + line + ": control character ");
        assertFalse(a.err().chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x85 || c == 0x202e), a::toString);
    }

    static Stream<Arguments> controlCharacters() {
        return Stream.of(
                Arguments.of("escape sequence", "2\u001b[2J", "\\u001b at column 23"),
                Arguments.of("next line", "2\u0085ERROR forged", "\\u0085 at column 23"),
                Arguments.of("bidirectional override", "\u202e2", "\\u202e at column 22"));
    }

    /** A document path that never ends (a device, a pipe) is refused at the size limit, not read until memory runs out. */
    @Test
    void validateAndAccuracy_endlessDocument_exit3LargerThanTheLimit() throws IOException {
        Path zeros = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zeros) && Files.size(zeros) == 0);

        assertInvalid(CommandRun.of("validate", zeros.toString()), zeros, "larger than 8388608 bytes");
        assertInvalid(CommandRun.of("accuracy", "--predicted", zeros.toString(), "--actuals",
                CommandRun.examples().resolve("actuals.csv").toString()), zeros, "larger than 8388608 bytes");
    }

    /** A history file's name becomes a service name: one with a line break is refused before any file is read. */
    @Test
    void predict_historyFileNameWithALineBreak_exit3ShowingItEscaped() throws IOException {
        Path history = Files.createDirectories(tmp.resolve("history"));
        Files.writeString(history.resolve("check\n[main] ERROR forged.cpu.cores.csv"),
                "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,2\n");
        CommandRun r = CommandRun.of("predict", "--history", history.toString());
        assertInvalid(r, history, ": the file name \"check\\u000a[main] ERROR forged.cpu.cores.csv\" holds a control"
                + " character; service and metric names are text");
        assertFalse(r.err().contains("\n[main]"), r::toString);
    }

    /**
     * A file without line breaks (a minified document, a binary given by mistake) is refused at the first line's
     * limit instead of read whole into one line, which ran out of memory on files of gigabytes; the message does not
     * echo the line.
     */
    @Test
    void replay_lineLongerThanTheLimit_exit3NamingTheLineWithoutEchoingIt() throws IOException {
        Path trace = file("oneline.csv", "timestamp,value\n2024-01-01T00:00:00Z," + "1".repeat(200_000) + "\n");
        CommandRun r = CommandRun.of("replay", "--trace", trace.toString(), "--per-instance", "10");
        assertInvalid(r, trace, ":2: longer than 65536 bytes; a row holds a timestamp and a value");
        assertTrue(r.err().length() < 1000, r::toString);
    }

    @Test
    void forecast_moreRowsThanTheLimit_clearErrorNamingTheLine() throws IOException {
        Path input = csv("long.csv", "value", "1", "2", "3", "4");
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> SeriesCsv.readInput(input, io.fleetpredict.forecast.GapPolicy.REJECT, java.time.ZoneOffset.UTC, 3, SeriesCsv.ValueRule.ANY, false));
        assertTrue(e.getMessage().contains(input + ":5: more than 3 rows"), e.getMessage());
    }

    @Test
    void replay_negativeDemand_exit3NamingTheLine() throws IOException {
        String[] lines = new String[50];
        lines[0] = "timestamp,value";
        for (int i = 1; i < lines.length; i++) {
            lines[i] = String.format(java.util.Locale.ROOT, "2024-01-01T%02d:%02d:00Z,-1", (i - 1) / 12, (i - 1) % 12 * 5);
        }
        Path trace = csv("negative.csv", lines);
        assertInvalid(CommandRun.of("replay", "--trace", trace.toString(), "--per-instance", "100"), trace,
                ":2: value '-1' is negative");
    }

    @Test
    void evaluate_headerOnlyFiles_exit3NamingTheFile() throws IOException {
        Path train = csv("train.csv", "V1,V2,V3");
        Path test = csv("test.csv", "V1,V2,V3");
        assertInvalid(CommandRun.of("evaluate", "--train", train.toString(), "--test", test.toString(),
                "--horizon", "1", "--period", "1", "--model", "naive"), train, "no series");
    }

    @Test
    void evaluate_emptyFiles_exit3NamingTheFile() throws IOException {
        Path train = file("train.csv", "");
        Path test = file("test.csv", "");
        assertInvalid(CommandRun.of("evaluate", "--train", train.toString(), "--test", test.toString(),
                "--horizon", "1", "--period", "1", "--model", "naive"), train, "no series");
    }

    @Test
    void evaluate_nanValue_exit3NamingFileLineAndColumn() throws IOException {
        Path train = csv("train.csv", "V1,V2,V3,V4", "S1,1,2,NaN");
        Path test = csv("test.csv", "V1,V2", "S1,4");
        assertInvalid(CommandRun.of("evaluate", "--train", train.toString(), "--test", test.toString(),
                "--horizon", "1", "--period", "1", "--model", "naive"), train, ":2: column 4: value 'NaN'");
    }

    private Path catalogueWith(String from, String to) throws IOException {
        String text = Files.readString(CommandRun.examples().resolve("instance-catalogue.json"));
        assertTrue(text.contains(from));
        return file("catalogue.json", text.replaceFirst(java.util.regex.Pattern.quote(from), to));
    }

    @Test
    void plan_bootTimeOfTwentySevenThousandYears_exit3AtItsPath() throws IOException {
        Path catalogue = catalogueWith("\"boot_time\": \"PT90S\"", "\"boot_time\": \"P9999999D\"");
        Path ex = CommandRun.examples();
        CommandRun r = CommandRun.of("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(),
                "--fleet", ex.resolve("fleet-state.json").toString(), "--catalogue", catalogue.toString());
        assertInvalid(r, catalogue, "$.offers[0].boot_time");
        CommandRun v = CommandRun.of("validate", catalogue.toString());
        assertInvalid(v, catalogue, "$.offers[0].boot_time");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lead_time", "scale_in_window"})
    void plan_hugeTierDuration_exit3AtItsPath(String field) throws IOException {
        Path ex = CommandRun.examples();
        String text = Files.readString(ex.resolve("sla-policies.json"));
        Path sla = file("sla.json", text.replaceFirst("\"" + field + "\": \"[^\"]*\"", "\"" + field + "\": \"P99999999D\""));
        CommandRun r = CommandRun.of("plan", "--predicted", ex.resolve("predicted-fleet-state.json").toString(),
                "--fleet", ex.resolve("fleet-state.json").toString(), "--catalogue",
                ex.resolve("instance-catalogue.json").toString(), "--sla", sla.toString());
        assertInvalid(r, sla, "." + field);
    }

    @Test
    void provision_hugeCycle_usageErrorNamingTheOption() {
        CommandRun r = CommandRun.of("provision", "--provisional",
                CommandRun.examples().resolve("provisional-fleet-state-sim.json").toString(), "--threshold", "5",
                "--cycle", "P99999999999D");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--cycle"), r::toString);
    }

    @ParameterizedTest(name = "fleet id ''{0}''")
    @ValueSource(strings = {"..", "."})
    void provision_fleetIdThatWalksOutOfTheStateDirectory_exit3AndNothingWritten(String id) throws IOException {
        Path plan = CommandRun.examples().resolve("provisional-fleet-state-sim.json");
        String text = Files.readString(plan);
        Path bad = file("plan.json", text.replaceFirst("\"fleet_id\": \"[^\"]*\"", "\"fleet_id\": \"" + id + "\""));
        Path outer = Files.createDirectories(tmp.resolve("outer"));
        Path inner = outer.resolve("inner");
        CommandRun r = CommandRun.of("provision", "--provisional", bad.toString(), "--threshold", "5", "--apply",
                "--state-dir", inner.toString());
        assertInvalid(r, bad, "$.fleet_id");
        try (Stream<Path> written = Files.walk(outer)) {
            assertEquals(List.of(outer), written.filter(p -> !p.equals(inner)).toList());
        }
    }

    @Test
    void provision_fleetIdForgingALogLine_exit3AndNoLineBreakPrinted() throws IOException {
        Path plan = CommandRun.examples().resolve("provisional-fleet-state-sim.json");
        String text = Files.readString(plan);
        Path bad = file("plan.json", text.replaceFirst("\"fleet_id\": \"[^\"]*\"",
                "\"fleet_id\": \"shop\\\\n[main] ERROR io.fleetpredict forged\""));
        CommandRun r = CommandRun.of("provision", "--provisional", bad.toString(), "--threshold", "5");
        assertInvalid(r, bad, "$.fleet_id");
        assertFalse(r.err().contains("\n[main] ERROR"), r::toString);
    }

    /** Values a double holds whose spread does not: the model's bounds overflow, which is the file's doing. */
    @Test
    void forecast_valuesWhoseForecastOverflows_exit3NamingTheFile() throws IOException {
        Path input = csv("huge.csv", "timestamp,value", "2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z,1e300",
                "2024-01-01T02:00:00Z,1e308", "2024-01-01T03:00:00Z,-1e308", "2024-01-01T04:00:00Z,1e308");
        assertInvalid(CommandRun.of("forecast", "--input", input.toString(), "--model", "naive", "--horizon", "1"),
                input, "overflow a double");
    }

    @Test
    void evaluate_valuesWhoseForecastOverflows_exit3NamingTheFile() throws IOException {
        Path train = csv("train.csv", "V1,V2,V3,V4,V5,V6", "S1,1,2,3,4,5", "S2,2,3,1e300,-1e308,1e308");
        Path test = csv("test.csv", "V1,V2,V3", "S1,6,7", "S2,7,8");
        assertInvalid(CommandRun.of("evaluate", "--train", train.toString(), "--test", test.toString(),
                "--horizon", "2", "--period", "1", "--model", "naive"), train, "series S2: ");
    }

    /** Far enough into the file that a reader decoding ahead in blocks would blame an earlier line. */
    @Test
    void evaluate_notUtf8_exit3NamingTheLine() throws IOException {
        StringBuilder rows = new StringBuilder("V1,V2,V3,V4\n");
        for (int i = 0; i < 3000; i++) {
            rows.append("S").append(i).append(",1,2,3\n");
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(rows.toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {'S', 'x', ',', '1', ',', (byte) 0xE9, ',', '3', '\n'});
        Path train = Files.write(tmp.resolve("train.csv"), bytes.toByteArray());
        Path test = csv("test.csv", "V1,V2", "S0,1");
        assertInvalid(CommandRun.of("evaluate", "--train", train.toString(), "--test", test.toString(),
                "--horizon", "1", "--period", "1", "--model", "naive"), train, ":3002: not valid UTF-8");
    }

    private static String actualsText() throws IOException {
        return Files.readString(CommandRun.examples().resolve("actuals.csv"));
    }

    private CommandRun accuracy(Path actuals) {
        return CommandRun.of("accuracy", "--predicted",
                CommandRun.examples().resolve("predicted-fleet-state.json").toString(), "--actuals", actuals.toString());
    }

    /** Spreadsheets write a byte order mark at the start of a UTF-8 CSV; the header after it is still a header. */
    @Test
    void accuracy_byteOrderMark_readAsWithout() throws IOException {
        CommandRun r = accuracy(file("bom.csv", "\uFEFF" + actualsText()));
        CommandRun withoutMark = accuracy(CommandRun.examples().resolve("actuals.csv"));
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals(withoutMark.out(), r.out());
    }

    @Test
    void accuracy_notUtf8_exit3NamingTheLine() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(actualsText().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("2024-11-29T18:00:00Z,caf".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {(byte) 0xE9, ',', 'C', 'P', 'U', ',', '1', ',', 'c', 'o', 'r', 'e', 's', '\n'});
        Path actuals = Files.write(tmp.resolve("latin1.csv"), bytes.toByteArray());
        long line = actualsText().lines().count() + 1;
        assertInvalid(accuracy(actuals), actuals, ":" + line + ": not valid UTF-8");
    }

    @Test
    void accuracy_lineLongerThanTheLimit_exit3NamingTheLineWithoutEchoingIt() throws IOException {
        Path actuals = file("oneline.csv", "timestamp,service,resource_type,actual,units\n" + "1".repeat(200_000) + "\n");
        CommandRun r = accuracy(actuals);
        assertInvalid(r, actuals, ":2: longer than 65536 bytes");
        assertTrue(r.err().length() < 1000, r::toString);
    }

    private static final String SEMICOLONS = ": the file looks ';'-separated (as a spreadsheet exports CSV in a language with a"
            + " decimal comma); fields must be separated by commas, with '.' as the decimal point";

    /**
     * A spreadsheet set to a language with a decimal comma exports CSV with semicolons between fields: each reader
     * of CSV says so at the first line that is not a comment, header or not, instead of reading one column.
     */
    @Test
    void forecastAndPredict_semicolonSeparatedSeries_exit3SayingSo() throws IOException {
        Path headed = csv("headed.csv", "# load, exported", "timestamp;value", "2024-01-01 00:00;12,5",
                "2024-01-01 01:00;13");
        Path bare = csv("bare.csv", "2024-01-01T00:00:00Z;12", "2024-01-01T01:00:00Z;13");
        Path history = Files.createDirectories(tmp.resolve("history"));
        Path usage = Files.copy(headed, history.resolve("web.cpu.cores.csv"));

        assertInvalid(CommandRun.of("forecast", "--input", headed.toString(), "--horizon", "2"), headed, ":2" + SEMICOLONS);
        assertInvalid(CommandRun.of("forecast", "--input", bare.toString(), "--horizon", "2"), bare, ":1" + SEMICOLONS);
        assertInvalid(CommandRun.of("predict", "--history", history.toString()), usage, ":2" + SEMICOLONS);
    }

    @Test
    void accuracy_semicolonSeparatedActuals_exit3SayingSo() throws IOException {
        Path actuals = csv("actuals.csv", "timestamp;service;resource_type;actual;units",
                "2024-11-29T18:00:00Z;checkout;CPU;100;cores");
        assertInvalid(accuracy(actuals), actuals, ":1" + SEMICOLONS);
    }

    @Test
    void evaluate_semicolonSeparatedM4File_exit3SayingSo() throws IOException {
        Path train = csv("train.csv", "V1;V2;V3", "S1;1;2");
        Path test = csv("test.csv", "V1,V2", "S1,4");
        assertInvalid(CommandRun.of("evaluate", "--train", train.toString(), "--test", test.toString(),
                "--horizon", "1", "--period", "1", "--model", "naive"), train, ":1" + SEMICOLONS);
    }

    /** Semicolons in a comment before a comma-separated file are no sign of a separator. */
    @Test
    void forecast_semicolonsInACommentOnly_readAsUsual() throws IOException {
        Path input = csv("commented.csv", "# site: eu-west; exported by hand", "timestamp,value", "2024-01-01T00:00:00Z,1",
                "2024-01-01T01:00:00Z,2", "2024-01-01T02:00:00Z,3", "2024-01-01T03:00:00Z,4");
        CommandRun r = CommandRun.of("forecast", "--input", input.toString(), "--horizon", "1", "--model", "naive");
        assertEquals(ExitCodes.OK, r.code(), r::toString);
    }
}
