package io.fleetpredict.replay;

import java.time.Duration;
import java.util.Locale;

/**
 * Reactive scaling as AWS target tracking does it: the desired fleet is the last observed load over
 * what the fleet serves at the target utilisation; scale-out is immediate and counts booting
 * instances as capacity already on its way; scale-in waits until the load has been below target for
 * {@code scaleInEvaluation} and the last action is {@code cooldown} old, then removes at most
 * {@code scaleInFraction} of the fleet (at least one instance). With a scale-out evaluation longer
 * than a step, scale-out waits until every step of that period wanted more than the active fleet, as
 * AWS's high alarm waits for 3 one-minute datapoints above target.
 */
final class TargetTracking implements ProvisioningPolicy {

    private final double target;
    private final Duration cooldown;
    private final Duration scaleInEvaluation;
    private final double scaleInFraction;
    private final Duration scaleOutEvaluation;

    TargetTracking(double target, Duration cooldown, Duration scaleInEvaluation, double scaleInFraction,
            Duration scaleOutEvaluation) {
        this.target = target;
        this.scaleOutEvaluation = scaleOutEvaluation;
        this.cooldown = cooldown;
        this.scaleInEvaluation = scaleInEvaluation;
        this.scaleInFraction = scaleInFraction;
    }

    @Override
    public String name() {
        String alarm = scaleOutEvaluation.isZero() ? ""
                : String.format(Locale.ROOT, ",scale-out-alarm=%dmin", scaleOutEvaluation.toMinutes());
        return String.format(Locale.ROOT, "reactive(target=%s%s)", Policies.trim(target), alarm);
    }

    @Override
    public FleetSizer start(ReplayContext context) {
        double perTarget = context.perInstance() * target;
        String name = name();
        long stepNanos = context.step().toNanos();
        int cooldownSteps = (int) Math.ceil(cooldown.toNanos() / (double) stepNanos);
        int evaluationSteps = Math.max(1, (int) Math.ceil(scaleInEvaluation.toNanos() / (double) stepNanos));
        int outSteps = Math.max(1, (int) Math.ceil(scaleOutEvaluation.toNanos() / (double) stepNanos - 1e-9));
        return new FleetSizer() {
            private int lastAction = Integer.MIN_VALUE / 2;
            private int below;

            @Override
            public int desiredInstances(FleetView view) {
                int s = view.step();
                int active = view.active();
                if (s == 0) {
                    return active;
                }
                int desired = Policies.instances(view.demand(s - 1), perTarget, view, name);
                if (desired > active && alarmed(view, s, active)) {
                    lastAction = s;
                    below = 0;
                    return desired;
                }
                if (desired >= active) {
                    below = 0;
                    return active;
                }
                below++;
                if (below >= evaluationSteps && s - lastAction >= cooldownSteps) {
                    int remove = Math.min(active - desired, Math.max(1, (int) Math.floor(active * scaleInFraction)));
                    lastAction = s;
                    return active - remove;
                }
                return active;
            }

            /** Whether each of the last {@code outSteps} steps wanted more than {@code active} instances. */
            private boolean alarmed(FleetView view, int s, int active) {
                for (int i = Math.max(0, s - outSteps); i < s - 1; i++) {
                    if (Math.ceil(view.demand(i) / perTarget) <= active) {
                        return false;
                    }
                }
                return true;
            }
        };
    }
}
