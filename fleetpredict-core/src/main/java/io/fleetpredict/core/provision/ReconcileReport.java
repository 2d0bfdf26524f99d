package io.fleetpredict.core.provision;

import java.util.List;

/**
 * What a reconciliation found and fixed.
 *
 * @param fleetId the fleet
 * @param adopted intents found open whose instances the cloud had launched, now counted in the state
 * @param abandoned intents found open with nothing launched under their key, to be planned again
 * @param givenUp instances released because they did not become ready within the maximum provisioning time
 * @param ended instances the cloud showed ended (interrupted, released) and taken out of the state
 * @param version the fleet state version after reconciling
 * @param released release intents found open and completed: their instances ended (released again
 *     if they had not: under the same key, or under one derived from it for those still listed when the
 *     cloud no longer lists some) and the state no longer counts them
 * @param vanished instances a done launch recorded that the cloud no longer lists at all, their launch
 *     older than the grace period: a provider keeps an ended instance only for a retention, so these
 *     ended unseen and were taken out of the state as {@code ended} ones are; none is also in {@code ended}
 */
public record ReconcileReport(String fleetId, List<String> adopted, List<String> abandoned, List<String> givenUp,
        List<String> ended, long version, List<String> released, List<String> vanished) {

    /** Copies. */
    public ReconcileReport {
        released = List.copyOf(released);
        adopted = List.copyOf(adopted);
        abandoned = List.copyOf(abandoned);
        givenUp = List.copyOf(givenUp);
        ended = List.copyOf(ended);
        vanished = List.copyOf(vanished);
    }
}
