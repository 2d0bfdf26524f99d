package io.fleetpredict.core.document;

import static io.fleetpredict.core.document.DocumentFixtures.SEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Documents written at the exact limits of the codec's rules: the value on the limit is read (or refused)
 * as the rule says, and the value just past it is not. Each case is one a reader that moved a limit by
 * one would get wrong.
 */
class DocumentsExactLimitsTest {

    private static final String FIRST = "{\"resource_type\": \"CPU\", \"quantity\": 100, \"units\": \"cores\"}";

    /** The seed with its first requirement given these quantile fields (JSON members, comma first). */
    private static String quantiles(String members) {
        return SEED.replace(FIRST, FIRST.replace("}", members + "}"));
    }

    private static ResourceRequirement firstRequirement(String json) {
        return Documents.read(json, PredictedFleetState.class).resourceRequirements().get(0);
    }

    private static InvalidDocumentException refused(String json, Class<? extends Document> type) {
        return assertThrows(InvalidDocumentException.class, () -> Documents.read(json, type));
    }

    // ---- quantiles: p50 <= p90 <= p99, equality allowed

    @Test
    void requirement_equalQuantiles_areAccepted() {
        ResourceRequirement all = firstRequirement(quantiles(", \"p50\": 5, \"p90\": 5, \"p99\": 5"));
        assertEquals(5.0, all.p50());
        assertEquals(5.0, all.p90());
        assertEquals(5.0, all.p99());

        ResourceRequirement noP90 = firstRequirement(quantiles(", \"p50\": 5, \"p99\": 5"));
        assertEquals(5.0, noP90.p50());
        assertNull(noP90.p90());
        assertEquals(5.0, noP90.p99());

        ResourceRequirement noP50 = firstRequirement(quantiles(", \"p90\": 5, \"p99\": 5"));
        assertNull(noP50.p50());
        assertEquals(5.0, noP50.p99());
    }

    @Test
    void requirement_p99BelowTheQuantileUnderIt_isRefusedAtP99NamingThatQuantile() {
        // Without p90, p99 is checked against p50.
        InvalidDocumentException againstP50 = refused(quantiles(", \"p50\": 5, \"p99\": 4.99"),
                PredictedFleetState.class);
        assertEquals("$.resource_requirements[0].p99", againstP50.jsonPath());
        assertEquals("is below p50 5.0", againstP50.problem());
        // With p90, against p90 even when p99 is above p50.
        InvalidDocumentException againstP90 = refused(quantiles(", \"p50\": 5, \"p90\": 6, \"p99\": 5.5"),
                PredictedFleetState.class);
        assertEquals("$.resource_requirements[0].p99", againstP90.jsonPath());
        assertEquals("is below p90 6.0", againstP90.problem());
        // p90 just below p50.
        InvalidDocumentException p90 = refused(quantiles(", \"p50\": 5, \"p90\": 4.999"), PredictedFleetState.class);
        assertEquals("$.resource_requirements[0].p90", p90.jsonPath());
        assertEquals("is below p50 5.0", p90.problem());
    }

    // ---- quoting a value in a message: 60 characters whole, longer ones cut to 57 and "..."

    @Test
    void abbreviate_keepsSixtyCharactersAndCutsSixtyOne() {
        String sixty = "a".repeat(59) + "z";
        assertEquals(sixty, JsonIn.abbreviate(sixty));
        String sixtyOne = "b".repeat(56) + "cdefg";
        assertEquals("b".repeat(56) + "c...", JsonIn.abbreviate(sixtyOne));
        assertEquals(60, JsonIn.abbreviate(sixtyOne).length());
    }

    @Test
    void read_longUnknownValue_isQuotedWholeUpToSixtyCharacters() {
        String sixty = "h".repeat(59) + "Z";
        InvalidDocumentException whole = refused(SEED.replace("{\"timestamp\"",
                "{\"horizon\": \"" + sixty + "\", \"timestamp\""), PredictedFleetState.class);
        assertTrue(whole.problem().startsWith("unknown value \"" + sixty + "\";"), whole.getMessage());

        String sixtyOne = "h".repeat(57) + "WXYZ";
        InvalidDocumentException cut = refused(SEED.replace("{\"timestamp\"",
                "{\"horizon\": \"" + sixtyOne + "\", \"timestamp\""), PredictedFleetState.class);
        assertTrue(cut.problem().startsWith("unknown value \"" + "h".repeat(57) + "...\";"), cut.getMessage());
    }

    // ---- the characters refused in names: C0 and C1 controls, line and paragraph separators, bidi controls

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x00, 0x1f, 0x7f, 0x9f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069})
    void name_withAnUnsafeCharacterAtARangeEnd_isRefusedAndEscapedInTheMessage(int c) {
        String escaped = String.format(Locale.ROOT, "\\u%04x", c);
        String name = "ab" + (char) c + "cd";
        assertEquals(2, JsonIn.firstControl(name));
        InvalidDocumentException e = refused(fleet(escaped), FleetState.class);
        assertEquals("$.services[0].name", e.jsonPath());
        assertEquals("must not contain control characters, found " + escaped + " at character 2 in \"ab"
                + escaped + "cd\"", e.problem());
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x20, 0x7e, 0xa0, 0x2027, 0x202f, 0x2065, 0x206a})
    void name_withACharacterJustOutsideTheUnsafeRanges_isAccepted(int c) {
        String escaped = String.format(Locale.ROOT, "\\u%04x", c);
        String name = "ab" + (char) c + "cd";
        assertEquals(-1, JsonIn.firstControl(name));
        FleetState state = Documents.read(fleet(escaped), FleetState.class);
        assertEquals(name, state.services().get(0).name());
        // Quoted in a message (here an unknown field beside it) the character is shown as it is.
        InvalidDocumentException e = refused(fleet(escaped).replace("\"sla_tier\"", "\"x" + escaped + "\": 1, \"sla_tier\""),
                FleetState.class);
        assertEquals("$.services[0]['x" + (char) c + "']", e.jsonPath());
        assertFalse(e.jsonPath().contains("\\u"), e.jsonPath());
    }

    private static String fleet(String serviceNameMiddle) {
        return "{\"fleet_id\": \"shop\", \"version\": 3, \"as_of\": \"2024-10-27T10:00:00Z\", \"services\": [{\"name\": \"ab"
                + serviceNameMiddle + "cd\", \"sla_tier\": \"standard\", \"instance_groups\": [], \"allocated_resources\": []}]}";
    }

    // ---- the size of a document: 8 MiB characters, or bytes for a file

    /** The seed, padded with spaces after its last brace to exactly {@code length} characters. */
    private static String seedOfLength(long length) {
        return SEED + " ".repeat((int) (length - SEED.length()));
    }

    @Test
    void read_documentOfExactlyTheLongestLength_isReadAndOneCharacterLongerIsNot() {
        String longest = seedOfLength(StrictJson.MAX_DOCUMENT_LENGTH);
        assertEquals(8 * 1024 * 1024, longest.length());
        assertEquals(3, Documents.read(longest, PredictedFleetState.class).resourceRequirements().size());

        InvalidDocumentException e = refused(longest + " ", PredictedFleetState.class);
        assertEquals("$", e.jsonPath());
        assertEquals("document is longer than 8388608 characters", e.problem());
    }

    @Test
    void read_fileOfExactlyTheLargestSize_isReadAndOneByteLargerIsNot(@TempDir Path dir) throws IOException {
        Path largest = Files.writeString(dir.resolve("largest.json"), seedOfLength(StrictJson.MAX_DOCUMENT_LENGTH),
                StandardCharsets.UTF_8);
        assertEquals(StrictJson.MAX_DOCUMENT_LENGTH, Files.size(largest));
        assertEquals(DocumentKind.PREDICTED_FLEET_STATE, Documents.read(largest).kind());

        Path larger = Files.writeString(dir.resolve("larger.json"), seedOfLength(StrictJson.MAX_DOCUMENT_LENGTH + 1),
                StandardCharsets.UTF_8);
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(larger, PredictedFleetState.class));
        // The caller names the file, as it does for every other error in it.
        assertEquals("larger than 8388608 bytes", e.problem());
    }

    // ---- an expert override is active from its start (included) to its expiry (excluded)

    @Test
    void expertOverride_activeFromItsStartUntilJustBeforeItsExpiry() {
        Instant start = Instant.parse("2024-11-29T00:00:00Z");
        Instant expiry = Instant.parse("2024-11-30T00:00:00Z");
        ExpertOverride freeze = new ExpertOverride("o", OverrideAction.DISABLE, "web", null, null, null, start, expiry,
                "ops", "code freeze");
        assertFalse(freeze.activeAt(start.minusNanos(1)));
        assertTrue(freeze.activeAt(start));
        assertTrue(freeze.activeAt(expiry.minusNanos(1)));
        assertFalse(freeze.activeAt(expiry));
    }

    // ---- where a malformed document breaks: an array before its first element is at index 0

    @Test
    void read_malformedBeforeTheFirstElement_namesIndexZero() {
        InvalidDocumentException e = refused("{\"timestamp\": \"2024-10-27T10:00:00Z\", \"resource_requirements\": [}",
                PredictedFleetState.class);
        assertEquals("$.resource_requirements[0]", e.jsonPath());
        assertTrue(e.problem().startsWith("malformed JSON at line 1, column "), e.problem());
    }

    // ---- the reader's own words: what it names and quotes, where a record would say it otherwise

    private static String example(DocumentKind kind) {
        return DocumentFixtures.text(DocumentFixtures.docs().resolve("examples").resolve(kind.id() + ".json"));
    }

    private static String edit(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException("fixture does not contain " + from);
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    @Test
    void read_maxViolationShareOfZero_isRefusedQuotingTheDocument() {
        String sla = example(DocumentKind.SLA_POLICIES).replaceFirst("\"weight\":", "\"max_violation_share\": 0, \"weight\":");
        InvalidDocumentException e = refused(sla, SlaPolicies.class);
        assertEquals("$.tiers.critical.max_violation_share", e.jsonPath());
        assertEquals("must be above 0 and at most 0.5, was 0", e.problem());
    }

    @Test
    void read_scaleFactorOfZero_isRefusedByTheReaderAndTheSchema() {
        String overrides = example(DocumentKind.OVERRIDES).replaceFirst("\"factor\": 1.3", "\"factor\": 0");
        InvalidDocumentException e = refused(overrides, OverrideSet.class);
        assertTrue(e.jsonPath().endsWith(".factor"), e.jsonPath());
        assertEquals("must be finite and positive, was 0.0", e.problem());
        assertFalse(DocumentFixtures.schemaErrors(DocumentKind.OVERRIDES, overrides).isEmpty());
        String small = overrides.replaceFirst("\"factor\": 0", "\"factor\": 4.9E-324");
        assertEquals(Set.of(), DocumentFixtures.schemaErrors(DocumentKind.OVERRIDES, small));
        Documents.read(small, OverrideSet.class);
    }

    @Test
    void read_countThatIsNoInteger_saysWhatItIs() {
        String fleet = example(DocumentKind.FLEET_STATE);
        assertEquals("must be an integer, was a fraction 2.5",
                refused(edit(fleet, "\"count\": 6", "\"count\": 2.5"), FleetState.class).problem());
        assertEquals("must be an integer, was a string",
                refused(edit(fleet, "\"count\": 6", "\"count\": \"6\""), FleetState.class).problem());
    }

    static Stream<Arguments> integersThatAreNotCounts() {
        return Stream.of(
                Arguments.of("\"count\": 6", "1e400", "must be an integer from 0 to 2147483647, was 1E+400"),
                Arguments.of("\"count\": 6", "2147483648", "must be an integer from 0 to 2147483647, was 2147483648"),
                Arguments.of("\"count\": 6", "-1e400", "must not be negative, was -1E+400"),
                Arguments.of("\"count\": 6", "-2.5", "must not be negative, was -2.5"),
                Arguments.of("\"count\": 6", "1e2", "must be an integer written without a fraction or exponent, was 1E+2"),
                Arguments.of("\"count\": 6", "6.0", "must be an integer written without a fraction or exponent, was 6.0"),
                Arguments.of("\"version\": 41", "1e19",
                        "must be an integer from 0 to 9223372036854775807, was 1E+19"),
                Arguments.of("\"version\": 41", "9223372036854775808",
                        "must be an integer from 0 to 9223372036854775807, was 9223372036854775808"),
                Arguments.of("\"version\": 41", "41.5", "must be an integer, was a fraction 41.5"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("integersThatAreNotCounts")
    void read_integerOutOfRangeOrWrittenAsDecimal_saysWhichItIs(String field, String value, String problem) {
        String fleet = edit(example(DocumentKind.FLEET_STATE), field, field.substring(0, field.indexOf(':') + 2) + value);
        assertEquals(problem, refused(fleet, FleetState.class).problem());
    }

    @Test
    void read_priorityBelowOne_saysTheLeastEvenForAFraction() {
        String plan = example(DocumentKind.PROVISIONAL_FLEET_STATE);
        assertEquals("must be at least 1, was 0.5",
                refused(edit(plan, "\"priority\": 1", "\"priority\": 0.5"), ProvisionalFleetState.class).problem());
        assertEquals("must be an integer from 1 to 2147483647, was 1E+10",
                refused(edit(plan, "\"priority\": 1", "\"priority\": 1e10"), ProvisionalFleetState.class).problem());
    }

    @Test
    void read_numberWhoseExponentOverflows_namesItsPosition() {
        InvalidDocumentException e = refused("{\"fleet_id\": \"shop\",\n \"version\": 1e9999999999}", FleetState.class);
        assertEquals("$.version", e.jsonPath());
        assertEquals("number is out of range at line 2, column 13", e.problem());
    }

    @Test
    void read_impactWithoutExactlyOneComponent_listsWhatWasGiven() {
        String feed = example(DocumentKind.EVENT_FEED);
        String none = edit(feed, "{\"demand_multiplier\": 2.4}", "{}");
        assertEquals("exactly one of additive_uplift, capacity_removed, demand_multiplier, instances_removed must be"
                + " given, found none", refused(none, EventFeed.class).problem());
        String two = edit(feed, "{\"demand_multiplier\": 2.4}", "{\"demand_multiplier\": 2.4, \"instances_removed\": 1}");
        assertEquals("exactly one of additive_uplift, capacity_removed, demand_multiplier, instances_removed must be"
                + " given, found demand_multiplier, instances_removed", refused(two, EventFeed.class).problem());
    }

    @Test
    void read_impactOfTheWrongKind_namesTheKindTheEventTakes() {
        String feed = example(DocumentKind.EVENT_FEED);
        InvalidDocumentException maintenance = refused(edit(feed, "\"instances_removed\": 2", "\"demand_multiplier\": 2"),
                EventFeed.class);
        assertEquals("not allowed for a maintenance event, which takes capacity_removed or instances_removed",
                maintenance.problem());
        InvalidDocumentException campaign = refused(edit(feed, "{\"demand_multiplier\": 2.4}", "{\"instances_removed\": 2}"),
                EventFeed.class);
        assertEquals("$.events[0].expected_impact.instances_removed", campaign.jsonPath());
        assertEquals("not allowed for a campaign event, which takes demand_multiplier or additive_uplift",
                campaign.problem());
    }

    @Test
    void read_servicePolicyOverrides_eachTakesItsValue() {
        String sla = edit(example(DocumentKind.SLA_POLICIES), "{\"service\": \"catalogue\", \"tier\": \"standard\"}",
                "{\"service\": \"catalogue\", \"tier\": \"standard\", \"weight\": 7, \"headroom_fraction\": 0.3,"
                        + " \"max_spot_share\": 0.25, \"min_on_demand_count\": 4}");
        TierPolicy catalogue = Documents.read(sla, SlaPolicies.class).effectivePolicy("catalogue");
        assertEquals(7, catalogue.weight());
        assertEquals(0.3, catalogue.headroomFraction());
        assertEquals(0.25, catalogue.maxSpotShare());
        assertEquals(4, catalogue.minOnDemandCount());
    }

    static Stream<Arguments> duplicates() {
        return Stream.of(
            Arguments.of(DocumentKind.PREDICTED_FLEET_STATE, "\"service\": \"catalogue\"", "\"service\": \"checkout\"",
                    "$.services[1].service", "duplicate service \"checkout\""),
            Arguments.of(DocumentKind.PROVISIONAL_FLEET_STATE, "\"id\": \"chg-41-2\"", "\"id\": \"chg-41-1\"",
                    "$.provisional_changes[1].id", "duplicate change id \"chg-41-1\""),
            Arguments.of(DocumentKind.EVENT_FEED, "\"id\": \"evt-tv-spot\"", "\"id\": \"evt-black-friday\"",
                    "$.events[1].id", "duplicate event id \"evt-black-friday\""),
            Arguments.of(DocumentKind.OVERRIDES, "\"id\": \"search-reindex\"", "\"id\": \"black-friday-checkout\"",
                    "$.overrides[1].id", "duplicate override id \"black-friday-checkout\""),
            Arguments.of(DocumentKind.SLA_POLICIES, "{\"service\": \"catalogue\"", "{\"service\": \"checkout\"",
                    "$.services[1].service", "duplicate service \"checkout\""));
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("duplicates")
    void read_keyRepeated_isNamedAtTheRepeatingElementsKey(DocumentKind kind, String from, String to, String path,
            String problem) {
        InvalidDocumentException e = refused(edit(example(kind), from, to), kind.documentType());
        assertEquals(path, e.jsonPath());
        assertEquals(problem, e.problem());
    }

    @Test
    void documentKind_schemaFileName_namesTheKindsSchemaInDocs() {
        for (DocumentKind kind : DocumentKind.values()) {
            assertEquals(kind.id() + ".schema.json", kind.schemaFileName());
            assertTrue(Files.isRegularFile(DocumentFixtures.docs().resolve("schemas").resolve(kind.schemaFileName())),
                    kind.schemaFileName());
        }
    }
}
