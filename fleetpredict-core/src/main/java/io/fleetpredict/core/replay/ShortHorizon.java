package io.fleetpredict.core.replay;

import java.time.Duration;
import java.util.Locale;

/**
 * The predictive loop at the trace's own resolution. At each step it forecasts every step from now
 * until a launch made now would be ready, with {@link StepForecast}'s point forecast plus its error
 * quantile, and:
 * <ul>
 *   <li>launches at once what the first step a launch can serve needs (ahead by the boot time);</li>
 *   <li>releases only when the quantile of every step until a relaunch would be ready has stayed under
 *       the fleet for a boot time, and never below the busiest step of the last boot time plus
 *       cooldown, which a release made now could not take back in time.</li>
 * </ul>
 * The forecast learns online: each step's demand becomes an error sample for the forecasts that
 * targeted it, and the quantiles are recomputed every hour.
 */
final class ShortHorizon implements ProvisioningPolicy {

    private final StepForecast forecast;
    private final double quantile;
    private final int quantileIndex;
    private final Duration cooldown;

    ShortHorizon(StepForecast forecast, double quantile, Duration cooldown) {
        this.forecast = forecast;
        this.quantile = quantile;
        this.quantileIndex = StepForecast.quantileIndex(quantile);
        this.cooldown = cooldown;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "short-horizon(q=%s)", Policies.trim(quantile));
    }

    @Override
    public Provisioner start(ReplayContext context) {
        StepForecast.Track track = forecast.track(context);
        double per = context.perInstance();
        int horizon = track.horizon;
        // The steps a launch made now serves at least in part: from floor(boot) + 1 steps after the last observed one.
        int firstServed = Math.min(horizon, (int) Math.floor(context.bootSteps() + 1e-9) + 1);
        int patience = track.slopeSpan;
        int hold = context.stepsCovering(context.bootTime().plus(cooldown));
        return new Provisioner() {
            private int below;

            @Override
            public int desiredInstances(FleetView view) {
                int s = view.step();
                int active = view.active();
                if (s == 0) {
                    return active;
                }
                // The highest upper forecast over the steps a launch now serves, and over every step until it is ready.
                int last = s - 1;
                double scale = track.scale(view.demand(last));
                double served = 0;
                double all = 0;
                for (int h = 1; h <= horizon; h++) {
                    double upper = track.point(view, last, h) + track.errorQuantile(view, last + h, h, quantileIndex) * scale;
                    all = Math.max(all, upper);
                    if (h >= firstServed) {
                        served = Math.max(served, upper);
                    }
                }
                int out = instances(served);
                if (out > active) {
                    below = 0;
                    return out;
                }
                int keep = Math.max(instances(all), instances(Policies.busiest(view, hold)));
                if (keep < active) {
                    below++;
                    if (below >= patience) {
                        below = 0;
                        return keep;
                    }
                } else {
                    below = 0;
                }
                return active;
            }

            private int instances(double demand) {
                return (int) Math.ceil(demand / per - 1e-9);
            }
        };
    }
}
