package io.fleetpredict.core.replay;

import java.util.Locale;

/**
 * The predictive policy with the reactive signal as a floor: the forecast launches capacity ahead of
 * the demand it expects, and the fleet never drops below what the last step's demand needs at the
 * floor's target utilisation, so a surge the forecast missed is followed at once. Unlike
 * {@link Hybrid}, the floor has no scale-in delay of its own: scale-in follows the predictive policy's
 * gating, and the floor only stops it from going below the last step's need.
 */
final class ReactiveFloor implements ProvisioningPolicy {

    private final Predictive predictive;
    private final double target;

    ReactiveFloor(Predictive predictive, double target) {
        this.predictive = predictive;
        this.target = target;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "hybrid(%s,floor(target=%s))", predictive.name(), Policies.trim(target));
    }

    @Override
    public Provisioner start(ReplayContext context) {
        Provisioner p = predictive.start(context);
        double perTarget = context.perInstance() * target;
        return view -> {
            int desired = p.desiredInstances(view);
            int s = view.step();
            int floor = s == 0 ? 0 : (int) Math.ceil(view.demand(s - 1) / perTarget - 1e-9);
            return Math.max(desired, floor);
        };
    }
}
