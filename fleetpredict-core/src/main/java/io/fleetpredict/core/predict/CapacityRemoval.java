package io.fleetpredict.core.predict;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.event.TimeWindow;
import java.util.List;
import java.util.Objects;

/**
 * Capacity a maintenance event takes out of the fleet during a horizon: passed on to the projection as
 * capacity removed, never modelled as demand.
 *
 * @param eventId the maintenance event's id
 * @param name the event's name
 * @param window when the capacity is out
 * @param scope the services affected; empty for the whole fleet
 * @param capacityRemoved resources taken out; empty when the event gives instances instead or nothing
 * @param instancesRemoved instances taken out, 0 when the event gives resources or nothing
 */
public record CapacityRemoval(String eventId, String name, TimeWindow window, List<String> scope,
        List<ResourceAmount> capacityRemoved, int instancesRemoved) {

    /** Validates and copies. */
    public CapacityRemoval {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        scope = List.copyOf(scope);
        capacityRemoved = List.copyOf(capacityRemoved);
        if (instancesRemoved < 0) {
            throw new IllegalArgumentException("instancesRemoved must not be negative, was " + instancesRemoved);
        }
    }
}
