package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JSON the command prints is laid out as the docs show it, {@code "key": value} (jq's and
 * {@code json.dumps}'s layout), whichever writer made it: core's codec for documents, core's report writer for
 * the accuracy report, {@link JsonWriter} for the command's own reports.
 */
class JsonLayoutTest {

    private static String example(String name) {
        return CommandRun.examples().resolve(name).toString();
    }

    static Stream<Arguments> jsonOutputs() {
        return Stream.of(
                Arguments.of("accuracy", "as_of", List.of("accuracy", "--predicted",
                        example("predicted-fleet-state.json"), "--actuals", example("actuals.csv"), "--format", "json")),
                Arguments.of("plan", "schema_version", List.of("plan", "--predicted",
                        example("predicted-fleet-state.json"), "--fleet", example("fleet-state.json"), "--catalog",
                        example("instance-catalogue.json"), "--sla", example("sla-policies.json"))),
                Arguments.of("override list", "schema_version", List.of("override", "list", "--overrides",
                        example("overrides.json"), "--format", "json")),
                Arguments.of("validate", "files", List.of("validate", "--format", "json",
                        example("fleet-state.json"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonOutputs")
    void jsonOutput_isKeyColonBlankValue(String name, String firstKey, List<String> args) throws Exception {
        CommandRun r = CommandRun.of(args.toArray(String[]::new));

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("{\n  \"" + firstKey + "\": "), r.out());
        assertFalse(r.out().contains("\" :"), r.out());
        assertTrue(new ObjectMapper().readTree(r.out()).isObject(), r.out());
    }

    @Test
    void jsonWriter_nestedReport_isKeyColonBlankValueIndentedByTwoSpaces() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", "mstl");
        report.put("scores", Map.of("smape", 12.5));
        report.put("forecast", new double[] {1, 2.5});
        report.put("series", List.of("a"));

        assertEquals("""
                {
                  "model": "mstl",
                  "scores": {
                    "smape": 12.5
                  },
                  "forecast": [1, 2.5],
                  "series": [
                    "a"
                  ]
                }
                """, JsonWriter.write(report));
    }
}
