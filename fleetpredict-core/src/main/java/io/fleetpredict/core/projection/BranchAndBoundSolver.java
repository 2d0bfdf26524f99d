package io.fleetpredict.core.projection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * Exact integer programming by depth-first branch and bound.
 *
 * <p>Each node solves the linear relaxation of the {@link CoverProblem} with the node's bounds on the
 * counts (commons-math3 {@link SimplexSolver}); a node whose relaxed cost is not below the best plan
 * found so far is pruned, an integral relaxation is a candidate plan, and otherwise the most
 * fractional count {@code v} is branched into {@code x <= floor(v)} and {@code x >= ceil(v)}, the
 * upper branch first since covering problems reach feasible plans upwards. The greedy cover seeds the
 * incumbent and bounds every count by {@code incumbent cost / unit cost}. Rows are scaled (each
 * resource row by its need, costs by the dearest offer) so the simplex tolerances are relative.
 *
 * <p>When the number of relaxations solved reaches the node limit the search stops and the best plan
 * found is returned as feasible, not optimal.
 */
final class BranchAndBoundSolver implements CapacitySolver {

    private static final double INTEGRALITY = 1e-6;
    private static final double PRUNE_RELATIVE = 1e-10;
    private static final double SIMPLEX_EPSILON = 1e-9;
    private static final int SIMPLEX_MAX_ULPS = 10;
    private static final double SIMPLEX_CUTOFF = 1e-12;
    private static final int SIMPLEX_MAX_ITERATIONS = 10_000;

    private final int nodeLimit;
    private final CapacitySolver warmStart;

    BranchAndBoundSolver(int nodeLimit, CapacitySolver warmStart) {
        this.nodeLimit = nodeLimit;
        this.warmStart = warmStart;
    }

    @Override
    public SolverMethod method() {
        return SolverMethod.BRANCH_AND_BOUND;
    }

    @Override
    public CoverSolution solve(CoverProblem p) {
        int n = p.columns;
        if (p.trivial()) {
            return CoverSolution.of(new int[n], 0, CoverSolution.Status.OPTIMAL);
        }
        if (n == 0) {
            return CoverSolution.infeasible();
        }
        CoverSolution seed = warmStart.solve(p);
        int[] best = seed.status() == CoverSolution.Status.INFEASIBLE ? null : seed.counts();
        double bestCost = best == null ? Double.POSITIVE_INFINITY : p.cost(best);

        double costScale = Arrays.stream(p.cost).max().orElse(1);
        double[] objective = new double[n];
        for (int j = 0; j < n; j++) {
            objective[j] = p.cost[j] / costScale;
        }
        LinearObjectiveFunction f = new LinearObjectiveFunction(objective, 0);
        List<LinearConstraint> rows = baseRows(p);
        SimplexSolver simplex = new SimplexSolver(SIMPLEX_EPSILON, SIMPLEX_MAX_ULPS, SIMPLEX_CUTOFF);

        Deque<int[][]> stack = new ArrayDeque<>();
        int[] lower = new int[n];
        int[] upper = new int[n];
        Arrays.fill(upper, Integer.MAX_VALUE);
        stack.push(new int[][] {lower, upper});
        int nodes = 0;
        boolean exhausted = true;
        while (!stack.isEmpty()) {
            if (nodes >= nodeLimit) {
                exhausted = false;
                break;
            }
            int[][] node = stack.pop();
            int[] lo = node[0];
            int[] hi = node[1];
            if (best != null) {
                tightenByIncumbent(p, hi, bestCost);
            }
            if (!consistent(lo, hi)) {
                continue;
            }
            nodes++;
            double[] x = relax(simplex, f, rows, lo, hi);
            if (x == null) {
                continue;
            }
            double bound = 0;
            for (int j = 0; j < n; j++) {
                bound += p.cost[j] * x[j];
            }
            if (bound >= bestCost - PRUNE_RELATIVE * bestCost) {
                continue;
            }
            int[] rounded = new int[n];
            int branch = -1;
            double widest = 0;
            for (int j = 0; j < n; j++) {
                double nearest = Math.rint(x[j]);
                double fraction = Math.abs(x[j] - nearest);
                rounded[j] = (int) Math.max(0, nearest);
                if (fraction > INTEGRALITY && fraction > widest) {
                    widest = fraction;
                    branch = j;
                }
            }
            if (branch < 0) {
                if (p.feasible(rounded)) {
                    double c = p.cost(rounded);
                    if (c < bestCost) {
                        best = rounded;
                        bestCost = c;
                    }
                    continue;
                }
                // integral within tolerance but short by rounding: branch on the first count that is off
                for (int j = 0; j < n && branch < 0; j++) {
                    if (x[j] != rounded[j]) {
                        branch = j;
                    }
                }
                if (branch < 0) {
                    continue;
                }
            }
            int[] ceiled = new int[n];
            for (int j = 0; j < n; j++) {
                ceiled[j] = (int) Math.ceil(x[j] - INTEGRALITY);
            }
            if (p.feasible(ceiled) && p.cost(ceiled) < bestCost) {
                best = ceiled;
                bestCost = p.cost(ceiled);
            }
            double v = x[branch];
            int down = (int) Math.floor(v);
            int up = down + 1;
            int[] downHi = hi.clone();
            downHi[branch] = Math.min(hi[branch], down);
            int[] upLo = lo.clone();
            upLo[branch] = Math.max(lo[branch], up);
            stack.push(new int[][] {lo, downHi});
            stack.push(new int[][] {upLo, hi.clone()});
        }
        if (best == null) {
            return CoverSolution.infeasible();
        }
        return CoverSolution.of(best, bestCost,
                exhausted ? CoverSolution.Status.OPTIMAL : CoverSolution.Status.FEASIBLE);
    }

    /** No plan dearer than the incumbent is useful, so no count can exceed incumbent / unit cost. */
    private static void tightenByIncumbent(CoverProblem p, int[] hi, double bestCost) {
        for (int j = 0; j < hi.length; j++) {
            double cap = Math.floor(bestCost / p.cost[j] * (1 + 1e-12));
            if (cap < hi[j]) {
                hi[j] = (int) cap;
            }
        }
    }

    private static boolean consistent(int[] lo, int[] hi) {
        for (int j = 0; j < lo.length; j++) {
            if (lo[j] > hi[j]) {
                return false;
            }
        }
        return true;
    }

    private static List<LinearConstraint> baseRows(CoverProblem p) {
        int n = p.columns;
        List<LinearConstraint> rows = new ArrayList<>();
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (p.need[r] > 0) {
                double[] a = new double[n];
                for (int j = 0; j < n; j++) {
                    a[j] = p.capacity[j][r] / p.need[r];
                }
                rows.add(new LinearConstraint(a, Relationship.GEQ, 1 - CoverProblem.TOLERANCE));
            }
        }
        if (p.minNonSpot > 0) {
            double[] a = new double[n];
            for (int j = 0; j < n; j++) {
                a[j] = p.spot[j] ? 0 : 1;
            }
            rows.add(new LinearConstraint(a, Relationship.GEQ, p.minNonSpot));
        }
        boolean anySpot = false;
        for (boolean s : p.spot) {
            anySpot |= s;
        }
        if (anySpot && p.maxSpotShare < 1) {
            double scale = Math.max(1, Math.max(p.need[0], p.spotSlackCores));
            double[] a = new double[n];
            for (int j = 0; j < n; j++) {
                a[j] = p.spotShareCoefficient(j) / scale;
            }
            rows.add(new LinearConstraint(a, Relationship.LEQ, p.spotSlackCores / scale));
        }
        return rows;
    }

    /** The relaxation's optimal counts under the node's bounds, or null if it has no feasible point. */
    private static double[] relax(SimplexSolver simplex, LinearObjectiveFunction f, List<LinearConstraint> base,
            int[] lo, int[] hi) {
        int n = lo.length;
        List<LinearConstraint> rows = new ArrayList<>(base);
        for (int j = 0; j < n; j++) {
            if (lo[j] > 0) {
                rows.add(new LinearConstraint(unit(n, j), Relationship.GEQ, lo[j]));
            }
            if (hi[j] != Integer.MAX_VALUE) {
                rows.add(new LinearConstraint(unit(n, j), Relationship.LEQ, hi[j]));
            }
        }
        try {
            PointValuePair solution = simplex.optimize(new MaxIter(SIMPLEX_MAX_ITERATIONS), f,
                    new LinearConstraintSet(rows), GoalType.MINIMIZE, new NonNegativeConstraint(true));
            return solution.getPoint();
        } catch (NoFeasibleSolutionException | UnboundedSolutionException | TooManyIterationsException e) {
            return null;
        }
    }

    private static double[] unit(int n, int j) {
        double[] a = new double[n];
        a[j] = 1;
        return a;
    }
}
