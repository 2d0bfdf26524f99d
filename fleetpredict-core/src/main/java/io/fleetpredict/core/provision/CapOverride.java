package io.fleetpredict.core.provision;

import java.util.Objects;

/**
 * An explicit decision to run with other caps than the configured ones, logged at WARN with its
 * reason every time it is used.
 *
 * @param caps the caps to use instead
 * @param reason why, for the log and the report; not blank
 */
public record CapOverride(HardCaps caps, String reason) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the reason is blank
     */
    public CapOverride {
        Objects.requireNonNull(caps, "caps");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank, was '" + reason + "'");
        }
    }
}
