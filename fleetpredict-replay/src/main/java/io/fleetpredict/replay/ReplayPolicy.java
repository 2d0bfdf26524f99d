package io.fleetpredict.replay;

/**
 * What a replay can run: a {@link ProvisioningPolicy} that answers a fleet size at each step (the
 * reference policies, and any a user writes), or the library's own loop, {@link FleetLoop}, which
 * provisions through the simulated cloud itself.
 */
public sealed interface ReplayPolicy permits ProvisioningPolicy, FleetLoop {

    /**
     * A short name, with the knob values that distinguish it, such as {@code reactive(target=0.7)}.
     *
     * @return the name
     */
    String name();
}
