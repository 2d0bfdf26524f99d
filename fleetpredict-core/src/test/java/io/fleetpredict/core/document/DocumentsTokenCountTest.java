package io.fleetpredict.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token count is bounded by the document's length, not by a smaller figure of its own: a document within
 * the length cap is never refused for its tokens alone, however many services it lists, and one past the cap is
 * still refused as too long.
 */
class DocumentsTokenCountTest {

    private static final String[][] RESOURCES = {{"CPU", "cores"}, {"Memory", "GiB"}, {"Bandwidth", "Gbps"},
        {"Storage", "TiB"}};

    /** A prediction for {@code services} services of four resources each, every requirement with a p90, compact. */
    private static String prediction(int services) {
        StringBuilder sb = new StringBuilder(services * 320);
        sb.append("{\"timestamp\":\"2024-10-27T10:00:00Z\",\"resource_requirements\":[");
        for (int r = 0; r < RESOURCES.length; r++) {
            sb.append(r == 0 ? "" : ",").append(requirement(r, 1000.5, 1100));
        }
        sb.append("],\"services\":[");
        for (int s = 0; s < services; s++) {
            sb.append(s == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"service\":\"svc-%05d\",\"resource_requirements\":[", s));
            for (int r = 0; r < RESOURCES.length; r++) {
                sb.append(r == 0 ? "" : ",").append(requirement(r, 10 + s % 100 + 0.25, 12 + s % 100));
            }
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }

    private static String requirement(int resource, double quantity, double p90) {
        return String.format(Locale.ROOT, "{\"resource_type\":\"%s\",\"quantity\":%s,\"units\":\"%s\",\"p90\":%s}",
                RESOURCES[resource][0], quantity, RESOURCES[resource][1], p90);
    }

    /** The tokens of a JSON text, counted by a parser without limits. */
    private static long tokens(String json) throws IOException {
        JsonFactory unlimited = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(-1).maxTokenCount(-1).build()).build();
        long n = 0;
        try (JsonParser p = unlimited.createParser(json)) {
            while (p.nextToken() != null) {
                n++;
            }
        }
        return n;
    }

    @Test
    void read_predictionFor25000ServicesOfFourResources_isRead() throws IOException {
        String json = prediction(25_000);
        // The document this test is about: within the length cap, and more than a million tokens.
        assertTrue(json.length() <= StrictJson.MAX_DOCUMENT_LENGTH, json.length() + " characters");
        assertTrue(tokens(json) > 1_000_000, tokens(json) + " tokens");

        PredictedFleetState state = Documents.read(json, PredictedFleetState.class);

        assertEquals(25_000, state.services().size());
        state.services().forEach(s -> assertEquals(4, s.resourceRequirements().size()));
        assertEquals(13.0, state.services().get(1).resourceRequirements().get(3).p90());
    }

    @Test
    void read_filePredictionFor25000Services_isRead(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("predicted.json"), prediction(25_000), StandardCharsets.UTF_8);

        assertEquals(DocumentKind.PREDICTED_FLEET_STATE, Documents.read(file).kind());
    }

    /**
     * The densest tokens a document holds, a one-digit number and a comma each, up to the length cap: refused for
     * what they are (a field the schema does not know), not for their number.
     */
    @Test
    void read_twoCharacterTokensUpToTheLengthCap_notRefusedForTheirNumber() {
        String head = "{\"timestamp\":\"2024-10-27T10:00:00Z\",\"resource_requirements\":[],\"extra\":[0";
        int count = (int) ((StrictJson.MAX_DOCUMENT_LENGTH - head.length() - 2) / 2);
        String json = head + ",0".repeat(count) + "]}";
        assertTrue(json.length() <= StrictJson.MAX_DOCUMENT_LENGTH && json.length() > StrictJson.MAX_DOCUMENT_LENGTH - 3,
                json.length() + " characters");

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(json, PredictedFleetState.class));

        assertFalse(e.problem().contains("size limit"), e.getMessage());
        assertEquals("$.extra", e.jsonPath(), e.getMessage());
    }

    @Test
    void read_predictionPastTheLengthCap_isRefusedAsTooLong(@TempDir Path dir) throws IOException {
        String json = prediction(28_000);
        assertTrue(json.length() > StrictJson.MAX_DOCUMENT_LENGTH, json.length() + " characters");

        InvalidDocumentException text = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(json, PredictedFleetState.class));
        assertEquals("$", text.jsonPath());
        assertEquals("document is longer than 8388608 characters", text.problem());

        Path file = Files.writeString(dir.resolve("predicted.json"), json, StandardCharsets.UTF_8);
        InvalidDocumentException read = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(file, PredictedFleetState.class));
        assertEquals("larger than 8388608 bytes", read.problem());
    }
}
