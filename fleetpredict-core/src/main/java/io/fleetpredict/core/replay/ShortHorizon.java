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
        int firstServed = (int) Math.floor(context.bootSteps() + 1e-9) + 1;
        int patience = track.slopeSpan;
        long stepNanos = context.step().toNanos();
        int hold = Math.max(1, (int) Math.ceil((context.bootTime().toNanos() + cooldown.toNanos()) / (double) stepNanos - 1e-9));
        return new Provisioner() {
            private int below;

            /** Instances for the highest upper forecast over horizons [from, horizon] after the last step. */
            private int need(FleetView view, int from) {
                int last = view.step() - 1;
                double scale = track.scale(view.demand(last));
                double most = 0;
                for (int h = from; h <= horizon; h++) {
                    double upper = track.point(view, last, h) + track.errorQuantile(view, last + h, h, quantileIndex) * scale;
                    most = Math.max(most, upper);
                }
                return (int) Math.ceil(most / per - 1e-9);
            }

            @Override
            public int desiredInstances(FleetView view) {
                int s = view.step();
                int active = view.active();
                if (s == 0) {
                    return active;
                }
                int out = need(view, Math.min(firstServed, horizon));
                if (out > active) {
                    below = 0;
                    return out;
                }
                double recent = 0;
                for (int i = Math.max(0, s - hold); i < s; i++) {
                    recent = Math.max(recent, view.demand(i));
                }
                int keep = Math.max(need(view, 1), (int) Math.ceil(recent / per - 1e-9));
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
        };
    }
}
