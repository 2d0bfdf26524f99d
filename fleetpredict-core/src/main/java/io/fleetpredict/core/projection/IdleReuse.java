package io.fleetpredict.core.projection;

import java.util.ArrayList;
import java.util.List;

/**
 * Idle instances of the fleet handed to the services that can use them, before anything is bought: each
 * service takes, one at a time, the instance that covers most of what it still misses (the cheapest on a
 * tie), and an instance for its on-demand base even when nothing is missing.
 */
final class IdleReuse {

    private IdleReuse() {
    }

    /** Takes idle instances for one service from the pool, decrementing {@code idle}. */
    static List<PlanLine.Reuse> take(ServiceDemand d, List<ExistingCapacity> pool, int[] idle) {
        int[] taken = new int[pool.size()];
        ResourceVector missing = d.required();
        int nonInterruptible = 0;
        while (true) {
            int chosen = -1;
            double bestGain = 0;
            for (int i = 0; i < pool.size(); i++) {
                ExistingCapacity e = pool.get(i);
                if (idle[i] == 0 || !d.limits().allows(e.family(), e.region())) {
                    continue;
                }
                double gain = 0;
                for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                    double m = missing.get(r);
                    if (m > 0) {
                        gain += Math.min(e.capacity().get(r), m) / m;
                    }
                }
                boolean forBase = nonInterruptible < d.limits().minOnDemandInstances();
                if (gain == 0 && !forBase) {
                    continue;
                }
                if (chosen < 0 || gain > bestGain
                        || gain == bestGain && e.marginalPricePerHour() < pool.get(chosen).marginalPricePerHour()) {
                    chosen = i;
                    bestGain = gain;
                }
            }
            if (chosen < 0) {
                break;
            }
            idle[chosen]--;
            taken[chosen]++;
            nonInterruptible++;
            missing = missing.minusClamped(pool.get(chosen).capacity());
        }
        List<PlanLine.Reuse> lines = new ArrayList<>();
        for (int i = 0; i < taken.length; i++) {
            if (taken[i] > 0) {
                ExistingCapacity e = pool.get(i);
                lines.add(new PlanLine.Reuse(e, taken[i], e.marginalPricePerHour() * taken[i]));
            }
        }
        return lines;
    }
}
