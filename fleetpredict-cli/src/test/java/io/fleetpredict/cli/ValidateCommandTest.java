package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpredict.core.document.DocumentKind;
import io.fleetpredict.core.document.Documents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ValidateCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(CommandRun.examples())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** A file that is there but cannot be read says why, in the words of every other command. */
    @Test
    void validate_fileThatCannotBeRead_exit3SayingWhy() {
        Path unreadable = Path.of("/proc/self/mem"); // there, but reading it from its start is an I/O error
        assumeTrue(Files.exists(unreadable));

        CommandRun r = CommandRun.of("validate", unreadable.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().startsWith(unreadable + ": cannot read: "), r::toString);
        assertFalse(r.err().strip().endsWith(unreadable.toString()), "says why, not only which file: " + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void validate_documentedExample_validAndKindNamed(Path file) throws IOException {
        DocumentKind kind = Documents.detect(Files.readString(file));

        CommandRun r = CommandRun.of("validate", file.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals(file + ": valid " + kind.displayName(), r.out().strip());
        assertEquals("", r.err());
    }

    @Test
    void validate_everyExampleAtOnce_oneLinePerFile() throws IOException {
        List<String> args = new ArrayList<>(List.of("validate"));
        examples().forEach(f -> args.add(f.toString()));

        CommandRun r = CommandRun.of(args.toArray(String[]::new));

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals(examples().size(), r.out().lines().count());
    }

    @Test
    void validate_wrongFieldType_invalidInputWithFileAndJsonPath() {
        Path bad = CommandRun.fixture("invalid-fleet-state.json");

        CommandRun r = CommandRun.of("validate", bad.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertEquals(bad + ": fleet state $.services[0].instance_groups[0].count: must be an integer, was a string",
                r.err().strip());
    }

    @Test
    void validate_binaryGarbage_invalidInputNamingTheFileOnce() throws IOException {
        Path garbage = Files.write(tmp.resolve("garbage.json"), new byte[] {(byte) 0xff, (byte) 0xd8, 0, 0x10, '{'});

        CommandRun r = CommandRun.of("validate", garbage.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertEquals(garbage + ": document $: not valid UTF-8", r.err().strip());
    }

    /** A count too large for a count is said to be so, with the range, not taken for a fraction. */
    @Test
    void validate_countBeyondItsRange_saysTheRange() throws IOException {
        String text = Files.readString(CommandRun.examples().resolve("fleet-state.json"));
        Path bad = Files.writeString(tmp.resolve("huge.json"), text.replaceFirst("\"count\": 6", "\"count\": 1e400"));

        CommandRun r = CommandRun.of("validate", bad.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertEquals(bad + ": fleet state $.services[0].instance_groups[0].count: must be an integer from 0 to 2147483647,"
                + " was 1E+400", r.err().strip());
    }

    @Test
    void validate_truncatedJson_invalidInputWithLine() throws IOException {
        Path file = tmp.resolve("truncated.json");
        Files.writeString(file, "{\"timestamp\": \"2024-10-27T10:00:00Z\",\n \"resource_requirements\": [\n");

        CommandRun r = CommandRun.of("validate", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().startsWith(file + ": "), r.err());
        assertTrue(r.err().contains("malformed JSON at line 3"), r.err());
    }

    @Test
    void validate_oneValidOneMissing_invalidInputButValidOneStillReported() {
        Path good = CommandRun.examples().resolve("fleet-state.json");
        Path missing = tmp.resolve("absent.json");

        CommandRun r = CommandRun.of("validate", good.toString(), missing.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.out().contains(good + ": valid fleet state"), r.out());
        assertTrue(r.err().contains(missing + ": no such file"), r.err());
    }

    @Test
    void validate_json_filesWithValidityKindPathAndError() throws IOException {
        Path good = CommandRun.examples().resolve("sla-policies.json");
        Path bad = CommandRun.fixture("invalid-fleet-state.json");
        Path missing = tmp.resolve("absent.json");

        CommandRun r = CommandRun.of("validate", "--format", "json", good.toString(), bad.toString(), missing.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertEquals("", r.err());
        JsonNode files = MAPPER.readTree(r.out()).get("files");
        assertEquals(3, files.size());
        JsonNode first = files.get(0);
        assertEquals(good.toString(), first.get("file").asText());
        assertTrue(first.get("valid").asBoolean());
        assertEquals("sla-policies", first.get("document").asText());
        assertFalse(first.has("error"));
        JsonNode second = files.get(1);
        assertFalse(second.get("valid").asBoolean());
        assertEquals("fleet-state", second.get("document").asText());
        assertEquals("$.services[0].instance_groups[0].count", second.get("path").asText());
        assertEquals("must be an integer, was a string", second.get("error").asText());
        JsonNode third = files.get(2);
        assertFalse(third.get("valid").asBoolean());
        assertEquals(missing + ": no such file", third.get("error").asText());
    }
}
