package io.fleetpredict.core.document;

import static io.fleetpredict.core.document.DocumentFixtures.schemaErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input gives a valid document or an InvalidDocumentException, nothing else. A document the codec
 * accepts also satisfies its JSON Schema and survives a write and read unchanged.
 *
 * <p>{@code @FuzzTest} runs the inputs under {@code src/test/resources/.../DocumentsFuzzTestInputs} in a
 * normal build; {@code JAZZER_FUZZ=1 mvn -pl fleetpredict-core test -Dtest=DocumentsFuzzTest} fuzzes for real.
 * The parameterized test mutates valid documents over fixed seeds so every build explores too.
 */
class DocumentsFuzzTest {

    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "null", "NaN",
            "Infinity", "-1", "1e999", "0.5", "\"\"", "\"x\"", "true", "{}", "[]", "\"NaN\"", "\"GiB\"", "\"Mb\"",
            "\"cpu\"", "\"PT-1S\"", "\"2024-13-01T00:00:00Z\"", "\\u0000", "\uFFFF", "9223372036854775808",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "\"resource_requirements\": []", "/*", "'");

    @FuzzTest(maxDuration = "60s")
    void read_fuzzedBytes_validDocumentOrInvalidDocumentException(byte[] input) {
        check(new String(input, StandardCharsets.UTF_8));
    }

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void read_mutatedExamples_validDocumentOrInvalidDocumentException(long seed) {
        check(mutated(seed));
    }

    /** Guards against a vacuous property: the mutations must produce accepted documents as well as rejected ones. */
    @Test
    void mutations_overAllSeeds_produceBothOutcomes() {
        int accepted = 0;
        for (long seed : seeds().toArray()) {
            if (check(mutated(seed))) {
                accepted++;
            }
        }
        int total = (int) seeds().count();
        assertTrue(accepted >= 10 && accepted <= total - 100, "accepted " + accepted + " of " + total);
    }

    private static String mutated(long seed) {
        Random random = new Random(seed);
        List<String> originals = new ArrayList<>(List.of(DocumentFixtures.SEED));
        for (DocumentKind kind : DocumentKind.values()) {
            originals.add(DocumentFixtures.text(DocumentFixtures.docs().resolve("examples/" + kind.id() + ".json")));
        }
        String json = originals.get(random.nextInt(originals.size()));
        if (random.nextBoolean()) {
            return replaceValue(json, random);
        }
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            json = mutate(json, random);
        }
        return json;
    }

    private static final List<JsonNode> VALUES = List.of(IntNode.valueOf(-1), IntNode.valueOf(0), IntNode.valueOf(3),
            DoubleNode.valueOf(0.5), DoubleNode.valueOf(1e300), LongNode.valueOf(2147483648L), TextNode.valueOf(""),
            TextNode.valueOf(" "), TextNode.valueOf("x"), TextNode.valueOf("GiB"), TextNode.valueOf("Mb"),
            TextNode.valueOf("cpu"), TextNode.valueOf("PT5M"), TextNode.valueOf("P1D"), TextNode.valueOf("spot"),
            TextNode.valueOf("2024-10-27T10:00:00Z"), TextNode.valueOf("fleet"), TextNode.valueOf("deferred"),
            NullNode.getInstance(), BooleanNode.TRUE, DocumentFixtures.PLAIN.createArrayNode(),
            DocumentFixtures.PLAIN.createObjectNode());

    /** A structure-aware mutation: one value replaced by another of any type, or one field removed. */
    private static String replaceValue(String json, Random random) {
        JsonNode root = DocumentFixtures.tree(json);
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(3) == 0) {
                object.remove(name);
            } else {
                object.set(name, VALUES.get(random.nextInt(VALUES.size())).deepCopy());
            }
        } else {
            ArrayNode array = (ArrayNode) target;
            array.set(random.nextInt(array.size()), VALUES.get(random.nextInt(VALUES.size())).deepCopy());
        }
        return root.toString();
    }

    private static void collectContainers(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode() && node.size() > 0) {
            out.add(node);
        }
        node.forEach(child -> collectContainers(child, out));
    }

    private static String mutate(String json, Random random) {
        if (json.isEmpty()) {
            return TOKENS.get(random.nextInt(TOKENS.size()));
        }
        int at = random.nextInt(json.length());
        int end = Math.min(json.length(), at + 1 + random.nextInt(40));
        return switch (random.nextInt(6)) {
            case 0 -> json.substring(0, at);
            case 1 -> json.substring(0, at) + (char) (json.charAt(at) ^ (1 << random.nextInt(7))) + json.substring(at + 1);
            case 2 -> json.substring(0, at) + TOKENS.get(random.nextInt(TOKENS.size())) + json.substring(at);
            case 3 -> json.substring(0, at) + json.substring(end);
            case 4 -> json.substring(0, end) + json.substring(at, end) + json.substring(end);
            default -> json.substring(0, at) + "\"" + json.substring(at, end) + "\"" + json.substring(end);
        };
    }

    /** Returns whether the codec accepted the text; fails unless it was a valid document or a typed rejection. */
    private static boolean check(String json) {
        Document document;
        try {
            document = Documents.read(json);
        } catch (InvalidDocumentException expected) {
            return false;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return fail("neither a document nor an InvalidDocumentException for:\n" + json, e);
        }
        String written = Documents.write(document);
        assertEquals(document, Documents.read(written, document.kind().documentType()), written);
        assertEquals(Set.of(), schemaErrors(document.kind(), json), "accepted by the codec but not the schema:\n" + json);
        return true;
    }
}
