package io.fleetpredict.core.replay;

import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which known event's window, widened by {@link TraceForecast#EVENT_MARGIN} on each side, each slot of
 * a replay's grid (a step or a bucket) overlaps, by event type. Where windows overlap, the event listed
 * last wins. Maintenance changes capacity, not demand, and is left out.
 */
final class EventWindows {

    /** The event types, in the order of their first event. */
    final List<EventType> types = new ArrayList<>();
    private final int[] typeOf;

    /**
     * @param events the schedule
     * @param start the start of slot 0
     * @param slotNanos the length of a slot
     * @param slots how many slots the grid has
     */
    EventWindows(List<FleetEvent> events, Instant start, long slotNanos, int slots) {
        this.typeOf = new int[slots];
        Arrays.fill(typeOf, -1);
        for (FleetEvent e : events) {
            if (e.type() == EventType.MAINTENANCE) {
                continue;
            }
            int t = types.indexOf(e.type());
            if (t < 0) {
                types.add(e.type());
                t = types.size() - 1;
            }
            long from = Duration.between(start, e.start().minus(TraceForecast.EVENT_MARGIN)).toNanos();
            long to = Duration.between(start, e.end().plus(TraceForecast.EVENT_MARGIN)).toNanos();
            // Slots [s * slotNanos, (s + 1) * slotNanos) that overlap [from, to).
            long first = Math.max(0, Math.floorDiv(from, slotNanos));
            long last = Math.min(slots - 1L, Math.floorDiv(to - 1, slotNanos));
            for (long s = first; s <= last; s++) {
                typeOf[(int) s] = t;
            }
        }
    }

    /** @return the index in {@link #types} of the event type whose window slot {@code s} overlaps, or -1 */
    int typeAt(int s) {
        return s >= 0 && s < typeOf.length ? typeOf[s] : -1;
    }

    /** @return whether slot {@code s} overlaps a widened event window */
    boolean covers(int s) {
        return typeAt(s) >= 0;
    }
}
