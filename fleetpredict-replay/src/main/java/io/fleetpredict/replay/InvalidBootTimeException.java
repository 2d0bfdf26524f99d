package io.fleetpredict.replay;

import java.time.Duration;
import java.util.Locale;

/**
 * A boot time the trace cannot score: not shorter than its scored span, so an instance launched at the first
 * scored step would be ready only after the trace ends, no launch decision could be scored, and a predicting
 * policy would forecast further ahead, at every step, than the whole trace scores. Carries the numbers, so that
 * a caller can word the refusal in its own units.
 */
public final class InvalidBootTimeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final Duration bootTime;
    private final Duration step;
    private final int scoredSteps;

    InvalidBootTimeException(Duration bootTime, Duration step, int scoredSteps) {
        super(String.format(Locale.ROOT,
                "bootTime %s is not shorter than the scored span of the trace, %d steps of %s (%s); an instance "
                        + "launched at its first scored step would be ready only after the trace ends",
                bootTime, scoredSteps, step, step.multipliedBy(scoredSteps)));
        this.bootTime = bootTime;
        this.step = step;
        this.scoredSteps = scoredSteps;
    }

    /** @return the boot time refused */
    public Duration bootTime() {
        return bootTime;
    }

    /** @return the trace's step */
    public Duration step() {
        return step;
    }

    /** @return the steps scored, after the warm-up */
    public int scoredSteps() {
        return scoredSteps;
    }

    /** @return the time the scored steps span, {@code scoredSteps * step} */
    public Duration scoredSpan() {
        return step.multipliedBy(scoredSteps);
    }
}
