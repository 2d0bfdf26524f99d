package io.fleetpredict.core.document;

import static io.fleetpredict.core.document.DocumentFixtures.schemaErrors;
import static io.fleetpredict.core.document.DocumentFixtures.text;
import static io.fleetpredict.core.document.DocumentFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in docs/ is a valid document of its kind, for its JSON Schema and for the codec alike. The
 * schemas themselves and docs/results/ (reports that commands wrote, not documents) are not examples, and
 * docs/examples/integrations/ holds the integration modules' files, which their own modules validate.
 */
class DocumentExamplesTest {

    static List<Path> examples() throws IOException {
        Path docs = DocumentFixtures.docs();
        Path schemas = docs.resolve("schemas");
        Path results = docs.resolve("results");
        Path integrations = docs.resolve("examples/integrations");
        try (Stream<Path> files = Files.walk(docs)) {
            return files.filter(f -> f.toString().endsWith(".json") && !f.startsWith(schemas) && !f.startsWith(results)
                            && !f.startsWith(integrations))
                    .sorted().toList();
        }
    }

    static List<Path> invalidExamples() throws IOException, URISyntaxException {
        Path dir = Path.of(DocumentExamplesTest.class.getResource("invalid").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void example_validatesAgainstSchemaAndParses(Path file) {
        String json = text(file);
        DocumentKind kind = Documents.detect(json);

        assertEquals(Set.of(), schemaErrors(kind, json), file + " against " + kind.schemaFileName());
        Document document = Documents.read(json, kind.documentType());
        assertEquals(kind, document.kind());
        assertEquals(Set.of(), schemaErrors(kind, Documents.write(document)), "written back " + file);
    }

    @Test
    void examples_coverEveryKindAndTheSeed() throws IOException {
        Set<DocumentKind> kinds = EnumSet.noneOf(DocumentKind.class);
        for (Path file : examples()) {
            kinds.add(Documents.detect(text(file)));
        }
        assertEquals(EnumSet.allOf(DocumentKind.class), kinds);
        Path seed = DocumentFixtures.docs().resolve("examples/predicted-fleet-state-seed.json");
        assertEquals(DocumentFixtures.SEED + "\n", text(seed), "the seed example is the seed, verbatim");
        assertEquals(tree(DocumentFixtures.SEED), tree(Documents.write(Documents.read(text(seed)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExample_isRejectedBySchemaAndCodec(Path file) {
        String name = file.getFileName().toString();
        DocumentKind kind = DocumentKind.valueOf(
                name.substring(0, name.indexOf('.')).replace('-', '_').toUpperCase(java.util.Locale.ROOT));
        String json = text(file);

        assertFalse(schemaErrors(kind, json).isEmpty(), name + " should break " + kind.schemaFileName());
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(json, kind.documentType()));
        assertTrue(e.jsonPath().startsWith("$"), e.getMessage());
        assertEquals(kind, e.documentKind().orElseThrow());
    }

    @Test
    void invalidExamples_exist() throws Exception {
        assertTrue(invalidExamples().size() >= 10);
    }
}
