package io.fleetpredict.core.replay;

/**
 * A way of deciding a fleet's size: a specification that starts one {@link Provisioner} per replay.
 *
 * <p>Implementations are immutable and thread-safe; all the state of one replay lives in the
 * provisioner it starts.
 */
public interface ProvisioningPolicy {

    /**
     * A short name, with the knob values that distinguish it, such as {@code reactive(target=0.7)}.
     *
     * @return the name
     */
    String name();

    /**
     * Starts deciding for one replay.
     *
     * @param context what the policy knows before the first decision
     * @return a provisioner holding this replay's state, used from one thread
     */
    Provisioner start(ReplayContext context);
}
