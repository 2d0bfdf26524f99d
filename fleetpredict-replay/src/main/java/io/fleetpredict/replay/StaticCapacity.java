package io.fleetpredict.replay;

import java.util.Arrays;
import java.util.Locale;

/** A fixed fleet sized once from the warm-up: a high percentile of its demand plus headroom. */
final class StaticCapacity implements ProvisioningPolicy {

    private final double percentile;
    private final double headroom;

    StaticCapacity(double percentile, double headroom) {
        this.percentile = percentile;
        this.headroom = headroom;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "static(p%s,headroom=%s)", Policies.trim(percentile), Policies.trim(headroom));
    }

    /** The percentile by the nearest-rank rule (the smallest value with at least p% of values at or below it). */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Override
    public FleetSizer start(ReplayContext context) {
        int warm = context.firstStep();
        if (warm == 0) {
            throw new IllegalArgumentException(
                    name() + " sizes its fleet on the warm-up, and this replay's warm-up is empty");
        }
        double per = context.perInstance();
        String name = name();
        return new FleetSizer() {
            private int capacity = -1;

            @Override
            public int desiredInstances(FleetView view) {
                if (capacity < 0) {
                    double[] past = new double[warm];
                    for (int i = 0; i < warm; i++) {
                        past[i] = view.demand(i);
                    }
                    capacity = Policies.instances(percentile(past, percentile) * (1 + headroom), per, view, name);
                }
                return capacity;
            }
        };
    }
}
