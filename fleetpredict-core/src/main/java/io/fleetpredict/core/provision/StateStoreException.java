package io.fleetpredict.core.provision;

import io.fleetpredict.core.FleetPredictException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The fleet state store cannot give a state that is safe to act on. Nothing was sent to the cloud.
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
