package io.fleetpredict.core.projection;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A fast heuristic for the covering program: greedy covering, then local improvement.
 *
 * <p>Greedy step: among single offers (and, for a spot offer that would break the spot share, the
 * spot offer bundled with just enough units of one of the on-demand offers with the cheapest CPU
 * cores to restore it), add the one with
 * the most unmet need covered per unit of expected cost. Need is measured per requirement as the
 * covered fraction of what is still missing, summed over the resources, the on-demand base and the
 * spot share, so the most binding requirement weighs most. Large needs are covered in batches of
 * up to half of what the chosen offer still has to cover, which keeps the step count logarithmic.
 *
 * <p>The result is the cheapest of the greedy cover and every single-offer on-demand cover, each then
 * improved by local search until no move helps: drop redundant units, and remove some units of an
 * offer (1, then doubling, and all) and re-cover greedily, with or without that offer (without
 * it, the move swaps it for others).
 * Every move keeps the plan feasible, so every constraint holds in the answer. Above 16 offers the
 * search runs on a shortlist (the few cheapest offers per unit of each needed resource and of the
 * whole need, and the on-demand offers with the cheapest cores), falling back to all offers if the
 * shortlist admits no plan, and its answer is polished by two rounds of local search over all offers.
 */
final class GreedyCoverSolver implements CapacitySolver {

    private static final int MAX_IMPROVEMENT_ROUNDS = 200;
    private static final int COMPANIONS = 6;
    private static final int SHORTLIST_PER_RESOURCE = 6;
    private static final int SHORTLIST_ABOVE = 16;
    private static final int POLISH_ROUNDS = 2;
    private static final double IMPROVEMENT = 1e-12;

    @Override
    public SolverMethod method() {
        return SolverMethod.GREEDY_COVER;
    }

    @Override
    public CoverSolution solve(CoverProblem p, long deadlineNanos) {
        if (p.columns <= SHORTLIST_ABOVE) {
            return solveAll(p);
        }
        int[] shortlist = shortlist(p);
        CoverSolution restricted = solveAll(p.restrictedTo(shortlist));
        if (restricted.status() == CoverSolution.Status.INFEASIBLE) {
            return solveAll(p);
        }
        State polished = new State(p);
        int[] sub = restricted.counts();
        for (int i = 0; i < shortlist.length; i++) {
            polished.add(p, shortlist[i], sub[i]);
        }
        polished = improve(p, polished, POLISH_ROUNDS);
        return CoverSolution.of(polished.counts, p.cost(polished.counts), CoverSolution.Status.FEASIBLE);
    }

    /**
     * The offers worth searching among when there are many: for each needed resource the few cheapest
     * per unit of it, the few cheapest per unit of the whole need (summed covered fractions), and the
     * on-demand offers with the cheapest cores (for the base and the spot share).
     */
    static int[] shortlist(CoverProblem p) {
        java.util.Set<Integer> chosen = new java.util.TreeSet<>();
        double[] missing = p.need;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (missing[r] > 0) {
                int resource = r;
                IntStream.range(0, p.columns).filter(j -> p.capacity[j][resource] > 0).boxed()
                        .sorted(Comparator.comparingDouble(j -> p.cost[j] / p.capacity[j][resource]))
                        .limit(SHORTLIST_PER_RESOURCE).forEach(chosen::add);
            }
        }
        IntStream.range(0, p.columns).boxed()
                .sorted(Comparator.comparingDouble(j -> -coverage(p, j) / p.cost[j]))
                .limit(2L * SHORTLIST_PER_RESOURCE).forEach(chosen::add);
        for (int k : companions(p, -1)) {
            chosen.add(k);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The fractions of each needed resource one unit of column j covers, summed, capped at one each. */
    private static double coverage(CoverProblem p, int j) {
        double sum = 0;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (p.need[r] > 0) {
                sum += Math.min(1, p.capacity[j][r] / p.need[r]);
            }
        }
        return sum;
    }

    static CoverSolution solveAll(CoverProblem p) {
        @Nullable State best = null;
        State greedy = greedyCover(p);
        if (greedy != null) {
            best = improve(p, greedy, MAX_IMPROVEMENT_ROUNDS);
        }
        State bestSingle = bestSingleColumn(p);
        if (bestSingle != null) {
            State improved = improve(p, bestSingle, MAX_IMPROVEMENT_ROUNDS);
            if (best == null || improved.cost < best.cost) {
                best = improved;
            }
        }
        return answer(p, best);
    }

    /**
     * A quick feasible plan to start an exact search from: the cheaper of the greedy cover and the best
     * single on-demand offer cover, each with redundant units dropped but without local improvement.
     */
    static CoverSolution quick(CoverProblem p) {
        State best = greedyCover(p);
        State bestSingle = bestSingleColumn(p);
        if (bestSingle != null && (best == null || bestSingle.cost < best.cost)) {
            best = bestSingle;
        }
        return answer(p, best);
    }

    /** The greedy cover from nothing with redundant units dropped, or null if it gets stuck. */
    static @Nullable State greedyCover(CoverProblem p) {
        State greedy = new State(p);
        boolean covered = repair(p, greedy, -1, false);
        if (!covered && !p.hasNonSpotColumn()) {
            // spot capacity is capped by the share room left by reused cores: spend that room, not money, wisely
            greedy = new State(p);
            covered = repair(p, greedy, -1, true);
        }
        if (!covered) {
            return null;
        }
        dropRedundant(p, greedy);
        return greedy;
    }

    /** The cheapest cover made of one on-demand offer only, or null if none covers every need. */
    static @Nullable State bestSingleColumn(CoverProblem p) {
        @Nullable State best = null;
        for (int k = 0; k < p.columns; k++) {
            if (!p.spot[k]) {
                State single = singleColumn(p, k);
                if (single != null && (best == null || single.cost < best.cost)) {
                    best = single;
                }
            }
        }
        return best;
    }

    private static CoverSolution answer(CoverProblem p, @Nullable State best) {
        if (best == null || !p.feasible(best.counts)) {
            return CoverSolution.infeasible();
        }
        return CoverSolution.of(best.counts, p.cost(best.counts), CoverSolution.Status.FEASIBLE);
    }

    /**
     * Completes a partial plan (for instance a relaxation rounded down) greedily and drops redundant
     * units; returns an infeasible answer if it cannot be completed.
     */
    static CoverSolution complete(CoverProblem p, int[] start) {
        State s = new State(p);
        for (int j = 0; j < start.length; j++) {
            if (start[j] > 0) {
                s.add(p, j, start[j]);
            }
        }
        State partial = s.copy();
        boolean covered = repair(p, s, -1, false);
        if (!covered && !p.hasNonSpotColumn()) {
            s = partial;
            covered = repair(p, s, -1, true);
        }
        if (!covered) {
            return CoverSolution.infeasible();
        }
        dropRedundant(p, s);
        return answer(p, s);
    }

    /** The cover made of one on-demand offer only, or null if it lacks a needed resource. */
    static @Nullable State singleColumn(CoverProblem p, int k) {
        long units = p.minNonSpot;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (p.need[r] > 0) {
                if (p.capacity[k][r] <= 0) {
                    return null;
                }
                units = Math.max(units, (long) Math.ceil(p.need[r] * (1 - CoverProblem.TOLERANCE) / p.capacity[k][r]));
            }
        }
        if (units > Integer.MAX_VALUE / 2) {
            return null;
        }
        State s = new State(p);
        s.add(p, k, (int) units);
        return s;
    }

    static State improve(CoverProblem p, State start, int maxRounds) {
        State current = start;
        for (int round = 0; round < maxRounds; round++) {
            State next = bestNeighbour(p, current);
            if (next == null) {
                break;
            }
            current = next;
        }
        return current;
    }

    /** The first strictly cheaper neighbour found, or null at a local optimum. */
    static @Nullable State bestNeighbour(CoverProblem p, State current) {
        double threshold = current.cost * (1 - IMPROVEMENT);
        State dropped = current.copy();
        dropRedundant(p, dropped);
        if (dropped.cost < threshold) {
            return dropped;
        }
        for (int j = 0; j < p.columns; j++) {
            int held = current.counts[j];
            if (held == 0) {
                continue;
            }
            for (int removed : removals(held)) {
                for (int excluded : new int[] {-1, j}) {
                    State trial = current.copy();
                    trial.add(p, j, -removed);
                    boolean repaired = repair(p, trial, excluded, false)
                            || !p.hasNonSpotColumn() && repair(p, trial, excluded, true);
                    if (repaired) {
                        dropRedundant(p, trial);
                        if (trial.cost < threshold) {
                            return trial;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** How many units of an offer holding {@code held} a move removes: 1, 2, 4, ... and all. */
    static int[] removals(int held) {
        java.util.List<Integer> amounts = new java.util.ArrayList<>();
        for (int r = 1; r <= held; r = r < 2 ? r + 1 : r * 2) {
            amounts.add(r);
        }
        if (amounts.get(amounts.size() - 1) != held) {
            amounts.add(held);
        }
        return amounts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Removes units, dearest offer first, as long as the plan stays feasible. */
    private static void dropRedundant(CoverProblem p, State s) {
        for (int j : p.dearestFirst()) {
            while (s.counts[j] > 0) {
                s.add(p, j, -1);
                if (!s.satisfied(p)) {
                    s.add(p, j, 1);
                    break;
                }
            }
        }
    }

    /**
     * Adds greedy moves until the plan is feasible.
     *
     * @param excluded a column not to add, or -1
     * @param byShare rank spot moves by need covered per unit of spot share used instead of per unit of cost
     * @return false if no move makes progress (the program is infeasible from here)
     */
    static boolean repair(CoverProblem p, State s, int excluded, boolean byShare) {
        double share = p.maxSpotShare;
        int[] companions = companions(p, excluded);
        int guard = 0;
        while (!s.satisfied(p)) {
            if (++guard > 1_000_000) {
                return false;
            }
            double[] missing = new double[ResourceVector.DIMENSIONS];
            for (int r = 0; r < missing.length; r++) {
                missing[r] = CoverProblem.covers(s.provided[r], p.need[r]) ? 0 : p.need[r] - s.provided[r];
            }
            int baseMissing = Math.max(0, p.minNonSpot - s.nonSpotCount);
            double shareExcess = s.shareExcess(p);
            Move best = new Move();
            for (int j = 0; j < p.columns; j++) {
                if (j == excluded) {
                    continue;
                }
                int units = batch(p, j, missing);
                if (!p.spot[j]) {
                    double gain = gain(p, missing, baseMissing, shareExcess, j, units, -1, 0);
                    double ratio = gain / (p.cost[j] * units);
                    best.consider(ratio, j, units, -1, 0);
                    continue;
                }
                double room = shareTolerance(p, s) - shareExcess;
                double coefficient = p.spotShareCoefficient(j);
                if (units > 1 && coefficient > 0 && room >= coefficient && room < coefficient * units) {
                    units = (int) Math.floor(room / coefficient);
                }
                double excessAfter = shareExcess + coefficient * units;
                if (excessAfter <= shareTolerance(p, s)) {
                    double gain = gain(p, missing, baseMissing, shareExcess, j, units, -1, 0);
                    double ratio = gain / ((byShare && coefficient > 0 ? coefficient : p.cost[j]) * units);
                    best.consider(ratio, j, units, -1, 0);
                    continue;
                }
                if (share <= 0) {
                    continue;
                }
                for (int k : companions) {
                    double perUnit = share * p.capacity[k][0];
                    double needed = Math.ceil(excessAfter / perUnit - CoverProblem.TOLERANCE);
                    if (needed > Integer.MAX_VALUE / 4) {
                        continue;
                    }
                    int m = (int) Math.max(1, needed);
                    double gain = gain(p, missing, baseMissing, shareExcess, j, units, k, m);
                    double ratio = gain / (p.cost[j] * units + p.cost[k] * m);
                    best.consider(ratio, j, units, k, m);
                }
            }
            if (best.j < 0) {
                return false;
            }
            s.add(p, best.j, best.units);
            if (best.k >= 0) {
                s.add(p, best.k, best.kUnits);
            }
        }
        return true;
    }

    /** The best move of one repair step so far: units of column j, with kUnits of a companion k (or none, -1). */
    private static final class Move {
        double ratio;
        int j = -1;
        int units;
        int k = -1;
        int kUnits;

        void consider(double ratio, int j, int units, int k, int kUnits) {
            if (ratio > this.ratio) {
                this.ratio = ratio;
                this.j = j;
                this.units = units;
                this.k = k;
                this.kUnits = kUnits;
            }
        }
    }

    /**
     * The on-demand offers that may accompany a spot offer to keep the share: the few with the cheapest
     * CPU core, since the share room one unit adds is proportional to its cores.
     */
    private static int[] companions(CoverProblem p, int excluded) {
        int[] cheapest = p.cheapestCoresFirst(COMPANIONS + 1);
        int[] out = new int[Math.min(COMPANIONS, cheapest.length)];
        int n = 0;
        for (int k = 0; k < cheapest.length && n < out.length; k++) {
            if (cheapest[k] != excluded) {
                out[n++] = cheapest[k];
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static double shareTolerance(CoverProblem p, State s) {
        return CoverProblem.TOLERANCE * (s.spotCores + s.nonSpotCores + p.spotSlackCores);
    }

    /** How many units of column j to add at once: half of what it still has to cover, at least one. */
    static int batch(CoverProblem p, int j, double[] missing) {
        double fewest = Double.POSITIVE_INFINITY;
        for (int r = 0; r < missing.length; r++) {
            if (missing[r] > 0 && p.capacity[j][r] > 0) {
                fewest = Math.min(fewest, missing[r] / p.capacity[j][r]);
            }
        }
        if (Double.isInfinite(fewest)) {
            return 1;
        }
        return (int) Math.max(1, Math.min(1 << 20, Math.floor(fewest / 2)));
    }

    /** The unmet need covered by adding {@code units} of j and {@code m} of k, as summed fractions. */
    static double gain(CoverProblem p, double[] missing, int baseMissing, double shareExcess, int j,
            int units, int k, int m) {
        double gain = 0;
        for (int r = 0; r < missing.length; r++) {
            if (missing[r] > 0) {
                double added = p.capacity[j][r] * units + (k >= 0 ? p.capacity[k][r] * m : 0);
                gain += Math.min(added, missing[r]) / missing[r];
            }
        }
        int nonSpotAdded = (p.spot[j] ? 0 : units) + (k >= 0 ? m : 0);
        if (baseMissing > 0) {
            gain += Math.min(nonSpotAdded, baseMissing) / (double) baseMissing;
        }
        if (shareExcess > 0) {
            double reduction = -(p.spotShareCoefficient(j) * units + (k >= 0 ? p.spotShareCoefficient(k) * m : 0));
            gain += Math.max(0, Math.min(reduction, shareExcess)) / shareExcess;
        }
        return gain;
    }

    /** A plan under construction with its running totals. */
    static final class State {
        final int[] counts;
        final double[] provided = new double[ResourceVector.DIMENSIONS];
        int nonSpotCount;
        double spotCores;
        double nonSpotCores;
        double cost;

        State(CoverProblem p) {
            counts = new int[p.columns];
        }

        private State(State other) {
            counts = other.counts.clone();
            System.arraycopy(other.provided, 0, provided, 0, provided.length);
            nonSpotCount = other.nonSpotCount;
            spotCores = other.spotCores;
            nonSpotCores = other.nonSpotCores;
            cost = other.cost;
        }

        State copy() {
            return new State(this);
        }

        void add(CoverProblem p, int j, int units) {
            counts[j] += units;
            for (int r = 0; r < provided.length; r++) {
                provided[r] += p.capacity[j][r] * units;
            }
            if (p.spot[j]) {
                spotCores += p.capacity[j][0] * units;
            } else {
                nonSpotCount += units;
                nonSpotCores += p.capacity[j][0] * units;
            }
            cost += p.cost[j] * units;
        }

        /** How far the spot-share row is above its bound; positive means broken. */
        double shareExcess(CoverProblem p) {
            return (1 - p.maxSpotShare) * spotCores - p.maxSpotShare * nonSpotCores - p.spotSlackCores;
        }

        boolean satisfied(CoverProblem p) {
            for (int r = 0; r < provided.length; r++) {
                if (p.need[r] > 0 && !CoverProblem.covers(provided[r], p.need[r])) {
                    return false;
                }
            }
            return nonSpotCount >= p.minNonSpot && p.spotShareHolds(spotCores, nonSpotCores);
        }
    }
}
