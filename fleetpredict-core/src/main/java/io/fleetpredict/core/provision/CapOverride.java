package io.fleetpredict.core.provision;

import java.util.Objects;

/**
 * An explicit decision to run with other caps than the configured ones, logged at WARN with its
 * reason every time it is used, and recorded in the audit log with its author and what it launched and
 * released (see {@link PreProvisioner#run(io.fleetpredict.core.document.ProvisionalFleetState, CapOverride,
 * io.fleetpredict.core.feedback.AuditLog)}).
 *
 * @param caps the caps to use instead
 * @param reason why, for the log, the report and the audit log; not blank
 * @param author who decided it, for the audit log; not blank
 */
public record CapOverride(HardCaps caps, String reason, String author) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the reason or the author is blank
     */
    public CapOverride {
        Objects.requireNonNull(caps, "caps");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank, was '" + reason + "'");
        }
        if (author == null || author.isBlank()) {
            throw new IllegalArgumentException("author must not be blank, was '" + author + "'");
        }
    }
}
