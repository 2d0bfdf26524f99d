package io.fleetpredict.core.feedback;

import io.fleetpredict.core.internal.Json;
import io.fleetpredict.core.internal.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An audit log in a JSON-lines file, one entry per line. An append writes its entries after the last complete
 * line under an exclusive lock on the file (so two processes never interleave), forces them to the device, and
 * takes them back if writing fails partway: the entries of one change are appended together or not at all. A
 * crash can leave only an unfinished last line, from an append that never returned: reading skips it and the
 * next append writes over it. Only a last line that is not one whole JSON value is taken for such a leftover; any
 * other last line without a break (another tool's, or an entry of a kind this version does not know) was written
 * whole and is kept, ended by the next append. An earlier line is never rewritten.
 */
final class JsonLinesAuditLog implements AuditLog {
    /**
     * The longest line, in bytes without its break, that an append writes and a read takes: the documents' size
     * limit. An entry's texts have no bound of their own (a reason is the author's words), so the largest entry
     * is set here instead: an append refuses a longer one, which keeps every line the log writes readable, and a
     * read refuses a longer line after that many bytes, so a planted line without a break (a file of gigabytes,
     * {@code /dev/zero}) costs no more memory than the largest document. An entry records one override or
     * request, which comes from a document or is as small as one, so real entries stay far below it.
     */
    static final int MAX_LINE_BYTES = TextFiles.MAX_BYTES;

    private final Path file;

    JsonLinesAuditLog(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public void append(AuditEntry entry) {
        appendAll(List.of(Objects.requireNonNull(entry, "entry")));
    }

    @Override
    public void appendAll(List<AuditEntry> entries) {
        StringBuilder text = new StringBuilder();
        List<AuditEntry> copy = List.copyOf(entries);
        for (int i = 0; i < copy.size(); i++) {
            String line = line(copy.get(i));
            int bytes = line.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_LINE_BYTES) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "entries[%d]: its line would take %d bytes, more than the %d an entry may", i, bytes,
                        MAX_LINE_BYTES));
            }
            text.append(line).append('\n');
        }
        if (text.isEmpty()) {
            return;
        }
        // One lock for every log in this process: a second lock on a file this process holds would throw.
        synchronized (JsonLinesAuditLog.class) {
            write(text);
        }
    }

    private void write(StringBuilder text) {
        requireRegularFile();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.lock(); // released when the channel closes; other processes' appends wait for it
            long end = channel.size();
            long lastLine = startOfLastLine(channel, end);
            if (end - lastLine > MAX_LINE_BYTES) {
                // No append writes such a line, so no crash left it: the file is not this log's to cut.
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "audit log %s: its last line is longer than %d bytes, the most an entry takes; nothing appended",
                        file, MAX_LINE_BYTES));
            }
            if (lastLine < end) {
                if (isCompleteJson(read(channel, lastLine, end))) {
                    // A whole JSON value whose line break is missing (a file edited by hand, another tool's line,
                    // an entry of a kind this version does not know): no crash left it, so keep it and end it.
                    text.insert(0, '\n');
                } else {
                    // An append cut short by a crash: it never returned, so its line was never an entry.
                    end = lastLine;
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            try {
                channel.truncate(end);
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                long position = end;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                channel.force(true);
            } catch (IOException e) {
                try {
                    channel.truncate(end);
                    channel.force(true);
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log " + file, e);
        }
    }

    private static String line(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("time", entry.time().toString());
        o.put("event", entry.event().name().toLowerCase(Locale.ROOT));
        o.put("override_id", entry.overrideId());
        o.put("author", entry.author());
        o.put("reason", entry.reason());
        o.put("subject", entry.subject());
        if (entry.before() != null) {
            o.put("before", entry.before());
        }
        if (entry.after() != null) {
            o.put("after", entry.after());
        }
        return Json.compact(o);
    }

    /**
     * The position after the file's last line break (0 without one); {@code size} when it ends with one. It looks
     * back only one byte past the longest line, and returns a position that many bytes back when it finds no break
     * there.
     */
    private static long startOfLastLine(FileChannel channel, long size) throws IOException {
        long floor = Math.max(0, size - MAX_LINE_BYTES - 1);
        long position = size;
        while (position > floor) {
            int length = (int) Math.min(8192, position - floor);
            position -= length;
            byte[] chunk = read(channel, position, position + length);
            for (int i = length - 1; i >= 0; i--) {
                if (chunk[i] == '\n' || chunk[i] == '\r') {
                    return position + i + 1;
                }
            }
        }
        return floor;
    }

    private static byte[] read(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(to - from));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, from + buffer.position()) < 0) {
                throw new IOException("the audit log ended at byte " + (from + buffer.position()) + " while read");
            }
        }
        return buffer.array();
    }

    /**
     * Whether a line is one whole JSON value in valid UTF-8. Only a line that is not can be what an append cut
     * short by a crash left: any other was written whole, whatever it holds, and is never cut.
     */
    static boolean isCompleteJson(byte[] line) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
            if (text.isBlank()) {
                return false;
            }
            Json.read(text);
            return true;
        } catch (CharacterCodingException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public synchronized List<AuditEntry> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        requireRegularFile();
        List<AuditEntry> entries = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            // Line by line as bytes, decoded only when a line is whole: an append cut short by a crash can end
            // mid-character, and only that unfinished line may be skipped; a bad byte anywhere else is reported
            // on its own line. Splitting before decoding also keeps a character whole across reads.
            Lines lines = new Lines(in);
            for (byte[] line = lines.next(); line != null; line = lines.next()) {
                add(entries, line, lines);
            }
        } catch (LineTooLongException e) {
            throw new IllegalStateException("audit log " + file + " line " + e.lineNumber + " is longer than "
                    + MAX_LINE_BYTES + " bytes, the most an entry takes", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file + ": " + TextFiles.reason(file, e), e);
        }
        return entries;
    }

    /**
     * Refuses a log path that exists and is no regular file: opening a named pipe waits for a writer that may never
     * come, and a device or a directory holds no log.
     */
    private void requireRegularFile() {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalStateException("audit log " + file
                    + " is not a regular file (a directory, pipe, device or socket); nothing read or written");
        }
    }

    /** Adds the entry a line holds; a blank line holds none, and an unfinished last line that is none is skipped. */
    private void add(List<AuditEntry> entries, byte[] bytes, Lines lines) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            if (lines.unfinished()) {
                return; // an append cut short by a crash: it never returned, so this was never an entry
            }
            throw new IllegalStateException("audit log " + file + " line " + lines.number() + " is not valid UTF-8", e);
        }
        if (line.isBlank()) {
            return;
        }
        try {
            entries.add(entry(line));
        } catch (RuntimeException e) {
            if (lines.unfinished() && !isCompleteJson(bytes)) {
                return; // as above; a whole JSON value was written whole, so it is no leftover of a crash
            }
            throw new IllegalStateException("audit log " + file + " line " + lines.number() + " is not an entry: "
                    + e.getMessage(), e);
        }
    }

    /** A line longer than {@link #MAX_LINE_BYTES}: no append writes one, so it is no entry, nor the rest of one. */
    private static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long lineNumber;

        LineTooLongException(long lineNumber) {
            this.lineNumber = lineNumber;
        }
    }

    /**
     * The lines of a stream as bytes, each ended by one line break ({@code \n}, {@code \r} or {@code \r\n}) or
     * by the end of the stream, and none longer than {@link #MAX_LINE_BYTES}: memory is bounded by one line, not
     * by the file.
     */
    private static final class Lines {
        private final InputStream in;
        private final byte[] chunk = new byte[64 * 1024];
        private int position;
        private int limit;
        private byte[] line = new byte[256];
        private long number;
        private boolean unfinished;
        private boolean afterCarriageReturn;

        Lines(InputStream in) {
            this.in = in;
        }

        /** The next line without its break, or {@code null} at the end of the stream. */
        byte @Nullable [] next() throws IOException {
            int length = 0;
            boolean started = false;
            while (true) {
                if (position == limit) {
                    limit = Math.max(0, in.read(chunk));
                    position = 0;
                    if (limit == 0) {
                        if (!started) {
                            return null;
                        }
                        unfinished = true;
                        return Arrays.copyOf(line, length);
                    }
                }
                if (!started) {
                    // A "\n" right after a "\r" completes that line break; it does not end an empty line.
                    if (afterCarriageReturn && chunk[position] == '\n') {
                        position++;
                        afterCarriageReturn = false;
                        continue;
                    }
                    afterCarriageReturn = false;
                    started = true;
                    number++;
                }
                int from = position;
                while (position < limit && chunk[position] != '\n' && chunk[position] != '\r') {
                    position++;
                }
                int taken = position - from;
                if (taken > MAX_LINE_BYTES - length) {
                    throw new LineTooLongException(number);
                }
                if (length + taken > line.length) {
                    line = Arrays.copyOf(line, (int) Math.min(MAX_LINE_BYTES, Math.max(2L * line.length, length + taken)));
                }
                System.arraycopy(chunk, from, line, length, taken);
                length += taken;
                if (position < limit) {
                    afterCarriageReturn = chunk[position] == '\r';
                    position++;
                    return Arrays.copyOf(line, length);
                }
            }
        }

        /** The number of the line {@link #next()} returned last, from 1. */
        long number() {
            return number;
        }

        /** Whether that line ended with the stream, without a line break. */
        boolean unfinished() {
            return unfinished;
        }
    }

    private static AuditEntry entry(String line) {
        if (!(Json.read(line) instanceof Map<?, ?> o)) {
            throw new IllegalArgumentException("expected an object");
        }
        return new AuditEntry(Instant.parse(text(o, "time")),
                AuditEntry.AuditEvent.valueOf(text(o, "event").toUpperCase(Locale.ROOT)), text(o, "override_id"),
                text(o, "author"), text(o, "reason"), text(o, "subject"),
                o.containsKey("before") ? text(o, "before") : null, o.containsKey("after") ? text(o, "after") : null);
    }

    private static String text(Map<?, ?> entry, String field) {
        if (!(entry.get(field) instanceof String text)) {
            throw new IllegalArgumentException(field + ": expected a string");
        }
        return text;
    }
}
