package io.fleetpredict.core.document;

import static io.fleetpredict.core.document.DocumentFixtures.schemaErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schemas are as strict as the reader: each rule the reader enforces on a single value (plain text,
 * the fleet id, the century cap on durations, number and integer ranges, one amount per resource type,
 * unique names) is refused by both, and the value just inside each rule is accepted by both. The rules
 * the schemas cannot state (the parser's own limits and rules across fields) are listed in
 * {@link DocumentsHardeningTest} and in docs/documents.md.
 */
class SchemaStrictnessTest {

    private static final String TIER = "{\"weight\": 1, \"forecast_quantile\": 0.9, \"headroom_fraction\": 0,"
            + " \"max_spot_share\": 0, \"min_on_demand_count\": 0, \"lead_time\": \"PT1M\","
            + " \"scale_in_window\": \"PT1M\", \"scale_in_cooldown\": \"PT1M\"}";

    private static String example(DocumentKind kind) {
        return DocumentFixtures.text(DocumentFixtures.docs().resolve("examples").resolve(kind.id() + ".json"));
    }

    private static String edit(DocumentKind kind, String from, String to) {
        String text = example(kind);
        int at = text.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException(kind + " example does not contain " + from);
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private static Arguments refused(DocumentKind kind, String from, String to, String path, String problem) {
        return Arguments.of(kind, edit(kind, from, to), path, problem);
    }

    static Stream<Arguments> refusedByBoth() {
        DocumentKind fleet = DocumentKind.FLEET_STATE;
        DocumentKind sla = DocumentKind.SLA_POLICIES;
        DocumentKind catalogue = DocumentKind.INSTANCE_CATALOGUE;
        DocumentKind feed = DocumentKind.EVENT_FEED;
        DocumentKind predicted = DocumentKind.PREDICTED_FLEET_STATE;
        DocumentKind provisional = DocumentKind.PROVISIONAL_FLEET_STATE;
        DocumentKind overrides = DocumentKind.OVERRIDES;
        String shop = "\"fleet_id\": \"shop-eu\"";
        return Stream.of(
            // the fleet id names a directory in a state store
            refused(fleet, shop, "\"fleet_id\": \"..\"", "$.fleet_id", "plain name"),
            refused(fleet, shop, "\"fleet_id\": \".hidden\"", "$.fleet_id", "plain name"),
            refused(fleet, shop, "\"fleet_id\": \"-rf\"", "$.fleet_id", "plain name"),
            refused(fleet, shop, "\"fleet_id\": \"a/b\"", "$.fleet_id", "plain name"),
            refused(fleet, shop, "\"fleet_id\": \"shop eu\"", "$.fleet_id", "plain name"),
            refused(fleet, shop, "\"fleet_id\": \"" + "a".repeat(129) + "\"", "$.fleet_id", "plain name"),
            refused(predicted, shop, "\"fleet_id\": \".\"", "$.fleet_id", "plain name"),
            refused(provisional, shop, "\"fleet_id\": \"..\"", "$.fleet_id", "plain name"),
            // ids and names: no control, separator or bidirectional characters, not blank
            refused(fleet, shop, "\"fleet_id\": \"shop\\n[main] ERROR forged\"", "$.fleet_id", "control characters"),
            // a pattern's "$" would let a final line break through
            refused(fleet, shop, "\"fleet_id\": \"shop-eu\\n\"", "$.fleet_id", "control characters"),
            refused(fleet, "\"as_of\": \"2024-11-29T17:40:00Z\"", "\"as_of\": \"2024-11-29T17:40:00Z\\n\"", "$.as_of",
                    "control characters"),
            refused(catalogue, "\"boot_time\": \"PT90S\"", "\"boot_time\": \"PT90S\\u0085\"", "$.offers[0].boot_time",
                    "control characters"),
            refused(fleet, "\"name\": \"checkout\"", "\"name\": \"check\\u2028out\"", "$.services[0].name",
                    "control characters"),
            refused(fleet, "\"name\": \"checkout\"", "\"name\": \"\\u3000 \\u2003\"", "$.services[0].name",
                    "must not be blank"),
            // blank is what shows nothing: a no-break or figure space, a zero-width space, a byte order mark
            refused(fleet, "\"name\": \"checkout\"", "\"name\": \"\\u00a0\"", "$.services[0].name",
                    "must not be blank"),
            refused(fleet, "\"name\": \"checkout\"", "\"name\": \"\\u2007\"", "$.services[0].name",
                    "must not be blank"),
            refused(fleet, "\"name\": \"checkout\"", "\"name\": \"\\u200b\"", "$.services[0].name",
                    "must not be blank"),
            refused(fleet, "\"name\": \"checkout\"", "\"name\": \"\\ufeff\"", "$.services[0].name",
                    "must not be blank"),
            refused(fleet, "\"name\": \"checkout\"", "\"name\": \"\\u202f\\u00ad\\u2060 \"", "$.services[0].name",
                    "must not be blank"),
            refused(sla, "\"tiers\": {", "\"tiers\": {\"\\u00a0\": " + TIER + ", ", "$.tiers['\u00a0']",
                    "name must not be blank"),
            refused(fleet, "\"instance_type\": \"m6i.2xlarge\"", "\"instance_type\": \"m6i\\u202e.2xlarge\"",
                    "$.services[0].instance_groups[0].instance_type", "control characters"),
            refused(catalogue, "\"family\": \"m6i\"", "\"family\": \"m6i\\u0085\"", "$.offers[0].family",
                    "control characters"),
            refused(feed, "\"name\": \"Black Friday sale\"", "\"name\": \"Black \\u2066Friday\"", "$.events[0].name",
                    "control characters"),
            refused(feed, "\"id\": \"evt-black-friday\"", "\"id\": \"evt\\u007f\"", "$.events[0].id",
                    "control characters"),
            refused(overrides, "\"author\": \"m.okafor\"", "\"author\": \"m.okafor\\r\\nroot\"",
                    "$.overrides[0].author", "control characters"),
            refused(provisional, "\"id\": \"chg-41-1\"", "\"id\": \"chg\\u0000\"", "$.provisional_changes[0].id",
                    "control characters"),
            refused(provisional, "\"sla_reason\": \"critical tier", "\"sla_reason\": \"\\u2029critical tier",
                    "$.provisional_changes[0].sla_reason", "control characters"),
            refused(sla, "\"tiers\": {", "\"tiers\": {\"x\\u0007y\": " + TIER + ", ", "$.tiers['x\\u0007y']",
                    "name must not contain control characters"),
            refused(sla, "\"tiers\": {", "\"tiers\": {\" \": " + TIER + ", ", "$.tiers[' ']", "name must not be blank"),
            refused(predicted, "\"alpha\": 0.31", "\"al\\npha\": 0.31", "$.model.parameters['al\\u000apha']",
                    "name must not contain control characters"),
            refused(predicted, "\"alpha\": 0.31", "\"\": 0.31", "$.model.parameters['']", "name must not be blank"),
            // instants: a leap second and hour 24 would be read as another instant, so both are refused as written
            refused(fleet, "\"as_of\": \"2024-11-29T17:40:00Z\"", "\"as_of\": \"2024-06-30T23:59:60Z\"", "$.as_of",
                    "no leap second, no hour 24), was \"2024-06-30T23:59:60Z\""),
            refused(fleet, "\"as_of\": \"2024-11-29T17:40:00Z\"", "\"as_of\": \"2024-06-30T23:59:60.5Z\"", "$.as_of",
                    "was \"2024-06-30T23:59:60.5Z\""),
            refused(fleet, "\"as_of\": \"2024-11-29T17:40:00Z\"", "\"as_of\": \"2024-06-30T24:00:00Z\"", "$.as_of",
                    "was \"2024-06-30T24:00:00Z\""),
            refused(fleet, "\"as_of\": \"2024-11-29T17:40:00Z\"", "\"as_of\": \"9999-12-31T24:00:00Z\"", "$.as_of",
                    "was \"9999-12-31T24:00:00Z\""),
            refused(fleet, "\"as_of\": \"2024-11-29T17:40:00Z\"", "\"as_of\": \"2024-11-29T17:60:00Z\"", "$.as_of",
                    "no leap second, no hour 24"),
            // durations: at most a century, in any one unit
            refused(sla, "\"lead_time\": \"PT15M\"", "\"lead_time\": \"P36501D\"", "$.tiers.critical.lead_time",
                    "at most"),
            refused(sla, "\"lead_time\": \"PT15M\"", "\"lead_time\": \"P00036501D\"", "$.tiers.critical.lead_time",
                    "at most"),
            refused(sla, "\"lead_time\": \"PT15M\"", "\"lead_time\": \"PT876001H\"", "$.tiers.critical.lead_time",
                    "at most"),
            refused(sla, "\"lead_time\": \"PT15M\"", "\"lead_time\": \"PT52560001M\"", "$.tiers.critical.lead_time",
                    "at most"),
            refused(sla, "\"lead_time\": \"PT15M\"", "\"lead_time\": \"PT3153600001S\"", "$.tiers.critical.lead_time",
                    "at most"),
            refused(sla, "\"lead_time\": \"PT15M\"", "\"lead_time\": \"PT3153600000.5S\"",
                    "$.tiers.critical.lead_time", "at most"),
            refused(catalogue, "\"boot_time\": \"PT90S\"", "\"boot_time\": \"P9999999D\"", "$.offers[0].boot_time",
                    "at most"),
            refused(catalogue, "\"boot_time\": \"PT90S\"", "\"boot_time\": \"PT99999999999999999999H\"",
                    "$.offers[0].boot_time", "ISO-8601 duration"),
            // a price of 0 has no cheapest amount to plan with; capacity already paid for is a reserved group
            refused(catalogue, "\"on_demand_price_per_hour\": 0.428", "\"on_demand_price_per_hour\": 0",
                    "$.offers[0].on_demand_price_per_hour", "must be above 0, was 0: capacity already paid for"),
            refused(catalogue, "\"spot_price_per_hour\": 0.1573", "\"spot_price_per_hour\": 0.0",
                    "$.offers[0].spot_price_per_hour", "must be above 0"),
            // numbers a double cannot hold, integers a long or an int cannot hold
            refused(catalogue, "\"storage_gib\": 0", "\"storage_gib\": 1e309", "$.offers[0].storage_gib", "out of range"),
            refused(fleet, "\"version\": 41", "\"version\": 9223372036854775808", "$.version",
                    "from 0 to 9223372036854775807"),
            refused(fleet, "\"count\": 6", "\"count\": 2147483648", "$.services[0].instance_groups[0].count",
                    "from 0 to 2147483647"),
            refused(provisional, "\"priority\": 1", "\"priority\": 2147483648", "$.provisional_changes[0].priority",
                    "from 1 to 2147483647"),
            // one amount per resource type, whatever its case; unique names in lists of names
            refused(fleet, "{\"resource_type\": \"Memory\", \"quantity\": 320, \"units\": \"GiB\"}",
                    "{\"resource_type\": \"cpu\", \"quantity\": 320, \"units\": \"cores\"}",
                    "$.services[0].allocated_resources[1].resource_type", "duplicate resource type CPU"),
            refused(fleet, "{\"resource_type\": \"Memory\", \"quantity\": 32, \"units\": \"GiB\"}",
                    "{\"resource_type\": \"CPU\", \"quantity\": 32, \"units\": \"cores\"}",
                    "$.services[0].instance_groups[0].capacity_per_instance[1].resource_type", "duplicate resource type"),
            refused(sla, "[\"eu-west-1\", \"eu-central-1\"]", "[\"eu-west-1\", \"eu-west-1\"]",
                    "$.tiers.critical.allowed_regions[1]", "duplicate value"),
            refused(feed, "[\"catalogue\", \"checkout\"]", "[\"checkout\", \"checkout\"]", "$.events[1].scope[1]",
                    "duplicate value"));
    }

    @ParameterizedTest(name = "{0} {2}: {3}")
    @MethodSource("refusedByBoth")
    void refused_byTheReaderAtItsPath_andByTheSchema(DocumentKind kind, String json, String path, String problem) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(json, kind.documentType()));
        assertEquals(path, e.jsonPath(), e.getMessage());
        assertTrue(e.problem().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
        assertFalse(schemaErrors(kind, json).isEmpty(), () -> "the schema accepts what the reader refuses ("
                + e.getMessage() + ")");
    }

    static Stream<Arguments> acceptedByBoth() {
        DocumentKind fleet = DocumentKind.FLEET_STATE;
        DocumentKind sla = DocumentKind.SLA_POLICIES;
        DocumentKind catalogue = DocumentKind.INSTANCE_CATALOGUE;
        String shop = "\"fleet_id\": \"shop-eu\"";
        String lead = "\"lead_time\": \"PT15M\"";
        return Stream.of(
            Arguments.of(fleet, edit(fleet, shop, "\"fleet_id\": \"" + "a".repeat(128) + "\"")),
            Arguments.of(fleet, edit(fleet, shop, "\"fleet_id\": \"9.shop_eu-1\"")),
            Arguments.of(fleet, edit(fleet, "\"name\": \"checkout\"", "\"name\": \"caf\\u00e9 \\u00a0\\ud83d\\ude80\"")),
            Arguments.of(fleet, edit(fleet, "\"version\": 41", "\"version\": 9223372036854775807")),
            Arguments.of(fleet, edit(fleet, "\"as_of\": \"2024-11-29T17:40:00Z\"",
                    "\"as_of\": \"2024-06-30T23:59:59.999999999Z\"")),
            Arguments.of(fleet, edit(fleet, "\"count\": 6", "\"count\": 2147483647")),
            Arguments.of(sla, edit(sla, lead, "\"lead_time\": \"P36500D\"")),
            Arguments.of(sla, edit(sla, lead, "\"lead_time\": \"P000036500D\"")),
            Arguments.of(sla, edit(sla, lead, "\"lead_time\": \"PT876000H\"")),
            Arguments.of(sla, edit(sla, lead, "\"lead_time\": \"PT52560000M\"")),
            Arguments.of(sla, edit(sla, lead, "\"lead_time\": \"PT3153600000S\"")),
            Arguments.of(sla, edit(sla, lead, "\"lead_time\": \"PT3153600000.000000000S\"")),
            Arguments.of(sla, edit(sla, lead, "\"lead_time\": \"PT3153599999.999999999S\"")),
            Arguments.of(sla, edit(sla, lead, "\"lead_time\": \"P36499DT23H59M60S\"")),
            Arguments.of(sla, edit(sla, "\"tiers\": {", "\"tiers\": {\"caf\\u00e9 tier\": " + TIER + ", ")),
            Arguments.of(catalogue, edit(catalogue, "\"storage_gib\": 0", "\"storage_gib\": 1.7976931348623157e308")),
            Arguments.of(catalogue, edit(catalogue, "\"on_demand_price_per_hour\": 0.428",
                    "\"on_demand_price_per_hour\": 4.9e-324")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedByBoth")
    void accepted_byTheReaderAndTheSchema(DocumentKind kind, String json) {
        Documents.read(json, kind.documentType());
        assertEquals(Set.of(), schemaErrors(kind, json), json);
    }

    static Stream<Arguments> readerOnly() {
        DocumentKind sla = DocumentKind.SLA_POLICIES;
        return Stream.of(
            // Each unit is within a century, their sum is not: a pattern bounds each part, only the reader adds.
            Arguments.of(sla, edit(sla, "\"lead_time\": \"PT15M\"", "\"lead_time\": \"P36500DT1S\""),
                    "$.tiers.critical.lead_time", "at most"),
            Arguments.of(sla, edit(sla, "\"lead_time\": \"PT15M\"", "\"lead_time\": \"P36000DT876000H\""),
                    "$.tiers.critical.lead_time", "at most"),
            // An invisible format character past the BMP (a language tag): a schema's pattern, read by engines
            // that see UTF-16 units, cannot name it; the reader counts it blank.
            Arguments.of(DocumentKind.FLEET_STATE, edit(DocumentKind.FLEET_STATE, "\"name\": \"checkout\"",
                    "\"name\": \"\\udb40\\udc01\""), "$.services[0].name", "must not be blank"));
    }

    /** The rules a schema cannot state are the reader's alone: this keeps the list in the docs honest. */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("readerOnly")
    void readerOnlyRule_refusedByTheReaderThoughTheSchemaAccepts(DocumentKind kind, String json, String path,
            String problem) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(json, kind.documentType()));
        assertEquals(path, e.jsonPath(), e.getMessage());
        assertTrue(e.problem().contains(problem), e::getMessage);
        assertEquals(Set.of(), schemaErrors(kind, json));
    }
}
