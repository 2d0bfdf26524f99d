package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.FleetState;
import java.util.List;

/**
 * Where a fleet's state and provisioning intents live, with compare-and-set on the version.
 *
 * <p>An implementer must guarantee: {@link #compareAndSet} succeeds for exactly one of any number of
 * concurrent callers with the same expected version; a successful write is durable before it
 * returns; a crash during a write leaves the previous version readable; every committed version is
 * kept in {@link #history}, or, in a store bounded to a number of versions, the newest ones without a gap.
 * Implementations must be thread-safe.
 */
public interface FleetStateStore {

    /**
     * Reads the current state of a fleet.
     *
     * @param fleetId the fleet
     * @return the current state and intents
     * @throws StateStoreException {@link StateStoreException.Reason#MISSING} if nothing is stored,
     *     {@link StateStoreException.Reason#UNREADABLE} if what is stored is empty, truncated or
     *     invalid, {@link StateStoreException.Reason#IO} if the store fails
     */
    StoredFleet read(String fleetId);

    /**
     * Stores the first version of a fleet.
     *
     * @param initial the initial state
     * @return {@code true} if stored, {@code false} if the fleet already had a state
     * @throws StateStoreException {@link StateStoreException.Reason#MISSING} if the fleet was stored before and
     *     its current state is lost while its history remains (nothing is written: a new fleet over it would
     *     forget what the old one runs), {@link StateStoreException.Reason#IO} if the store fails
     */
    boolean create(StoredFleet initial);

    /**
     * Replaces the state if its version is still {@code expectedVersion}.
     *
     * @param expectedVersion the version the caller read
     * @param next the new state, whose version must be {@code expectedVersion + 1}
     * @return {@code true} if written; {@code false} if another writer got there first (read again)
     * @throws IllegalArgumentException if {@code next}'s version is not {@code expectedVersion + 1}
     * @throws StateStoreException if the store fails
     */
    boolean compareAndSet(long expectedVersion, StoredFleet next);

    /**
     * Every committed version of a fleet's state the store keeps, oldest first.
     *
     * @param fleetId the fleet
     * @return the fleet states, empty if nothing is stored
     * @throws StateStoreException {@link StateStoreException.Reason#MISSING} if the current state is lost while
     *     the history remains, {@link StateStoreException.Reason#UNREADABLE} or {@link StateStoreException.Reason#IO}
     *     as for {@link #read}
     */
    List<FleetState> history(String fleetId);
}
