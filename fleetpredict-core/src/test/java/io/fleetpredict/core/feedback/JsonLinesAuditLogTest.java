package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetpredict.core.feedback.AuditEntry.AuditEvent;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
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
import org.junit.jupiter.api.Timeout;
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

    /**
     * A last line without its break that is a whole JSON value but no entry this version knows (another tool's
     * note, a later version's kind of entry) was written whole, not cut short by a crash: an append keeps it, ends
     * it and appends after it, and a read names it as it names such a line anywhere else.
     */
    @Test
    void aWholeJsonLineOfAnUnknownKindWithoutItsLineBreak_isKeptAndEnded() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String note = "{\"time\":\"2026-12-08T07:00:00Z\",\"event\":\"manual_note\",\"reason\":\"approved by CAB-1234\"}";
        Files.write(file, concat(lineOf(entry(1)), note.getBytes(StandardCharsets.UTF_8)));
        AuditLog log = AuditLog.jsonLines(file);

        IllegalStateException read = assertThrows(IllegalStateException.class, log::entries);
        assertTrue(read.getMessage().startsWith("audit log " + file + " line 2 is not an entry: "), read::getMessage);

        log.append(entry(2));

        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals(note, lines.get(1));
        assertEquals(new String(lineOf(entry(2)), StandardCharsets.UTF_8).strip(), lines.get(2));
    }

    @Test
    void aBrokenLineBeforeTheLast_isStillAnError() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Files.write(file, concat("{\"time\":\n".getBytes(StandardCharsets.UTF_8), lineOf(entry(1))));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditLog.jsonLines(file).entries());

        assertTrue(e.getMessage().startsWith("audit log " + file + " line 1 is not an entry: "), e::getMessage);
    }

    /** The longest line an entry may take, in bytes: the documents' size limit. */
    private static final int LIMIT = 8 * 1024 * 1024;

    /** Makes a file {@code length} bytes long, the added bytes zeros; sparse where the file system allows. */
    private static void grow(Path file, long length) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    /** A device that never ends and has no line break: read whole, it fills the heap. */
    @Test
    void entries_aLogThatIsADevice_isRefusedUnread() throws Exception {
        Path zeros = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zeros), "a device that never ends");
        Path file = Files.createSymbolicLink(dir.resolve("audit.jsonl"), zeros);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditLog.jsonLines(file).entries());

        assertEquals("audit log " + file + " is not a regular file (a directory, pipe, device or socket); nothing read"
                + " or written", e.getMessage());
    }

    /** A regular file whose first read fails: the process's own memory, unmapped at offset 0. */
    @Test
    void entries_aLogWhoseReadFails_saysWhy() throws Exception {
        Path memory = Path.of("/proc/self/mem");
        assumeTrue(Files.isRegularFile(memory), "a regular file that cannot be read from its start");
        Path file = Files.createSymbolicLink(dir.resolve("audit.jsonl"), memory);

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> AuditLog.jsonLines(file).entries());

        assertEquals("cannot read the audit log " + file + ": Input/output error", e.getMessage());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void entriesAndAppend_aLogThatIsANamedPipe_areRefusedWithoutWaitingForAWriter() throws Exception {
        // Opening a named pipe to read waits until some process opens it to write; none will here.
        Path file = dir.resolve("audit.jsonl");
        assertEquals(0, new ProcessBuilder("mkfifo", file.toString()).inheritIO().start().waitFor());
        AuditLog log = AuditLog.jsonLines(file);

        IllegalStateException read = assertThrows(IllegalStateException.class, log::entries);
        IllegalStateException append = assertThrows(IllegalStateException.class, () -> log.append(entry(1)));

        assertTrue(read.getMessage().contains(file + " is not a regular file"), read::getMessage);
        assertTrue(append.getMessage().contains(file + " is not a regular file"), append::getMessage);
    }

    @Test
    void entries_aLineOfTheLongestLength_isReadAsALine_andOneByteLongerIsAnError() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        byte[] longest = new byte[LIMIT];
        Arrays.fill(longest, (byte) 'x');
        Files.write(file, concat(concat(lineOf(entry(1)), longest), "\n".getBytes(StandardCharsets.UTF_8)));
        IllegalStateException notAnEntry = assertThrows(IllegalStateException.class,
                () -> AuditLog.jsonLines(file).entries());
        assertTrue(notAnEntry.getMessage().startsWith("audit log " + file + " line 2 is not an entry: "),
                notAnEntry::getMessage);

        Files.write(file, concat(concat(concat(lineOf(entry(1)), longest), "x\n".getBytes(StandardCharsets.UTF_8)),
                lineOf(entry(2))));
        IllegalStateException tooLong = assertThrows(IllegalStateException.class,
                () -> AuditLog.jsonLines(file).entries());
        assertEquals("audit log " + file + " line 2 is longer than " + LIMIT + " bytes, the most an entry takes",
                tooLong.getMessage());
    }

    /** No append writes a line that long, so no crash cut one: it is not skipped as an unfinished append is. */
    @Test
    void entries_aLastLineLongerThanAnEntryWithoutABreak_isAnErrorNotACutAppend() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        byte[] first = lineOf(entry(1));
        Files.write(file, first);
        grow(file, first.length + 9L * 1024 * 1024);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditLog.jsonLines(file).entries());

        assertEquals("audit log " + file + " line 2 is longer than " + LIMIT + " bytes, the most an entry takes",
                e.getMessage());
    }

    @Test
    void append_afterALastLineLongerThanAnEntry_refusedAndNothingWritten() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        byte[] first = lineOf(entry(1));
        Files.write(file, first);
        long size = first.length + 9L * 1024 * 1024;
        grow(file, size);
        AuditLog log = AuditLog.jsonLines(file);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> log.append(entry(2)));

        assertEquals("audit log " + file + ": its last line is longer than " + LIMIT
                + " bytes, the most an entry takes; nothing appended", e.getMessage());
        assertEquals(size, Files.size(file), "the line neither cut nor appended to");
    }

    @Test
    void appendAll_anEntryLongerThanALineMayBe_refusedAndNothingWritten() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.jsonLines(file);
        log.append(entry(1));
        byte[] before = Files.readAllBytes(file);
        AuditEntry huge = new AuditEntry(T, AuditEvent.PROVISIONING_FORCED, "f1", "alice", "r".repeat(LIMIT),
                "checkout", null, null);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> log.appendAll(List.of(entry(2), huge)));

        assertTrue(e.getMessage().startsWith("entries[1]: its line would take "), e::getMessage);
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(file));
        assertEquals(List.of(entry(1)), log.entries());
    }

    /** The longest entry an append takes is read back: the two bounds are one. */
    @Test
    void append_theLongestEntry_isReadBack() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.jsonLines(file);
        int rest = lineOf(entry(1)).length - 1 - "reason é 1".getBytes(StandardCharsets.UTF_8).length;
        AuditEntry longest = new AuditEntry(T.plusSeconds(1), AuditEvent.OVERRIDE_APPLIED, "o1", "alice",
                "r".repeat(LIMIT - rest), "fleet/CPU", "5 cores", "10 cores");
        log.append(entry(0));
        log.append(longest);
        log.append(entry(2));

        assertEquals(List.of(entry(0), longest, entry(2)), log.entries());
        assertEquals(LIMIT + 1, lineOf(longest).length, "the line, with its break");
    }

    /**
     * Many lines, read in pieces: characters of two and three bytes fall across the pieces' edges, and a
     * {@code \r\n} is split between two reads without counting as two line breaks.
     */
    @Test
    void entries_manyLinesOfManyByteCharacters_allReadAndLinesCountedAcrossReads() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        List<AuditEntry> written = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            written.add(new AuditEntry(T.plusSeconds(i), AuditEvent.OVERRIDE_APPLIED, "o" + i, "alice",
                    "é€".repeat(i % 40 + 1) + " " + i, "fleet/CPU", "5 cores", "10 cores"));
        }
        AuditLog.jsonLines(file).appendAll(written);
        byte[] bytes = Files.readAllBytes(file);
        int piece = 64 * 1024;
        int across = 0;
        for (int edge = piece; edge < bytes.length; edge += piece) {
            across += (bytes[edge] & 0xC0) == 0x80 ? 1 : 0; // a character's later byte starts the next piece
        }
        assertTrue(across > 0, "some characters fall across the pieces' edges");

        assertEquals(written, AuditLog.jsonLines(file).entries());

        // Line 1 ends with "\r" as the last byte of the first piece and "\n" as the first of the next.
        byte[] one = lineOf(entry(1));
        int pad = piece - 1 - (one.length - 1);
        AuditEntry padded = new AuditEntry(T, AuditEvent.OVERRIDE_APPLIED, "o1", "alice",
                "reason é 1" + "p".repeat(pad), "fleet/CPU", "5 cores", "10 cores");
        byte[] first = lineOf(padded);
        assertEquals(piece - 1, first.length - 1);
        first[first.length - 1] = '\r';
        Files.write(file, concat(concat(concat(first, "\n".getBytes(StandardCharsets.UTF_8)), lineOf(entry(2))),
                "not an entry\n".getBytes(StandardCharsets.UTF_8)));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AuditLog.jsonLines(file).entries());

        assertTrue(e.getMessage().startsWith("audit log " + file + " line 3 is not an entry: "), e::getMessage);
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
