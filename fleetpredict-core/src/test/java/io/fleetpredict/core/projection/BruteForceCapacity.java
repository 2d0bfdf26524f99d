package io.fleetpredict.core.projection;

import io.fleetpredict.cloud.PurchaseOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Exhaustive enumeration of purchase counts for one service with no idle capacity, written
 * independently of the solvers: it recomputes expected costs from the formula
 * {@code p + rate * bootHours * (p + penalty)} and checks plans against the limits directly.
 */
final class BruteForceCapacity {

    static final double TOLERANCE = 1e-9;

    private BruteForceCapacity() {
    }

    static double expectedCost(CapacityOffer o, double penalty) {
        double bootHours = o.bootTime().getSeconds() / 3600.0;
        return o.pricePerHour() + o.interruptionRatePerHour() * bootHours * (o.pricePerHour() + penalty);
    }

    /** The cheapest expected cost per hour, or empty if no plan meets the limits. */
    static OptionalDouble optimum(ServiceDemand demand, List<CapacityOffer> offers) {
        List<CapacityOffer> allowed = new ArrayList<>();
        for (CapacityOffer o : offers) {
            if (demand.limits().allows(o.family(), o.region())) {
                allowed.add(o);
            }
        }
        int n = allowed.size();
        double[] cost = new double[n];
        for (int j = 0; j < n; j++) {
            cost[j] = expectedCost(allowed.get(j), demand.interruptionPenaltyPerHour());
        }
        // an upper bound on the optimum: the cheapest single-offer plan, enlarged until it is feasible
        double bound = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            int[] x = new int[n];
            for (int units = 0; units <= 200; units++) {
                x[j] = units;
                if (feasible(demand, allowed, x)) {
                    bound = Math.min(bound, units * cost[j]);
                    break;
                }
            }
        }
        // pairs cover services whose single offers all break the spot share
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++) {
                int[] x = new int[n];
                for (int units = 0; units <= 100 && j != k; units++) {
                    x[j] = units;
                    x[k] = units;
                    if (feasible(demand, allowed, x)) {
                        bound = Math.min(bound, units * (cost[j] + cost[k]));
                        break;
                    }
                }
            }
        }
        if (Double.isInfinite(bound)) {
            return OptionalDouble.empty();
        }
        double[] best = {bound * (1 + 1e-12)};
        enumerate(demand, allowed, cost, new int[n], 0, 0, best);
        return OptionalDouble.of(best[0]);
    }

    /** Every count vector with cost at most the best so far; exact because all costs are positive. */
    private static void enumerate(ServiceDemand demand, List<CapacityOffer> allowed, double[] cost, int[] x, int j,
            double partial, double[] best) {
        if (j == x.length) {
            if (feasible(demand, allowed, x)) {
                best[0] = Math.min(best[0], partial);
            }
            return;
        }
        for (int units = 0; partial + units * cost[j] <= best[0]; units++) {
            x[j] = units;
            enumerate(demand, allowed, cost, x, j + 1, partial + units * cost[j], best);
        }
        x[j] = 0;
    }

    static boolean feasible(ServiceDemand demand, List<CapacityOffer> allowed, int[] x) {
        double cpu = 0;
        double mem = 0;
        double bw = 0;
        double storage = 0;
        double spotCpu = 0;
        int onDemand = 0;
        for (int j = 0; j < x.length; j++) {
            ResourceVector c = allowed.get(j).capacity();
            cpu += c.cpuCores() * x[j];
            mem += c.memoryGiB() * x[j];
            bw += c.bandwidthGbps() * x[j];
            storage += c.storageGiB() * x[j];
            if (allowed.get(j).purchaseOption() == PurchaseOption.SPOT) {
                spotCpu += c.cpuCores() * x[j];
            } else {
                onDemand += x[j];
            }
        }
        ResourceVector need = demand.required();
        return cpu >= need.cpuCores() * (1 - TOLERANCE) && mem >= need.memoryGiB() * (1 - TOLERANCE)
                && bw >= need.bandwidthGbps() * (1 - TOLERANCE) && storage >= need.storageGiB() * (1 - TOLERANCE)
                && onDemand >= demand.limits().minOnDemandInstances()
                && spotCpu <= demand.limits().maxSpotShare() * cpu + TOLERANCE * cpu;
    }
}
