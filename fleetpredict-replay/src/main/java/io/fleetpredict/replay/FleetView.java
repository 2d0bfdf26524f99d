package io.fleetpredict.replay;

import java.time.Instant;

/**
 * What a policy sees at the start of a step: the demand of every earlier step and the fleet as it is.
 * Asking for the demand of the current step or a later one fails, so a policy cannot look ahead.
 */
public interface FleetView {

    /**
     * The current step's index in the trace, from 0 (the first step of the trace, warm-up included).
     *
     * @return the step index
     */
    int step();

    /**
     * The start of the current step.
     *
     * @return the time
     */
    Instant time();

    /**
     * The demand of an earlier step, in requests per step.
     *
     * @param index a step index in {@code [0, step())}
     * @return the demand
     * @throws IllegalArgumentException if {@code index} is negative or not before the current step
     */
    double demand(int index);

    /**
     * The instances ready to serve at the start of the current step.
     *
     * @return the count
     */
    int ready();

    /**
     * The instances launched and not released: ready plus booting.
     *
     * @return the count
     */
    int active();
}
