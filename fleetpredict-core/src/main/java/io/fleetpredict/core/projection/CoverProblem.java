package io.fleetpredict.core.projection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The integer program for one service's purchases, after idle capacity has been reused:
 * <pre>
 * minimise   sum_j cost_j x_j                          (expected cost per hour)
 * subject to sum_j cap_jr x_j &gt;= need_r                for each resource r
 *            sum_{j on-demand} x_j &gt;= minNonSpot         (on-demand base)
 *            sum_{j spot} (1-s) cpu_j x_j - sum_{j on-demand} s cpu_j x_j &lt;= slack   (spot share)
 *            x_j &gt;= 0 integer
 * </pre>
 * where {@code s} is the maximum spot share and {@code slack = s} times the reused cores, so the
 * share is measured over reused and purchased cores together. Coverage and the spot share are
 * checked with a relative tolerance of {@link #TOLERANCE}.
 */
final class CoverProblem {

    /** Relative tolerance of every feasibility check. */
    static final double TOLERANCE = 1e-9;

    final List<CapacityOffer> offers;
    final int columns;
    final double[][] capacity;
    final double[] cost;
    final boolean[] spot;
    final double[] need;
    final int minNonSpot;
    final double maxSpotShare;
    final double spotSlackCores;

    private CoverProblem(List<CapacityOffer> offers, double[] cost, double[] need, int minNonSpot,
            double maxSpotShare, double spotSlackCores) {
        this.offers = List.copyOf(offers);
        this.columns = offers.size();
        this.capacity = new double[columns][ResourceVector.DIMENSIONS];
        this.spot = new boolean[columns];
        for (int j = 0; j < columns; j++) {
            for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                capacity[j][r] = offers.get(j).capacity().get(r);
            }
            spot[j] = offers.get(j).purchaseOption().interruptible();
        }
        this.cost = cost;
        this.need = need;
        this.minNonSpot = minNonSpot;
        this.maxSpotShare = maxSpotShare;
        this.spotSlackCores = spotSlackCores;
    }

    /**
     * Builds the program for the given allowed offers; spot offers are left out when the spot share
     * cannot admit any.
     */
    static CoverProblem of(List<CapacityOffer> allowedOffers, ResourceVector need, int minNonSpot,
            double maxSpotShare, double spotSlackCores, double interruptionPenaltyPerHour) {
        List<CapacityOffer> kept = new ArrayList<>();
        for (CapacityOffer offer : allowedOffers) {
            boolean spotUsable = maxSpotShare > 0;
            if (!offer.purchaseOption().interruptible() || spotUsable) {
                kept.add(offer);
            }
        }
        double[] cost = new double[kept.size()];
        for (int j = 0; j < cost.length; j++) {
            cost[j] = kept.get(j).expectedCostPerHour(interruptionPenaltyPerHour);
        }
        double[] needArray = new double[ResourceVector.DIMENSIONS];
        for (int r = 0; r < needArray.length; r++) {
            needArray[r] = need.get(r);
        }
        return new CoverProblem(kept, cost, needArray, minNonSpot, maxSpotShare, spotSlackCores);
    }

    /**
     * Returns the program without dominated columns: a column is dropped when another is at most as
     * dear, provides at least as much of every needed resource, and uses no more of the on-demand base
     * and the spot share (more spot CPU uses more of the share, more on-demand CPU frees some).
     * Replacing each unit of a dominated column by one of its dominator keeps a plan feasible and no
     * dearer, so the optimum is kept.
     */
    CoverProblem withoutDominated() {
        boolean[] dropped = new boolean[columns];
        for (int j = 0; j < columns; j++) {
            for (int k = 0; k < columns && !dropped[j]; k++) {
                if (k != j && !dropped[k] && dominates(k, j) && (!dominates(j, k) || k < j)) {
                    dropped[j] = true;
                }
            }
        }
        List<CapacityOffer> kept = new ArrayList<>();
        List<Double> keptCost = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            if (!dropped[j]) {
                kept.add(offers.get(j));
                keptCost.add(cost[j]);
            }
        }
        if (kept.size() == columns) {
            return this;
        }
        return new CoverProblem(kept, keptCost.stream().mapToDouble(Double::doubleValue).toArray(), need,
                minNonSpot, maxSpotShare, spotSlackCores);
    }

    private boolean dominates(int k, int j) {
        if (cost[k] > cost[j] || spot[k] && !spot[j]) {
            return false;
        }
        if (maxSpotShare < 1 && spotShareCoefficient(k) > spotShareCoefficient(j)) {
            return false;
        }
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (need[r] > 0 && capacity[k][r] < capacity[j][r]) {
                return false;
            }
        }
        return true;
    }

    /** The column's coefficient in the spot-share row: what one unit uses of the share. */
    double spotShareCoefficient(int j) {
        return spot[j] ? (1 - maxSpotShare) * capacity[j][0] : -maxSpotShare * capacity[j][0];
    }

    /** The same program over the given columns only, in that order. */
    CoverProblem restrictedTo(int[] columnIndices) {
        List<CapacityOffer> kept = new ArrayList<>();
        double[] keptCost = new double[columnIndices.length];
        for (int i = 0; i < columnIndices.length; i++) {
            kept.add(offers.get(columnIndices[i]));
            keptCost[i] = cost[columnIndices[i]];
        }
        return new CoverProblem(kept, keptCost, need, minNonSpot, maxSpotShare, spotSlackCores);
    }

    /** True if the program has nothing to buy. */
    boolean trivial() {
        for (double n : need) {
            if (n > 0) {
                return false;
            }
        }
        return minNonSpot == 0;
    }

    boolean hasNonSpotColumn() {
        for (boolean s : spot) {
            if (!s) {
                return true;
            }
        }
        return false;
    }

    double cost(int[] x) {
        double total = 0;
        for (int j = 0; j < columns; j++) {
            total += cost[j] * x[j];
        }
        return total;
    }

    /** Amount of resource {@code r} provided by counts {@code x}. */
    double provided(int[] x, int r) {
        double sum = 0;
        for (int j = 0; j < columns; j++) {
            sum += capacity[j][r] * x[j];
        }
        return sum;
    }

    static boolean covers(double provided, double need) {
        return provided >= need * (1 - TOLERANCE);
    }

    /** True if the spot cores {@code spotCores} and on-demand cores {@code nonSpotCores} respect the share. */
    boolean spotShareHolds(double spotCores, double nonSpotCores) {
        double lhs = (1 - maxSpotShare) * spotCores - maxSpotShare * nonSpotCores;
        return lhs <= spotSlackCores + TOLERANCE * (spotCores + nonSpotCores + spotSlackCores);
    }

    boolean feasible(int[] x) {
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (need[r] > 0 && !covers(provided(x, r), need[r])) {
                return false;
            }
        }
        int nonSpotCount = 0;
        double spotCores = 0;
        double nonSpotCores = 0;
        for (int j = 0; j < columns; j++) {
            if (x[j] < 0) {
                return false;
            }
            if (spot[j]) {
                spotCores += capacity[j][0] * x[j];
            } else {
                nonSpotCount += x[j];
                nonSpotCores += capacity[j][0] * x[j];
            }
        }
        return nonSpotCount >= minNonSpot && spotShareHolds(spotCores, nonSpotCores);
    }

    @Override
    public String toString() {
        return "CoverProblem[columns=" + columns + ", need=" + Arrays.toString(need) + ", minNonSpot=" + minNonSpot
                + ", maxSpotShare=" + maxSpotShare + ", slack=" + spotSlackCores + "]";
    }
}
