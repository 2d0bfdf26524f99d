package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.prometheus.QuerySet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/schemas/prometheus-queries.schema.json and the reader of query files ({@link QuerySet}, which
 * {@code predict --query-file} and {@code validate} use) agree: the example and variants the reader accepts are valid,
 * and single-field variants of the example the reader refuses are refused by the schema too, where a schema can
 * say so.
 */
class PrometheusQueriesSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonSchema schema() throws IOException {
        Path file = CommandRun.examples().resolveSibling("schemas").resolve("prometheus-queries.schema.json");
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                MAPPER.readTree(Files.readString(file)));
    }

    private static ObjectNode example() throws IOException {
        return (ObjectNode) MAPPER.readTree(
                Files.readString(CommandRun.examples().resolve("integrations/prometheus-queries.json")));
    }

    /** The example with one field set: {@code step}, or a field of its second query (catalogue's cpu). */
    private static String variant(String field, String value) throws IOException {
        ObjectNode root = example();
        if (field.equals("step")) {
            root.put("step", value);
        } else {
            ((ObjectNode) root.get("queries").get(1)).put(field, value);
        }
        return MAPPER.writeValueAsString(root);
    }

    @Test
    void example_validAndRead() throws IOException {
        String json = MAPPER.writeValueAsString(example());

        assertEquals(java.util.Set.of(), schema().validate(MAPPER.readTree(json)));
        assertDoesNotThrow(() -> QuerySet.parse(json));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "resource|x", "resource|cores", "resource|' '", "resource|'CPU '",
        "unit|CPU", "unit|GiB", "unit|Gbps", "unit|gib", "unit|' '",
        "step|PT0S", "step|PT-5M", "step|-PT5M", "step|P1Y", "step|P1W", "step|PT0.0005S", "step|P", "step|PT",
        "step|P1DT", "step|15m", "step|' '",
        "service|' '", "service|'\t'", "promql|' '", "promql|'\u3000'"})
    void variantTheReaderRefuses_isInvalidAgainstTheSchema(String field, String value) throws IOException {
        String json = variant(field, value);

        assertThrows(InvalidDocumentException.class, () -> QuerySet.parse(json), json);
        assertFalse(schema().validate(MAPPER.readTree(json)).isEmpty(), json);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "resource|CPU", "resource|Cpu", "unit|millicores", "unit|vcpu",
        "step|PT1M", "step|PT0.5S", "step|P1D", "step|P1DT2H30M", "step|pt15m", "step|PT2628000H", "step|PT1.000S",
        "service|' a '", "promql|'sum(up)'"})
    void variantTheReaderAccepts_isValidAgainstTheSchema(String field, String value) throws IOException {
        String json = variant(field, value);

        assertDoesNotThrow(() -> QuerySet.parse(json), json);
        assertEquals(java.util.Set.of(), schema().validate(MAPPER.readTree(json)), json);
    }
}
