package io.fleetpredict.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One policy's replay: its scores and, for every scored step, the ready capacity it had (in instances,
 * averaged over the step when an instance became ready part-way through) and the instances it paid for.
 *
 * <p>Immutable; the arrays are copied in and out.
 */
public final class ReplayResult implements ReplayOutcome {

    private final String policy;
    private final Scores scores;
    private final Instant start;
    private final Duration step;
    private final double[] ready;
    private final int[] active;

    ReplayResult(String policy, Scores scores, Instant start, Duration step, double[] ready, int[] active) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scores = Objects.requireNonNull(scores, "scores");
        this.start = start;
        this.step = step;
        this.ready = ready.clone();
        this.active = active.clone();
    }

    /** @return the name of the policy replayed */
    @Override
    public String policy() {
        return policy;
    }

    /** @return the policy's scores */
    public Scores scores() {
        return scores;
    }

    /** @return the start of the first scored step */
    public Instant start() {
        return start;
    }

    /** @return the time between steps */
    public Duration step() {
        return step;
    }

    /** @return the number of scored steps */
    public int size() {
        return ready.length;
    }

    /**
     * The ready capacity over the scored steps, in instances (time-averaged within a step).
     *
     * @return a copy, one value per scored step
     */
    public double[] readyCapacity() {
        return ready.clone();
    }

    /**
     * The instances paid for (booting or ready) in each scored step.
     *
     * @return a copy, one value per scored step
     */
    public int[] activeInstances() {
        return active.clone();
    }

    @Override
    public String toString() {
        return policy + " " + scores;
    }
}
