package io.fleetpredict.core.document;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.internal.Checks;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An expert override applied to a predicted fleet state: one resource set by hand.
 *
 * <p>JSON: {@code {"id", "author", "applied_at", "reason", "service" (optional), "resource_type",
 * "quantity", "units"}}.
 *
 * @param id the override identifier
 * @param author who made the override
 * @param appliedAt when it was applied
 * @param reason why, in words
 * @param service the service it applies to, or {@code null} for the whole fleet
 * @param value the amount the override sets
 */
public record OverrideApplied(
        String id, String author, Instant appliedAt, String reason, @Nullable String service, ResourceAmount value) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a text is blank
     */
    public OverrideApplied {
        Checks.text("id", id);
        Checks.text("author", author);
        Checks.documentInstant("appliedAt", appliedAt);
        Checks.text("reason", reason);
        Checks.optionalText("service", service);
        Objects.requireNonNull(value, "value");
    }
}
