package io.fleetpredict.core.projection;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Integer programming by best-first branch and bound over warm-started linear relaxations, exact or to
 * a relative gap.
 *
 * <p>The root relaxation is strengthened by a round of Gomory mixed-integer cuts ({@link
 * BoundedDualSimplex#gomoryCuts()}), its rounding seeds the incumbent (rounded down and completed
 * greedily, or rounded up; failing both, the quick greedy cover), and reduced-cost fixing at the root
 * drops every column that cannot be in a plan better than the incumbent by the gap; the search then runs
 * over the remaining columns only (about half of them on random markets), so every node is cheaper.
 *
 * <p>Each node's relaxation is solved by {@link BoundedDualSimplex} from its parent's optimal basis (a
 * branch changes one bound, so a few dual pivots restore optimality), and is abandoned as soon as its
 * dual bound reaches the cutoff. The open node with the lowest bound is taken next (deeper first among
 * equal bounds, which keeps a dive going while it stays the lowest), so the proven lower bound rises
 * as fast as the tree allows and a gap-limited search stops as early as it can. An integral relaxation
 * is a candidate plan; otherwise a fractional count {@code v} is branched into {@code x <= floor(v)} and
 * {@code x >= ceil(v)}, and every node's relaxation rounded up is offered as a plan. The count branched
 * on is the one whose two children are expected to raise the bound most (the product of the two
 * estimates), each estimate being the fraction the branch moves the count times the column's
 * pseudo-cost: the bound gained per unit by the branches on that column solved so far in this search,
 * its unit cost until there are any. Learning from the tree finds the plans that close the gap with
 * fewer nodes than a fixed rule. Two bound tightenings cut the tree: no count may
 * exceed {@code incumbent / unit cost}, and reduced-cost fixing, by which a nonbasic count with reduced
 * cost {@code d} moves at most {@code (cutoff - bound) / d} units from its bound anywhere below the node.
 *
 * <p>The search stops when every open node's bound is within the relative gap of the incumbent (then
 * the plan is optimal to that gap), or at the node limit or the deadline; either way the answer carries
 * the lowest bound of the nodes left open or cut off, so the gap it proves is known.
 *
 * <p>A numerical kernel kept in one file on purpose: the node loop, the pseudo-costs, the cuts and the
 * incumbent share one search state, and splitting them would put the hot loop behind calls.
 */
final class BranchAndBoundSolver implements CapacitySolver {

    /** The smallest relative gap at which the search stops: optimal within floating-point noise. */
    static final double EXACT_GAP = 1e-10;

    private static final double INTEGRALITY = 1e-6;
    private static final int PIVOTS_PER_COLUMN = 8;
    private static final int DEADLINE_CHECK_EVERY = 32;
    /** Rounds of Gomory cuts at the root; the first does most of the good, later ones cost more per node. */
    private static final int CUT_ROUNDS = 1;

    private final int nodeLimit;
    private final double relativeGap;

    BranchAndBoundSolver(int nodeLimit, double relativeGap) {
        this.nodeLimit = nodeLimit;
        this.relativeGap = Math.max(EXACT_GAP, relativeGap);
    }

    @Override
    public SolverMethod method() {
        return SolverMethod.BRANCH_AND_BOUND;
    }

    /**
     * The open nodes, lowest bound first and the deeper of equal bounds first: a binary heap over
     * primitive keys, since ordering the queue is a good part of a node's cost.
     */
    static final class OpenNodes {
        private BoundedDualSimplex[] relaxations = new BoundedDualSimplex[64];
        private double[] bounds = new double[64];
        private int[] depths = new int[64];
        /** The branch that made the node: +-(column + 1), negative for the down branch; 0 at the root. */
        private int[] branches = new int[64];
        /** How far the branch moved its column's count from the parent's value. */
        private double[] moves = new double[64];
        private int size;
        /** The branch and move of the node last polled. */
        int polledBranch;
        double polledMove;

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }

        double lowestBound() {
            return bounds[0];
        }

        int lowestDepth() {
            return depths[0];
        }

        double bound(int i) {
            return bounds[i];
        }

        void add(BoundedDualSimplex relaxation, double bound, int depth, int branch, double move) {
            if (size == bounds.length) {
                relaxations = Arrays.copyOf(relaxations, 2 * size);
                bounds = Arrays.copyOf(bounds, 2 * size);
                depths = Arrays.copyOf(depths, 2 * size);
                branches = Arrays.copyOf(branches, 2 * size);
                moves = Arrays.copyOf(moves, 2 * size);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(bound, depth, bounds[parent], depths[parent])) {
                    break;
                }
                move(parent, i);
                i = parent;
            }
            put(i, relaxation, bound, depth, branch, move);
        }

        /** Removes and returns the node with the lowest bound. */
        BoundedDualSimplex poll() {
            BoundedDualSimplex top = relaxations[0];
            polledBranch = branches[0];
            polledMove = moves[0];
            int last = --size;
            BoundedDualSimplex r = relaxations[last];
            double b = bounds[last];
            int d = depths[last];
            int br = branches[last];
            double mv = moves[last];
            relaxations[last] = null;
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && before(bounds[child + 1], depths[child + 1], bounds[child], depths[child])) {
                    child++;
                }
                if (!before(bounds[child], depths[child], b, d)) {
                    break;
                }
                move(child, i);
                i = child;
            }
            if (size > 0) {
                put(i, r, b, d, br, mv);
            }
            return top;
        }

        void clear() {
            Arrays.fill(relaxations, 0, size, null);
            size = 0;
        }

        private static boolean before(double bound, int depth, double otherBound, int otherDepth) {
            return bound < otherBound || bound == otherBound && depth > otherDepth;
        }

        private void move(int from, int to) {
            put(to, relaxations[from], bounds[from], depths[from], branches[from], moves[from]);
        }

        private void put(int i, BoundedDualSimplex r, double b, int d, int branch, double move) {
            relaxations[i] = r;
            bounds[i] = b;
            depths[i] = d;
            branches[i] = branch;
            moves[i] = move;
        }
    }

    @Override
    public CoverSolution solve(CoverProblem p, long deadlineNanos) {
        return solve(p, deadlineNanos, nodeLimit);
    }

    /**
     * Solves with a node limit of its own.
     *
     * @param nodes the most relaxations to solve; 1 solves the root only, whose rounding is then the plan
     */
    CoverSolution solve(CoverProblem p, long deadlineNanos, int nodes) {
        int n = p.columns;
        if (p.trivial()) {
            return CoverSolution.of(new int[n], 0, 0, CoverSolution.Status.OPTIMAL);
        }
        if (n == 0) {
            return CoverSolution.infeasible();
        }
        Search s = new Search(p, deadlineNanos, nodes);
        return s.run();
    }

    /** The root relaxation's bound on the program's optimum, 0 if the relaxation could not be solved. */
    static double rootBound(CoverProblem p) {
        if (p.trivial() || p.columns == 0) {
            return 0;
        }
        BoundedDualSimplex root = BoundedDualSimplex.of(p);
        BoundedDualSimplex.Status status = root.solve(Double.POSITIVE_INFINITY, maxPivots(p));
        return switch (status) {
            case OPTIMAL -> root.objective();
            case INFEASIBLE -> Double.POSITIVE_INFINITY;
            default -> 0;
        };
    }

    private static int maxPivots(CoverProblem p) {
        return 50 + PIVOTS_PER_COLUMN * (p.columns + ResourceVector.DIMENSIONS + 2);
    }

    /** One search: the incumbent, the queue and the bookkeeping of what is proven. */
    private final class Search {
        /** The program as given; plans are counts over its columns. */
        private final CoverProblem full;
        private final long deadline;
        private final int pivotLimit;
        private final int maxNodes;
        /** The program searched: {@link #full}, or after the root only the columns that can still be used. */
        private CoverProblem p;
        /** Column j of {@link #p} is column {@code columnOfFull[j]} of {@link #full}. */
        private int[] columnOfFull;
        private int @Nullable [] best;
        private double bestCost = Double.POSITIVE_INFINITY;
        /** The lowest bound of a node closed without exploring it fully (pruned, cut off or unsolved). */
        private double closedBound = Double.POSITIVE_INFINITY;
        private int nodes;
        private boolean stopped;
        /** The counts' caps from the incumbent cost {@link #capsFor}, kept until the incumbent changes. */
        private double @Nullable [] caps;
        private double capsFor;
        /** The searched columns' pseudo-costs; made in run() before the first branch (the root needs none). */
        @SuppressWarnings("NullAway.Init")
        private PseudoCosts pseudoCosts;

        Search(CoverProblem p, long deadline, int maxNodes) {
            this.full = p;
            this.p = p;
            this.deadline = deadline;
            this.maxNodes = maxNodes;
            this.pivotLimit = maxPivots(p);
            this.columnOfFull = new int[p.columns];
            for (int j = 0; j < p.columns; j++) {
                columnOfFull[j] = j;
            }
        }

        CoverSolution run() {
            OpenNodes queue = new OpenNodes();
            BoundedDualSimplex root = root();
            pseudoCosts = new PseudoCosts(p.cost);
            if (root != null) {
                queue.add(root, root.objective(), 0, 0, 0);
            }
            while (!stopped && !queue.isEmpty()) {
                double bound = queue.lowestBound();
                if (bound >= cutoff()) {
                    // best first: every node left is at least as high, so none can hold a better plan
                    closedBound = Math.min(closedBound, bound);
                    queue.clear();
                    break;
                }
                int depth = queue.lowestDepth();
                BoundedDualSimplex next = queue.poll();
                process(next, bound, depth, queue.polledBranch, queue.polledMove, queue);
            }
            for (int i = 0; i < queue.size(); i++) {
                closedBound = Math.min(closedBound, queue.bound(i));
            }
            int[] plan = best;
            if (plan == null) {
                // stopped before any plan was found: the full greedy search is the last resort
                return stopped ? new GreedyCoverSolver().solve(full, deadline) : CoverSolution.infeasible();
            }
            double lowerBound = Math.min(bestCost, closedBound);
            boolean optimal = bestCost - lowerBound <= CoverProblem.TOLERANCE * bestCost;
            return CoverSolution.of(plan, bestCost, Math.max(0, lowerBound),
                    optimal ? CoverSolution.Status.OPTIMAL : CoverSolution.Status.FEASIBLE);
        }

        /**
         * Solves the root (strengthened by Gomory cuts when the search goes on below it), seeds the
         * incumbent from it, and fixes by reduced cost every column that cannot be in a plan better than
         * the incumbent by the gap; the search then runs over the remaining columns only, which makes
         * every node cheaper. Returns the relaxation to search from, or null if the root settles it.
         */
        private @Nullable BoundedDualSimplex root() {
            BoundedDualSimplex plain = BoundedDualSimplex.of(p);
            nodes++;
            BoundedDualSimplex.Status status = plain.solve(Double.POSITIVE_INFINITY, pivotLimit);
            if (status == BoundedDualSimplex.Status.INFEASIBLE) {
                return null;
            }
            if (status != BoundedDualSimplex.Status.OPTIMAL) {
                seedGreedily();
                closedBound = 0;
                stopped = best == null;
                return null;
            }
            BoundedDualSimplex root = plain;
            double[][] cuts = new double[0][];
            if (maxNodes > 1) {
                for (int round = 0; round < CUT_ROUNDS; round++) {
                    double[][] fresh = root.gomoryCuts();
                    if (fresh.length == 0) {
                        break;
                    }
                    double[][] more = Arrays.copyOf(cuts, cuts.length + fresh.length);
                    System.arraycopy(fresh, 0, more, cuts.length, fresh.length);
                    BoundedDualSimplex tighter = BoundedDualSimplex.of(p, more);
                    if (tighter.solve(Double.POSITIVE_INFINITY, pivotLimit) != BoundedDualSimplex.Status.OPTIMAL) {
                        break;
                    }
                    root = tighter;
                    cuts = more;
                }
            }
            double bound = root.objective();
            int n = p.columns;
            int[] ceiled = new int[n];
            int[] floored = new int[n];
            for (int j = 0; j < n; j++) {
                ceiled[j] = (int) Math.ceil(root.count(j) - INTEGRALITY);
                floored[j] = (int) Math.floor(root.count(j) + INTEGRALITY);
            }
            offer(ceiled);
            // the root rounded down and completed greedily is usually within a unit or two of the optimum
            CoverSolution completed = GreedyCoverSolver.complete(p, floored);
            if (completed.status() != CoverSolution.Status.INFEASIBLE) {
                offer(completed.counts());
            }
            if (best == null) {
                seedGreedily();
            }
            if (bound >= cutoff()) {
                closedBound = Math.min(closedBound, bound);
                return null;
            }
            if (nodes >= maxNodes) {
                stopped = true;
                closedBound = Math.min(closedBound, bound);
                return null;
            }
            closedBound = Math.min(closedBound, fixByReducedCost(root, bound, cutoff()));
            return restricted(root, cuts);
        }

        private void seedGreedily() {
            CoverSolution seed = GreedyCoverSolver.quick(p);
            if (seed.status() != CoverSolution.Status.INFEASIBLE) {
                offer(seed.counts());
            }
        }

        /**
         * The root over only the columns whose upper bound is still positive, with the cuts restricted
         * alike (a cut holds for every plan, so for those that leave the fixed columns at zero) and the
         * tightened bounds carried over; the root itself if no column was fixed.
         */
        private BoundedDualSimplex restricted(BoundedDualSimplex root, double[][] cuts) {
            int n = p.columns;
            int[] kept = new int[n];
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (root.upper[j] > 0) {
                    kept[m++] = j;
                }
            }
            if (m == n || m == 0) {
                return root;
            }
            kept = Arrays.copyOf(kept, m);
            double[][] keptCuts = new double[cuts.length][m + 1];
            for (int c = 0; c < cuts.length; c++) {
                for (int i = 0; i < m; i++) {
                    keptCuts[c][i] = cuts[c][kept[i]];
                }
                keptCuts[c][m] = cuts[c][n];
            }
            int[] map = new int[m];
            for (int i = 0; i < m; i++) {
                map[i] = columnOfFull[kept[i]];
            }
            CoverProblem narrower = p.restrictedTo(kept);
            BoundedDualSimplex fresh = BoundedDualSimplex.of(narrower, keptCuts);
            for (int i = 0; i < m; i++) {
                fresh.setBounds(i, root.lower[kept[i]], root.upper[kept[i]]);
            }
            p = narrower;
            columnOfFull = map;
            return fresh;
        }

        /** The bound at or above which a node cannot hold a plan better than the incumbent by the gap. */
        private double cutoff() {
            return bestCost - relativeGap * bestCost;
        }

        /** Takes counts over the searched columns as the incumbent if they are a plan and cheaper. */
        private void offer(int[] counts) {
            if (p.feasible(counts)) {
                double c = p.cost(counts);
                if (c < bestCost) {
                    int[] plan = new int[full.columns];
                    for (int j = 0; j < counts.length; j++) {
                        plan[columnOfFull[j]] = counts[j];
                    }
                    best = plan;
                    bestCost = c;
                }
            }
        }

        /**
         * Solves one node, records what it proves and what its branch gained, and branches: both children
         * join the queue.
         */
        private void process(BoundedDualSimplex x, double parentBound, int depth, int branchedOn, double moved,
                OpenNodes queue) {
            if (nodes >= maxNodes || nodes % DEADLINE_CHECK_EVERY == 0 && System.nanoTime() - deadline > 0) {
                stopped = true;
                closedBound = Math.min(closedBound, parentBound);
                return;
            }
            if (Double.isFinite(bestCost)) {
                tightenByIncumbent(x);
            }
            if (!x.boundsConsistent()) {
                return;
            }
            nodes++;
            BoundedDualSimplex.Status status = x.solve(cutoff(), pivotLimit);
            switch (status) {
                case INFEASIBLE:
                    return;
                case CUTOFF:
                    closedBound = Math.min(closedBound, x.solvedObjective());
                    pseudoCosts.learn(branchedOn, moved, x.solvedObjective() - parentBound);
                    return;
                case ITERATION_LIMIT:
                    closedBound = Math.min(closedBound, parentBound);
                    return;
                default:
                    break;
            }
            double bound = x.solvedObjective();
            pseudoCosts.learn(branchedOn, moved, bound - parentBound);
            int n = p.columns;
            int[] rounded = new int[n];
            int branch = -1;
            double widest = -1;
            for (int j = 0; j < n; j++) {
                double v = x.count(j);
                double nearest = Math.rint(v);
                double fraction = Math.abs(v - nearest);
                rounded[j] = (int) Math.max(0, nearest);
                if (fraction > INTEGRALITY) {
                    double score = pseudoCosts.score(j, v - Math.floor(v));
                    if (score > widest) {
                        widest = score;
                        branch = j;
                    }
                }
            }
            if (branch < 0) {
                if (p.feasible(rounded)) {
                    offer(rounded);
                    return;
                }
                // integral within tolerance but short by rounding: branch on the first count that is off
                for (int j = 0; j < n && branch < 0; j++) {
                    if (x.count(j) != rounded[j]) {
                        branch = j;
                    }
                }
                if (branch < 0) {
                    closedBound = Math.min(closedBound, bound);
                    return;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    rounded[j] = (int) Math.ceil(x.count(j) - INTEGRALITY);
                }
                offer(rounded);
            }
            if (bound >= cutoff()) {
                closedBound = Math.min(closedBound, bound);
                return;
            }
            closedBound = Math.min(closedBound, fixByReducedCost(x, bound, cutoff()));
            double v = x.count(branch);
            double down = Math.floor(v);
            BoundedDualSimplex downChild = x.copy();
            downChild.setBounds(branch, downChild.lower[branch], Math.min(downChild.upper[branch], down));
            queue.add(downChild, bound, depth + 1, -(branch + 1), v - down);
            x.setBounds(branch, Math.max(x.lower[branch], down + 1), x.upper[branch]);
            queue.add(x, bound, depth + 1, branch + 1, down + 1 - v);
        }

        /** No plan dearer than the incumbent is useful, so no count can exceed incumbent / unit cost. */
        private void tightenByIncumbent(BoundedDualSimplex x) {
            if (x.cappedFor == bestCost) {
                // capped for this incumbent already (as its parent was): its bounds are no wider
                return;
            }
            double[] c = caps;
            if (c == null || capsFor != bestCost || c.length != p.columns) {
                c = new double[p.columns];
                for (int j = 0; j < p.columns; j++) {
                    c[j] = cap(bestCost, p.cost[j]);
                }
                caps = c;
                capsFor = bestCost;
            }
            for (int j = 0; j < p.columns; j++) {
                if (c[j] < x.upper[j]) {
                    x.setBounds(j, x.lower[j], c[j]);
                }
            }
            x.cappedFor = bestCost;
        }
    }

    /**
     * The most units of a column of unit cost {@code unitCost} in a plan that costs no more than
     * {@code incumbent}: {@code floor(incumbent / unitCost)}, kept whole where the quotient of two rounded
     * decimals falls a hair short of it (0.6 / 0.2 is 2.9999999999999996 in binary).
     */
    static double cap(double incumbent, double unitCost) {
        return Math.floor(incumbent / unitCost * (1 + 1e-12));
    }

    /**
     * Reduced-cost fixing at a node whose relaxation {@code x} is optimal with objective {@code bound}:
     * moving a nonbasic count by k units from its bound raises the bound by at least k times its reduced
     * cost {@code d}, so below this node it cannot move further than {@code floor((cutoff - bound) / |d|)}
     * units, and its other bound is tightened to that. Every plan the tightening excludes costs at least
     * {@code bound + (reach + 1) |d|} for the column that excludes it.
     *
     * @param cutoff the cost at and above which a plan is of no use
     * @return the lowest cost of a plan the tightening excluded, as that bound; infinite if nothing was
     *     excluded
     */
    static double fixByReducedCost(BoundedDualSimplex x, double bound, double cutoff) {
        double room = cutoff - bound;
        double excluded = Double.POSITIVE_INFINITY;
        if (!Double.isFinite(room)) {
            return excluded;
        }
        for (int j = 0; j < x.structurals; j++) {
            if (x.basic(j)) {
                continue;
            }
            double d = x.reducedCost(j);
            if (x.nonbasicAtUpper(j)) {
                if (d < 0) {
                    double reach = Math.floor(room / -d + 1e-9);
                    if (x.upper[j] - reach > x.lower[j]) {
                        x.setBounds(j, x.upper[j] - reach, x.upper[j]);
                        excluded = Math.min(excluded, bound + (reach + 1) * -d);
                    }
                }
            } else if (d > 0) {
                double reach = Math.floor(room / d + 1e-9);
                if (x.lower[j] + reach < x.upper[j]) {
                    x.setBounds(j, x.lower[j], x.lower[j] + reach);
                    excluded = Math.min(excluded, bound + (reach + 1) * d);
                }
            }
        }
        return excluded;
    }

    /**
     * The search's pseudo-costs: per column, the bound gained per unit its count moved, averaged over the
     * branches down and the branches up on it solved so far.
     */
    static final class PseudoCosts {
        private final double[] unitCost;
        private final double[] downGain;
        private final double[] upGain;
        private final int[] downCount;
        private final int[] upCount;

        /** No branch seen yet: each column's estimate is its unit cost. */
        PseudoCosts(double[] unitCost) {
            this.unitCost = unitCost;
            int n = unitCost.length;
            downGain = new double[n];
            upGain = new double[n];
            downCount = new int[n];
            upCount = new int[n];
        }

        /**
         * Records what a branch gained per unit its column moved: the pseudo-costs that estimate how much
         * the next branch on that column will raise the bound. A node made by no branch (the root), a move
         * within the integrality tolerance, and a gain that is negative or not finite teach nothing.
         *
         * @param branchedOn the branch that made the node: +-(column + 1), negative for the down branch
         */
        void learn(int branchedOn, double moved, double gain) {
            if (branchedOn == 0 || !(moved > INTEGRALITY) || !(gain >= 0) || !Double.isFinite(gain)) {
                return;
            }
            int j = Math.abs(branchedOn) - 1;
            if (branchedOn < 0) {
                downGain[j] += gain / moved;
                downCount[j]++;
            } else {
                upGain[j] += gain / moved;
                upCount[j]++;
            }
        }

        /**
         * How much branching on column j, whose count has fraction {@code f}, is expected to raise the
         * lower bound: the product of the two children's estimated gains, {@code f} times the down
         * pseudo-cost and {@code 1 - f} times the up one (the unit cost until the column has been branched
         * on that way), each at least a millionth of the unit cost, so a branch that raises both children's
         * bounds is preferred to one that raises only one.
         */
        double score(int j, double f) {
            double down = f * (downCount[j] > 0 ? downGain[j] / downCount[j] : unitCost[j]);
            double up = (1 - f) * (upCount[j] > 0 ? upGain[j] / upCount[j] : unitCost[j]);
            double floor = 1e-6 * unitCost[j];
            return Math.max(down, floor) * Math.max(up, floor);
        }
    }
}
