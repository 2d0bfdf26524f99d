package io.fleetpredict.core.feedback;

import java.nio.file.Path;
import java.util.List;

/**
 * An append-only record of every override added and applied, every forced provisioning, and every
 * provisioning run under lifted hard caps ({@code PreProvisioner.run(plan, capOverride, auditLog)}). Entries are
 * never rewritten or removed.
 *
 * <p>Implementations are thread-safe.
 */
public interface AuditLog {

    /**
     * Appends an entry; when this returns, the entry is durable (for the file log: written and synced).
     *
     * @param entry the entry
     * @throws java.io.UncheckedIOException when the file log cannot write
     * @throws IllegalArgumentException when the entry's line would be longer than the file log takes (8 MiB)
     * @throws IllegalStateException when the file log's last line is longer than that: no append wrote it
     */
    void append(AuditEntry entry);

    /**
     * Appends entries that record one change, all of them or none: when writing fails partway, the file log
     * takes back what it wrote of them before it throws. When this returns, every entry is durable.
     *
     * @param entries the entries, in order
     * @throws java.io.UncheckedIOException when the file log cannot write (then none of them is appended)
     * @throws IllegalArgumentException when an entry's line would be longer than the file log takes (8 MiB);
     *     none of them is appended
     * @throws IllegalStateException when the file log's last line is longer than that: no append wrote it
     */
    default void appendAll(List<AuditEntry> entries) {
        List.copyOf(entries).forEach(this::append);
    }

    /**
     * Reads every entry, oldest first.
     *
     * @return the entries
     * @throws java.io.UncheckedIOException when the file log cannot be read
     * @throws IllegalStateException when a complete line of the file log is not an entry (not valid UTF-8, not
     *     JSON, or without a field an entry needs), or any line is longer than an entry may be (8 MiB), naming the
     *     file and the line
     */
    List<AuditEntry> entries();

    /**
     * Creates a log held in memory.
     *
     * @return an empty log
     */
    static AuditLog inMemory() {
        return new InMemoryAuditLog();
    }

    /**
     * Opens a log kept as JSON lines (one entry per line) in a file, creating it when absent. The file is
     * only ever appended to, and synced to the device after each append. A line left unfinished by a crash
     * during an append (one that never returned) is not an entry: reading skips it, and the next append
     * replaces it. The file is read line by line, and a line may take at most 8 MiB (the documents' limit), so
     * reading costs memory for the entries and one line, whatever the file holds.
     *
     * @param file the file
     * @return the log
     */
    static AuditLog jsonLines(Path file) {
        return new JsonLinesAuditLog(file);
    }
}
