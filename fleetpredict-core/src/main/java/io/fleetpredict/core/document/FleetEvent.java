package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event that changes demand or capacity for a while.
 *
 * <p>In JSON {@code scope} is either the string {@code "fleet"} (the whole fleet, an empty
 * {@code scope} list here) or a non-empty list of service names.
 *
 * @param id the event identifier, unique in its feed
 * @param type campaign, news or maintenance
 * @param name a short description
 * @param start when it starts
 * @param end when it ends, after {@code start}
 * @param scope the services affected; empty for the whole fleet
 * @param expectedImpact the expected effect, or {@code null} when unknown; a demand effect for campaigns
 *     and news, a capacity effect for maintenance
 */
public record FleetEvent(
        String id, EventType type, String name, Instant start, Instant end, List<String> scope,
        @Nullable ExpectedImpact expectedImpact) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a rule in the class description is broken
     */
    public FleetEvent {
        Checks.text("id", id);
        Objects.requireNonNull(type, "type");
        Checks.text("name", name);
        Checks.documentInstant("start", start);
        Checks.documentInstant("end", end);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end: " + end + " is not after start " + start);
        }
        scope = Checks.list("scope", scope);
        scope.forEach(s -> Checks.text("scope", s));
        Checks.unique("scope", scope, s -> s);
        if (expectedImpact != null && expectedImpact.raisesDemand() == (type == EventType.MAINTENANCE)) {
            throw new IllegalArgumentException("expectedImpact: a " + type.jsonName() + " event needs "
                    + (type == EventType.MAINTENANCE
                            ? "capacity_removed or instances_removed"
                            : "demand_multiplier or additive_uplift"));
        }
    }

    /**
     * Returns whether the event affects every service.
     *
     * @return {@code true} when the scope is the whole fleet
     */
    public boolean wholeFleet() {
        return scope.isEmpty();
    }

    /**
     * Returns whether the event affects a service: the one rule every prediction and projection applies, so a
     * service outside the scope (or a misspelt name in it) is left as it would be without the event.
     *
     * @param service a service name
     * @return {@code true} when the scope is the whole fleet or names {@code service}
     */
    public boolean appliesTo(String service) {
        return wholeFleet() || scope.contains(service);
    }
}
