package io.fleetpredict.replay;

import io.fleetpredict.core.document.FleetEvent;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The policies a replay compares: the library's loop and the reference policies it is measured against. */
public final class Policies {

    /** AWS target tracking's default scale-in cooldown, 300 seconds. */
    public static final Duration REACTIVE_COOLDOWN = Duration.ofMinutes(5);

    /** How long load must stay below target before a reactive scale-in: the 15 one-minute periods of AWS's low alarm. */
    public static final Duration REACTIVE_SCALE_IN_EVALUATION = Duration.ofMinutes(15);

    /** How long load must stay above target before AWS's default scale-out: 3 one-minute datapoints. */
    public static final Duration AWS_SCALE_OUT_EVALUATION = Duration.ofMinutes(3);

    /** The largest share of the fleet one reactive scale-in removes. */
    public static final double REACTIVE_SCALE_IN_FRACTION = 0.1;

    private Policies() {
    }

    /**
     * A fixed fleet: the given percentile of the warm-up's demand per step, plus headroom, over what one
     * instance serves. Needs a warm-up: a replay without one refuses it with an
     * {@link IllegalArgumentException}.
     *
     * @param percentile in (0, 100], such as 99
     * @param headroom the extra share on top, not negative, such as 0.25 for 25%
     * @return the policy
     */
    public static ProvisioningPolicy staticCapacity(double percentile, double headroom) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "percentile must be in (0, 100], was %s", percentile));
        }
        return new StaticCapacity(percentile, nonNegative(headroom, "headroom"));
    }

    /**
     * Reactive target tracking with AWS's defaults: desired = ceil(last step's demand / (per-instance
     * capacity * target)); scale out at once; scale in after {@link #REACTIVE_SCALE_IN_EVALUATION} below
     * target and {@link #REACTIVE_COOLDOWN} since the last action, by at most
     * {@link #REACTIVE_SCALE_IN_FRACTION} of the fleet.
     *
     * @param targetUtilisation the utilisation to hold, in (0, 1]
     * @return the policy
     */
    public static ProvisioningPolicy reactive(double targetUtilisation) {
        if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "targetUtilisation must be in (0, 1], was %s", targetUtilisation));
        }
        return new TargetTracking(targetUtilisation, REACTIVE_COOLDOWN, REACTIVE_SCALE_IN_EVALUATION,
                REACTIVE_SCALE_IN_FRACTION, Duration.ZERO);
    }

    /**
     * {@link #reactive} with AWS's default high alarm: scale-out only once each of the last
     * {@link #AWS_SCALE_OUT_EVALUATION} of steps wanted more than the active fleet (3 one-minute
     * datapoints; on a trace of longer steps, the last step alone). A reference row: {@link #reactive}
     * reacts to the last step alone, which is more generous than AWS.
     *
     * @param targetUtilisation the utilisation to hold, in (0, 1]
     * @return the policy
     */
    public static ProvisioningPolicy reactiveAwsAlarm(double targetUtilisation) {
        if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "targetUtilisation must be in (0, 1], was %s", targetUtilisation));
        }
        return new TargetTracking(targetUtilisation, REACTIVE_COOLDOWN, REACTIVE_SCALE_IN_EVALUATION,
                REACTIVE_SCALE_IN_FRACTION, AWS_SCALE_OUT_EVALUATION);
    }

    /**
     * The library's own loop, {@link FleetLoop}: a real {@code FleetPredictor} against the simulated cloud,
     * sized by an SLA target rather than a knob.
     *
     * @param servedShare the share of time demand must be served, such as 0.999; the loop's target is
     *     {@code 1 - servedShare} of time short of capacity
     * @param events the schedule the loop knows in advance (never the trace's future demand)
     * @return the policy
     * @throws IllegalArgumentException if {@code servedShare} is not in [0.5, 1)
     */
    public static FleetLoop fleetpredict(double servedShare, List<FleetEvent> events) {
        if (!(servedShare >= 0.5 && servedShare < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "servedShare must be in [0.5, 1), was %s", servedShare));
        }
        return new FleetLoop(1 - servedShare, events);
    }

    private static double nonNegative(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be finite and >= 0, was %s", name, v));
        }
        return v;
    }

    /**
     * The whole instances that serve {@code demand} at {@code perInstance} each, rounded up.
     *
     * @throws OversizedFleetException when more than {@link Replay#MAX_INSTANCES} are needed: an int cast would
     *     cut the count down to the largest fleet without a word, and the replay would score a fleet never asked for
     */
    static int instances(double demand, double perInstance, FleetView view, String policy) {
        double needed = Math.ceil(demand / perInstance);
        if (needed > Replay.MAX_INSTANCES) {
            throw new OversizedFleetException(new OversizedFleet(policy, view.step(), view.time(), needed));
        }
        return (int) needed;
    }

    /** A knob value for a policy name: no trailing zeros. */
    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
