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
 * @param orphans running instances with the fleet's tag that the state counted but no intent held (their
 *     launch intents pruned by an earlier version), now held by a done launch intent so that their
 *     end is seen; the state's counts are unchanged
 */
public record ReconcileReport(String fleetId, List<String> adopted, List<String> abandoned, List<String> givenUp,
        List<String> ended, long version, List<String> released, List<String> vanished, List<String> orphans) {

    /**
     * A report that adopted no orphans.
     *
     * @param fleetId the fleet
     * @param adopted intents found open whose instances the cloud had launched
     * @param abandoned intents found open with nothing launched under their key
     * @param givenUp instances released because they did not become ready in time
     * @param ended instances the cloud showed ended
     * @param version the fleet state version after reconciling
     * @param released release intents found open and completed
     * @param vanished instances the cloud no longer lists, taken out of the state
     */
    public ReconcileReport(String fleetId, List<String> adopted, List<String> abandoned, List<String> givenUp,
            List<String> ended, long version, List<String> released, List<String> vanished) {
        this(fleetId, adopted, abandoned, givenUp, ended, version, released, vanished, List.of());
    }

    /** Copies. */
    public ReconcileReport {
        orphans = List.copyOf(orphans);
        released = List.copyOf(released);
        adopted = List.copyOf(adopted);
        abandoned = List.copyOf(abandoned);
        givenUp = List.copyOf(givenUp);
        ended = List.copyOf(ended);
        vanished = List.copyOf(vanished);
    }
}
