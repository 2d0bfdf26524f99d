package io.fleetpredict.replay;

/**
 * What replaying one policy gave: its scored {@link ReplayResult}, or an {@link OversizedFleet} when the policy
 * needed more instances at some step than any fleet can have, so there is nothing true to score.
 *
 * <p>{@link Replay#runEach(java.util.List, ReplayProgress)} answers one per policy, so that a sweep keeps the
 * settings it could score when one of its settings cannot be sized.
 */
public sealed interface ReplayOutcome permits ReplayResult, OversizedFleet {

    /**
     * The policy replayed, by its name with its knobs, such as {@code static(p99,headroom=200)}.
     *
     * @return the name
     */
    String policy();
}
