package io.fleetpredict.replay;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A warm-up the trace cannot have: it covers the whole trace, or it ends inside a step. Carries the numbers, so
 * that a caller can word the refusal in its own units (a command line names its option and short durations).
 */
public final class InvalidWarmUpException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the warm-up. */
    public enum Reason {
        /** It covers every step of the trace: nothing is left to score. */
        COVERS_TRACE,
        /** It ends inside a step, which would then be half history, half scored. */
        NOT_WHOLE_STEPS
    }

    private final Reason reason;
    private final Duration warmUp;
    private final Duration step;
    private final int traceSteps;
    private final List<Duration> nearest;

    private InvalidWarmUpException(Reason reason, Duration warmUp, Duration step, int traceSteps,
            List<Duration> nearest, String message) {
        super(message);
        this.reason = reason;
        this.warmUp = warmUp;
        this.step = step;
        this.traceSteps = traceSteps;
        this.nearest = List.copyOf(nearest);
    }

    /** The refusal of a warm-up that covers every one of the trace's steps. */
    static InvalidWarmUpException coversTrace(Duration warmUp, Duration step, int traceSteps) {
        return new InvalidWarmUpException(Reason.COVERS_TRACE, warmUp, step, traceSteps, List.of(),
                String.format(Locale.ROOT, "warmUp %s covers the whole trace of %d steps of %s; nothing is left to score",
                        warmUp, traceSteps, step));
    }

    /** The refusal of a warm-up that ends inside a step, naming the whole-step warm-ups {@code nearest} it. */
    static InvalidWarmUpException notWholeSteps(Duration warmUp, Duration step, int traceSteps, List<Duration> nearest) {
        return new InvalidWarmUpException(Reason.NOT_WHOLE_STEPS, warmUp, step, traceSteps, nearest,
                String.format(Locale.ROOT, "warmUp %s is not a whole number of the trace's steps of %s; the nearest %s",
                        warmUp, step, nearest(nearest, Duration::toString)));
    }

    /**
     * The nearest whole-step warm-ups in words, such as {@code that are: 20m and 30m}.
     *
     * @param format how a duration is written
     * @return the words, starting with {@code that is} or {@code that are}
     */
    public String nearestInWords(Function<Duration, String> format) {
        return nearest(nearest, format);
    }

    private static String nearest(List<Duration> nearest, Function<Duration, String> format) {
        return (nearest.size() == 1 ? "that is: " : "that are: ")
                + String.join(" and ", nearest.stream().map(format).toList());
    }

    /** @return what is wrong with the warm-up */
    public Reason reason() {
        return reason;
    }

    /** @return the warm-up refused */
    public Duration warmUp() {
        return warmUp;
    }

    /** @return the trace's step */
    public Duration step() {
        return step;
    }

    /** @return the number of steps in the trace */
    public int traceSteps() {
        return traceSteps;
    }

    /**
     * The whole-step warm-ups on either side that leave a step to score, shorter first; empty when the warm-up
     * covers the whole trace.
     *
     * @return one or two warm-ups
     */
    public List<Duration> nearest() {
        return nearest;
    }
}
