package io.fleetpredict.core.projection;

import java.time.Instant;
import java.util.Map;
import java.util.Collections;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the projection remembers between cycles so that it does not flap: when each service last
 * changed, and since when each service has continuously qualified for a scale-in.
 *
 * <p>The engine is stateless; the caller passes the state of the previous cycle to
 * {@link ProjectionEngine#project} and keeps {@link Projection#nextState()} for the next one. A
 * scheduler that calls from several threads serialises the calls per fleet, or keeps one state per
 * fleet. A proposed change counts as made: the state does not wait for provisioning to confirm it.
 *
 * @param lastChangeAt when a change was last proposed for each service
 * @param scaleInEligibleSince since when each service has qualified for a scale-in in every cycle
 */
public record ProjectionState(Map<String, Instant> lastChangeAt, Map<String, Instant> scaleInEligibleSince) {

    private static final ProjectionState EMPTY = new ProjectionState(Map.of(), Map.of());

    /**
     * Copies the maps into sorted, unmodifiable maps.
     *
     * @throws NullPointerException if a map, key or value is null
     */
    public ProjectionState {
        lastChangeAt = Collections.unmodifiableMap(new TreeMap<>(lastChangeAt));
        scaleInEligibleSince = Collections.unmodifiableMap(new TreeMap<>(scaleInEligibleSince));
        lastChangeAt.values().forEach(Objects::requireNonNull);
        scaleInEligibleSince.values().forEach(Objects::requireNonNull);
    }

    /**
     * Returns the state of a first cycle: no change and no scale-in qualification remembered.
     *
     * @return the empty state
     */
    public static ProjectionState empty() {
        return EMPTY;
    }
}
