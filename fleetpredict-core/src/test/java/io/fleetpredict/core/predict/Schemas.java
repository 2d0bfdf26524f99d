package io.fleetpredict.core.predict;

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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Validates a predicted fleet state against docs/schemas, as DocumentExamplesTest does. */
final class Schemas {
    private static JsonSchema schema;

    private Schemas() {
    }

    static synchronized Set<String> predictedFleetStateErrors(String json) {
        ObjectMapper mapper = new ObjectMapper();
        try {
            if (schema == null) {
                Path dir = Path.of("").toAbsolutePath();
                while (!Files.isDirectory(dir.resolve("docs/schemas"))) {
                    dir = dir.getParent();
                }
                SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                        mapper.readTree(Files.readString(dir.resolve("docs/schemas/predicted-fleet-state.schema.json"))),
                        config);
            }
            Set<ValidationMessage> m = schema.validate(mapper.readTree(json));
            return m.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
