package io.fleetpredict.core.projection;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The integer program for one service's purchases, after idle capacity has been reused:
 * <pre>
 * minimise   sum_j cost_j x_j                          (expected cost per hour)
 * subject to sum_j cap_jr x_j &gt;= need_r                for each resource r
 *            sum_{j on-demand} x_j &gt;= minNonSpot         (on-demand base)
 *            sum_{j spot} (1-s) cpu_j x_j - sum_{j on-demand} s cpu_j x_j &lt;= slack   (spot share)
 *            x_j &gt;= 0 integer
 * </pre>
 * where {@code s} is the maximum spot share and {@code slack} is {@code s} times the reused and
 * in-service non-spot cores less {@code 1 - s} times the in-service spot cores, never below 0 (a service
 * already over the share gets {@code s = 0}), so the share is measured over the whole service. Coverage
 * and the spot share are checked with a relative tolerance of {@link #TOLERANCE}.
 */
final class CoverProblem {

    /** Relative tolerance of every feasibility check. */
    static final double TOLERANCE = 1e-9;

    /** Each column's offer, as an index into the catalogue the program was built from. */
    final int[] offerIds;
    final int columns;
    final double[][] capacity;
    final double[] cost;
    final boolean[] spot;
    final double[] need;
    final int minNonSpot;
    final double maxSpotShare;
    final double spotSlackCores;
    /** Columns by decreasing cost; computed on first use (a race computes the same array twice). */
    private int @Nullable [] dearestFirst;
    /** The on-demand columns with the cheapest CPU cores, cheapest first; computed on first use. */
    private int @Nullable [] cheapestCores;

    private CoverProblem(int[] offerIds, double[][] capacity, double[] cost, boolean[] spot, double[] need,
            int minNonSpot, double maxSpotShare, double spotSlackCores) {
        this.offerIds = offerIds;
        this.columns = offerIds.length;
        this.capacity = capacity;
        this.cost = cost;
        this.spot = spot;
        this.need = need;
        this.minNonSpot = minNonSpot;
        this.maxSpotShare = maxSpotShare;
        this.spotSlackCores = spotSlackCores;
    }

    /**
     * Builds the program over the catalogue's allowed offers that no other allowed offer dominates; spot
     * offers are left out when the spot share cannot admit any.
     *
     * <p>Offer k dominates offer j when k is at most as dear, provides at least as much of every needed
     * resource, and uses no more of the on-demand base and the spot share (more spot CPU uses more of the
     * share, more on-demand CPU frees some). Replacing each unit of a dominated offer by one of its
     * dominator keeps a plan feasible and no dearer, so the optimum is kept. Of offers that dominate each
     * other the first is kept. The part of the test that does not depend on cost is the catalogue's,
     * computed once per combination of needed resources.
     *
     * @param allowed the catalogue offers in an allowed family and region, as a bit set
     */
    static CoverProblem of(OfferCatalogue catalogue, long[] allowed, ResourceVector need, int minNonSpot,
            double maxSpotShare, double spotSlackCores, double interruptionPenaltyPerHour) {
        double[] needArray = new double[ResourceVector.DIMENSIONS];
        int needMask = 0;
        for (int r = 0; r < needArray.length; r++) {
            needArray[r] = need.get(r);
            if (needArray[r] > 0) {
                needMask |= 1 << r;
            }
        }
        boolean spotUsable = maxSpotShare > 0;
        long[] candidates = allowed.clone();
        double[] allCost = new double[catalogue.size];
        for (int j = 0; j < catalogue.size; j++) {
            if ((candidates[j >>> 6] & (1L << j)) != 0) {
                if (catalogue.spot[j] && !spotUsable) {
                    candidates[j >>> 6] &= ~(1L << j);
                } else {
                    allCost[j] = catalogue.expectedCost(j, interruptionPenaltyPerHour);
                }
            }
        }
        long[][] dominators = catalogue.dominators(needMask, maxSpotShare > 0 && maxSpotShare < 1);
        int[] kept = new int[catalogue.size];
        int n = 0;
        for (int j = 0; j < catalogue.size; j++) {
            if ((candidates[j >>> 6] & (1L << j)) != 0 && !dominated(j, candidates, dominators, allCost)) {
                kept[n++] = j;
            }
        }
        int[] ids = Arrays.copyOf(kept, n);
        double[][] capacity = new double[n][];
        double[] cost = new double[n];
        boolean[] spot = new boolean[n];
        for (int i = 0; i < n; i++) {
            capacity[i] = catalogue.capacity[ids[i]];
            cost[i] = allCost[ids[i]];
            spot[i] = catalogue.spot[ids[i]];
        }
        return new CoverProblem(ids, capacity, cost, spot, needArray, minNonSpot, maxSpotShare, spotSlackCores);
    }

    /** True if an allowed offer other than j dominates it (the first of mutually dominating offers stays). */
    private static boolean dominated(int j, long[] candidates, long[][] dominators, double[] cost) {
        long[] by = dominators[j];
        for (int w = 0; w < by.length; w++) {
            long bits = by[w] & candidates[w];
            while (bits != 0) {
                int k = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (cost[k] <= cost[j]) {
                    boolean mutual = cost[j] <= cost[k] && (dominators[k][j >>> 6] & (1L << j)) != 0;
                    if (!mutual || k < j) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The column's coefficient in the spot-share row: what one unit uses of the share. */
    double spotShareCoefficient(int j) {
        return spot[j] ? (1 - maxSpotShare) * capacity[j][0] : -maxSpotShare * capacity[j][0];
    }

    /** The same program over the given columns only, in that order. */
    CoverProblem restrictedTo(int[] columnIndices) {
        int n = columnIndices.length;
        int[] ids = new int[n];
        double[][] keptCapacity = new double[n][];
        double[] keptCost = new double[n];
        boolean[] keptSpot = new boolean[n];
        for (int i = 0; i < n; i++) {
            ids[i] = offerIds[columnIndices[i]];
            keptCapacity[i] = capacity[columnIndices[i]];
            keptCost[i] = cost[columnIndices[i]];
            keptSpot[i] = spot[columnIndices[i]];
        }
        return new CoverProblem(ids, keptCapacity, keptCost, keptSpot, need, minNonSpot, maxSpotShare,
                spotSlackCores);
    }

    /** The columns by decreasing cost, ties in column order. */
    int[] dearestFirst() {
        int[] order = dearestFirst;
        if (order == null) {
            order = sortedBy(columns, j -> -cost[j], columns);
            dearestFirst = order;
        }
        return order;
    }

    /** Up to {@code limit} on-demand columns with the lowest cost per CPU core, cheapest first. */
    int[] cheapestCoresFirst(int limit) {
        int[] order = cheapestCores;
        if (order == null || order.length < Math.min(limit, nonSpotColumns())) {
            int[] nonSpot = new int[nonSpotColumns()];
            int n = 0;
            for (int j = 0; j < columns; j++) {
                if (!spot[j]) {
                    nonSpot[n++] = j;
                }
            }
            int[] sorted = sortedBy(n, i -> cost[nonSpot[i]] / capacity[nonSpot[i]][0], limit);
            order = new int[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                order[i] = nonSpot[sorted[i]];
            }
            cheapestCores = order;
        }
        return order.length > limit ? Arrays.copyOf(order, limit) : order;
    }

    private int nonSpotColumns() {
        int n = 0;
        for (boolean s : spot) {
            n += s ? 0 : 1;
        }
        return n;
    }

    /** The first {@code limit} of 0..n-1 by increasing key, ties in index order (a stable sort). */
    private static int[] sortedBy(int n, java.util.function.IntToDoubleFunction key, int limit) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, java.util.Comparator.comparingDouble(key::applyAsDouble));
        int[] out = new int[Math.min(limit, n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
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
