package io.fleetpredict.replay;

import io.fleetpredict.core.FleetPredictException;
import java.util.Objects;

/**
 * A policy needed more instances than any fleet can have: thrown by {@link Replay#run(ReplayPolicy)} and
 * {@link Replay#runAll(java.util.List)}, carrying where and how many. A {@link FleetSizer} of its own may throw it
 * too, rather than cut its count down to {@link Replay#MAX_INSTANCES}.
 */
public final class OversizedFleetException extends FleetPredictException {

    private static final long serialVersionUID = 1L;

    private final OversizedFleet fleet;

    /**
     * Creates the exception.
     *
     * @param fleet the policy, the step and the count it needed
     */
    public OversizedFleetException(OversizedFleet fleet) {
        super(Objects.requireNonNull(fleet, "fleet").describe());
        this.fleet = fleet;
    }

    /**
     * The policy, the step and the count it needed.
     *
     * @return the oversized fleet
     */
    public OversizedFleet fleet() {
        return fleet;
    }
}
