package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code override apply} warns of every active override that matched nothing in the prediction. */
class OverrideUnmatchedTest {

    @TempDir
    Path tmp;

    private void add(String id, String service, String resource, String units) {
        List<String> args = new ArrayList<>(List.of("override", "add", "--overrides", tmp.resolve("ov2.json").toString(),
                "--audit", tmp.resolve("a.jsonl").toString(), "--id", id, "--action", "floor", "--service", service,
                "--resource", resource, "--quantity", "500", "--units", units, "--start", "2024-11-01",
                "--expiry", "2025-01-01", "--author", "me", "--reason", "r"));
        CommandRun r = CommandRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.code(), r::toString);
    }

    @Test
    void apply_overridesOnAMisspeltServiceAndAMissingResource_warnedAndAudited() throws IOException {
        add("typo", "chekout", "CPU", "cores");
        add("st", "checkout", "Storage", "GiB");
        add("ok", "checkout", "CPU", "cores");

        CommandRun r = CommandRun.of("override", "apply", "--overrides", tmp.resolve("ov2.json").toString(),
                "--predicted", CommandRun.examples().resolve("predicted-fleet-state.json").toString(),
                "--audit", tmp.resolve("a.jsonl").toString(), "--output", tmp.resolve("out.json").toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertEquals(List.of(
                "warning: override \"typo\" (floor on chekout/CPU) matched nothing: no service \"chekout\" in the"
                        + " prediction",
                "warning: override \"st\" (floor on checkout/Storage) matched nothing: no Storage requirement for"
                        + " service checkout in the prediction"),
                r.err().lines().toList(), r::toString);
        assertTrue(r.out().startsWith("1 override applications;"), r::toString);
        List<String> audit = Files.readAllLines(tmp.resolve("a.jsonl"));
        List<String> unmatched = audit.stream().filter(l -> l.contains("\"override_unmatched\"")).toList();
        assertEquals(2, unmatched.size(), audit::toString);
        assertTrue(unmatched.get(0).contains("\"override_id\":\"typo\"") || unmatched.get(0).contains("\"override_id\": \"typo\""),
                unmatched.get(0));
        assertTrue(unmatched.get(0).contains("matched nothing: no service \\\"chekout\\\" in the prediction"),
                unmatched.get(0));
    }
}
