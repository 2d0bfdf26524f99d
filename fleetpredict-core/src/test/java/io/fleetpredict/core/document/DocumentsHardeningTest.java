package io.fleetpredict.core.document;

import static io.fleetpredict.core.document.DocumentFixtures.SEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a document can be wrong is an InvalidDocumentException naming the field, never a result. */
class DocumentsHardeningTest {

    private static final String FIRST = "{\"resource_type\": \"CPU\", \"quantity\": 100, \"units\": \"cores\"}";

    private static String firstRequirement(String replacement) {
        return SEED.replace(FIRST, replacement);
    }

    private static String example(DocumentKind kind) {
        try {
            return Files.readString(DocumentFixtures.docs().resolve("examples").resolve(kind.id() + ".json"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException("fixture does not contain " + from);
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    static Stream<Arguments> predictedCases() {
        String q0 = "$.resource_requirements[0].quantity";
        return Stream.of(
            Arguments.of("unknown field", SEED.replace("{\"timestamp\"", "{\"colour\": \"red\", \"timestamp\""),
                    "$.colour", "unknown field"),
            Arguments.of("unknown field with control characters", SEED.replace("{\"timestamp\"",
                    "{\"a\\u0000'b\": 1, \"timestamp\""), "$['a\\u0000\\'b']", "unknown field"),
            Arguments.of("unknown nested field", firstRequirement(FIRST.replace("\"units\"", "\"unit\"")),
                    "$.resource_requirements[0].unit", "unknown field"),
            Arguments.of("duplicate key", SEED.replace("{\"timestamp\"",
                    "{\"timestamp\": \"2024-01-01T00:00:00Z\", \"timestamp\""), "$.timestamp", "Duplicate"),
            Arguments.of("duplicate nested key", firstRequirement(FIRST.replace("\"quantity\": 100",
                    "\"quantity\": 100, \"quantity\": 7")), q0, "Duplicate"),
            Arguments.of("trailing object", SEED + " {}", "$", "after the document"),
            Arguments.of("trailing garbage", SEED + " x", "$", "malformed JSON"),
            Arguments.of("null required", SEED.replace("\"2024-10-27T10:00:00Z\"", "null"),
                    "$.timestamp", "must not be null"),
            Arguments.of("quantity beyond a double in the canonical unit", SEED.replace(
                    "\"quantity\": 200, \"units\": \"GB\"", "\"quantity\": 1e308, \"units\": \"TB\""),
                    "$.resource_requirements[1].quantity",
                    "1.0E308 TB is too large: beyond the largest amount of Memory in GiB"),
            Arguments.of("quantity beyond a double in TiB", SEED.replace(
                    "\"quantity\": 200, \"units\": \"GB\"", "\"quantity\": 1.7555597020139804e305, \"units\": \"TiB\""),
                    "$.resource_requirements[1].quantity", "is too large"),
            Arguments.of("null optional", SEED.replace("{\"timestamp\"", "{\"fleet_id\": null, \"timestamp\""),
                    "$.fleet_id", "omit the field"),
            Arguments.of("null element", SEED.replace("[ {", "[null, {"), "$.resource_requirements[0]",
                    "must not be null"),
            Arguments.of("missing required", SEED.replace("\"timestamp\": \"2024-10-27T10:00:00Z\", ", ""),
                    "$.timestamp", "missing required field"),
            Arguments.of("missing nested", SEED.replace("\"quantity\": 200, ", ""),
                    "$.resource_requirements[1].quantity", "missing required field"),
            Arguments.of("NaN token", firstRequirement(FIRST.replace("100", "NaN")), q0, "malformed JSON"),
            Arguments.of("Infinity token", firstRequirement(FIRST.replace("100", "Infinity")), q0, "malformed JSON"),
            Arguments.of("-Infinity token", firstRequirement(FIRST.replace("100", "-Infinity")), q0, "malformed JSON"),
            Arguments.of("NaN string", firstRequirement(FIRST.replace("100", "\"NaN\"")), q0,
                    "must be a number, was a string \"NaN\""),
            Arguments.of("Infinity string", firstRequirement(FIRST.replace("100", "\"Infinity\"")), q0,
                    "must be a number"),
            Arguments.of("overflowing number", firstRequirement(FIRST.replace("100", "1e400")), q0, "out of range"),
            Arguments.of("negative quantity", firstRequirement(FIRST.replace("100", "-5")), q0, "must not be negative"),
            Arguments.of("negative quantile", firstRequirement(FIRST.replace("}", ", \"p50\": -1}")),
                    "$.resource_requirements[0].p50", "must not be negative"),
            Arguments.of("quantiles out of order", firstRequirement(FIRST.replace("}", ", \"p50\": 5, \"p90\": 4}")),
                    "$.resource_requirements[0].p90", "below p50"),
            Arguments.of("wrong type number as string", firstRequirement(FIRST.replace("100", "\"100\"")), q0,
                    "must be a number, was a string"),
            Arguments.of("wrong type array as object", "{\"timestamp\": \"2024-10-27T10:00:00Z\", "
                    + "\"resource_requirements\": {}}", "$.resource_requirements", "must be an array, was an object"),
            Arguments.of("wrong type root", "[" + SEED + "]", "$", "must be an object, was an array"),
            Arguments.of("empty requirements", "{\"timestamp\": \"2024-10-27T10:00:00Z\", "
                    + "\"resource_requirements\": []}", "$.resource_requirements", "must not be empty"),
            Arguments.of("unknown resource type", firstRequirement(FIRST.replace("CPU", "GPU")),
                    "$.resource_requirements[0].resource_type", "unknown resource type \"GPU\""),
            Arguments.of("unknown unit", firstRequirement(FIRST.replace("cores", "furlongs")),
                    "$.resource_requirements[0].units", "unknown unit \"furlongs\""),
            Arguments.of("unit in wrong case", SEED.replace("\"GB\"", "\"gb\""),
                    "$.resource_requirements[1].units", "did you mean \"GB\""),
            Arguments.of("megabits for memory", SEED.replace("\"GB\"", "\"Mb\""),
                    "$.resource_requirements[1].units", "unknown unit \"Mb\""),
            Arguments.of("unit of another type", firstRequirement(FIRST.replace("cores", "GB")),
                    "$.resource_requirements[0].units", "not a unit of CPU"),
            Arguments.of("bandwidth in bytes", SEED.replace("\"Gbps\"", "\"GB\""),
                    "$.resource_requirements[2].units", "not a unit of Bandwidth"),
            Arguments.of("duplicate resource type", SEED.replace("\"Memory\"", "\"cpu\"").replace("\"GB\"", "\"vcpu\""),
                    "$.resource_requirements[1].resource_type", "duplicate resource type CPU"),
            Arguments.of("instant with offset", SEED.replace("10:00:00Z", "10:00:00+01:00"),
                    "$.timestamp", "UTC instant"),
            Arguments.of("not an instant", SEED.replace("2024-10-27T10:00:00Z", "yesterday"),
                    "$.timestamp", "UTC instant"),
            Arguments.of("validity reversed", SEED.replace("{\"timestamp\"", "{\"valid_from\": \"2024-10-27T11:00:00Z\","
                    + " \"valid_until\": \"2024-10-27T10:00:00Z\", \"timestamp\""), "$.valid_until", "before valid_from"),
            Arguments.of("unsupported schema version", SEED.replace("{\"timestamp\"", "{\"schema_version\": 2, "
                    + "\"timestamp\""), "$.schema_version", "unsupported schema version 2"),
            Arguments.of("unknown horizon", SEED.replace("{\"timestamp\"", "{\"horizon\": \"soon\", \"timestamp\""),
                    "$.horizon", "expected one of short_term, medium_term, long_term"),
            Arguments.of("model of wrong type", SEED.replace("{\"timestamp\"", "{\"model\": 3, \"timestamp\""),
                    "$.model", "must be a string or an object"),
            Arguments.of("model parameter nested", SEED.replace("{\"timestamp\"",
                    "{\"model\": {\"name\": \"x\", \"parameters\": {\"a b\": [1]}}, \"timestamp\""),
                    "$.model.parameters['a b']", "must be a string, number or boolean"),
            Arguments.of("leading zeros", firstRequirement(FIRST.replace("100", "0100")), q0, "malformed JSON"),
            Arguments.of("comment", SEED.replace("{\"timestamp\"", "{/* c */\"timestamp\""), "$", "malformed JSON"),
            Arguments.of("single quotes", SEED.replace("\"timestamp\"", "'timestamp'"), "$", "malformed JSON"),
            Arguments.of("unclosed", SEED.substring(0, SEED.length() - 1), "$.resource_requirements",
                    "line 1, column 252: Unexpected end-of-input: expected close marker for Object"),
            Arguments.of("empty document", "", "$", "empty document"),
            Arguments.of("blank document", "  \n ", "$", "empty document"),
            Arguments.of("absurd nesting", SEED.replace("{\"timestamp\"", "{\"x\": " + "[".repeat(500)
                    + "]".repeat(500) + ", \"timestamp\""), "$.x" + "[0]".repeat(32), "nesting depth"),
            Arguments.of("absurd string", SEED.replace("{\"timestamp\"", "{\"fleet_id\": \""
                    + "f".repeat(200_000) + "\", \"timestamp\""), "$.fleet_id", "String value length"),
            Arguments.of("absurd number", firstRequirement(FIRST.replace("100", "1" + "0".repeat(1000))), q0,
                    "number is 1001 characters long, more than the 40 a number may have"),
            Arguments.of("absurd fraction", firstRequirement(FIRST.replace("100", "1." + "0".repeat(1000))), q0,
                    "number is 1002 characters long"),
            Arguments.of("absurd name", SEED.replace("{\"timestamp\"", "{\"" + "k".repeat(5000) + "\": 1, \"timestamp\""),
                    "$", "Name length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("predictedCases")
    void read_invalidPredictedState_namesThePath(String name, String json, String path, String problem) {
        assertRejected(DocumentKind.PREDICTED_FLEET_STATE, json, path, problem);
    }

    static Stream<Arguments> otherKindCases() {
        String fleet = example(DocumentKind.FLEET_STATE);
        String provisional = example(DocumentKind.PROVISIONAL_FLEET_STATE);
        String sla = example(DocumentKind.SLA_POLICIES);
        String feed = example(DocumentKind.EVENT_FEED);
        String catalogue = example(DocumentKind.INSTANCE_CATALOGUE);
        return Stream.of(
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"count\": 6", "\"count\": -6"),
                    "$.services[0].instance_groups[0].count", "must not be negative"),
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"count\": 6", "\"count\": 2.5"),
                    "$.services[0].instance_groups[0].count", "must be an integer"),
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"count\": 6", "\"count\": 100000000000000000000"),
                    "$.services[0].instance_groups[0].count", "must be an integer from 0 to 2147483647"),
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"version\": 41", "\"version\": -1"),
                    "$.version", "must not be negative"),
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"purchase_option\": \"reserved\"",
                    "\"purchase_option\": \"Reserved\""), "$.services[0].instance_groups[0].purchase_option",
                    "expected one of on_demand, spot, reserved"),
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"name\": \"catalogue\"", "\"name\": \"checkout\""),
                    "$.services[1].name", "duplicate service \"checkout\""),
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"quantity\": 4.266, \"units\": \"TB\"",
                    "\"quantity\": 4.266, \"units\": \"Tb\""), "$.services[1].allocated_resources[3].units",
                    "unknown unit \"Tb\""),
            Arguments.of(DocumentKind.PROVISIONAL_FLEET_STATE, replaceOnce(provisional, "\"status\": \"proposed\"",
                    "\"status\": \"proposed\", \"deferred_reason\": \"over budget\""),
                    "$.provisional_changes[0].deferred_reason", "only allowed when status is deferred"),
            Arguments.of(DocumentKind.PROVISIONAL_FLEET_STATE, replaceOnce(provisional, "\"status\": \"proposed\"",
                    "\"status\": \"deferred\""), "$.provisional_changes[0].deferred_reason", "missing required field"),
            Arguments.of(DocumentKind.PROVISIONAL_FLEET_STATE, replaceOnce(provisional, "\"priority\": 1",
                    "\"priority\": 0"), "$.provisional_changes[0].priority", "at least 1"),
            Arguments.of(DocumentKind.PROVISIONAL_FLEET_STATE, replaceOnce(provisional, "\"launch_at\": \"2024-11-29T17:40",
                    "\"launch_at\": \"2024-11-29T18:50"), "$.provisional_changes[0].launch_at", "after needed_by"),
            Arguments.of(DocumentKind.PROVISIONAL_FLEET_STATE, replaceOnce(provisional, "\"fleet_version\": 41",
                    "\"fleet_version\": 40"), "$.basis.fleet_version", "document's version is 41"),
            Arguments.of(DocumentKind.PROVISIONAL_FLEET_STATE, replaceOnce(provisional, "\"action\": \"scale_out\"",
                    "\"action\": \"grow\""), "$.provisional_changes[0].action", "unknown value \"grow\""),
            Arguments.of(DocumentKind.SLA_POLICIES, replaceOnce(sla, "\"lead_time\": \"PT15M\"",
                    "\"lead_time\": \"PT-15M\""), "$.tiers.critical.lead_time", "non-negative ISO-8601 duration"),
            Arguments.of(DocumentKind.SLA_POLICIES, replaceOnce(sla, "\"forecast_quantile\": 0.99",
                    "\"forecast_quantile\": 0.9999"), "$.tiers.critical.forecast_quantile", "between 0.5 and 0.999"),
            Arguments.of(DocumentKind.SLA_POLICIES, replaceOnce(sla, "\"tier\": \"standard\"", "\"tier\": \"gold\""),
                    "$.services[1].tier", "not defined in tiers"),
            Arguments.of(DocumentKind.SLA_POLICIES, replaceOnce(sla, "\"default_tier\": \"standard\"",
                    "\"default_tier\": \"gold\""), "$.default_tier", "not defined in tiers"),
            Arguments.of(DocumentKind.SLA_POLICIES, replaceOnce(sla, "[\"m6i\"]", "[]"),
                    "$.services[0].allowed_instance_families", "must not be empty"),
            Arguments.of(DocumentKind.EVENT_FEED, replaceOnce(feed, "\"end\": \"2024-11-30T00:00:00Z\"",
                    "\"end\": \"2024-11-28T00:00:00Z\""), "$.events[0].end", "must be after start"),
            Arguments.of(DocumentKind.EVENT_FEED, replaceOnce(feed, "\"end\": \"2024-11-30T00:00:00Z\"",
                    "\"end\": \"2024-11-29T00:00:00Z\""), "$.events[0].end", "must be after start"),
            Arguments.of(DocumentKind.EVENT_FEED, replaceOnce(feed, "\"instances_removed\": 2",
                    "\"demand_multiplier\": 2"), "$.events[2].expected_impact.demand_multiplier",
                    "not allowed for a maintenance event"),
            Arguments.of(DocumentKind.EVENT_FEED, replaceOnce(feed, "{\"demand_multiplier\": 2.4}",
                    "{\"demand_multiplier\": 2.4, \"instances_removed\": 1}"), "$.events[0].expected_impact",
                    "exactly one of"),
            Arguments.of(DocumentKind.EVENT_FEED, replaceOnce(feed, "\"scope\": \"fleet\"", "\"scope\": \"all\""),
                    "$.events[0].scope", "must be \"fleet\" or a list"),
            Arguments.of(DocumentKind.EVENT_FEED, replaceOnce(feed, "\"type\": \"news\"", "\"type\": \"rumour\""),
                    "$.events[1].type", "expected one of campaign, news, maintenance"),
            Arguments.of(DocumentKind.INSTANCE_CATALOGUE, replaceOnce(catalogue, "\"cpu_cores\": 8", "\"cpu_cores\": 0"),
                    "$.offers[0].cpu_cores", "must be positive"),
            Arguments.of(DocumentKind.INSTANCE_CATALOGUE, replaceOnce(catalogue, "\"boot_time\": \"PT90S\"",
                    "\"boot_time\": \"90s\""), "$.offers[0].boot_time", "ISO-8601 duration"),
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"quantity\": 237, \"units\": \"GB\"",
                    "\"quantity\": 1e308, \"units\": \"TB\""),
                    "$.services[1].instance_groups[0].capacity_per_instance[3].quantity",
                    "1.0E308 TB is too large: beyond the largest amount of Storage in GiB"),
            // 1e308 GB is 9.3e307 GiB, but the 8 instances of the group hold more than the largest double.
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(fleet, "\"quantity\": 237, \"units\": \"GB\"",
                    "\"quantity\": 1e308, \"units\": \"GB\""),
                    "$.services[1].instance_groups[0].capacity_per_instance[3].quantity",
                    "1.0E308 GB per instance is too large: 8 instances of it are beyond the largest amount of Storage"
                            + " in GiB"),
            // Each group alone holds a finite amount, the two together do not.
            Arguments.of(DocumentKind.FLEET_STATE, replaceOnce(replaceOnce(fleet.replace("\"count\": 8,",
                    "\"count\": 1,"), "\"quantity\": 237, \"units\": \"GB\"", "\"quantity\": 1e308, \"units\": \"GiB\""),
                    "\"quantity\": 237, \"units\": \"GB\"", "\"quantity\": 1e307, \"units\": \"GiB\""),
                    "$.services[1].instance_groups[1].capacity_per_instance[3].quantity",
                    "1.0E307 GiB per instance is too large: 10 instances of it with the fleet's capacity before them"),
            Arguments.of(DocumentKind.INSTANCE_CATALOGUE, replaceOnce(catalogue, "\"region\": \"eu-central-1\"",
                    "\"region\": \"eu-west-1\""), "$.offers[3].instance_type", "duplicate instance type and region"),
            Arguments.of(DocumentKind.INSTANCE_CATALOGUE, replaceOnce(catalogue, "\"spot_price_per_hour\": 0.1573",
                    "\"spot_price_per_hour\": null"), "$.offers[0].spot_price_per_hour", "must not be null"));
    }

    @ParameterizedTest(name = "{0} {2}: {3}")
    @MethodSource("otherKindCases")
    void read_invalidDocument_namesThePath(DocumentKind kind, String json, String path, String problem) {
        assertRejected(kind, json, path, problem);
    }

    /**
     * A number's limit is 40 characters as written, its sign, point and exponent counted: the parser's own limit
     * counted only digits, so 40 digits and a point (41 characters) were accepted.
     */
    @ParameterizedTest
    @CsvSource({"1.000000000000000000000000000000000000000, 41", "1.00000000000000000000000000000000000e+10, 41",
        "100000000000000000000000000000000000000.0, 41", "1.00000000000000000000000000000000000000, 40",
        "1.0000000000000000000000000000000000e+10, 40"})
    void read_numberOfFortyCharacters_accepted_ofFortyOne_refusedSayingItsLength(String number, int length) {
        String json = firstRequirement(FIRST.replace("100", number));
        assertEquals(length, number.length());
        if (length <= 40) {
            assertTrue(Documents.read(json, PredictedFleetState.class).resourceRequirements().get(0).quantity() > 0);
            return;
        }
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(json, PredictedFleetState.class));
        assertEquals("$.resource_requirements[0].quantity", e.jsonPath());
        assertTrue(e.problem().startsWith("document exceeds a size limit at line 1, column "), e.getMessage());
        assertTrue(e.problem().endsWith(": number is 41 characters long, more than the 40 a number may have"),
                e.getMessage());
    }

    @Test
    void exception_message_combinesKindPathAndProblem() {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(SEED.replace("\"GB\"", "\"GiBs\""), PredictedFleetState.class));
        assertEquals("predicted fleet state $.resource_requirements[1].units: unknown unit \"GiBs\"; Memory accepts"
                + " MB, GB, TB, MiB, GiB, TiB", e.getMessage());
    }

    /**
     * The reader's rules that a JSON Schema cannot state, by the problem the reader names: the parser's own
     * (duplicate keys and its size limits; a plain JSON parser keeps the last of two keys) and rules across fields or across elements of a list. Every other case
     * here must be refused by the schema too.
     */
    private static final List<String> READER_ONLY = List.of(
            "Duplicate field", "empty document", "nesting depth", "characters long, more than the 40",
            "below p50", "before valid_from", "after needed_by", "document's version is", "not defined in tiers",
            "must be after start", "duplicate service", "duplicate instance type and region",
            "per instance is too large");

    private static void assertRejected(DocumentKind kind, String json, String path, String problem) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(json, kind.documentType()));
        assertEquals(path, e.jsonPath(), e.getMessage());
        assertTrue(e.problem().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
        assertEquals(kind, e.documentKind().orElseThrow());
        if (READER_ONLY.stream().noneMatch(e.problem()::contains) && isJson(json)) {
            assertFalse(DocumentFixtures.schemaErrors(kind, json).isEmpty(),
                    () -> "the schema accepts what the reader refuses: " + e.getMessage());
        }
    }

    /**
     * Text that is not one JSON value (NaN, comments, single quotes, unclosed, content after the value) is
     * refused before any schema applies.
     */
    private static boolean isJson(String json) {
        try {
            DocumentFixtures.PLAIN.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
            return true;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({"TB, 1.9302583056193406e305", "TiB, 1.7555597020139802e305"})
    void read_largestQuantityOfAUnit_acceptedByReaderAndSchema(String unit, String quantity) {
        String json = SEED.replace("\"quantity\": 200, \"units\": \"GB\"",
                "\"quantity\": " + quantity + ", \"units\": \"" + unit + "\"");

        assertEquals(Set.of(), DocumentFixtures.schemaErrors(DocumentKind.PREDICTED_FLEET_STATE, json));
        PredictedFleetState p = Documents.read(json, PredictedFleetState.class);
        assertTrue(Double.isFinite(p.resourceRequirements().get(1).amount().inCanonicalUnit().amount()));
    }

    /**
     * A service name holding a lone half of a surrogate pair (the JSON escape of one): refused at its path. The
     * store would have written it as a question mark, a name changed on disk.
     */
    @Test
    void read_nameWithALoneSurrogate_refusedAtItsPath() throws Exception {
        String fleet = Files.readString(DocumentFixtures.docs().resolve("examples/fleet-state.json"))
                .replace("\"name\": \"checkout\"", "\"name\": \"check\\ud800out\"");
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(fleet, FleetState.class));
        assertEquals("$.services[0].name", e.jsonPath());
        assertTrue(e.problem().startsWith("must be Unicode text, found a lone surrogate \\ud800 at character 5"),
                e.getMessage());
    }
}
