package io.fleetpredict.core;

import org.jspecify.annotations.Nullable;

/**
 * Base of the unchecked exceptions thrown by fleetpredict core.
 *
 * <p>Subtypes name what went wrong (for example {@link io.fleetpredict.core.document.InvalidDocumentException}); catching this type
 * catches every failure core reports on purpose.
 */
public class FleetPredictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, and where
     */
    public FleetPredictException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, and where
     * @param cause the underlying failure, or {@code null} when there is none
     */
    public FleetPredictException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
