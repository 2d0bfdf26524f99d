package io.fleetpredict.core.provision;

import java.util.List;

/**
 * What a reconciliation found and fixed.
 *
 * @param fleetId the fleet
 * @param adopted intents found open whose instances the cloud had launched, now counted in the state
 * @param abandoned intents found open with nothing launched under their key, to be planned again
 * @param givenUp instances released because they did not become ready within the maximum provisioning time
 * @param ended instances found ended (interrupted, released) and taken out of the state
 * @param version the fleet state version after reconciling
 * @param released release intents found open and completed: their instances ended (released again
 *     under the same key if they had not) and the state no longer counts them
 */
public record ReconcileReport(String fleetId, List<String> adopted, List<String> abandoned, List<String> givenUp,
        List<String> ended, long version, List<String> released) {

    /** Copies. */
    public ReconcileReport {
        released = List.copyOf(released);
        adopted = List.copyOf(adopted);
        abandoned = List.copyOf(abandoned);
        givenUp = List.copyOf(givenUp);
        ended = List.copyOf(ended);
    }
}
