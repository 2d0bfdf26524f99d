package io.fleetpredict.core.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * The one rule by which a planned change falls due in a scheduler cycle, shared by the projection's budget, the
 * cost gate and the provisioning run, so that none of them charges or carries out what another leaves for later.
 * Internal: no compatibility promise.
 */
public final class Cycles {

    private Cycles() {}

    /**
     * Whether a change launching at {@code launchAt} falls due in the cycle starting at {@code now}: it launches
     * before the next cycle starts, so this cycle is the last that can carry it out in time.
     *
     * @param launchAt when the change must launch
     * @param now the start of the cycle
     * @param cycle the cycle's length, positive
     * @return {@code true} if the change is due in this cycle
     */
    public static boolean due(Instant launchAt, Instant now, Duration cycle) {
        Instant next;
        try {
            next = now.plus(cycle);
        } catch (DateTimeException | ArithmeticException e) {
            // The next cycle would start past the end of time: every launch comes before it.
            next = Instant.MAX;
        }
        return launchAt.isBefore(next);
    }
}
