package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The accuracy command on docs/examples/predicted-fleet-state.json and docs/examples/actuals.csv. Expected
 * figures are worked out by hand from the two files (quantity, p90, actual, provisioned, price, one-hour step).
 */
class AccuracyCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String predicted() {
        return CommandRun.examples().resolve("predicted-fleet-state.json").toString();
    }

    private static String actuals() {
        return CommandRun.examples().resolve("actuals.csv").toString();
    }

    private Path csv(String... lines) throws IOException {
        Path file = tmp.resolve("actuals.csv");
        Files.writeString(file, "timestamp,service,resource_type,actual,units\n" + String.join("\n", lines) + "\n");
        return file;
    }

    private static JsonNode series(JsonNode root, String service, String resource) {
        for (JsonNode s : root.get("series")) {
            boolean sameService = service == null ? !s.has("service") : service.equals(s.path("service").asText());
            if (sameService && resource.equals(s.get("resource_type").asText())) {
                return s;
            }
        }
        throw new AssertionError(service + "/" + resource + " not in " + root);
    }

    @Test
    void accuracy_examplePrediction_textTableOfFourSeries() {
        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", actuals());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals("4 actuals matched, 1 without a prediction", lines.get(0));
        assertEquals(6, lines.size(), r.out());
        // Every row's columns line up under the header, whatever the length of the series name.
        int countColumnEnd = lines.get(1).indexOf(" n ") + 2;
        for (String row : lines.subList(2, 6)) {
            assertEquals('1', row.charAt(countColumnEnd - 1), row);
        }
        assertTrue(lines.get(5).startsWith("checkout/Memory/short_term "), lines.get(5));
    }

    /**
     * Every figure ends under the end of its column's name, however wide: an over-provisioning cost of thirteen
     * digits (96 billion cores provisioned at 40 per core-hour) stuck out past the over-cost column, pushing nothing
     * else, while the other rows' figures stayed under it.
     */
    @Test
    void accuracy_figuresOfDifferentWidths_alignedUnderTheirColumnNames() throws IOException {
        Path file = Files.writeString(tmp.resolve("wide.csv"), Files.readString(Path.of(actuals()))
                .replace("2024-11-29T18:00:00Z,checkout,CPU,100,cores,96,0.04",
                        "2024-11-29T18:00:00Z,checkout,CPU,100,cores,96000000000,40"));

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().contains(" 3839999996000.0000\n"), r.out());
        List<String> lines = r.out().lines().toList();
        String header = lines.get(1);
        for (String row : lines.subList(2, lines.size())) {
            assertEquals(header.length(), row.length(), header + "\n" + row);
            // Where each figure's column name ends (the names after the series name), the row's figure ends too.
            for (int end = header.indexOf(" n ") + 2; end <= header.length(); end++) {
                if (header.charAt(end - 1) != ' ' && (end == header.length() || header.charAt(end) == ' ')) {
                    assertTrue(row.charAt(end - 1) != ' ' && (end == row.length() || row.charAt(end) == ' '),
                            "the column ending at " + end + "\n" + header + "\n" + row);
                }
            }
        }
    }

    @Test
    void accuracy_examplePrediction_jsonFiguresWorkedOutByHand() throws IOException {
        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", actuals(), "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode root = MAPPER.readTree(r.out());
        assertTrue(root.get("as_of").isTextual());
        assertEquals(4, root.get("series").size());

        // Fleet CPU: predicted 412.5 cores, actual 420, provisioned 412.5: 7.5 short for the whole hour.
        JsonNode cpu = series(root, null, "CPU");
        assertEquals("short_term", cpu.get("horizon").asText());
        assertEquals(1, cpu.get("count").asInt());
        assertEquals(7.5, cpu.get("mae").asDouble(), 1e-12);
        assertEquals(-7.5, cpu.get("bias").asDouble(), 1e-12);
        assertEquals(100 * 7.5 / 420, cpu.get("mape").asDouble(), 5e-6 * 100 * 7.5 / 420); // six significant digits
        assertEquals("1.78571", cpu.get("mape").asText());
        assertEquals(90.0, cpu.get("interval_level").asDouble(), 0.0);
        assertEquals(1.0, cpu.get("coverage").asDouble(), 0.0); // 420 <= p90 430
        assertEquals(60.0, cpu.get("under_provisioned_minutes").asDouble(), 1e-9);
        assertEquals(7.5, cpu.get("shortfall_unit_hours").asDouble(), 1e-9);
        assertEquals(0.0, cpu.get("over_provisioning_cost").asDouble(), 0.0);

        // Fleet memory: 1650 GiB provisioned for 1500 used, at 0.005 per GiB-hour for one hour.
        JsonNode memory = series(root, null, "Memory");
        assertEquals(150.0 * 0.005, memory.get("over_provisioning_cost").asDouble(), 1e-12);
        assertEquals(0.0, memory.get("under_provisioned_minutes").asDouble(), 0.0);

        // Checkout memory has no p90 in the example, so no interval to cover; one actual gives no MASE scale.
        JsonNode checkoutMemory = series(root, "checkout", "Memory");
        assertTrue(checkoutMemory.get("coverage").isNull(), checkoutMemory::toString);
        assertTrue(checkoutMemory.get("mase").isNull(), checkoutMemory::toString);
        assertEquals(24.0 * 0.005, checkoutMemory.get("over_provisioning_cost").asDouble(), 1e-12);
    }

    @Test
    void accuracy_shortStep_underProvisionedMinutesFollowIt() throws IOException {
        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", actuals(), "--step", "15m",
                "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode cpu = series(MAPPER.readTree(r.out()), null, "CPU");
        assertEquals(15.0, cpu.get("under_provisioned_minutes").asDouble(), 1e-9);
        assertEquals(7.5 / 4, cpu.get("shortfall_unit_hours").asDouble(), 1e-9);
    }

    /**
     * A series' actuals are scored in the file's order, as series files are read: a second actual for one step was
     * scored as well (120 under-provisioned minutes in a 60-minute step), and actuals out of order gave another MASE
     * for the same rows, since the online scale differences them as they come. Both are refused naming the lines.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2024-11-29T18:00:00Z|2024-11-29T18:00:00Z|repeats the actual on line 3",
        "2024-11-29T19:00:00Z|2024-11-29T18:00:00Z|comes before the actual at 2024-11-29T19:00:00Z on line 3"})
    void accuracy_repeatedOrEarlierActualOfASeries_invalidInputNamingBothLinesAndTheSeries(String first, String second,
            String message) throws IOException {
        Path file = csv("2024-11-29T18:00:00Z,fleet,Memory,1500,GiB", first + ",checkout,CPU,100,cores",
                second + ",checkout,CPU,200,cores");
        Path plotted = tmp.resolve("accuracy.svg");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), predictedAnHourLater(), "--actuals",
                file.toString(), "--plot", plotted.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertEquals("fleetpredict accuracy: " + file + ":4: timestamp " + second + " of series checkout/CPU " + message
                + "; the actuals of a series (service and resource type) go forward in time, one per timestamp\n",
                r.err());
        assertEquals("", r.out());
        assertTrue(Files.notExists(plotted), "nothing written");
    }

    /** Other series may interleave, and each series goes forward on its own: the same figures in either order. */
    @Test
    void accuracy_seriesInterleaved_eachInTimeOrder_scored() throws IOException {
        Path file = csv("2024-11-29T18:00:00Z,checkout,CPU,100,cores", "2024-11-29T18:00:00Z,fleet,CPU,420,cores",
                "2024-11-29T19:00:00Z,checkout,CPU,90,cores", "2024-11-29T19:00:00Z,fleet,CPU,400,cores");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), predictedAnHourLater(), "--actuals",
                file.toString(), "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals(2, series(MAPPER.readTree(r.out()), "checkout", "CPU").get("count").asInt());
        assertEquals(2, series(MAPPER.readTree(r.out()), null, "CPU").get("count").asInt());
    }

    /**
     * The text table's under-provisioned minutes follow the rule of every figure in it, four significant digits: at
     * a two-second step they printed as 0.0, and at an hour as 60.0.
     */
    @ParameterizedTest
    @CsvSource({"2s, 0.03333", "1h, 60.00"})
    void accuracy_textTable_underProvisionedMinutesInFourSignificantDigits(String step, String minutes) {
        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", actuals(), "--step", step);

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        String fleetCpu = r.out().lines().filter(l -> l.startsWith("fleet/CPU/short_term ")).findFirst().orElseThrow();
        String[] cells = fleetCpu.trim().split(" +");
        assertEquals(minutes, cells[cells.length - 2], fleetCpu);
    }

    @Test
    void accuracy_noActualMatches_invalidInputSayingWhy() throws IOException {
        Path file = csv("2024-11-30T18:00:00Z,checkout,CPU,100,cores");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict accuracy: " + file + ": none of its 1 actuals matched a prediction"),
                r.err());
        assertEquals("", r.out(), "no report when nothing was scored");
    }

    @Test
    void accuracy_unknownUnit_invalidInputNamingFileAndLine() throws IOException {
        Path file = csv("2024-11-29T18:00:00Z,checkout,CPU,100,cores", "2024-11-29T18:00:00Z,checkout,CPU,100,parsecs");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":3: unknown unit \"parsecs\""), r.err());
    }

    /** The example prediction again an hour later, so that a series has actuals for two steps. */
    private String predictedAnHourLater() throws IOException {
        Path later = tmp.resolve("predicted-later.json");
        Files.writeString(later, Files.readString(Path.of(predicted()))
                .replace("\"timestamp\": \"2024-11-29T18:00:00Z\"", "\"timestamp\": \"2024-11-29T19:00:00Z\"")
                .replace("\"valid_from\": \"2024-11-29T17:45:00Z\"", "\"valid_from\": \"2024-11-29T18:45:00Z\"")
                .replace("\"valid_until\": \"2024-11-29T18:15:00Z\"", "\"valid_until\": \"2024-11-29T19:15:00Z\""));
        return later.toString();
    }

    @Test
    void accuracy_actualsWhoseErrorsOverflowTogether_invalidInputNamingFileLineAndSeries() throws IOException {
        Path file = csv("2024-11-29T18:00:00Z,checkout,CPU,1e308,cores", "2024-11-29T19:00:00Z,checkout,CPU,1e308,cores");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), predictedAnHourLater(), "--actuals",
                file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":3: cannot be used: checkout/CPU/short_term: actual 1.0E308"), r.err());
        assertTrue(r.err().contains("sum of absolute errors would be Infinity"), r.err());
    }

    @Test
    void accuracy_actualNotANumber_invalidInputNamingColumn() throws IOException {
        Path file = csv("2024-11-29T18:00:00Z,checkout,CPU,lots,cores");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":2: actual \"lots\" is not a number"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"12d", "0x1p3", "NaN"})
    void accuracy_javaOnlyNumberSyntax_invalidInputNamingColumn(String cell) throws IOException {
        Path file = csv("2024-11-29T18:00:00Z,checkout,CPU," + cell + ",cores");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":2: actual \"" + cell + "\" is not a number"), r.err());
    }

    @Test
    void accuracy_wrongColumnCount_invalidInputNamingLine() throws IOException {
        Path file = csv("2024-11-29T18:00:00Z,checkout,CPU,100");
        Path headerless = Files.writeString(tmp.resolve("headerless.csv"), "2024-11-29T18:00:00Z,checkout,CPU,100\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());
        CommandRun h = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", headerless.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":2: expected 5 columns, as the header names, found 4"), r.err());
        assertEquals(ExitCodes.INVALID_INPUT, h.code(), h::toString);
        assertTrue(h.err().contains(headerless + ":1: expected 5 or 7 columns, found 4"), h.err());
    }

    /**
     * The columns are read by the names the header gives them, in any order: provisioned and price swapped, as the
     * example's first row, score the fleet's CPU as the example does (7.5 cores short for the hour), where reading
     * them by position took the price for what was provisioned (419.96 short).
     */
    @Test
    void accuracy_columnsInAnotherOrder_readByTheirHeaderNames() throws IOException {
        Path file = Files.writeString(tmp.resolve("swapped.csv"), "actual,timestamp,service,resource_type,units,"
                + "price_per_unit_hour,provisioned\n420,2024-11-29T18:00:00Z,fleet,CPU,cores,0.04,412.5\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString(),
                "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode cpu = series(MAPPER.readTree(r.out()), null, "CPU");
        assertEquals(7.5, cpu.get("shortfall_unit_hours").asDouble(), 1e-9);
        assertEquals(7.5, cpu.get("max_shortfall").asDouble(), 1e-9);
        assertEquals(420 - 412.5, cpu.get("mae").asDouble(), 1e-9);
    }

    /** As series files: comments and blank lines before the header, quoted names and cells, any case of the names. */
    @Test
    void accuracy_headerAfterCommentsQuoted_readAsTheHeader() throws IOException {
        Path file = Files.writeString(tmp.resolve("quoted.csv"), "# exported from the billing system\n\n"
                + "\"Timestamp\",\"service\",\"resource_type\",\"actual\",\"units\"\n"
                + "\"2024-11-29T18:00:00Z\",\"checkout\",\"CPU\",\"100\",\"cores\"\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("1 actuals matched, 0 without a prediction\n"), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "timestamp,service,resource_type,actual,unit|:1: unknown column \"unit\" in the header",
        "timestamp,service,resource_type,actual,units,actual|:1: column \"actual\" appears twice in the header, as"
                + " columns 4 and 6",
        "timestamp,service,resource_type,units,provisioned|:1: the header has no column \"actual\""})
    void accuracy_headerWithAnUnknownRepeatedOrMissingColumn_invalidInputNamingIt(String header, String message)
            throws IOException {
        Path file = Files.writeString(tmp.resolve("bad-header.csv"), header + "\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict accuracy: " + file + message), r.err());
        assertEquals("", r.out());
    }

    /**
     * A header cell without a name (a trailing comma, a quoted {@code ""}) is refused naming its column: the header
     * was taken for data then, and refused as "expected 5 or 7 columns, found 8" or as a timestamp "timestamp".
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "timestamp,service,resource_type,actual,units,provisioned,price_per_unit_hour,|:1: column 8 of the header has"
                + " no name (the line ends with a comma); the columns are",
        "timestamp,service,resource_type,actual,units,\"\"|:1: column 6 of the header has no name; the columns are",
        "timestamp,service,resource_type,actual,units,,price_per_unit_hour|:1: column 6 of the header has no name;",
        "\"\",timestamp,service,resource_type,actual,units|:1: column 1 of the header has no name;"})
    void accuracy_headerCellWithoutAName_invalidInputNamingTheColumn(String header, String message)
            throws IOException {
        Path file = Files.writeString(tmp.resolve("blank-name.csv"),
                header + "\n2024-11-29T18:00:00Z,checkout,CPU,100,cores,96,0.04\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict accuracy: " + file + message), r.err());
        assertEquals("", r.out());
    }

    /** A row ending with a comma has one cell more than the header names: refused saying where it came from. */
    @Test
    void accuracy_rowsEndingWithAComma_invalidInputSayingSo() throws IOException {
        Path file = csv("2024-11-29T18:00:00Z,checkout,CPU,100,cores,");
        Path headerless = Files.writeString(tmp.resolve("headerless.csv"), "2024-11-29T18:00:00Z,checkout,CPU,100,"
                + "cores,96,0.04,\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());
        CommandRun h = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", headerless.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":2: expected 5 columns, as the header names, found 6 (the line ends with"
                + " a comma)"), r.err());
        assertEquals(ExitCodes.INVALID_INPUT, h.code(), h::toString);
        assertTrue(h.err().contains(headerless + ":1: expected 5 or 7 columns, found 8 (the line ends with a comma)"),
                h.err());
    }

    /**
     * The actuals are scored as they are read, not held: a file of many rows no prediction matches is read in a JVM
     * of its own whose heap is smaller than those rows' lines alone would take if kept (600,000 lines of about 45
     * characters: some 50 MB as strings, beside the rows made of them).
     */
    @Test
    void accuracy_manyRowsMatchingNoPrediction_readInAHeapSmallerThanTheirLines() throws Exception {
        Path file = tmp.resolve("many.csv");
        int unmatched = 600_000;
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("timestamp,service,resource_type,actual,units\n");
            w.write("2024-11-29T18:00:00Z,checkout,CPU,100,cores\n");
            for (int i = 0; i < unmatched; i++) {
                w.write("2024-11-29T18:00:00Z,no-such-service-" + i % 10 + ",CPU,1.5,cores\n");
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx24m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "accuracy", "--predicted", predicted(), "--actuals", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), output);

        assertEquals(ExitCodes.OK, p.exitValue(), output);
        assertTrue(output.startsWith("1 actuals matched, " + unmatched + " without a prediction\n"), output);
    }

    /**
     * A series takes memory for the values it holds, not for a full window up front: one prediction of 25,000
     * services with four resources each and one actual per series, 100,000 series in all (the most one run
     * scores), are scored in a JVM of its own whose heap is smaller than 100,000 windows of 288 errors alone
     * (some 230 MB).
     */
    @Test
    void accuracy_hundredThousandSeriesOfOneActualEach_scoredInAHeapSmallerThanTheirFullWindows() throws Exception {
        int services = 25_000;
        String[][] resources = {{"CPU", "cores"}, {"Memory", "GiB"}, {"Bandwidth", "Gbps"}, {"Storage", "GiB"}};
        String time = "2024-11-29T00:00:00Z";
        Path file = tmp.resolve("actuals.csv");
        Path document = tmp.resolve("predicted.json");
        try (BufferedWriter actuals = Files.newBufferedWriter(file);
                BufferedWriter json = Files.newBufferedWriter(document)) {
            actuals.write("timestamp,service,resource_type,actual,units\n");
            json.write("{\"timestamp\":\"" + time + "\",\"resource_requirements\":"
                    + "[{\"resource_type\":\"CPU\",\"quantity\":1,\"units\":\"cores\"}],\"services\":[");
            for (int s = 0; s < services; s++) {
                json.write((s == 0 ? "" : ",") + "{\"service\":\"s" + s + "\",\"resource_requirements\":[");
                for (int r = 0; r < resources.length; r++) {
                    json.write((r == 0 ? "" : ",") + "{\"resource_type\":\"" + resources[r][0]
                            + "\",\"quantity\":2,\"units\":\"" + resources[r][1] + "\"}");
                    actuals.write(time + ",s" + s + "," + resources[r][0] + ",3," + resources[r][1] + "\n");
                }
                json.write("]}");
            }
            json.write("]}");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx160m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "accuracy", "--predicted", document.toString(), "--actuals", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), output);

        assertEquals(ExitCodes.OK, p.exitValue(), output.substring(0, Math.min(output.length(), 2_000)));
        assertTrue(output.startsWith(4 * services + " actuals matched, 0 without a prediction\n"),
                output.substring(0, Math.min(output.length(), 2_000)));
        assertEquals(1 + 1 + 4 * services, output.lines().count());
    }

    /**
     * A bad row is reported as it is met, naming its file and line, however many rows went before it: before a
     * later line that is not even UTF-8, which reading the whole file first would have stopped at.
     */
    @Test
    void accuracy_badRowAfterManyUnmatchedBeforeABadByte_invalidInputNamingTheFirstOnesLine() throws IOException {
        Path file = tmp.resolve("actuals.csv");
        StringBuilder text = new StringBuilder("timestamp,service,resource_type,actual,units\n");
        for (int i = 0; i < 20_000; i++) {
            text.append("2024-11-29T18:00:00Z,no-such-service,CPU,1.5,cores\n");
        }
        text.append("2024-11-29T18:00:00Z,checkout,CPU,1d,cores\n");
        byte[] head = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] badByte = {'x', (byte) 0xff, '\n'};
        byte[] all = java.util.Arrays.copyOf(head, head.length + badByte.length);
        System.arraycopy(badByte, 0, all, head.length, badByte.length);
        Files.write(file, all);

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertEquals("fleetpredict accuracy: " + file + ":20002: actual \"1d\" is not a number\n", r.err());
    }

    /**
     * The library tracks at most 100,000 series: actuals matching one more are the file's doing, not a fault of
     * the command. Fifty predictions of 500 services with four resources each make 100,000 series; the fleet's CPU
     * on the file's last line is the one more, and the refusal names that line and the limit.
     */
    @Test
    void accuracy_actualsOfOneSeriesMoreThanTheLimit_invalidInputNamingFileLineAndLimit() throws IOException {
        int documents = 50;
        int services = 500;
        String[][] resources = {{"CPU", "cores"}, {"Memory", "GiB"}, {"Bandwidth", "Gbps"}, {"Storage", "GiB"}};
        java.time.Instant t0 = java.time.Instant.parse("2024-11-29T00:00:00Z");
        List<String> args = new java.util.ArrayList<>(List.of("accuracy", "--predicted"));
        Path file = tmp.resolve("actuals.csv");
        try (BufferedWriter actuals = Files.newBufferedWriter(file)) {
            actuals.write("timestamp,service,resource_type,actual,units\n");
            for (int d = 0; d < documents; d++) {
                String time = t0.plusSeconds(3600L * d).toString();
                StringBuilder json = new StringBuilder("{\"timestamp\": \"" + time + "\", \"resource_requirements\": "
                        + "[{\"resource_type\": \"CPU\", \"quantity\": 1, \"units\": \"cores\"}], \"services\": [");
                for (int s = 0; s < services; s++) {
                    String service = "s" + d + "-" + s;
                    json.append(s == 0 ? "" : ",").append("{\"service\": \"").append(service)
                            .append("\", \"resource_requirements\": [");
                    for (int r = 0; r < resources.length; r++) {
                        json.append(r == 0 ? "" : ",").append("{\"resource_type\": \"").append(resources[r][0])
                                .append("\", \"quantity\": 1, \"units\": \"").append(resources[r][1]).append("\"}");
                        actuals.write(time + "," + service + "," + resources[r][0] + ",1," + resources[r][1] + "\n");
                    }
                    json.append("]}");
                }
                Path document = tmp.resolve("predicted-" + d + ".json");
                Files.writeString(document, json.append("]}"));
                args.add(document.toString());
            }
            actuals.write(t0 + ",fleet,CPU,1,cores\n");
        }
        args.addAll(List.of("--actuals", file.toString()));
        long lastLine = 1L + documents * services * resources.length + 1;

        CommandRun r = CommandRun.of(args.toArray(String[]::new));

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertEquals("fleetpredict accuracy: " + file + ":" + lastLine + ": series fleet/CPU/short_term is one more"
                + " than the 100000 series one run scores; score the actuals in parts (a file per service, say)\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void accuracy_fleetStateGivenAsPrediction_invalidInputNamingFilePathAndKind() {
        String fleetState = CommandRun.examples().resolve("fleet-state.json").toString();

        CommandRun r = CommandRun.of("accuracy", "--predicted", fleetState, "--actuals", actuals());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(fleetState + ": predicted fleet state $."), r.err());
        assertTrue(r.err().contains("another kind: fleet state, not predicted fleet state"), r.err());
    }

    @Test
    void accuracy_missingPrediction_invalidInputNamingIt() {
        Path missing = tmp.resolve("absent.json");

        CommandRun r = CommandRun.of("accuracy", "--predicted", missing.toString(), "--actuals", actuals());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(missing + ": no such file"), r.err());
    }

    @Test
    void accuracy_badStep_usage() {
        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", actuals(), "--step", "soon");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("'soon' is not a duration"), r.err());
    }
}
