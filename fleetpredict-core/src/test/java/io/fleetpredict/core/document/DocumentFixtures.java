package io.fleetpredict.core.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The repository's docs folder, its JSON Schemas, and a plain mapper for comparing trees in tests. */
final class DocumentFixtures {
    static final ObjectMapper PLAIN = new ObjectMapper();

    static final String SEED = "{\"timestamp\": \"2024-10-27T10:00:00Z\", \"resource_requirements\": ["
            + " {\"resource_type\": \"CPU\", \"quantity\": 100, \"units\": \"cores\"},"
            + " {\"resource_type\": \"Memory\", \"quantity\": 200, \"units\": \"GB\"},"
            + " {\"resource_type\": \"Bandwidth\", \"quantity\": 10, \"units\": \"Gbps\"}]}";

    private static final Map<DocumentKind, JsonSchema> SCHEMAS = new EnumMap<>(DocumentKind.class);

    private DocumentFixtures() {}

    /** The repository's docs folder, found from the module directory the tests run in. */
    static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/schemas"))) {
                return dir.resolve("docs");
            }
        }
        throw new IllegalStateException("no docs/schemas above " + Path.of("").toAbsolutePath());
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return PLAIN.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized JsonSchema schema(DocumentKind kind) {
        return SCHEMAS.computeIfAbsent(kind, k -> {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return factory.getSchema(tree(text(docs().resolve("schemas").resolve(k.schemaFileName()))), config);
        });
    }

    /** Schema violations of a JSON text as readable lines; empty when it validates. */
    static Set<String> schemaErrors(DocumentKind kind, String json) {
        Set<ValidationMessage> messages = schema(kind).validate(tree(json));
        return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
