package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.FleetState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link FleetStateStore} in memory; one lock makes compare-and-set atomic. Every committed state is kept
 * for {@link #history}, but the intents of the latest version only: nothing reads an earlier version's, and
 * they hold the ids of every instance its launches made, which over a long run would be every id ever
 * launched.
 */
final class InMemoryFleetStateStore implements FleetStateStore {

    /** One fleet: its latest version, intents and all, and every committed state, oldest first. */
    private static final class Versions {
        StoredFleet latest;
        final List<FleetState> states = new ArrayList<>();

        Versions(StoredFleet initial) {
            latest = initial;
            states.add(initial.state());
        }
    }

    private final Object lock = new Object();
    private final Map<String, Versions> fleets = new HashMap<>();

    @Override
    public StoredFleet read(String fleetId) {
        Objects.requireNonNull(fleetId, "fleetId");
        synchronized (lock) {
            Versions versions = fleets.get(fleetId);
            if (versions == null) {
                throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, "nothing stored", null);
            }
            return versions.latest;
        }
    }

    @Override
    public boolean create(StoredFleet initial) {
        Objects.requireNonNull(initial, "initial");
        synchronized (lock) {
            if (fleets.containsKey(initial.fleetId())) {
                return false;
            }
            fleets.put(initial.fleetId(), new Versions(initial));
            return true;
        }
    }

    @Override
    public boolean compareAndSet(long expectedVersion, StoredFleet next) {
        FleetStateStores.checkNext(expectedVersion, next);
        synchronized (lock) {
            Versions versions = fleets.get(next.fleetId());
            if (versions == null) {
                throw new StateStoreException(StateStoreException.Reason.MISSING, next.fleetId(), "nothing stored", null);
            }
            if (versions.latest.version() != expectedVersion) {
                return false;
            }
            versions.latest = next;
            versions.states.add(next.state());
            return true;
        }
    }

    @Override
    public List<FleetState> history(String fleetId) {
        synchronized (lock) {
            Versions versions = fleets.get(fleetId);
            return versions == null ? List.of() : List.copyOf(versions.states);
        }
    }
}
