package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ForecastCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path csv(String name, String... lines) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static double[] numbers(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            assertTrue(array.get(i).isNumber(), "not a number: " + array.get(i));
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    @Test
    void forecast_timestampedCsv_tableStartsOneStepAfterTheLastRow() {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "3", "--period", "24");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("model: Theta"), lines.get(0));
        assertEquals(List.of("timestamp", "mean", "lo80", "hi80", "lo95", "hi95"), List.of(lines.get(1).trim().split("\\s+")));
        assertTrue(lines.get(2).startsWith("2024-03-11T00:00:00Z "), lines.get(2));
        assertTrue(lines.get(4).startsWith("2024-03-11T02:00:00Z "), lines.get(4));
    }

    @Test
    void forecast_withoutPeriod_findsTheDailyAndWeeklySeasonsOfQuarterHourData() throws IOException {
        // Four weeks of 15-minute CPU cores with a daily and a weekly cycle.
        Path sample = Path.of("src/main/resources/sample/checkout.cpu.cores.csv");
        CommandRun r = CommandRun.of("forecast", "--input", sample.toString(), "--horizon", "96", "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode root = MAPPER.readTree(r.out());
        assertEquals("[96,672]", root.get("periods_found").get("periods").toString(), r.out());
        assertEquals("theta(96)", root.get("model").get("name").asText());
        CommandRun text = CommandRun.of("forecast", "--input", sample.toString(), "--horizon", "2");
        assertTrue(text.out().startsWith("periods: 96, 672 (seasonal periods tried for the step PT15M: 96 kept, 672 kept)\n"),
                text.out());
    }

    @Test
    void forecast_nonNegative_keepsEveryBoundAtOrAboveZero() throws IOException {
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        double[] v = {0.4, 0, 0.2, 1.1, 0, 0.3, 0.9, 0, 0.1, 0.6, 0, 0.2};
        for (int i = 0; i < v.length; i++) {
            lines.add(String.format(java.util.Locale.ROOT, "2024-03-01T%02d:00:00Z,%s", i, v[i]));
        }
        Path file = csv("low.csv", lines.toArray(String[]::new));
        JsonNode plain = MAPPER.readTree(CommandRun.of("forecast", "--input", file.toString(), "--horizon", "6",
                "--model", "naive", "--format", "json").out());
        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "6", "--model", "naive",
                "--non-negative", "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode root = MAPPER.readTree(r.out());
        assertEquals("nonnegative(naive)", root.get("model").get("name").asText());
        assertTrue(numbers(plain.get("intervals").get("95").get("lower"))[0] < 0, plain.toString());
        for (String level : List.of("80", "95")) {
            for (double lo : numbers(root.get("intervals").get(level).get("lower"))) {
                assertTrue(lo >= 0, r.out());
            }
        }
        for (double m : numbers(root.get("mean"))) {
            assertTrue(m >= 0, r.out());
        }
    }

    @Test
    void forecast_json_hasModelTimestampsMeanAndNestedIntervals() throws IOException {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "4", "--period", "24", "--level", "50", "--level", "99.5", "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode root = MAPPER.readTree(r.out());
        assertEquals(List.of("model", "timestamps", "mean", "intervals"), fieldNames(root));
        assertEquals("theta(24)", root.get("model").get("name").asText());
        assertTrue(root.get("model").get("description").isTextual());
        assertTrue(root.get("model").get("parameters").isObject());
        assertEquals("2024-03-11T00:00:00Z", root.get("timestamps").get(0).asText());
        assertEquals("2024-03-11T03:00:00Z", root.get("timestamps").get(3).asText());
        double[] mean = numbers(root.get("mean"));
        assertEquals(4, mean.length);
        JsonNode intervals = root.get("intervals");
        assertEquals(List.of("50", "99.5"), fieldNames(intervals));
        double[] lo50 = numbers(intervals.get("50").get("lower"));
        double[] hi50 = numbers(intervals.get("50").get("upper"));
        double[] lo995 = numbers(intervals.get("99.5").get("lower"));
        double[] hi995 = numbers(intervals.get("99.5").get("upper"));
        for (int h = 0; h < 4; h++) {
            assertTrue(lo995[h] < lo50[h] && lo50[h] <= mean[h] && mean[h] <= hi50[h] && hi50[h] < hi995[h], "step " + h);
        }
    }

    /** Five-minute values of 7 to 13 with one glitch of 1e12 at 00:40. */
    private Path glitch() throws IOException {
        double[] v = {7, 9, 13, 8, 11, 10, 12, 9, 1e12, 10, 8, 11, 13, 9, 10};
        String[] lines = new String[v.length + 1];
        lines[0] = "timestamp,value";
        for (int i = 0; i < v.length; i++) {
            lines[i + 1] = java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(300L * i) + "," + v[i];
        }
        return csv("glitch.csv", lines);
    }

    @Test
    void forecast_cleanOutliers_replacesTheGlitchBeforeTheFitAndListsIt() throws IOException {
        String input = glitch().toString();

        CommandRun kept = CommandRun.of("forecast", "--input", input, "--horizon", "2", "--model", "ets",
                "--format", "json");
        CommandRun cleaned = CommandRun.of("forecast", "--input", input, "--horizon", "2", "--model", "ets",
                "--clean-outliers", "--format", "json");

        assertEquals(ExitCodes.OK, cleaned.code(), cleaned::toString);
        JsonNode withGlitch = MAPPER.readTree(kept.out());
        assertTrue(withGlitch.get("mean").get(0).asDouble() > 1e6, "the glitch alone: " + kept.out());
        assertTrue(withGlitch.get("outliers_replaced") == null, "listed only when asked for");
        JsonNode root = MAPPER.readTree(cleaned.out());
        JsonNode replaced = root.get("outliers_replaced");
        assertEquals(1, replaced.size(), cleaned.out());
        assertEquals(8, replaced.get(0).get("index").asInt());
        assertEquals("2024-01-01T00:40:00Z", replaced.get(0).get("timestamp").asText());
        assertEquals(1e12, replaced.get(0).get("value").asDouble());
        for (double m : numbers(root.get("mean"))) {
            assertTrue(m > 7 && m < 13, "mean " + m);
        }
        assertTrue(numbers(root.get("intervals").get("95").get("upper"))[1] < 30, cleaned.out());
    }

    @Test
    void forecast_cleanOutliers_textSaysWhatWasReplacedOrThatNothingWas() throws IOException {
        CommandRun r = CommandRun.of("forecast", "--input", glitch().toString(), "--horizon", "1", "--model", "naive",
                "--clean-outliers");
        CommandRun none = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-values.csv").toString(),
                "--horizon", "1", "--model", "naive", "--clean-outliers");

        assertTrue(r.out().contains("outliers: 1 replaced before the fit (2024-01-01T00:40:00Z: 1000000000000 -> 9.500)\n"),
                r::toString);
        assertTrue(none.out().contains("outliers: none found\n"), none::toString);
    }

    @Test
    void forecast_singleValueColumnWithoutPeriod_findsNoStepAndSaysToGiveOne() throws IOException {
        String input = CommandRun.fixture("seasonal-values.csv").toString();

        CommandRun r = CommandRun.of("forecast", "--input", input, "--horizon", "2", "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode root = MAPPER.readTree(r.out());
        assertEquals("[]", root.get("periods_found").get("periods").toString(), r.out());
        assertEquals("the input has no timestamps, so no step to find them from; give --period for a seasonal model",
                root.get("periods_found").get("description").asText());
        assertEquals("theta(1)", root.get("model").get("name").asText());
    }

    @Test
    void forecast_singleValueColumn_noMadeUpTimestamps() throws IOException {
        String input = CommandRun.fixture("seasonal-values.csv").toString();

        CommandRun json = CommandRun.of("forecast", "--input", input, "--horizon", "2", "--period", "24", "--format", "json");
        CommandRun text = CommandRun.of("forecast", "--input", input, "--horizon", "2", "--period", "24");

        assertEquals(ExitCodes.OK, json.code(), json::toString);
        JsonNode root = MAPPER.readTree(json.out());
        assertTrue(root.get("timestamps").isNull(), json.out());
        assertEquals(2, root.get("mean").size());
        assertEquals(ExitCodes.OK, text.code(), text::toString);
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.get(1).startsWith("step "), lines.get(1));
        assertTrue(lines.get(2).startsWith("1 "), lines.get(2));
        assertTrue(lines.get(3).startsWith("2 "), lines.get(3));
    }

    @Test
    void forecast_auto_crossValidatesAtTheHorizonAsked() throws IOException {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "5", "--period", "24", "--model", "auto", "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        String notes = MAPPER.readTree(r.out()).get("model").get("notes").toString();
        // The candidates are judged on forecasts as long as the one asked for, not on the default two periods.
        assertTrue(notes.contains("(2 origins, horizon 5, stride 5)"), notes);
    }

    static Stream<String> models() {
        return ModelNames.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void forecast_everyModelOnSeasonalSeries_finiteForecastInTheDataRange(String model) throws IOException {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "24", "--period", "24", "--model", model, "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode root = MAPPER.readTree(r.out());
        double[] mean = numbers(root.get("mean"));
        assertEquals(24, mean.length);
        for (String level : List.of("80", "95")) {
            double[] lower = numbers(root.get("intervals").get(level).get("lower"));
            double[] upper = numbers(root.get("intervals").get(level).get("upper"));
            for (int h = 0; h < 24; h++) {
                assertTrue(Double.isFinite(lower[h]) && Double.isFinite(upper[h]), level + " step " + h);
                assertTrue(lower[h] <= mean[h] && mean[h] <= upper[h], level + " step " + h);
            }
        }
        // The series stays within about 55..160; any of these models forecasts inside a wider band around it.
        for (double m : mean) {
            assertTrue(m > 20 && m < 200, model + " mean " + m);
        }
    }

    @Test
    void forecast_missingFile_invalidInputNamingIt() {
        Path missing = tmp.resolve("absent.csv");

        CommandRun r = CommandRun.of("forecast", "--input", missing.toString(), "--horizon", "2");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(missing + ": no such file"), r.err());
    }

    @Test
    void forecast_nanValue_invalidInputNamingFileAndLine() throws IOException {
        Path file = csv("nan.csv", "timestamp,value", "2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z,NaN",
                "2024-01-01T02:00:00Z,3");

        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":3: value 'NaN' is not finite"), r.err());
    }

    @Test
    void forecast_nonNegativeWithANegativeValue_invalidInputNamingFileAndLine() throws IOException {
        // A value-only file has no times: the refusal used to name the index and a time made up from the epoch
        // ("the value at index 2 (1970-01-01T02:00:00Z) is -3.0").
        Path values = csv("negv.csv", "value", "1", "2", "-3", "4", "5", "6");
        Path stamped = csv("negt.csv", "timestamp,value", "2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z,-0.5",
                "2024-01-01T02:00:00Z,3", "2024-01-01T03:00:00Z,4");

        CommandRun r = CommandRun.of("forecast", "--input", values.toString(), "--horizon", "2", "--non-negative");
        CommandRun t = CommandRun.of("forecast", "--input", stamped.toString(), "--horizon", "2", "--non-negative");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(values + ":4: value '-3' is negative, but --non-negative declares the quantity never is"),
                r.err());
        assertTrue(!r.err().contains("1970"), r.err());
        assertEquals(ExitCodes.INVALID_INPUT, t.code(), t::toString);
        assertTrue(t.err().contains(stamped + ":3: value '-0.5' is negative"), t.err());
        assertEquals(ExitCodes.OK, CommandRun.of("forecast", "--input", values.toString(), "--horizon", "2").code());
    }

    @Test
    void forecast_nonNumericValue_invalidInputNamingFileAndLine() throws IOException {
        Path file = csv("text.csv", "value", "1", "2", "lots", "4");

        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":4: value 'lots' is not a number"), r.err());
    }

    @Test
    void forecast_offGridTimestamp_invalidInputNamingFileAndLine() throws IOException {
        Path file = csv("offgrid.csv", "timestamp,value", "2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z,2",
                "2024-01-01T02:00:00Z,3", "2024-01-01T03:20:00Z,4", "2024-01-01T04:00:00Z,5");

        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":5: timestamp 2024-01-01T03:20:00Z is off the PT1H grid"), r.err());
    }

    @Test
    void forecast_repeatedTimestamp_invalidInputNamingFileAndLine() throws IOException {
        Path file = csv("repeat.csv", "timestamp,value", "2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z,2",
                "2024-01-01T01:00:00Z,3", "2024-01-01T02:00:00Z,4");

        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":4: timestamp 2024-01-01T01:00:00Z repeats or goes backwards"), r.err());
    }

    /** Hourly New York wall-clock rows across the 2024 fall-back, written from UTC instants, and those instants. */
    private Path newYorkAutumn(List<java.time.Instant> instants) throws IOException {
        java.time.ZoneId zone = java.time.ZoneId.of("America/New_York");
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        java.time.Instant t = java.time.Instant.parse("2024-10-30T00:00:00Z");
        for (int i = 0; i < 7 * 24; i++) {
            instants.add(t);
            lines.add(java.time.LocalDateTime.ofInstant(t, zone).toString().replace('T', ' ') + "," + (100 + i % 24));
            t = t.plusSeconds(3600);
        }
        return csv("new-york.csv", lines.toArray(String[]::new));
    }

    @Test
    void forecast_zone_localRowsAcrossFallBack_forecastFollowsTheLastInstant() throws IOException {
        List<java.time.Instant> instants = new ArrayList<>();
        Path file = newYorkAutumn(instants);

        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2", "--period", "24",
                "--zone", "America/New_York", "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode stamps = MAPPER.readTree(r.out()).get("timestamps");
        java.time.Instant last = instants.get(instants.size() - 1);
        assertEquals(last.plusSeconds(3600).toString(), stamps.get(0).asText());
        assertEquals(last.plusSeconds(7200).toString(), stamps.get(1).asText());
    }

    @Test
    void forecast_noZone_localRowsAcrossFallBack_repeatAsBefore() throws IOException {
        Path file = newYorkAutumn(new ArrayList<>());

        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2", "--period", "24");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("timestamp 2024-11-03T01:00:00Z repeats or goes backwards"), r.err());
    }

    @Test
    void forecast_zoneUtc_sameOutputAsWithout() {
        String input = CommandRun.fixture("seasonal-hourly.csv").toString();

        CommandRun given = CommandRun.of("forecast", "--input", input, "--horizon", "3", "--zone", "UTC");
        CommandRun without = CommandRun.of("forecast", "--input", input, "--horizon", "3");

        assertEquals(ExitCodes.OK, given.code(), given::toString);
        assertEquals(without, given);
    }

    private Path withGap() throws IOException {
        return csv("gap.csv", "timestamp,value", "2024-01-01T00:00:00Z,1", "2024-01-01T01:00:00Z,2",
                "2024-01-01T03:00:00Z,4", "2024-01-01T04:00:00Z,5", "2024-01-01T05:00:00Z,6");
    }

    @Test
    void forecast_gapRejected_invalidInputSuggestingLinear() throws IOException {
        Path file = withGap();

        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        // The row after the gap, by its line (the header is line 1), and the row before it.
        assertTrue(r.err().contains(file + ":4: gap before timestamp 2024-01-01T03:00:00Z: 1 missing step of PT1H"
                + " after 2024-01-01T01:00:00Z on line 3"), r.err());
        assertTrue(r.err().contains("--gaps linear"), r.err());
    }

    @Test
    void forecast_gapFilledLinearly_naiveRepeatsTheLastValue() throws IOException {
        CommandRun r = CommandRun.of("forecast", "--input", withGap().toString(), "--horizon", "2", "--gaps", "linear",
                "--model", "naive", "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode root = MAPPER.readTree(r.out());
        // Naive: every step repeats the last observation, 6; the first step follows the last row, 05:00.
        assertEquals(6.0, root.get("mean").get(0).asDouble(), 0.0);
        assertEquals(6.0, root.get("mean").get(1).asDouble(), 0.0);
        assertEquals("2024-01-01T06:00:00Z", root.get("timestamps").get(0).asText());
    }

    @Test
    void forecast_zeroHorizon_usage() {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "0");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("--horizon must be at least 1, was 0"), r.err());
    }

    @Test
    void forecast_hugeHorizon_usageBeforeAnyFit() {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "2000000000", "--model", "naive");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertEquals(List.of("fleetpredict forecast: --horizon must be at most 1000000, was 2000000000",
                "try 'fleetpredict forecast --help'"), r.err().lines().toList());
    }

    @Test
    void forecast_levelAbove100_usageEvenBeforeTheInputIsRead() {
        CommandRun valid = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "2", "--level", "120");
        CommandRun missing = CommandRun.of("forecast", "--input", tmp.resolve("absent.csv").toString(),
                "--horizon", "2", "--level", "120");

        assertEquals(ExitCodes.USAGE, valid.code(), valid::toString);
        assertTrue(valid.err().contains("--level must be between 0 and 100 percent (exclusive), was 120"), valid.err());
        assertEquals(ExitCodes.USAGE, missing.code(), missing::toString);
    }

    @Test
    void forecast_unknownModel_usageListingKnownModels() {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "2", "--model", "prophet");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("unknown model 'prophet'; known: " + String.join(", ", ModelNames.names())), r.err());
    }

    @Test
    void forecast_seriesTooShortForTheModel_invalidInputNamingFile() throws IOException {
        Path file = csv("short.csv", "1", "2", "3");
        List<String> failures = new ArrayList<>();

        for (String model : List.of("holt-winters", "optimized-theta")) {
            CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2", "--period", "24",
                    "--model", model);
            if (r.code() != ExitCodes.INVALID_INPUT || !r.err().contains(file.toString())) {
                failures.add(model + ": " + r);
            }
        }

        assertEquals(List.of(), failures);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void forecast_horizonPastTheYear9999_isAUsageErrorBeforeAnythingIsPrinted() throws IOException {
        Path file = csv("late.csv", "timestamp,value", "9999-12-31T20:00:00Z,1", "9999-12-31T21:00:00Z,2",
                "9999-12-31T22:00:00Z,3", "9999-12-31T23:00:00Z,4");

        CommandRun r = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "3", "--model", "naive");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().contains("--horizon 3") && r.err().contains("9999-12-31T23:00:00Z")
                && r.err().contains("past the year 9999"), r.err());
    }

    @Test
    void forecast_horizonEndingInTheYear9999_namesHowManyStepsFit() throws IOException {
        Path file = csv("late.csv", "timestamp,value", "9999-12-31T19:00:00Z,1", "9999-12-31T20:00:00Z,2",
                "9999-12-31T21:00:00Z,3");

        CommandRun fits = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "2", "--model", "naive");
        CommandRun past = CommandRun.of("forecast", "--input", file.toString(), "--horizon", "3", "--model", "naive");

        assertEquals(ExitCodes.OK, fits.code(), fits::toString);
        assertTrue(fits.out().contains("9999-12-31T23:00:00Z"), fits.out());
        assertEquals(ExitCodes.USAGE, past.code(), past::toString);
        assertTrue(past.err().contains("at most 2 steps fit"), past.err());
    }

    @ParameterizedTest(name = "{0} period {1}")
    @MethodSource("modelsAndHugePeriods")
    void forecast_periodFarLongerThanTheSeries_isNoCrash(String model, int period) {
        Path sample = Path.of("src/main/resources/sample/checkout.cpu.cores.csv");
        CommandRun r = CommandRun.of("forecast", "--input", sample.toString(), "--horizon", "3",
                "--period", Integer.toString(period), "--model", model);

        // Refused as input too short for the model's period, or fitted as on any period longer than the series.
        assertTrue(r.code() == ExitCodes.OK || r.code() == ExitCodes.INVALID_INPUT, r::toString);
        if (r.code() == ExitCodes.INVALID_INPUT) {
            assertTrue(r.err().contains(Integer.toString(period)) && r.err().contains("2688")
                    && !r.err().contains("NaN"), r.err());
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> modelsAndHugePeriods() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (String model : List.of("mstl", "theta", "optimized-theta", "holt-winters", "ets", "snaive", "naive2",
                "fourier-arima")) {
            for (int period : new int[] {1 << 30, Integer.MAX_VALUE}) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(model, period));
            }
        }
        return out.stream();
    }

    /** A level's key is the decimal as written, without the exponent Double.toString gives below a thousandth. */
    @Test
    void forecast_smallLevel_keyedAsADecimal() throws IOException {
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "2", "--period", "24", "--level", "0.00001", "--level", "0.0025", "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals(List.of("0.00001", "0.0025"), fieldNames(MAPPER.readTree(r.out()).get("intervals")));
        assertEquals("99.5", ForecastCommand.levelName(99.5));
        assertEquals("95", ForecastCommand.levelName(95));
        assertEquals("Infinity", ForecastCommand.levelName(Double.POSITIVE_INFINITY));
    }

    @Test
    void holtWintersWithoutAPeriod_saysNoneWasGivenOrFound() throws IOException {
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        for (int i = 0; i < 30; i++) {
            lines.add(java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(3600L * i) + "," + (i % 2));
        }
        Path timed = csv("timed.csv", lines.toArray(new String[0]));
        CommandRun r = CommandRun.of("forecast", "--input", timed.toString(), "--horizon", "3", "--model", "holt-winters");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--model holt-winters needs a seasonal period: none was given with --period, and "
                + "none was found (seasonal periods tried for the step PT1H: 24 not kept"), r.err());
        Path values = csv("values.csv", "value", "1", "2", "3", "4");
        CommandRun v = CommandRun.of("forecast", "--input", values.toString(), "--horizon", "3", "--model", "holt-winters");
        assertEquals(2, v.code(), v.err());
        assertTrue(v.err().contains("none was found (the input has no timestamps"), v.err());
    }
}
