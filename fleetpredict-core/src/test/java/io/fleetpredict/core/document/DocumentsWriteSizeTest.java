package io.fleetpredict.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link Documents#write} writes, {@link Documents#read} reads back: a document that would be longer than a
 * reader takes when indented is written without indentation, and one too long even so is refused before anything
 * is written.
 */
class DocumentsWriteSizeTest {

    private static final ResourceRequirementTemplate[] RESOURCES = {
        new ResourceRequirementTemplate("CPU", "cores"), new ResourceRequirementTemplate("Memory", "GiB"),
        new ResourceRequirementTemplate("Bandwidth", "Gbps"), new ResourceRequirementTemplate("Storage", "TiB")};

    private record ResourceRequirementTemplate(String type, String units) {}

    /** A prediction for {@code services} services of four resources each, every requirement with a p90. */
    private static PredictedFleetState prediction(int services, String prefix) {
        StringBuilder sb = new StringBuilder("{\"timestamp\":\"2024-10-27T10:00:00Z\",\"resource_requirements\":[");
        appendRequirements(sb, 1000.5, 1100);
        sb.append("],\"services\":[");
        for (int s = 0; s < services; s++) {
            sb.append(s == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"service\":\"%s%05d\",\"resource_requirements\":[", prefix, s));
            appendRequirements(sb, 10 + s % 100 + 0.25, 12 + s % 100);
            sb.append("]}");
        }
        return Documents.read(sb.append("]}").toString(), PredictedFleetState.class);
    }

    private static void appendRequirements(StringBuilder sb, double quantity, double p90) {
        for (int r = 0; r < RESOURCES.length; r++) {
            sb.append(r == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"resource_type\":\"%s\",\"quantity\":%s,\"units\":\"%s\",\"p90\":%s}",
                    RESOURCES[r].type(), quantity, RESOURCES[r].units(), p90));
        }
    }

    private static PredictedFleetState withServices(PredictedFleetState p, List<ServiceRequirements> services) {
        return new PredictedFleetState(p.schemaVersion(), p.fleetId(), p.timestamp(), p.horizon(), p.validFrom(),
                p.validUntil(), p.resourceRequirements(), services, p.model(), p.overridesApplied());
    }

    @Test
    void write_smallDocument_isIndented() {
        String json = Documents.write(prediction(3, "svc-"));

        assertTrue(json.contains("\n  \"resource_requirements\""), json);
        assertTrue(json.endsWith("}\n"), json);
    }

    /** Indented, this prediction is about 12.3 MB, past the 8 MiB a reader takes. */
    @ParameterizedTest
    @ValueSource(strings = {"svc-", "сервис-"})
    void write_predictionLongerThanAReaderTakesIndented_isWrittenWithoutIndentation_andReadBack(String prefix,
            @TempDir Path dir) throws Exception {
        PredictedFleetState large = prediction(prefix.equals("svc-") ? 25_000 : 20_000, prefix);

        String json = Documents.write(large);

        assertFalse(json.contains("\n  "), "written without indentation");
        assertTrue(json.endsWith("}\n"));
        Path file = Files.writeString(dir.resolve("predicted.json"), json, StandardCharsets.UTF_8);
        assertTrue(Files.size(file) <= StrictJson.MAX_DOCUMENT_LENGTH, Files.size(file) + " bytes");
        assertEquals(large, Documents.read(file, PredictedFleetState.class));
    }

    @Test
    void write_predictionTooLongEvenWithoutIndentation_isRefusedSayingSo() {
        PredictedFleetState base = prediction(25_000, "svc-");
        List<ServiceRequirements> services = new ArrayList<>(base.services());
        base.services().forEach(s -> services.add(new ServiceRequirements("more-" + s.service(),
                s.resourceRequirements())));
        PredictedFleetState tooLarge = withServices(base, services);

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> Documents.write(tooLarge));

        assertEquals(Optional.of(DocumentKind.PREDICTED_FLEET_STATE), e.documentKind());
        assertEquals("$", e.jsonPath());
        assertTrue(e.problem().matches("document would be \\d+ bytes even without indentation, more than the 8388608 a"
                + " reader takes; it was not written"), e.problem());
    }

    /** An object of one field {@code s} holding {@code length} ASCII characters. */
    private static JsonNode oneString(int length) {
        return JsonNodeFactory.instance.objectNode().put("s", "x".repeat(length));
    }

    /** The bytes of {@link #oneString} as written, indented, beyond those of its string. */
    private static long indentedOverhead() {
        String text = StrictJson.write(oneString(0), DocumentKind.PREDICTED_FLEET_STATE);
        assertTrue(text.startsWith("{\n  \"s\""), "a short text is indented: " + text);
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void write_indentedTextOfExactlyWhatAReaderTakes_isIndented() {
        long room = StrictJson.MAX_DOCUMENT_LENGTH - indentedOverhead();

        String json = StrictJson.write(oneString((int) room), DocumentKind.PREDICTED_FLEET_STATE);

        assertEquals(StrictJson.MAX_DOCUMENT_LENGTH, json.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(json.startsWith("{\n  \"s\""), json.substring(0, 20));
    }

    @Test
    void write_compactTextOfExactlyWhatAReaderTakes_isWritten_oneByteMoreRefused() {
        long room = StrictJson.MAX_DOCUMENT_LENGTH - "{\"s\":\"\"}\n".length();

        String json = StrictJson.write(oneString((int) room), DocumentKind.PREDICTED_FLEET_STATE);

        assertEquals(StrictJson.MAX_DOCUMENT_LENGTH, json.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(json.startsWith("{\"s\":\"x"), json.substring(0, 20));
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> StrictJson.write(oneString((int) room + 1), DocumentKind.PREDICTED_FLEET_STATE));
        assertEquals("document would be 8388609 bytes even without indentation, more than the 8388608 a reader takes;"
                + " it was not written", e.problem());
    }

    @Test
    void utf8Length_countsWhatAFileHolds() {
        // each side of the one-, two- and three-byte ranges, and a surrogate pair
        for (String text : List.of("", "a", "\u007f", "\u0080", "é", "\u07ff", "\u0800", "€", "\uffff", "𝄞",
                "a€𝄞é")) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, StrictJson.utf8Length(text), text);
        }
    }

    /**
     * A surrogate without its pair (which a writer replaces, by {@code ?} or by U+FFFD) counts as three bytes, the
     * most a replacement takes, so that the count is never less than what a file holds; at the end of the text too.
     */
    @Test
    void utf8Length_loneSurrogate_countsAsMuchAsItsReplacementCanTake() {
        assertEquals(3, StrictJson.utf8Length("\ud834"));
        assertEquals(4, StrictJson.utf8Length("a\ud834"));
        assertEquals(4, StrictJson.utf8Length("\ud834a"));
        assertEquals(3, StrictJson.utf8Length("\udd1e"));
        assertEquals(3 + 3, StrictJson.utf8Length("\udd1e\ud834"));
        assertEquals("\ufffd".getBytes(StandardCharsets.UTF_8).length, StrictJson.utf8Length("\ud834"));
    }
}
