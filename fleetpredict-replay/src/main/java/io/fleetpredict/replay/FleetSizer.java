package io.fleetpredict.replay;

/** One policy deciding through one replay, step by step; used from one thread. */
@FunctionalInterface
public interface FleetSizer {

    /**
     * Decides how many instances should be active (booting or ready) from the start of the current
     * step. The engine launches the difference when the answer is above {@link FleetView#active()} and
     * releases it when below, booting instances first.
     *
     * @param view the past demand and the fleet now; demand at or after the current step is out of reach
     * @return the desired number of active instances, not negative
     */
    int desiredInstances(FleetView view);
}
