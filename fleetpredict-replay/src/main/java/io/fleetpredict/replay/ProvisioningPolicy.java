package io.fleetpredict.replay;

/**
 * A way of deciding a fleet's size: a specification that starts one {@link FleetSizer} per replay.
 *
 * <p>Implementations are immutable and thread-safe; all the state of one replay lives in the
 * sizer it starts.
 */
public non-sealed interface ProvisioningPolicy extends ReplayPolicy {

    /**
     * Starts deciding for one replay.
     *
     * @param context what the policy knows before the first decision
     * @return a sizer holding this replay's state, used from one thread
     */
    FleetSizer start(ReplayContext context);
}
