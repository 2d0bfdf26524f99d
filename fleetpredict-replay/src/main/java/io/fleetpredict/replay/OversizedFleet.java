package io.fleetpredict.replay;

import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A policy that needed more instances at one step than it can have: more than any fleet can
 * ({@link Replay#MAX_INSTANCES}), or more than the library's loop manages in a replay ({@link FleetLoop#MAX_FLEET}).
 * Its replay stops there: a count cut down to the limit would score a fleet the policy never asked for.
 *
 * @param policy the policy, by its name with its knobs, such as {@code static(p99,headroom=200)}
 * @param step the index in the trace of the step it was sizing
 * @param time the start of that step
 * @param instancesNeeded the instances it needed there, above {@code instanceLimit}; infinite when the count
 *     passes the largest double
 * @param instanceLimit the most instances the policy can have: {@link Replay#MAX_INSTANCES}, or a smaller limit
 *     of its own
 */
public record OversizedFleet(String policy, int step, Instant time, double instancesNeeded, int instanceLimit)
        implements ReplayOutcome, Serializable {

    private static final long serialVersionUID = 2L;

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if the step is negative, the limit not positive or the count not above it
     */
    public OversizedFleet {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(time, "time");
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative, was " + step);
        }
        if (instanceLimit < 1) {
            throw new IllegalArgumentException("instanceLimit must be positive, was " + instanceLimit);
        }
        if (!(instancesNeeded > instanceLimit)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "instancesNeeded must be above %d, was %s", instanceLimit, instancesNeeded));
        }
    }

    /**
     * A policy that needed more instances than any fleet can have ({@link Replay#MAX_INSTANCES}).
     *
     * @param policy the policy, by its name with its knobs
     * @param step the index in the trace of the step it was sizing
     * @param time the start of that step
     * @param instancesNeeded the instances it needed there, above {@link Replay#MAX_INSTANCES}
     * @throws IllegalArgumentException if the step is negative or the count is not above {@link Replay#MAX_INSTANCES}
     */
    public OversizedFleet(String policy, int step, Instant time, double instancesNeeded) {
        this(policy, step, time, instancesNeeded, Replay.MAX_INSTANCES);
    }

    /**
     * What went wrong and where, in one sentence.
     *
     * @return such as {@code static(p99,headroom=200) needs 21474836471 instances at step 1008
     *     (2024-03-08T00:00:00Z); no fleet has more than 2147483647}, or for a policy's own limit {@code fleetpredict
     *     needs 100000000 instances at step 12 (2024-03-01T06:00:00Z); it can have at most 10000000}
     */
    public String describe() {
        return String.format(Locale.ROOT, "%s needs %s instances at step %d (%s); %s %d", policy,
                count(instancesNeeded), step, time, instanceLimit == Replay.MAX_INSTANCES ? "no fleet has more than"
                        : "it can have at most", instanceLimit);
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
