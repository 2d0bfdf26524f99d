package io.fleetpredict.core.replay;

import java.util.Locale;

/**
 * The library's own loop on a trace: forecast demand per bucket, take a quantile, launch ahead by the
 * boot time so that the capacity a launch brings is ready when the forecast says it is needed, and
 * scale in only once the same quantile has stayed below the fleet over the whole window a release
 * could not undo in time (now until a relaunch would be ready, plus one bucket), for as long as a
 * boot takes, and never below what the busiest step of the last boot time needed. When the last step's
 * demand exceeded its own forecast quantile, the excess is added to the forecasts (the buckets absorb
 * news only once complete).
 */
final class Predictive implements ProvisioningPolicy {

    private final TraceForecast forecast;
    private final double quantile;
    private final int quantileIndex;
    private final double headroom;

    Predictive(TraceForecast forecast, double quantile, double headroom) {
        this.forecast = forecast;
        this.quantile = quantile;
        this.quantileIndex = TraceForecast.quantileIndex(quantile);
        this.headroom = headroom;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "predictive(q=%s,headroom=%s)", Policies.trim(quantile), Policies.trim(headroom));
    }

    @Override
    public Provisioner start(ReplayContext context) {
        TraceForecast.Track track = forecast.track(context);
        int m = track.m;
        int boot = (int) Math.ceil(context.bootSteps() - 1e-9);
        double scale = (1 + headroom) / (m * context.perInstance());
        int patience = Math.max(1, boot);
        return new Provisioner() {
            private int below;

            /** Instances for the highest forecast per step over trace steps {@code [from, to)}, plus the surprise. */
            private int need(FleetView view, int origin, int from, int to, double surprise) {
                double peak = track.peak();
                double most = 0;
                for (int b = from / m; b <= (to - 1) / m; b++) {
                    most = Math.max(most, track.quantile(view, origin, b - origin, quantileIndex));
                }
                return (int) Math.ceil((most * peak / m + surprise) * scale * m - 1e-9);
            }

            /**
             * How far the last step's demand exceeded its own forecast quantile per step (0 if it did
             * not): the model's buckets lag behind a sudden rise by up to a bucket, and this carries the
             * latest step's news into the forecasts until the next update absorbs it.
             */
            private double surprise(FleetView view) {
                int last = view.step() - 1;
                int bucket = last / m;
                double expected = track.quantile(view, bucket, 0, quantileIndex) * track.peak() / m;
                return Math.max(0, view.demand(last) - expected);
            }

            @Override
            public int desiredInstances(FleetView view) {
                int s = view.step();
                int origin = s / m;
                int active = view.active();
                double surprise = surprise(view);
                int out = need(view, origin, s + boot, s + boot + m, surprise);
                if (out > active) {
                    below = 0;
                    return out;
                }
                // Never release what the last boot time's busiest step needed: it may come back before a relaunch is ready.
                double recent = Policies.busiest(view, Math.max(1, boot));
                int keep = Math.max(need(view, origin, s, s + boot + m, surprise),
                        (int) Math.ceil(recent * (1 + headroom) / context.perInstance() - 1e-9));
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
