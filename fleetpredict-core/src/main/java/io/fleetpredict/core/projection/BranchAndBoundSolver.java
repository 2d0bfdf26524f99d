package io.fleetpredict.core.projection;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Integer programming by depth-first branch and bound over warm-started linear relaxations, exact or to
 * a relative gap.
 *
 * <p>Each node's relaxation is solved by {@link BoundedDualSimplex} from its parent's optimal basis (a
 * branch changes one bound, so a few dual pivots restore optimality), and is abandoned as soon as its
 * dual bound reaches the cutoff. An integral relaxation is a candidate plan; otherwise the fractional
 * count {@code v} whose rounding moves the cost most (fraction times unit cost) is branched into
 * {@code x <= floor(v)} and {@code x >= ceil(v)}, the upper branch first since covering problems reach
 * feasible plans upwards. The incumbent is seeded by rounding the root relaxation down and completing it
 * greedily (or, if that fails, by the quick greedy cover), and improved by rounding up every node's
 * relaxation. Two bound tightenings cut the tree: no count may exceed {@code incumbent / unit cost}, and
 * reduced-cost fixing, by which a nonbasic count with reduced cost {@code d} moves at most
 * {@code (cutoff - bound) / d} units from its bound anywhere below the node.
 *
 * <p>The search stops when every open node's bound is within the relative gap of the incumbent (then
 * the plan is optimal to that gap), or at the node limit or the deadline; either way the answer carries
 * the lowest bound of the nodes left open or cut off, so the gap it proves is known.
 */
final class BranchAndBoundSolver implements CapacitySolver {

    /** The smallest relative gap at which the search stops: optimal within floating-point noise. */
    static final double EXACT_GAP = 1e-10;

    private static final double INTEGRALITY = 1e-6;
    private static final int PIVOTS_PER_COLUMN = 8;
    private static final int DEADLINE_CHECK_EVERY = 32;

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

    /** A node waiting on the stack: its relaxation with the branch's bound applied, and its parent's bound. */
    private record Open(BoundedDualSimplex relaxation, double bound) {
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

    /** One search: the incumbent, the stack and the bookkeeping of what is proven. */
    private final class Search {
        private final CoverProblem p;
        private final long deadline;
        private final int pivotLimit;
        private final int maxNodes;
        private int[] best;
        private double bestCost = Double.POSITIVE_INFINITY;
        /** The lowest bound of a node closed without exploring it fully (pruned, cut off or unsolved). */
        private double closedBound = Double.POSITIVE_INFINITY;
        private int nodes;
        private boolean stopped;
        /** The bound of the node {@link #process} last branched. */
        private double branchedBound;

        Search(CoverProblem p, long deadline, int maxNodes) {
            this.p = p;
            this.deadline = deadline;
            this.maxNodes = maxNodes;
            this.pivotLimit = maxPivots(p);
        }

        CoverSolution run() {
            Deque<Open> stack = new ArrayDeque<>();
            BoundedDualSimplex current = BoundedDualSimplex.of(p);
            double parentBound = 0;
            while (current != null) {
                BoundedDualSimplex up = process(current, parentBound, stack);
                if (nodes == 1 && best == null) {
                    // the root's rounding found no plan: the quick greedy cover seeds the incumbent
                    CoverSolution seed = GreedyCoverSolver.quick(p);
                    if (seed.status() != CoverSolution.Status.INFEASIBLE) {
                        offer(seed.counts());
                    }
                }
                if (up != null) {
                    parentBound = branchedBound;
                    current = up;
                    continue;
                }
                current = null;
                while (!stopped && current == null && !stack.isEmpty()) {
                    Open open = stack.pop();
                    if (open.bound() >= cutoff()) {
                        closedBound = Math.min(closedBound, open.bound());
                    } else {
                        current = open.relaxation();
                        parentBound = open.bound();
                    }
                }
            }
            for (Open open : stack) {
                closedBound = Math.min(closedBound, open.bound());
            }
            if (best == null) {
                // stopped before any plan was found: the full greedy search is the last resort
                return stopped ? new GreedyCoverSolver().solve(p, deadline) : CoverSolution.infeasible();
            }
            double lowerBound = Math.min(bestCost, closedBound);
            boolean optimal = bestCost - lowerBound <= CoverProblem.TOLERANCE * bestCost;
            return CoverSolution.of(best, bestCost, Math.max(0, lowerBound),
                    optimal ? CoverSolution.Status.OPTIMAL : CoverSolution.Status.FEASIBLE);
        }

        /** The bound at or above which a node cannot hold a plan better than the incumbent by the gap. */
        private double cutoff() {
            return bestCost - relativeGap * bestCost;
        }

        private void offer(int[] counts) {
            if (p.feasible(counts)) {
                double c = p.cost(counts);
                if (c < bestCost) {
                    best = counts;
                    bestCost = c;
                }
            }
        }

        /**
         * Solves one node, records what it proves, and branches: returns the relaxation of the up child
         * to continue with (the down child is pushed), or null if the node is closed.
         */
        private BoundedDualSimplex process(BoundedDualSimplex x, double parentBound, Deque<Open> stack) {
            if (nodes >= maxNodes || nodes % DEADLINE_CHECK_EVERY == 0 && nodes > 0
                    && System.nanoTime() - deadline > 0) {
                stopped = true;
                closedBound = Math.min(closedBound, parentBound);
                return null;
            }
            if (Double.isFinite(bestCost)) {
                tightenByIncumbent(x);
            }
            if (!x.boundsConsistent()) {
                return null;
            }
            nodes++;
            BoundedDualSimplex.Status status = x.solve(cutoff(), pivotLimit);
            switch (status) {
                case INFEASIBLE:
                    return null;
                case CUTOFF:
                    closedBound = Math.min(closedBound, x.objective());
                    return null;
                case ITERATION_LIMIT:
                    closedBound = Math.min(closedBound, parentBound);
                    return null;
                default:
                    break;
            }
            double bound = x.objective();
            int n = p.columns;
            int[] rounded = new int[n];
            int branch = -1;
            double widest = 0;
            for (int j = 0; j < n; j++) {
                double v = x.count(j);
                double nearest = Math.rint(v);
                double fraction = Math.abs(v - nearest);
                rounded[j] = (int) Math.max(0, nearest);
                // the fractional count whose rounding moves the cost most raises the children's bounds most
                double score = fraction * p.cost[j];
                if (fraction > INTEGRALITY && score > widest) {
                    widest = score;
                    branch = j;
                }
            }
            if (branch < 0) {
                if (p.feasible(rounded)) {
                    offer(rounded);
                    return null;
                }
                // integral within tolerance but short by rounding: branch on the first count that is off
                for (int j = 0; j < n && branch < 0; j++) {
                    if (x.count(j) != rounded[j]) {
                        branch = j;
                    }
                }
                if (branch < 0) {
                    closedBound = Math.min(closedBound, bound);
                    return null;
                }
            } else {
                int[] ceiled = new int[n];
                int[] floored = new int[n];
                for (int j = 0; j < n; j++) {
                    ceiled[j] = (int) Math.ceil(x.count(j) - INTEGRALITY);
                    floored[j] = (int) Math.floor(x.count(j) + INTEGRALITY);
                }
                offer(ceiled);
                if (nodes == 1) {
                    // the root rounded down and completed greedily is usually within a unit or two of the optimum
                    CoverSolution completed = GreedyCoverSolver.complete(p, floored);
                    if (completed.status() != CoverSolution.Status.INFEASIBLE) {
                        offer(completed.counts());
                    }
                }
            }
            if (bound >= cutoff()) {
                closedBound = Math.min(closedBound, bound);
                return null;
            }
            fixByReducedCost(x, bound);
            double v = x.count(branch);
            double down = Math.floor(v);
            BoundedDualSimplex downChild = x.copy();
            downChild.setBounds(branch, downChild.lower[branch], Math.min(downChild.upper[branch], down));
            stack.push(new Open(downChild, bound));
            branchedBound = bound;
            x.setBounds(branch, Math.max(x.lower[branch], down + 1), x.upper[branch]);
            return x;
        }

        /** No plan dearer than the incumbent is useful, so no count can exceed incumbent / unit cost. */
        private void tightenByIncumbent(BoundedDualSimplex x) {
            for (int j = 0; j < p.columns; j++) {
                double cap = Math.floor(bestCost / p.cost[j] * (1 + 1e-12));
                if (cap < x.upper[j]) {
                    x.setBounds(j, x.lower[j], cap);
                }
            }
        }

        /**
         * Moving a nonbasic count by k units from its bound raises the bound by at least k times its
         * reduced cost, so it cannot move further than {@code (cutoff - bound) / |d|} below this node.
         */
        private void fixByReducedCost(BoundedDualSimplex x, double bound) {
            double room = cutoff() - bound;
            if (!Double.isFinite(room)) {
                return;
            }
            for (int j = 0; j < p.columns; j++) {
                if (x.basic(j)) {
                    continue;
                }
                double d = x.reducedCost(j);
                if (x.nonbasicAtUpper(j)) {
                    if (d < 0) {
                        double reach = Math.floor(room / -d + 1e-9);
                        if (x.upper[j] - reach > x.lower[j]) {
                            x.setBounds(j, x.upper[j] - reach, x.upper[j]);
                            closedBound = Math.min(closedBound, bound + (reach + 1) * -d);
                        }
                    }
                } else if (d > 0) {
                    double reach = Math.floor(room / d + 1e-9);
                    if (x.lower[j] + reach < x.upper[j]) {
                        x.setBounds(j, x.lower[j], x.lower[j] + reach);
                        closedBound = Math.min(closedBound, bound + (reach + 1) * d);
                    }
                }
            }
        }
    }
}
