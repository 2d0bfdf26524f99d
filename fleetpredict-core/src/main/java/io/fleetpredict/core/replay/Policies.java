package io.fleetpredict.core.replay;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/** The provisioning policies a replay compares. */
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
     * instance serves. Needs a warm-up.
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
     * The predictive loop: provision for the forecast's {@code quantile} of demand, plus headroom, ready
     * by the time it is needed; scale in when that quantile stays below the fleet (see {@link TraceForecast}).
     *
     * @param forecast how demand is forecast; share one instance across policies to compute forecasts once
     * @param quantile one of 0.5, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995
     * @param headroom the extra share on top, not negative
     * @return the policy
     */
    public static ProvisioningPolicy predictive(TraceForecast forecast, double quantile, double headroom) {
        Objects.requireNonNull(forecast, "forecast");
        return new Predictive(forecast, quantile, nonNegative(headroom, "headroom"));
    }

    /**
     * The larger of {@link #predictive} and {@link #reactive} at every step.
     *
     * @param forecast how demand is forecast
     * @param quantile the predictive quantile
     * @param headroom the predictive headroom
     * @param targetUtilisation the reactive target
     * @return the policy
     */
    public static ProvisioningPolicy hybrid(TraceForecast forecast, double quantile, double headroom,
            double targetUtilisation) {
        return new Hybrid(predictive(forecast, quantile, headroom), reactive(targetUtilisation));
    }

    /**
     * {@link #predictive} with a reactive floor: the forecast scales out ahead of time, and the fleet
     * never falls below the last step's demand over (per-instance capacity x {@code floorTarget}).
     * Scale-in follows the predictive policy's gating, without target tracking's 15-minute delay.
     *
     * @param forecast how demand is forecast
     * @param quantile the predictive quantile
     * @param headroom the predictive headroom
     * @param floorTarget the utilisation the floor holds for the last step's demand, in (0, 1]
     * @return the policy
     */
    public static ProvisioningPolicy hybridFloor(TraceForecast forecast, double quantile, double headroom,
            double floorTarget) {
        if (!(floorTarget > 0 && floorTarget <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "floorTarget must be in (0, 1], was %s", floorTarget));
        }
        Objects.requireNonNull(forecast, "forecast");
        return new ReactiveFloor(new Predictive(forecast, quantile, nonNegative(headroom, "headroom")), floorTarget);
    }

    /**
     * {@link #predictive} with a short-horizon floor: the fleet never falls below what the larger of a
     * robust local trend extrapolated a boot time ahead and the busiest step of the last boot time plus
     * {@link #REACTIVE_COOLDOWN} needs at {@code floorTarget}. The trend catches ramps a step after they
     * start, before the bucketed forecast sees them; the hold releases capacity once a relaunch could
     * be ready in time, instead of after target tracking's 15-minute delay and 10% steps.
     *
     * @param forecast how demand is forecast
     * @param quantile the predictive quantile
     * @param headroom the predictive headroom
     * @param floorTarget the utilisation the floor holds, in (0, 1]
     * @return the policy
     */
    public static ProvisioningPolicy hybridTrend(TraceForecast forecast, double quantile, double headroom,
            double floorTarget) {
        if (!(floorTarget > 0 && floorTarget <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "floorTarget must be in (0, 1], was %s", floorTarget));
        }
        Objects.requireNonNull(forecast, "forecast");
        return new TrendFloor(new Predictive(forecast, quantile, nonNegative(headroom, "headroom")), floorTarget,
                REACTIVE_COOLDOWN);
    }

    /**
     * The predictive loop at the trace's own resolution ({@link StepForecast}): provision the forecast's
     * {@code quantile} for the first step a launch made now can serve; release only once the quantile of
     * every step until a relaunch would be ready has stayed under the fleet for a boot time, and never
     * below the busiest step of the last boot time plus {@link #REACTIVE_COOLDOWN}.
     *
     * <p>Made for traces whose step is shorter than the boot time, where the last steps are the best
     * evidence of the next few: on WorldCup98 (1-minute steps, 5-minute boot) it halves target
     * tracking's violation minutes at the same cost. When one step is longer than a boot (the 30-minute
     * NYC taxi trace), forecasting the next step means forecasting the daily shape: use
     * {@link #predictive}, whose seasonal model does that.
     *
     * @param forecast the step forecast; share one instance across policies to compute its quantiles once
     * @param quantile one of 0.5, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.998, 0.999, 0.9995
     * @return the policy
     */
    public static ProvisioningPolicy shortHorizon(StepForecast forecast, double quantile) {
        Objects.requireNonNull(forecast, "forecast");
        return new ShortHorizon(forecast, quantile, REACTIVE_COOLDOWN);
    }

    private static double nonNegative(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be finite and >= 0, was %s", name, v));
        }
        return v;
    }

    /** The highest demand of the last {@code steps} steps the view shows (0 before the trace's start). */
    static double busiest(FleetView view, int steps) {
        double most = 0;
        for (int i = Math.max(0, view.step() - steps); i < view.step(); i++) {
            most = Math.max(most, view.demand(i));
        }
        return most;
    }

    /** A knob value for a policy name: no trailing zeros. */
    static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
