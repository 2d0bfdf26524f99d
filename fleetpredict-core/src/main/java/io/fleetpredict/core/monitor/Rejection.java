package io.fleetpredict.core.monitor;

import java.util.Objects;

/**
 * An observation the monitor did not use, with the reason and a message a person can act on.
 *
 * @param observation the rejected observation
 * @param reason why it was rejected
 * @param message what was wrong, naming the metric, time and value
 */
public record Rejection(Observation observation, RejectReason reason, String message) {

    /** Checks the references. */
    public Rejection {
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
