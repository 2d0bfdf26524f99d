package io.fleetpredict.core.replay;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The predictive policy with a floor that looks a boot time ahead at minute resolution and holds what
 * it launched until a release could be undone in time. The floor is the larger of two short-horizon
 * forecasts of one step's demand, at the floor's target utilisation:
 * <ul>
 *   <li>a robust local trend: the last step plus the median of the last {@code 2 x boot} one-step
 *       changes (not below 0) times the steps until a launch made now serves ({@code boot + 1}), so a
 *       ramp such as a match's kick-off is followed by its slope rather than by its last value, which
 *       the bucketed model sees only a bucket later;</li>
 *   <li>the busiest step of the last boot time plus cooldown: a release made now could not be undone
 *       before a relaunch is ready, so demand seen that recently is kept, but no longer (target
 *       tracking keeps it for 15 minutes and then releases a tenth of the fleet per 5 minutes).</li>
 * </ul>
 * The predictive part scales out ahead of forecast surges and gates its own scale-in as
 * {@link Predictive} does; the fleet is the larger of the two.
 */
final class TrendFloor implements ProvisioningPolicy {

    private final ProvisioningPolicy predictive;
    private final double target;
    private final Duration cooldown;

    TrendFloor(ProvisioningPolicy predictive, double target, Duration cooldown) {
        this.predictive = predictive;
        this.target = target;
        this.cooldown = cooldown;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "hybrid(%s,trend-floor(target=%s))", predictive.name(), Policies.trim(target));
    }

    @Override
    public Provisioner start(ReplayContext context) {
        Provisioner p = predictive.start(context);
        double perTarget = context.perInstance() * target;
        int boot = context.stepsCovering(context.bootTime());
        int hold = context.stepsCovering(context.bootTime().plus(cooldown));
        int changes = Math.max(2, 2 * boot);
        double[] diffs = new double[changes];
        return view -> {
            int desired = p.desiredInstances(view);
            int s = view.step();
            if (s == 0) {
                return desired;
            }
            double last = view.demand(s - 1);
            double recent = Policies.busiest(view, hold);
            double ahead = last;
            if (s > changes) {
                for (int i = 0; i < changes; i++) {
                    diffs[i] = view.demand(s - 1 - i) - view.demand(s - 2 - i);
                }
                Arrays.sort(diffs);
                double slope = changes % 2 == 1 ? diffs[changes / 2] : (diffs[changes / 2 - 1] + diffs[changes / 2]) / 2;
                ahead = last + Math.max(0, slope) * (boot + 1);
            }
            int floor = (int) Math.ceil(Math.max(recent, ahead) / perTarget - 1e-9);
            return Math.max(desired, floor);
        };
    }
}
