package io.fleetpredict.core.provision;

import io.fleetpredict.core.FleetPredictException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The fleet state store cannot give a state that is safe to act on, or cannot record what was done.
 *
 * <p>Most are thrown before a call to the cloud, and nothing was sent. One thrown by the write that counts a
 * launch or a release the cloud has already carried out says so in its message (the change, the service and
 * the instance ids): the instances run (or are gone) and are billed accordingly, the store keeps the change's
 * intent open, and the next run's reconcile settles it from the cloud's own listing, launching nothing twice.
 */
public final class StateStoreException extends FleetPredictException {

    private static final long serialVersionUID = 1L;

    /** Why the state cannot be used. */
    public enum Reason {
        /**
         * No state has been stored for the fleet, or its current state is lost while its history remains (so it
         * must not be created afresh), or what holds the current state is not the current state by its own history
         * (an older version restored over it, or a copy that differs from the state committed as its version).
         */
        MISSING,
        /** The stored state is empty, truncated or otherwise not a valid document. */
        UNREADABLE,
        /** The stored state is older than the plan that was computed from it. */
        STALE,
        /** The store itself failed (an I/O error). */
        IO
    }

    private final Reason reason;
    private final String fleetId;
    private final String detail;

    /**
     * Creates an exception.
     *
     * @param reason why the state cannot be used
     * @param fleetId the fleet
     * @param message a description naming the file or version at fault
     * @param cause the underlying failure, or {@code null}
     */
    public StateStoreException(Reason reason, String fleetId, String message, @Nullable Throwable cause) {
        super("fleet state of '" + fleetId + "' " + Objects.requireNonNull(reason, "reason").name()
                .toLowerCase(java.util.Locale.ROOT) + ": " + message, cause);
        this.reason = reason;
        this.fleetId = fleetId;
        this.detail = message;
    }

    /** The same failure, its message led by what had been done in the cloud before it. */
    StateStoreException after(String done) {
        return new StateStoreException(reason, fleetId, done + ": " + detail, this);
    }

    /**
     * Why the state cannot be used.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The fleet whose state was asked for.
     *
     * @return the fleet id
     */
    public String fleetId() {
        return fleetId;
    }
}
