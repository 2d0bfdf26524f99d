package io.fleetpredict.core.document;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.internal.Checks;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One expert override: an action on the predictions of a scope over a time window, with who made it and why.
 *
 * <p>JSON: {@code {"id", "action", "service"?, "resource_type"?, "quantity"?, "units"?, "factor"?, "start",
 * "expiry", "author", "reason"}}. Its window is {@code [start, expiry)}: the expiry itself is outside it. It
 * applies to a predicted fleet state whose window {@code [valid_from, valid_until)} overlaps its own
 * ({@link #activeDuring}), and to a state without a window at the state's timestamp ({@link #activeAt}).
 *
 * <p>Its texts ({@code id}, {@code service}, {@code author}, {@code reason}) must not be blank and must not hold
 * control, line or paragraph separator or bidirectional formatting characters, as the overrides document requires.
 *
 * @param id the identifier, unique in its document
 * @param action what it does
 * @param service the service whose breakdown it changes, or {@code null} for the fleet-level requirements
 * @param resourceType the resource it changes, or {@code null} for every resource of the scope; required
 *     (and equal to the amount's type) for pin, floor and ceiling
 * @param amount the amount of a pin, floor or ceiling; {@code null} for the other actions
 * @param factor the factor of a scale, finite and positive; {@code null} for the other actions
 * @param start the first instant it applies to
 * @param expiry the first instant it no longer applies to, after {@code start}
 * @param author who made it
 * @param reason why, in words
 */
public record ExpertOverride(
        String id, OverrideAction action, @Nullable String service, @Nullable ResourceType resourceType, @Nullable ResourceAmount amount,
        @Nullable Double factor, Instant start, Instant expiry, String author, String reason) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a rule in the class description is broken
     */
    public ExpertOverride {
        plainText("id", id);
        Objects.requireNonNull(action, "action");
        if (service != null) {
            plainText("service", service);
        }
        Checks.documentInstant("start", start);
        Checks.documentInstant("expiry", expiry);
        if (!expiry.isAfter(start)) {
            throw new IllegalArgumentException("expiry: " + expiry + " is not after start " + start);
        }
        plainText("author", author);
        plainText("reason", reason);
        if (action.takesAmount()) {
            Objects.requireNonNull(amount, "amount");
            if (resourceType != amount.type()) {
                throw new IllegalArgumentException("resourceType: a " + action.jsonName() + " of "
                        + amount.type().jsonName() + " needs resource type " + amount.type().jsonName() + ", was "
                        + (resourceType == null ? "absent" : resourceType.jsonName()));
            }
        } else if (amount != null) {
            throw new IllegalArgumentException("amount: not allowed for a " + action.jsonName() + " override");
        }
        if (action == OverrideAction.SCALE) {
            Objects.requireNonNull(factor, "factor");
            // A factor of 0 would zero a service's needs silently; disable says that plainly.
            Checks.positive("factor", factor);
        } else if (factor != null) {
            throw new IllegalArgumentException("factor: only allowed for a scale override");
        }
    }

    /** A text the overrides document can hold: what is taken here can be written and read back. */
    private static void plainText(String name, String value) {
        Checks.text(name, value);
        String control = JsonIn.controlCharacters(value);
        if (control != null) {
            throw new IllegalArgumentException(name + ": " + control);
        }
    }

    /**
     * Returns whether the override applies to a prediction for a time.
     *
     * @param time the time the prediction is for
     * @return {@code true} when {@code start <= time < expiry}
     */
    public boolean activeAt(Instant time) {
        return !time.isBefore(start) && time.isBefore(expiry);
    }

    /**
     * Returns whether the override applies to a prediction that covers a window of time: whether its own window
     * {@code [start, expiry)} overlaps {@code [from, until)}. A window of no length ({@code from} equal to
     * {@code until}) is the instant {@code from}, as {@link #activeAt} decides it.
     *
     * @param from the first instant the prediction covers
     * @param until the first instant it no longer covers, not before {@code from}
     * @return {@code true} when {@code start < until && from < expiry}, or for an instant when
     *     {@code start <= from < expiry}
     * @throws IllegalArgumentException if {@code until} is before {@code from}
     */
    public boolean activeDuring(Instant from, Instant until) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (until.isBefore(from)) {
            throw new IllegalArgumentException("until: " + until + " is before from " + from);
        }
        return from.equals(until) ? activeAt(from) : start.isBefore(until) && from.isBefore(expiry);
    }
}
