package io.fleetpredict.core.feedback;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One line of the audit log: who changed what, when, why, and the value before and after.
 *
 * @param time when it happened
 * @param event what happened
 * @param overrideId the override or forced provisioning it concerns
 * @param author who made the override or request
 * @param reason why, in the author's words
 * @param subject what was changed, for example {@code "checkout/CPU at 2024-11-29T10:00:00Z"}
 * @param before the value before, or {@code null} when there was none
 * @param after the value after, or {@code null} when there is none
 */
public record AuditEntry(Instant time, AuditEvent event, String overrideId, String author, String reason,
        String subject, @Nullable String before, @Nullable String after) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a text is blank
     */
    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        for (String[] named : new String[][] {{"overrideId", overrideId}, {"author", author}, {"reason", reason},
                {"subject", subject}}) {
            Objects.requireNonNull(named[1], named[0]);
            if (named[1].isBlank()) {
                throw new IllegalArgumentException(named[0] + ": must not be blank");
            }
        }
    }

    /** What an audit entry records. */
    public enum AuditEvent {
        /** An override was added to an overrides document. */
        OVERRIDE_ADDED,
        /**
         * An override add recorded by the {@link #OVERRIDE_ADDED} entry with the same id just before did not take
         * effect: the overrides document could not be written after it; {@code after} says why. The add is
         * recorded before its document is written, so that no override is ever in force without its entry, and
         * this entry, appended, says it was not: an audit log is only appended to, never cut back.
         */
        OVERRIDE_NOT_ADDED,
        /** An override changed a prediction. */
        OVERRIDE_APPLIED,
        /**
         * An override active at a prediction's timestamp matched nothing in it (no such service, or no such
         * resource in its scope); {@code after} says which.
         */
        OVERRIDE_UNMATCHED,
        /** A forced provisioning was allowed, possibly less than asked because of a hard cap. */
        PROVISIONING_FORCED,
        /** A forced provisioning was refused. */
        PROVISIONING_REFUSED,
        /**
         * A provisioning run is to go ahead under other hard caps than the configured ones ({@code before}), those
         * in {@code after}; written before the run sends anything to the cloud.
         */
        CAPS_OVERRIDDEN,
        /**
         * What a provisioning run under overridden caps launched and released ({@code after}), written when it
         * ends; the {@link #CAPS_OVERRIDDEN} entry with the same id says under which caps.
         */
        CAPS_OVERRIDE_CARRIED_OUT
    }
}
