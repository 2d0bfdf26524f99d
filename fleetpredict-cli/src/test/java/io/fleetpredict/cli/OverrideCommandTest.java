package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OverrideCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String overrides() {
        return CommandRun.examples().resolve("overrides.json").toString();
    }

    private static String predicted() {
        return CommandRun.examples().resolve("predicted-fleet-state.json").toString();
    }

    private static ResourceRequirement requirement(List<ResourceRequirement> list, ResourceType type) {
        return list.stream().filter(r -> r.resourceType() == type).findFirst().orElseThrow();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private CommandRun add(String id, String... more) {
        List<String> args = new ArrayList<>(List.of("override", "add", "--overrides", tmp.resolve("o.json").toString(),
                "--audit", tmp.resolve("audit.log").toString(), "--id", id, "--start", "2024-11-29T00:00:00Z",
                "--expiry", "2024-11-30T00:00:00Z", "--author", "a.tester", "--reason", "test"));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    /**
     * A line break in an id is refused, by the override as by the document's reader: written, it would leave a file
     * that every later list, apply and add fails on. The message names the field and shows the value escaped rather
     * than breaking the error line.
     */
    @Test
    void add_idWithALineBreak_usageErrorAndNothingWritten() {
        CommandRun r = add("x\ny", "--action", "disable");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict override add: --id: must not contain control characters, found \\u000a"
                + " at character 1 in \"x\\u000ay\""), r::toString);
        assertEquals(2, r.err().lines().count(), r::toString);
        assertFalse(Files.exists(tmp.resolve("o.json")), "an overrides file no command could read again");
        assertFalse(Files.exists(tmp.resolve("audit.log")), "an audit line for an override never saved");
    }

    /**
     * The audit line is appended before the document is written; when it cannot be (here a log whose last line
     * is longer than any entry, which the log refuses to append to), the document is not written, so no override
     * stands without its audit line and the same command can be run again once the log is mended.
     */
    @Test
    void add_auditCannotBeAppended_overridesFileUnchangedAndExit3() throws IOException {
        assertEquals(ExitCodes.OK, add("first", "--action", "disable").code());
        String before = Files.readString(tmp.resolve("o.json"));
        Files.writeString(tmp.resolve("audit.log"), "x".repeat(8 * 1024 * 1024 + 1));

        CommandRun r = add("second", "--action", "disable");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("nothing appended"), r::toString);
        assertEquals(before, Files.readString(tmp.resolve("o.json")), "an override saved without its audit line");
    }

    /**
     * A file changed between the read the override was added to and the write (another {@code override add}) is
     * refused and left as the other writer left it: written over, that writer's override would be lost while its
     * audit line stands.
     */
    @Test
    void unchangedSince_fileChangedSinceItWasRead_refusedAndLeftAsItIs() throws IOException {
        Path file = tmp.resolve("o.json");
        String read = Documents.write(new OverrideSet(Documents.SCHEMA_VERSION, List.of()));
        String other = "{\"schema_version\": 1, \"overrides\": []}\n";
        Files.writeString(file, other);

        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> OverrideCommand.Add.unchangedSince(file, read));
        InvalidInputException created = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> OverrideCommand.Add.unchangedSince(file, null));

        assertTrue(e.getMessage().startsWith(file + ": changed while the override was being added"), e.getMessage());
        assertTrue(created.getMessage().startsWith(file + ": changed while"), created.getMessage());
        assertEquals(other, Files.readString(file));
        assertEquals(other, OverrideCommand.Add.unchangedSince(file, other));
        assertEquals(null, OverrideCommand.Add.unchangedSince(tmp.resolve("none.json"), null));
    }

    /** The file the override is added to is read once, and its error named as every document's is. */
    @Test
    void add_overridesFileNotADocument_invalidInputNamingIt() throws IOException {
        Files.writeString(tmp.resolve("o.json"), "{\"schema_version\": 1, \"tiers\": []}");

        CommandRun r = add("z1", "--action", "disable");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict override add: " + tmp.resolve("o.json") + ": "), r::toString);
        assertTrue(r.err().contains("(this file is a document of another kind: SLA policies, not overrides)"),
                r::toString);
        assertFalse(Files.exists(tmp.resolve("audit.log")), r::toString);
    }

    @Test
    void add_auditCannotBeAppendedToANewFile_noOverridesFileMade() throws IOException {
        Files.writeString(tmp.resolve("audit.log"), "x".repeat(8 * 1024 * 1024 + 1));

        CommandRun r = add("first", "--action", "disable");

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertFalse(Files.exists(tmp.resolve("o.json")), "an overrides file holding an override never audited");
    }

    @Test
    void list_example_oneLinePerOverride() {
        CommandRun r = CommandRun.of("override", "list", "--overrides", overrides());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("black-friday-checkout: floor 96 cores on checkout/CPU from 2024-11-29T00:00:00Z"),
                lines.get(0));
        assertTrue(lines.get(2).startsWith("campaign-uplift: scale x1.3 on catalogue/all"), lines.get(2));
    }

    /** Amounts read as the command's other figures do: whole numbers without a ".0", large ones without an exponent. */
    @Test
    void list_largeAmount_writtenInFullWithoutExponent() {
        CommandRun added = add("big", "--action", "floor", "--service", "checkout", "--resource", "CPU",
                "--quantity", "10000000", "--units", "cores");
        assertEquals(ExitCodes.OK, added.code(), added::toString);

        CommandRun r = CommandRun.of("override", "list", "--overrides", tmp.resolve("o.json").toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("big: floor 10000000 cores on checkout/CPU from 2024-11-29T00:00:00Z"), r.out());
    }

    @Test
    void list_activeAtInstantAsJson_anOverridesDocumentOfThoseActive() throws IOException {
        CommandRun r = CommandRun.of("override", "list", "--overrides", overrides(), "--at", "2024-11-29T18:00:00Z",
                "--format", "json");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode root = MAPPER.readTree(r.out());
        assertEquals(1, root.get("schema_version").asInt());
        List<String> ids = new ArrayList<>();
        root.get("overrides").forEach(o -> ids.add(o.get("id").asText()));
        assertEquals(List.of("black-friday-checkout", "bandwidth-cap", "reports-off"), ids);
        assertEquals(3, Documents.read(r.out(), OverrideSet.class).overrides().size());
    }

    @Test
    void apply_example_floorAndCeilingAppliedAndAudited() throws IOException {
        Path audit = tmp.resolve("audit.log");

        CommandRun r = CommandRun.of("override", "apply", "--overrides", overrides(), "--predicted", predicted(),
                "--audit", audit.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        PredictedFleetState state = Documents.read(r.out(), PredictedFleetState.class);
        // The floor of 96 cores lifts checkout's p50 of 90; the 40 Gbps ceiling cuts the fleet's p90 of 41.
        ResourceRequirement checkoutCpu = requirement(state.services().get(0).resourceRequirements(), ResourceType.CPU);
        assertEquals(96.0, checkoutCpu.p50(), 0.0);
        assertEquals(40.0, requirement(state.resourceRequirements(), ResourceType.BANDWIDTH).p90(), 0.0);
        List<String> applied = state.overridesApplied().stream().map(o -> o.id()).toList();
        assertTrue(applied.containsAll(List.of("black-friday-checkout", "bandwidth-cap")), applied::toString);
        List<String> log = Files.readAllLines(audit);
        assertEquals(3, log.size(), log::toString);
        for (String line : log.subList(0, 2)) {
            assertEquals("override_applied", MAPPER.readTree(line).get("event").asText(), line);
        }
        // The example's disable of "reports" is active, but the prediction has no such service.
        assertEquals("override_unmatched", MAPPER.readTree(log.get(2)).get("event").asText(), log.get(2));
        assertEquals("reports-off", MAPPER.readTree(log.get(2)).get("override_id").asText(), log.get(2));
    }

    @Test
    void apply_withOutput_writesTheDocumentAndSaysSo() throws IOException {
        Path output = tmp.resolve("overridden.json");

        CommandRun r = CommandRun.of("override", "apply", "--overrides", overrides(), "--predicted", predicted(),
                "--audit", tmp.resolve("audit.log").toString(), "--output", output.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals("2 override applications; wrote " + output, r.out().strip());
        assertEquals(3, Documents.read(output, PredictedFleetState.class).overridesApplied().size());
    }

    /**
     * The output file a run replaces is kept in memory to be put back if the audit log cannot be written: one past
     * the size limit, or not UTF-8, is refused naming it, and neither it nor the audit log is touched.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"larger than the limit", "not UTF-8"})
    void apply_existingOutputTooLargeOrNotUtf8_refusedNamingItAndNothingWritten(String kind) throws IOException {
        Path output = tmp.resolve("overridden.json");
        Path audit = tmp.resolve("audit.log");
        if (kind.equals("not UTF-8")) {
            Files.write(output, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        } else {
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(output.toFile(), "rw")) {
                f.setLength(8L * 1024 * 1024 + 1); // sparse where the file system allows
            }
        }
        long size = Files.size(output);

        CommandRun r = CommandRun.of("override", "apply", "--overrides", overrides(), "--predicted", predicted(),
                "--audit", audit.toString(), "--output", output.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(output + ": exists and is " + (kind.equals("not UTF-8") ? "not valid UTF-8"
                : "larger than 8388608 bytes")), r.err());
        assertEquals(size, Files.size(output));
        assertFalse(Files.exists(audit));
    }

    @Test
    void add_thenApplyFleetWideDisable_predictionDisabledReport() throws IOException {
        CommandRun added = add("freeze", "--action", "disable");
        CommandRun applied = CommandRun.of("override", "apply", "--overrides", tmp.resolve("o.json").toString(),
                "--predicted", predicted(), "--audit", tmp.resolve("audit.log").toString());

        assertEquals(ExitCodes.OK, added.code(), added::toString);
        assertEquals("added override freeze to " + tmp.resolve("o.json"), added.out().strip());
        assertEquals(ExitCodes.OK, applied.code(), applied::toString);
        JsonNode root = MAPPER.readTree(applied.out());
        assertTrue(root.get("prediction_disabled").asBoolean());
        // The override that switched it off, once: not once per requirement it removed, nor those the prediction
        // already carried (the example's ovr-2024-11-29-01), which switched nothing off.
        assertEquals(List.of("freeze"), texts(root.get("overrides")), applied::toString);
        assertEquals(2, root.size(), applied::toString);
        List<String> events = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("audit.log"))) {
            events.add(MAPPER.readTree(line).get("event").asText());
        }
        assertEquals("override_added", events.get(0));
        assertEquals("override_applied", events.get(events.size() - 1));
    }

    /**
     * With the prediction switched off there is no predicted fleet state: the report goes to stdout as without
     * --output, and --output holds no document, not the report (which no command reads) nor an earlier run's
     * prediction (which plan would read as if the prediction were on).
     */
    @Test
    void apply_fleetWideDisableWithOutput_reportOnStdoutAndNoDocumentLeft() throws IOException {
        CommandRun added = add("freeze", "--action", "disable");
        Path output = Files.copy(Path.of(predicted()), tmp.resolve("applied.json"));

        CommandRun applied = CommandRun.of("override", "apply", "--overrides", tmp.resolve("o.json").toString(),
                "--predicted", predicted(), "--audit", tmp.resolve("audit.log").toString(), "--output",
                output.toString());

        assertEquals(ExitCodes.OK, added.code(), added::toString);
        assertEquals(ExitCodes.OK, applied.code(), applied::toString);
        JsonNode root = MAPPER.readTree(applied.out());
        assertTrue(root.get("prediction_disabled").asBoolean(), applied::toString);
        assertEquals(List.of("freeze"), texts(root.get("overrides")), applied::toString);
        assertFalse(Files.exists(output), applied::toString);
        assertTrue(applied.err().contains(output + ": removed: the prediction is switched off"), applied::toString);
    }

    @Test
    void add_floorWithAmount_storedInTheDocument() {
        CommandRun r = add("checkout-floor", "--action", "floor", "--service", "checkout", "--resource", "cpu",
                "--quantity", "50", "--units", "cores");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        OverrideSet set = Documents.read(tmp.resolve("o.json"), OverrideSet.class);
        assertEquals(1, set.overrides().size());
        assertEquals(50.0, set.overrides().get(0).amount().amount(), 0.0);
        assertEquals(ResourceType.CPU, set.overrides().get(0).resourceType());
    }

    /**
     * With {@code --zone}, times without an offset are New York wall-clock times: 18:00 on 2 November 2024 is
     * 22:00 UTC (summer time), and 01:30 on the 3rd, which the clocks repeat, is the first of the two (05:30 UTC).
     */
    @Test
    void add_andList_timesWithoutOffset_readInTheZone() {
        CommandRun r = CommandRun.of("override", "add", "--overrides", tmp.resolve("o.json").toString(),
                "--audit", tmp.resolve("audit.log").toString(), "--id", "night", "--action", "disable",
                "--start", "2024-11-02 18:00", "--expiry", "2024-11-03T01:30", "--zone", "America/New_York",
                "--author", "a", "--reason", "r");

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        var o = Documents.read(tmp.resolve("o.json"), OverrideSet.class).overrides().get(0);
        assertEquals(java.time.Instant.parse("2024-11-02T22:00:00Z"), o.start());
        assertEquals(java.time.Instant.parse("2024-11-03T05:30:00Z"), o.expiry());

        // 20:00 New York time (midnight UTC) is inside; read as UTC, 20:00 would be before the start
        CommandRun inside = CommandRun.of("override", "list", "--overrides", tmp.resolve("o.json").toString(), "--at",
                "2024-11-02 20:00", "--zone", "America/New_York");
        assertEquals(ExitCodes.OK, inside.code(), inside::toString);
        assertTrue(inside.out().startsWith("night: disable"), inside.out());
        CommandRun asUtc = CommandRun.of("override", "list", "--overrides", tmp.resolve("o.json").toString(), "--at",
                "2024-11-02 20:00");
        assertEquals("", asUtc.out(), asUtc::toString);

        CommandRun skipped = CommandRun.of("override", "list", "--overrides", tmp.resolve("o.json").toString(), "--at",
                "2024-03-10 02:30", "--zone", "America/New_York");
        assertEquals(ExitCodes.USAGE, skipped.code(), skipped::toString);
        assertTrue(skipped.err().contains("--at"), skipped.err());
    }

    @Test
    void add_duplicateId_usage() {
        add("x", "--action", "disable");

        CommandRun r = add("x", "--action", "disable");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("fleetpredict override add: override: id \"x\" is already in the set"), r.err());
    }

    @Test
    void add_floorWithoutQuantity_usageNamingTheOptions() {
        CommandRun r = add("x", "--action", "floor");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("a floor override needs --resource, --quantity and --units"), r.err());
    }

    @Test
    void add_scaleWithoutFactor_usage() {
        CommandRun r = add("x", "--action", "scale");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("a scale override needs --factor"), r.err());
    }

    @Test
    void add_unknownAction_usage() {
        CommandRun r = add("x", "--action", "grow");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("unknown action \"grow\""), r.err());
    }

    @Test
    void add_expiryBeforeStart_usage() {
        CommandRun r = CommandRun.of("override", "add", "--overrides", tmp.resolve("o.json").toString(),
                "--audit", tmp.resolve("audit.log").toString(), "--id", "x", "--action", "disable",
                "--start", "2024-12-01T00:00:00Z", "--expiry", "2024-11-30T00:00:00Z", "--author", "a", "--reason", "r");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict override add: --expiry: ") && r.err().contains("is not after start"),
                r.err());
    }

    @Test
    void list_invalidDocument_invalidInputNamingFileAndJsonPath() throws IOException {
        Path file = tmp.resolve("bad-overrides.json");
        Files.writeString(file, Files.readString(Path.of(overrides())).replaceFirst("\"floor\"", "\"flor\""));

        CommandRun r = CommandRun.of("override", "list", "--overrides", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ": overrides $.overrides[0].action: unknown value \"flor\""), r.err());
    }

    @Test
    void apply_scaleBeyondTheLargestAmount_invalidInputNamingTheOverrideAndNothingAudited() {
        assertEquals(ExitCodes.OK, add("huge", "--action", "scale", "--factor", "1e307").code());
        Path audit = tmp.resolve("apply-audit.log");

        CommandRun r = CommandRun.of("override", "apply", "--overrides", tmp.resolve("o.json").toString(),
                "--predicted", predicted(), "--audit", audit.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("overrides[0] \"huge\" (scale) on the fleet, CPU: quantity"), r.err());
        assertTrue(r.err().contains("no override was applied"), r.err());
        assertEquals("", r.out());
        assertTrue(!Files.exists(audit), audit + " was written");
    }

    @Test
    void apply_missingPrediction_invalidInputNamingIt() {
        Path missing = tmp.resolve("absent.json");

        CommandRun r = CommandRun.of("override", "apply", "--overrides", overrides(), "--predicted", missing.toString(),
                "--audit", tmp.resolve("audit.log").toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(missing + ": no such file"), r.err());
    }
}
