package io.fleetpredict.core.feedback;

import io.fleetpredict.core.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * An audit log in a JSON-lines file: opened for append only, one entry per line, forced to the device after
 * each entry, so a crash loses at most the entry being written and never an earlier one.
 */
final class JsonLinesAuditLog implements AuditLog {
    private final Path file;

    JsonLinesAuditLog(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized void append(AuditEntry entry) {
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
        byte[] line = (Json.compact(o) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log " + file, e);
        }
    }

    @Override
    public synchronized List<AuditEntry> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<AuditEntry> entries = new ArrayList<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (!(Json.read(line) instanceof Map<?, ?> o)) {
                        throw new IllegalArgumentException("expected an object");
                    }
                    entries.add(new AuditEntry(Instant.parse(text(o, "time")),
                            AuditEntry.AuditEvent.valueOf(text(o, "event").toUpperCase(Locale.ROOT)),
                            text(o, "override_id"), text(o, "author"), text(o, "reason"), text(o, "subject"),
                            o.containsKey("before") ? text(o, "before") : null,
                            o.containsKey("after") ? text(o, "after") : null));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("audit log " + file + " line " + number + " is not an entry: "
                            + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        return entries;
    }

    private static String text(Map<?, ?> entry, String field) {
        if (!(entry.get(field) instanceof String text)) {
            throw new IllegalArgumentException(field + ": expected a string");
        }
        return text;
    }
}
