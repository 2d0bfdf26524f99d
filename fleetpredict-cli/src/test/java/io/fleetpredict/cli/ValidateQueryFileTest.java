package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} recognises a Prometheus query file, which {@code predict --query-file} reads. */
class ValidateQueryFileTest {

    @TempDir
    Path tmp;

    @Test
    void validate_exampleQueryFile_validAndNamed() {
        Path file = CommandRun.examples().resolve("integrations/prometheus-queries.json");

        CommandRun r = CommandRun.of("validate", file.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals(file + ": valid Prometheus query file (read by predict --query-file)", r.out().strip(),
                r::toString);
    }

    @Test
    void validate_queryFileWithABadQuery_invalidNamingThePath() throws IOException {
        Path file = Files.writeString(tmp.resolve("q.json"), "{\"schema_version\": 1, \"step\": \"PT15M\", \"queries\":"
                + " [{\"service\": \"a\", \"resource\": \"cpu\", \"promql\": \"up\"}]}");

        CommandRun r = CommandRun.of("validate", "--format", "json", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.out().contains("\"document\": \"prometheus-queries\"") || r.out().contains("\"document\":\"prometheus-queries\""),
                r::toString);
        assertTrue(r.out().contains("$.queries[0]"), r::toString);
    }

    @Test
    void validate_unknownJson_saysWhichCommandReadsQueryFiles() throws IOException {
        Path file = Files.writeString(tmp.resolve("x.json"), "{\"schema_version\": 1, \"querys\": []}");

        CommandRun r = CommandRun.of("validate", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("not a known document"), r::toString);
        assertTrue(r.err().strip().endsWith("; a Prometheus query file (schema_version, step, queries) is read by predict"
                + " --query-file"), r::toString);
    }
}
