package io.fleetpredict.core.document;

import static io.fleetpredict.core.document.DocumentFixtures.schemaErrors;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The schemas and the records agree: whatever the codec writes, the schema accepts and the codec reads back. */
class SchemaAgreementTest {

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void write_generatedDocuments_validateAgainstSchemaAndReadBackEqual(long seed) {
        RandomDocuments documents = new RandomDocuments(seed);
        for (DocumentKind kind : RandomDocuments.kinds()) {
            Document document = documents.of(kind);

            String json = Documents.write(document);

            assertEquals(Set.of(), schemaErrors(kind, json), () -> kind + " seed " + seed + ":\n" + json);
            assertEquals(kind, Documents.detect(json));
            assertEquals(document, Documents.read(json, kind.documentType()), json);
            assertEquals(json, Documents.write(Documents.read(json)));
        }
    }
}
