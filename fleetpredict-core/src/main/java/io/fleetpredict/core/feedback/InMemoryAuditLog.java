package io.fleetpredict.core.feedback;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit log in a list that only grows. */
final class InMemoryAuditLog implements AuditLog {
    private final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void append(AuditEntry entry) {
        entries.add(Objects.requireNonNull(entry, "entry"));
    }

    @Override
    public List<AuditEntry> entries() {
        return List.copyOf(entries);
    }
}
