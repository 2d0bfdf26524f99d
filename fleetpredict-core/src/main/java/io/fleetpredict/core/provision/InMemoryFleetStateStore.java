package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.FleetState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A {@link FleetStateStore} in memory; one lock makes compare-and-set atomic. */
final class InMemoryFleetStateStore implements FleetStateStore {

    private final Object lock = new Object();
    private final Map<String, List<StoredFleet>> fleets = new HashMap<>();

    @Override
    public StoredFleet read(String fleetId) {
        Objects.requireNonNull(fleetId, "fleetId");
        synchronized (lock) {
            List<StoredFleet> versions = fleets.get(fleetId);
            if (versions == null) {
                throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, "nothing stored", null);
            }
            return versions.get(versions.size() - 1);
        }
    }

    @Override
    public boolean create(StoredFleet initial) {
        Objects.requireNonNull(initial, "initial");
        synchronized (lock) {
            if (fleets.containsKey(initial.fleetId())) {
                return false;
            }
            fleets.put(initial.fleetId(), new ArrayList<>(List.of(initial)));
            return true;
        }
    }

    @Override
    public boolean compareAndSet(long expectedVersion, StoredFleet next) {
        FleetStateStores.checkNext(expectedVersion, next);
        synchronized (lock) {
            List<StoredFleet> versions = fleets.get(next.fleetId());
            if (versions == null) {
                throw new StateStoreException(StateStoreException.Reason.MISSING, next.fleetId(), "nothing stored", null);
            }
            if (versions.get(versions.size() - 1).version() != expectedVersion) {
                return false;
            }
            versions.add(next);
            return true;
        }
    }

    @Override
    public List<FleetState> history(String fleetId) {
        synchronized (lock) {
            return fleets.getOrDefault(fleetId, List.of()).stream().map(StoredFleet::state).toList();
        }
    }
}
