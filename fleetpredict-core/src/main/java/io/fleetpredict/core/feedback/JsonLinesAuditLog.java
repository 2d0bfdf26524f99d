package io.fleetpredict.core.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Objects;

/**
 * An audit log in a JSON-lines file: opened for append only, one entry per line, forced to the device after
 * each entry, so a crash loses at most the entry being written and never an earlier one.
 */
final class JsonLinesAuditLog implements AuditLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;

    JsonLinesAuditLog(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized void append(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        ObjectNode o = MAPPER.createObjectNode();
        o.put("time", entry.time().toString());
        o.put("event", entry.event().name().toLowerCase(java.util.Locale.ROOT));
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
        byte[] line = (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
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
                    JsonNode o = MAPPER.readTree(line);
                    entries.add(new AuditEntry(Instant.parse(o.get("time").asText()),
                            AuditEntry.AuditEvent.valueOf(o.get("event").asText().toUpperCase(java.util.Locale.ROOT)),
                            o.get("override_id").asText(), o.get("author").asText(), o.get("reason").asText(),
                            o.get("subject").asText(), o.has("before") ? o.get("before").asText() : null,
                            o.has("after") ? o.get("after").asText() : null));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("audit log " + file + " line " + number + " is not an entry: "
                            + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        return entries;
    }
}
