package io.fleetpredict.replay;

import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A policy that needed more instances at one step than any fleet can have ({@link Replay#MAX_INSTANCES}). Its
 * replay stops there: a count cut down to the largest fleet would score a fleet the policy never asked for.
 *
 * @param policy the policy, by its name with its knobs, such as {@code static(p99,headroom=200)}
 * @param step the index in the trace of the step it was sizing
 * @param time the start of that step
 * @param instancesNeeded the instances it needed there, above {@link Replay#MAX_INSTANCES}; infinite when the
 *     count passes the largest double
 */
public record OversizedFleet(String policy, int step, Instant time, double instancesNeeded) implements ReplayOutcome, Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if the step is negative or the count is not above {@link Replay#MAX_INSTANCES}
     */
    public OversizedFleet {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(time, "time");
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative, was " + step);
        }
        if (!(instancesNeeded > Replay.MAX_INSTANCES)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "instancesNeeded must be above %d, was %s", Replay.MAX_INSTANCES, instancesNeeded));
        }
    }

    /**
     * What went wrong and where, in one sentence.
     *
     * @return such as {@code static(p99,headroom=200) needs 21474836471 instances at step 1008
     *     (2024-03-08T00:00:00Z); no fleet has more than 2147483647}
     */
    public String describe() {
        return String.format(Locale.ROOT, "%s needs %s instances at step %d (%s); no fleet has more than %d", policy,
                count(instancesNeeded), step, time, Replay.MAX_INSTANCES);
    }

    /** A count in full while a double holds it exactly, then in scientific form. */
    static String count(double instances) {
        if (Double.isInfinite(instances)) {
            return "more than " + Double.MAX_VALUE;
        }
        return instances < 0x1p53 ? String.format(Locale.ROOT, "%.0f", instances)
                : String.format(Locale.ROOT, "%.4e", instances);
    }
}
