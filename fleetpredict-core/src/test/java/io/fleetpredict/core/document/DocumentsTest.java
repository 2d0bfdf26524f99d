package io.fleetpredict.core.document;

import static io.fleetpredict.core.document.DocumentFixtures.SEED;
import static io.fleetpredict.core.document.DocumentFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DocumentsTest {

    @Test
    void read_seed_parsesAsWritten() {
        PredictedFleetState state = Documents.read(SEED, PredictedFleetState.class);

        assertEquals(Instant.parse("2024-10-27T10:00:00Z"), state.timestamp());
        assertEquals(List.of(
                ResourceRequirement.of(ResourceAmount.of(ResourceType.CPU, 100, ResourceUnit.CORES)),
                ResourceRequirement.of(ResourceAmount.of(ResourceType.MEMORY, 200, ResourceUnit.GB)),
                ResourceRequirement.of(ResourceAmount.of(ResourceType.BANDWIDTH, 10, ResourceUnit.GBPS))),
                state.resourceRequirements());
        assertNull(state.schemaVersion());
        assertNull(state.horizon());
        assertNull(state.services());
        assertNull(state.model());
        assertNull(state.overridesApplied());
    }

    @Test
    void write_seed_isTheSeed() {
        String written = Documents.write(Documents.read(SEED, PredictedFleetState.class));

        assertEquals(tree(SEED), tree(written));
        assertEquals(SEED.replace(" ", ""), written.replaceAll("\\s", ""));
    }

    @Test
    void read_resourceTypeInAnyCase_isAcceptedAndWrittenCanonically() {
        String json = SEED.replace("\"CPU\"", "\"cpu\"").replace("\"Memory\"", "\"MEMORY\"");

        PredictedFleetState state = Documents.read(json, PredictedFleetState.class);

        assertEquals(ResourceType.CPU, state.resourceRequirements().get(0).resourceType());
        assertEquals(ResourceType.MEMORY, state.resourceRequirements().get(1).resourceType());
        assertEquals(tree(SEED), tree(Documents.write(state)));
    }

    @Test
    void read_optionalFieldsAndModelParameters_roundTripExactly() {
        String json = """
                {"schema_version": 1, "fleet_id": "f", "timestamp": "2024-10-27T10:00:00Z", "horizon": "long_term",
                 "valid_from": "2024-10-27T09:00:00.250Z", "valid_until": "2024-10-28T10:00:00Z",
                 "resource_requirements": [{"resource_type": "Storage", "quantity": 1.5, "units": "TiB",
                                            "p50": 1.25, "p99": 2}],
                 "services": [],
                 "model": {"name": "ets", "parameters": {"alpha": 0.30, "period": 24, "damped": true, "kind": "A"}},
                 "overrides_applied": []}
                """;

        PredictedFleetState state = Documents.read(json, PredictedFleetState.class);

        assertEquals(Map.of("alpha", new BigDecimal("0.30"), "period", 24L, "damped", true, "kind", "A"),
                state.model().parameters());
        assertEquals(Horizon.LONG_TERM, state.horizon());
        assertNull(state.resourceRequirements().get(0).p90());
        assertEquals(List.of(), state.overridesApplied());
        assertEquals(tree(json), tree(Documents.write(state)));
        assertEquals(state, Documents.read(Documents.write(state), PredictedFleetState.class));
    }

    @Test
    void read_modelAsPlainString_isWrittenAsString() {
        String json = SEED.replace("{\"timestamp\"", "{\"model\": \"naive\", \"timestamp\"");

        PredictedFleetState state = Documents.read(json, PredictedFleetState.class);

        assertEquals(ModelInfo.named("naive"), state.model());
        assertEquals(tree(json), tree(Documents.write(state)));
    }

    @Test
    void detect_eachExample_tellsItsKind() throws IOException {
        Path examples = DocumentFixtures.docs().resolve("examples");
        assertEquals(DocumentKind.PREDICTED_FLEET_STATE, Documents.detect(SEED));
        assertEquals(DocumentKind.PREDICTED_FLEET_STATE,
                Documents.detect(Files.readString(examples.resolve("predicted-fleet-state.json"))));
        for (DocumentKind kind : DocumentKind.values()) {
            String json = Files.readString(examples.resolve(kind.id() + ".json"));
            assertEquals(kind, Documents.detect(json), kind.id());
            assertEquals(kind, Documents.detect(examples.resolve(kind.id() + ".json")), kind.id());
            assertEquals(kind, Documents.read(json).kind(), kind.id());
        }
    }

    @Test
    void detect_unknownObject_isRejectedAtRoot() {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.detect("{\"colour\": \"blue\"}"));
        assertEquals("$", e.jsonPath());
        assertTrue(e.documentKind().isEmpty());
        assertTrue(e.getMessage().contains("not a known document"), e.getMessage());
    }

    @Test
    void read_pathWithKnownType_readsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seed.json");
        Files.writeString(file, SEED);

        assertEquals(Documents.read(SEED, PredictedFleetState.class), Documents.read(file, PredictedFleetState.class));
        assertEquals(DocumentKind.PREDICTED_FLEET_STATE, Documents.read(file).kind());
    }

    @Test
    void read_folderOrMissingFile_saysWhyNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");

        java.io.UncheckedIOException folder = assertThrows(java.io.UncheckedIOException.class,
                () -> Documents.read(dir));
        java.io.UncheckedIOException absent = assertThrows(java.io.UncheckedIOException.class,
                () -> Documents.read(missing, PredictedFleetState.class));
        java.io.UncheckedIOException detected = assertThrows(java.io.UncheckedIOException.class,
                () -> Documents.detect(missing));

        assertEquals("cannot read " + dir + ": is a folder, not a file", folder.getMessage());
        assertEquals("cannot read " + missing + ": no such file", absent.getMessage());
        assertEquals("cannot read " + missing + ": no such file", detected.getMessage());
    }

    @Test
    void read_fileWithoutPermission_saysSo(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("locked.json"), SEED);
        java.util.Set<java.nio.file.attribute.PosixFilePermission> none = java.util.Set.of();
        try {
            Files.setPosixFilePermissions(file, none);
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no POSIX permissions here");
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "the user reads every file (root)");

        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> Documents.read(file, PredictedFleetState.class));

        assertEquals("cannot read " + file + ": permission denied", e.getMessage());
    }

    @Test
    void read_fileNotUtf8_isRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.json");
        Files.write(file, SEED.replace("cores", "c\u00f6res").getBytes(StandardCharsets.ISO_8859_1));

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(file, PredictedFleetState.class));
        // The caller names the file, as it does for every other error in it: said here, it would be said twice.
        assertEquals("predicted fleet state $: not valid UTF-8", e.getMessage());
        assertEquals(DocumentKind.PREDICTED_FLEET_STATE, e.documentKind().orElseThrow());
    }

    @Test
    void read_otherKindsExample_isRejectedAsThisKind() throws IOException {
        String feed = Files.readString(DocumentFixtures.docs().resolve("examples/event-feed.json"));

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(feed, FleetState.class));

        assertEquals(DocumentKind.FLEET_STATE, e.documentKind().orElseThrow());
        assertTrue(e.getMessage().startsWith("fleet state $."), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DocumentKind.class)
    void write_examplesReadBack_equalRecords(DocumentKind kind) throws IOException {
        String json = Files.readString(DocumentFixtures.docs().resolve("examples").resolve(kind.id() + ".json"));
        Document document = Documents.read(json, kind.documentType());

        String written = Documents.write(document);

        assertEquals(document, Documents.read(written, kind.documentType()));
        assertEquals(written, Documents.write(Documents.read(written, kind.documentType())));
    }

    @Test
    void effectivePolicy_serviceOverridesAndDefaultTier_applied() throws IOException {
        SlaPolicies policies = Documents.read(
                DocumentFixtures.docs().resolve("examples/sla-policies.json"), SlaPolicies.class);

        TierPolicy checkout = policies.effectivePolicy("checkout");
        assertEquals(0.999, checkout.forecastQuantile());
        assertEquals(List.of("m6i"), checkout.allowedInstanceFamilies());
        assertEquals(List.of("eu-west-1", "eu-central-1"), checkout.allowedRegions());
        assertEquals(Duration.ofMinutes(15), checkout.leadTime());
        assertSame(policies.tiers().get("standard"), policies.effectivePolicy("unlisted-service"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0.001", "0.5", "0", "-0.1", "0.51", "\"x\""})
    void maxViolationShare_readWrittenOrRejectedWithItsPath(String value) throws IOException {
        String json = Files.readString(DocumentFixtures.docs().resolve("examples/sla-policies.json"))
                .replaceFirst("\"weight\":", "\"max_violation_share\": " + value + ", \"weight\":");
        double v = value.startsWith("\"") ? Double.NaN : Double.parseDouble(value);
        if (v > 0 && v <= 0.5) {
            SlaPolicies policies = Documents.read(json, SlaPolicies.class);
            TierPolicy first = policies.tiers().values().iterator().next();
            assertEquals(v, first.maxViolationShare());
            assertEquals(policies, Documents.read(Documents.write(policies), SlaPolicies.class));
        } else {
            InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                    () -> Documents.read(json, SlaPolicies.class));
            assertTrue(e.getMessage().contains("max_violation_share"), e.getMessage());
        }
    }

    @Test
    void servicePolicy_overrideOutOfRange_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ServicePolicy(
                "checkout", "critical", null, 0.3, null, null, null, null, null, null, null, null));
        assertTrue(e.getMessage().startsWith("forecastQuantile: must be between 0.5 and 0.999"), e.getMessage());
    }

    @Test
    void read_eventScopeFleet_isWholeFleet() throws IOException {
        EventFeed feed = Documents.read(DocumentFixtures.docs().resolve("examples/event-feed.json"), EventFeed.class);

        assertTrue(feed.events().get(0).wholeFleet());
        assertFalse(feed.events().get(1).wholeFleet());
        assertEquals(List.of("catalogue", "checkout"), feed.events().get(1).scope());
        assertEquals(2.4, feed.events().get(0).expectedImpact().demandMultiplier());
        assertNull(feed.events().get(4).expectedImpact());
    }

    @Test
    void provisionalFleetState_basisOfAnotherVersion_isRejected() throws IOException {
        ProvisionalFleetState plan = Documents.read(
                DocumentFixtures.docs().resolve("examples/provisional-fleet-state.json"), ProvisionalFleetState.class);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProvisionalFleetState(
                plan.fleet(), plan.provisionalChanges(), PlanBasis.of(Instant.EPOCH, null, 40), null));
        assertTrue(e.getMessage().contains("does not match the fleet version 41"), e.getMessage());
    }
}
