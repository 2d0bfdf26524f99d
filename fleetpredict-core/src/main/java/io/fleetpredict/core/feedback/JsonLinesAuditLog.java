package io.fleetpredict.core.feedback;

import io.fleetpredict.core.internal.Json;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An audit log in a JSON-lines file, one entry per line. An append writes its entries after the last complete
 * line under an exclusive lock on the file (so two processes never interleave), forces them to the device, and
 * takes them back if writing fails partway: the entries of one change are appended together or not at all. A
 * crash can leave only an unfinished last line, from an append that never returned: reading skips it and the
 * next append writes over it. An earlier line is never rewritten.
 */
final class JsonLinesAuditLog implements AuditLog {
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
        for (AuditEntry entry : List.copyOf(entries)) {
            text.append(line(entry)).append('\n');
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
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.lock(); // released when the channel closes; other processes' appends wait for it
            long end = channel.size();
            long lastLine = startOfLastLine(channel, end);
            if (lastLine < end) {
                if (isEntry(read(channel, lastLine, end))) {
                    // A whole entry whose line break is missing (a file edited by hand): keep it, end it.
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

    /** The position after the file's last line break (0 without one); {@code size} when it ends with one. */
    private static long startOfLastLine(FileChannel channel, long size) throws IOException {
        long position = size;
        while (position > 0) {
            int length = (int) Math.min(8192, position);
            position -= length;
            byte[] chunk = read(channel, position, position + length);
            for (int i = length - 1; i >= 0; i--) {
                if (chunk[i] == '\n' || chunk[i] == '\r') {
                    return position + i + 1;
                }
            }
        }
        return 0;
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

    private static boolean isEntry(byte[] line) {
        try {
            entry(new String(line, StandardCharsets.UTF_8));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public synchronized List<AuditEntry> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        // Split into lines before decoding: an append cut short by a crash can end mid-character, and only
        // that unfinished line may be skipped; a bad byte anywhere else is reported on its own line.
        List<AuditEntry> entries = new ArrayList<>();
        int lineNumber = 0;
        int from = 0;
        while (from < content.length) {
            int to = from;
            while (to < content.length && content[to] != '\n' && content[to] != '\r') {
                to++;
            }
            boolean unfinished = to == content.length;
            lineNumber++;
            String line;
            try {
                line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(content, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                if (unfinished) {
                    break; // an append cut short by a crash: it never returned, so this was never an entry
                }
                throw new IllegalStateException("audit log " + file + " line " + lineNumber + " is not valid UTF-8", e);
            }
            if (!line.isBlank()) {
                try {
                    entries.add(entry(line));
                } catch (RuntimeException e) {
                    if (unfinished) {
                        break; // as above
                    }
                    throw new IllegalStateException("audit log " + file + " line " + lineNumber + " is not an entry: "
                            + e.getMessage(), e);
                }
            }
            // One line break ends a line: "\n", "\r" or "\r\n".
            from = to + (to + 1 < content.length && content[to] == '\r' && content[to + 1] == '\n' ? 2 : 1);
        }
        return entries;
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
