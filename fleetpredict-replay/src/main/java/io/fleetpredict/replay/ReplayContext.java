package io.fleetpredict.replay;

import java.time.Duration;
import java.time.Instant;

/**
 * What a policy knows before its first decision: the trace's grid, how much one instance serves, how
 * long an instance boots, and where the scored part of the replay begins. Steps before
 * {@link #firstStep()} are the warm-up, visible as history and used only for training.
 */
public final class ReplayContext {

    private final Instant start;
    private final Duration step;
    private final double perInstance;
    private final Duration bootTime;
    private final int firstStep;
    private final int steps;
    private final Object run;

    ReplayContext(Instant start, Duration step, double perInstance, Duration bootTime, int firstStep, int steps,
            Object run) {
        this.start = start;
        this.step = step;
        this.perInstance = perInstance;
        this.bootTime = bootTime;
        this.firstStep = firstStep;
        this.steps = steps;
        this.run = run;
    }

    /** @return the start of the trace's first step */
    public Instant start() {
        return start;
    }

    /** @return the time between steps */
    public Duration step() {
        return step;
    }

    /** @return the requests one instance serves in one step at full capacity */
    public double perInstance() {
        return perInstance;
    }

    /** @return the time from launch until an instance serves */
    public Duration bootTime() {
        return bootTime;
    }

    /**
     * The boot time in steps, possibly fractional.
     *
     * @return {@code bootTime / step}
     */
    public double bootSteps() {
        return bootTime.toNanos() / (double) step.toNanos();
    }

    /** @return the index of the first scored step; the steps before it are the warm-up */
    public int firstStep() {
        return firstStep;
    }

    /** @return the number of steps in the trace, warm-up included */
    public int steps() {
        return steps;
    }

    /** The replay this context belongs to: policies sharing work across sweep points key caches on it. */
    Object run() {
        return run;
    }
}
