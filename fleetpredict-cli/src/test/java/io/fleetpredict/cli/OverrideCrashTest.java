package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.ExpertOverride;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.feedback.AuditEntry;
import io.fleetpredict.core.feedback.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code override add} killed ({@code kill -9}) or failing between its two writes, the audit line and the
 * overrides document, in a child JVM stopped exactly there: no override is ever in force without its audit line.
 */
class OverrideCrashTest {
    private static final String DOCUMENT_WRITE = "io.fleetpredict.cli.OutputFiles.write";
    private static final String AUDIT_APPEND = "io.fleetpredict.core.feedback.JsonLinesAuditLog.appendAll";

    @TempDir
    Path tmp;

    private String[] add(String id) {
        return new String[] {"override", "add", "--overrides", tmp.resolve("o.json").toString(),
            "--audit", tmp.resolve("audit.log").toString(), "--id", id, "--start", "2024-11-29T00:00:00Z",
            "--expiry", "2024-11-30T00:00:00Z", "--author", "a.tester", "--reason", "test", "--action", "disable"};
    }

    private List<AuditEntry> audit() {
        return AuditLog.jsonLines(tmp.resolve("audit.log")).entries();
    }

    private List<String> idsInForce() throws Exception {
        return Documents.read(tmp.resolve("o.json"), OverrideSet.class).overrides().stream()
                .map(ExpertOverride::id).toList();
    }

    private List<String> ids(AuditEntry.AuditEvent event) {
        return audit().stream().filter(e -> e.event() == event).map(AuditEntry::overrideId).toList();
    }

    /**
     * Killed after the first of its two writes and before the second, whichever comes first: every override the
     * document holds has its {@code override_added} line, and the line of the add that was killed is told from
     * the others by its id, which the document does not hold.
     */
    @Test
    void add_killedBetweenItsTwoWrites_noOverrideInForceWithoutItsAuditLine() throws Exception {
        assertEquals(ExitCodes.OK, CommandRun.of(add("first")).code());

        try (PausedRun run = PausedRun.start(tmp.resolve("run.log"), List.of(DOCUMENT_WRITE, AUDIT_APPEND),
                add("killed"))) {
            String first = run.awaitStop();
            run.resume();
            String second = run.awaitStop();
            assertFalse(first.equals(second), first + " twice");
            run.kill();
        }

        List<String> inForce = idsInForce();
        List<String> added = ids(AuditEntry.AuditEvent.OVERRIDE_ADDED);
        for (String id : inForce) {
            assertTrue(added.contains(id), id + " is in force without an override_added line: " + added);
        }
        assertEquals(List.of("first"), inForce);
        assertEquals(List.of("first", "killed"), added, "the killed add's line, its id not in the document");
        assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary left");
        assertEquals(ExitCodes.USAGE, CommandRun.of(add("first")).code(), "the file still reads and checks ids");
    }

    /**
     * The document cannot be written once the audit line is appended (here the file has become a folder in the
     * meantime): the add is said not to have taken effect by an {@code override_not_added} line after it, the
     * log only ever appended to, and the command exits 3 saying so.
     */
    @Test
    void add_documentCannotBeWrittenAfterTheAuditLine_overrideNotAddedLineAndExit3() throws Exception {
        assertEquals(ExitCodes.OK, CommandRun.of(add("first")).code());
        String before = Files.readString(tmp.resolve("o.json"));
        int code;
        String output;
        try (PausedRun run = PausedRun.start(tmp.resolve("run.log"), List.of(DOCUMENT_WRITE), add("second"))) {
            run.awaitStop();
            Files.delete(tmp.resolve("o.json"));
            Files.createDirectories(tmp.resolve("o.json/kept"));
            code = run.finish();
            output = run.output();
        }

        assertEquals(ExitCodes.INVALID_INPUT, code, output);
        assertTrue(output.contains(tmp.resolve("o.json") + ": cannot write: is a folder, not a file; the override was"
                + " not added, and " + tmp.resolve("audit.log") + " says so (override_not_added, after its"
                + " override_added line)"), output);
        List<AuditEntry> audit = audit();
        assertEquals(List.of("first", "second", "second"), audit.stream().map(AuditEntry::overrideId).toList());
        assertEquals(List.of(AuditEntry.AuditEvent.OVERRIDE_ADDED, AuditEntry.AuditEvent.OVERRIDE_ADDED,
                AuditEntry.AuditEvent.OVERRIDE_NOT_ADDED), audit.stream().map(AuditEntry::event).toList());
        AuditEntry notAdded = audit.get(2);
        assertEquals("a.tester", notAdded.author());
        assertEquals(audit.get(1).subject(), notAdded.subject());
        assertTrue(String.valueOf(notAdded.after()).startsWith("not added: " + tmp.resolve("o.json") + ": cannot write"),
                notAdded::toString);

        // Once the file is back, the same add can be run again and takes.
        Files.delete(tmp.resolve("o.json/kept"));
        Files.delete(tmp.resolve("o.json"));
        Files.writeString(tmp.resolve("o.json"), before);
        assertEquals(ExitCodes.OK, CommandRun.of(add("second")).code());
        assertEquals(List.of("first", "second"), idsInForce());
    }
}
