package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.feedback.AuditEntry.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file audit log after a crash cut an append short, and with several writers. */
class JsonLinesAuditLogTest {
    private static final Instant T = Instant.parse("2024-11-29T00:00:00Z");

    @TempDir
    Path dir;

    private static AuditEntry entry(int i) {
        return new AuditEntry(T.plusSeconds(i), AuditEvent.OVERRIDE_APPLIED, "o" + i, "alice", "reason é " + i,
                "fleet/CPU", "5 cores", "10 cores");
    }

    /** The bytes one append of {@code e} writes, read back from a log of its own. */
    private byte[] lineOf(AuditEntry e) throws Exception {
        Path f = Files.createTempFile(dir, "line", ".jsonl");
        Files.delete(f);
        AuditLog.jsonLines(f).append(e);
        return Files.readAllBytes(f);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Every cut of the second entry's line that a crash could leave, from one byte to all but its line break. */
    @ParameterizedTest(name = "cut after {0} bytes")
    @ValueSource(ints = {1, 2, 10, 40, 80, -2})
    void anAppendCutShort_isNotAnEntry_andTheNextAppendWritesOverIt(int cut) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        byte[] first = lineOf(entry(1));
        byte[] second = lineOf(entry(2));
        int length = cut > 0 ? cut : second.length + cut; // -2: all but the final '}' and line break
        Files.write(file, concat(first, Arrays.copyOf(second, length)));
        AuditLog log = AuditLog.jsonLines(file);

        assertEquals(List.of(entry(1)), log.entries(), "an unfinished last line read as nothing");

        log.append(entry(3));

        assertEquals(List.of(entry(1), entry(3)), log.entries());
        byte[] after = Files.readAllBytes(file);
        assertEquals(new String(concat(first, lineOf(entry(3))), StandardCharsets.UTF_8),
                new String(after, StandardCharsets.UTF_8), "the first line kept byte for byte, the cut line gone");
    }

    @Test
    void anAppendCutShortInsideACharacter_isNotAnEntry_andTheNextAppendWritesOverIt() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        byte[] first = lineOf(entry(1));
        byte[] second = lineOf(entry(2));
        int e = new String(second, StandardCharsets.UTF_8).indexOf('é'); // ASCII before it: chars are bytes
        assertEquals((byte) 0xC3, second[e], "the first of the character's two bytes");
        Files.write(file, concat(first, Arrays.copyOf(second, e + 1)));
        AuditLog log = AuditLog.jsonLines(file);

        assertEquals(List.of(entry(1)), log.entries(), "an unfinished last line read as nothing");

        log.append(entry(3));

        assertEquals(List.of(entry(1), entry(3)), log.entries());
    }

    @Test
    void aLineBeforeTheLastThatIsNotUtf8_isAnErrorNamingTheLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        byte[] first = lineOf(entry(1));
        byte[] bad = first.clone();
        bad[new String(first, StandardCharsets.UTF_8).indexOf('é') + 1] = (byte) 0x28; // a lead byte without its follower
        Files.write(file, concat(concat(first, bad), lineOf(entry(2))));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditLog.jsonLines(file).entries());

        assertEquals("audit log " + file + " line 2 is not valid UTF-8", e.getMessage());
    }

    @Test
    void aWholeEntryWithoutItsLineBreak_isKeptAndEnded() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        byte[] first = lineOf(entry(1));
        Files.write(file, Arrays.copyOf(first, first.length - 1));
        AuditLog log = AuditLog.jsonLines(file);

        log.append(entry(2));

        assertEquals(List.of(entry(1), entry(2)), log.entries());
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void aBrokenLineBeforeTheLast_isStillAnError() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.write(file, concat("{\"time\":\n".getBytes(StandardCharsets.UTF_8), lineOf(entry(1))));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditLog.jsonLines(file).entries());

        assertTrue(e.getMessage().startsWith("audit log " + file + " line 1 is not an entry: "), e::getMessage);
    }

    @Test
    void appendAll_withANullEntry_appendsNone() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.jsonLines(file);
        log.append(entry(1));
        byte[] before = Files.readAllBytes(file);

        assertThrows(NullPointerException.class, () -> log.appendAll(Arrays.asList(entry(2), null)));

        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(file));
    }

    @Test
    void appendAll_writesTheEntriesInOrder() throws Exception {
        AuditLog log = AuditLog.jsonLines(dir.resolve("audit.jsonl"));
        log.appendAll(List.of(entry(1), entry(2)));
        log.appendAll(List.of());
        log.appendAll(List.of(entry(3)));

        assertEquals(List.of(entry(1), entry(2), entry(3)), log.entries());
    }

    @Test
    void twoLogsOnOneFile_fromFourThreads_loseAndMixNothing() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                AuditLog log = AuditLog.jsonLines(file); // each writer its own log, as separate callers would
                int base = w * 1000;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        log.appendAll(List.of(entry(base + 2 * i), entry(base + 2 * i + 1)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<AuditEntry> read = AuditLog.jsonLines(file).entries();
        assertEquals(400, read.size());
        for (int i = 0; i < read.size(); i += 2) {
            assertEquals(read.get(i).time().plusSeconds(1), read.get(i + 1).time(), "a batch kept together at " + i);
        }
    }
}
