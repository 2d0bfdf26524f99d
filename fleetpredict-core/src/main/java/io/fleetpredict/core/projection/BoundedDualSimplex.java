package io.fleetpredict.core.projection;

import java.util.Arrays;

/**
 * The linear relaxation of a {@link CoverProblem}, solved by the dual simplex method with bounded
 * variables on a dense tableau, so that branch and bound can change a bound and re-solve from the
 * parent's optimal basis in a few pivots instead of from scratch.
 *
 * <p>Every row is written {@code a x >= b} (the spot-share row negated) with a surplus variable
 * {@code s = a x - b >= 0}; the structural counts have bounds {@code [lower, upper]}, upper possibly
 * infinite. Costs are positive, so the all-surplus basis with every count at zero is dual feasible,
 * and a bound change keeps the basis dual feasible: the dual simplex then restores primal feasibility.
 * Each dual-feasible basis's objective is a lower bound on the node's optimum (weak duality), so a node
 * is abandoned as soon as that bound reaches the cutoff. Rows are scaled (each resource row by its
 * need, the share row by the cores it involves) and costs by the dearest column, so the tolerances are
 * relative.
 *
 * <p>The relaxation is a valid lower bound of the integer program with its tolerances: coverage rows
 * ask for {@code 1 - TOLERANCE} of the need, with each coefficient capped at the need (an integer plan
 * that uses a unit providing the whole need meets the row anyway), and the share row allows the same slack
 * {@link CoverProblem#spotShareHolds} allows. A primal tolerance only loosens the relaxation further.
 * Not thread-safe; {@link #copy()} gives an independent one.
 *
 * <p>A numerical kernel kept in one file on purpose: the tableau, its bounds and the pivoting rules share
 * arrays that every pivot touches, and the hot loop stays flat.
 */
final class BoundedDualSimplex {

    /** How it ended. */
    enum Status {
        /** Primal and dual feasible: the relaxation's optimum. */
        OPTIMAL,
        /** The rows and bounds admit no point. */
        INFEASIBLE,
        /** Its lower bound reached the cutoff before the optimum was found. */
        CUTOFF,
        /** The pivot limit was reached; nothing is proven. */
        ITERATION_LIMIT
    }

    private static final double PRIMAL_TOLERANCE = 1e-11;
    private static final double PIVOT_TOLERANCE = 1e-9;
    private static final double DUAL_TOLERANCE = 1e-12;
    private static final double CUT_MIN_FRACTION = 0.01;
    private static final double CUT_ZERO = 1e-11;
    private static final double CUT_DYNAMISM = 1e6;
    private static final double CUT_SAFETY = 1e-7;

    final int structurals;
    private final int rows;
    private final int width;
    private final double costScale;
    private final double[] tableau;
    private final double[] rhs;
    private final int[] basis;
    private final int[] position;
    private final double[] value;
    private final double[] reduced;
    private final double[] cost;
    final double[] lower;
    final double[] upper;
    private final boolean[] atUpper;
    /** The rows as built, {@code rowCoefficients[i] x >= rowBound[i]}; shared between copies, never changed. */
    @SuppressWarnings("NullAway.Init") // set by of() and copied by the copy constructor, before any use
    private double[][] rowCoefficients;
    @SuppressWarnings("NullAway.Init") // as rowCoefficients
    private double[] rowBound;
    /** The incumbent cost whose caps on the counts these bounds already respect; NaN before any. */
    double cappedFor = Double.NaN;
    private double solvedObjective = Double.NaN;
    /**
     * The objective in scaled cost units, carried along each move of a nonbasic value as reduced cost
     * times move; it only tells {@link #solve} when to sum the exact objective, so its drift is harmless.
     */
    private double runningObjective;
    /** Set once some column's lower bound was set above its upper bound. */
    private boolean crossedBounds;

    private BoundedDualSimplex(int structurals, int rows, double costScale) {
        this.structurals = structurals;
        this.rows = rows;
        this.width = structurals + rows;
        this.costScale = costScale;
        this.tableau = new double[rows * width];
        this.rhs = new double[rows];
        this.basis = new int[rows];
        this.position = new int[width];
        this.value = new double[width];
        this.reduced = new double[width];
        this.cost = new double[width];
        this.lower = new double[width];
        this.upper = new double[width];
        this.atUpper = new boolean[width];
    }

    private BoundedDualSimplex(BoundedDualSimplex o) {
        this.structurals = o.structurals;
        this.rows = o.rows;
        this.width = o.width;
        this.costScale = o.costScale;
        this.tableau = o.tableau.clone();
        this.rhs = o.rhs.clone();
        this.basis = o.basis.clone();
        this.position = o.position.clone();
        this.value = o.value.clone();
        this.reduced = o.reduced.clone();
        this.cost = o.cost;
        this.lower = o.lower.clone();
        this.upper = o.upper.clone();
        this.atUpper = o.atUpper.clone();
        this.runningObjective = o.runningObjective;
        this.crossedBounds = o.crossedBounds;
        this.rowCoefficients = o.rowCoefficients;
        this.rowBound = o.rowBound;
        this.cappedFor = o.cappedFor;
    }

    /** The relaxation at the root: every count in {@code [0, infinity)}, the all-surplus basis. */
    static BoundedDualSimplex of(CoverProblem p) {
        return of(p, new double[0][]);
    }

    /**
     * The relaxation at the root with extra rows {@code cut[0..n-1] x >= cut[n]}, each valid for every
     * integer plan (as {@link #gomoryCuts()} returns them).
     */
    static BoundedDualSimplex of(CoverProblem p, double[][] cuts) {
        int n = p.columns;
        double[][] a = new double[ResourceVector.DIMENSIONS + 2 + cuts.length][];
        double[] b = new double[ResourceVector.DIMENSIONS + 2 + cuts.length];
        int m = 0;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (p.need[r] > 0) {
                a[m] = new double[n];
                for (int j = 0; j < n; j++) {
                    // one unit that covers the whole need covers it however large it is: capping its
                    // coefficient at 1 keeps every integer plan and cuts off fractions of big instances
                    a[m][j] = Math.min(1, p.capacity[j][r] / p.need[r]);
                }
                b[m++] = 1 - CoverProblem.TOLERANCE;
            }
        }
        if (p.minNonSpot > 0) {
            a[m] = new double[n];
            for (int j = 0; j < n; j++) {
                a[m][j] = p.spot[j] ? 0 : 1;
            }
            b[m++] = p.minNonSpot;
        }
        boolean anySpot = false;
        for (boolean s : p.spot) {
            anySpot |= s;
        }
        if (anySpot && p.maxSpotShare < 1) {
            // sum (coef_j - TOL cpu_j) x_j <= slack (1 + TOL), the share check with its tolerance, negated
            double scale = Math.max(1, Math.max(p.need[0], p.spotSlackCores));
            a[m] = new double[n];
            for (int j = 0; j < n; j++) {
                a[m][j] = -(p.spotShareCoefficient(j) - CoverProblem.TOLERANCE * p.capacity[j][0]) / scale;
            }
            b[m++] = -p.spotSlackCores * (1 + CoverProblem.TOLERANCE) / scale;
        }
        for (double[] cut : cuts) {
            a[m] = Arrays.copyOf(cut, n);
            b[m++] = cut[n];
        }
        double costScale = 0;
        for (double c : p.cost) {
            costScale = Math.max(costScale, c);
        }
        BoundedDualSimplex s = new BoundedDualSimplex(n, m, costScale > 0 ? costScale : 1);
        for (int j = 0; j < n; j++) {
            s.cost[j] = p.cost[j] / s.costScale;
            s.reduced[j] = s.cost[j];
            s.upper[j] = Double.POSITIVE_INFINITY;
            s.position[j] = -1;
        }
        for (int i = 0; i < m; i++) {
            int slack = n + i;
            // -a x + s = -b, so s = a x - b
            for (int j = 0; j < n; j++) {
                s.tableau[i * s.width + j] = -a[i][j];
            }
            s.tableau[i * s.width + slack] = 1;
            s.rhs[i] = -b[i];
            s.basis[i] = slack;
            s.position[slack] = i;
            s.upper[slack] = Double.POSITIVE_INFINITY;
        }
        s.rowCoefficients = Arrays.copyOf(a, m);
        s.rowBound = Arrays.copyOf(b, m);
        s.refreshBasicValues();
        s.runningObjective = s.objective() / s.costScale;
        return s;
    }

    /**
     * Gomory mixed-integer cuts from the rows of this optimal basis whose basic count is fractional,
     * written over the counts alone: {@code cut[0..n-1] x >= cut[n]}. Each is valid for every integer
     * point of the rows as built (the root's), whatever the bounds, so it may be added to every node.
     *
     * <p>Only for a basis whose nonbasic variables all sit at zero (the root's). A tableau row reads
     * {@code x_k + sum_j t_j v_j = beta} over the nonbasic counts and surpluses {@code v_j >= 0}; with
     * {@code f0} the fraction of {@code beta} and {@code f_j} that of {@code t_j}, the cut is
     * {@code sum_{integer j} min(f_j / f0, (1 - f_j) / (1 - f0)) v_j + sum_{surplus j} max(t_j / f0,
     * -t_j / (1 - f0)) v_j >= 1}; each surplus is then replaced by its row, {@code a_i x - b_i}. Rows
     * whose fraction is near 0 or 1, or whose coefficients span too many orders of magnitude to be
     * trusted (more than six orders of magnitude), give no cut, and each cut's right-hand side is lowered by
     * a safety margin against rounding, 1e-7 of the sum of its own size and its largest coefficient's.
     */
    double[][] gomoryCuts() {
        double[][] cuts = new double[rows][];
        int found = 0;
        for (int r = 0; r < rows; r++) {
            int k = basis[r];
            if (k >= structurals) {
                continue;
            }
            double beta = value[k];
            double f0 = beta - Math.floor(beta);
            if (f0 < CUT_MIN_FRACTION || f0 > 1 - CUT_MIN_FRACTION) {
                continue;
            }
            int base = r * width;
            double[] cut = new double[structurals + 1];
            double rhs = 1;
            boolean usable = true;
            for (int j = 0; j < width && usable; j++) {
                if (position[j] >= 0) {
                    continue;
                }
                if (value[j] != 0) {
                    usable = false;
                    break;
                }
                double t = tableau[base + j];
                if (Math.abs(t) < CUT_ZERO) {
                    continue;
                }
                if (j < structurals) {
                    double f = t - Math.floor(t);
                    cut[j] += Math.min(f / f0, (1 - f) / (1 - f0));
                } else {
                    double g = t > 0 ? t / f0 : -t / (1 - f0);
                    double[] row = rowCoefficients[j - structurals];
                    for (int i = 0; i < structurals; i++) {
                        cut[i] += g * row[i];
                    }
                    rhs += g * rowBound[j - structurals];
                }
            }
            if (!usable) {
                continue;
            }
            double largest = 0;
            double smallest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < structurals; i++) {
                double c = Math.abs(cut[i]);
                if (c < CUT_ZERO) {
                    cut[i] = 0;
                } else {
                    largest = Math.max(largest, c);
                    smallest = Math.min(smallest, c);
                }
            }
            if (largest == 0 || largest > CUT_DYNAMISM * smallest || !(rhs > CUT_ZERO * largest)) {
                continue;
            }
            double margin = CUT_SAFETY * (Math.abs(rhs) + largest);
            for (int i = 0; i < structurals; i++) {
                cut[i] /= largest;
            }
            cut[structurals] = (rhs - margin) / largest;
            cuts[found++] = cut;
        }
        return Arrays.copyOf(cuts, found);
    }

    BoundedDualSimplex copy() {
        return new BoundedDualSimplex(this);
    }

    /** The count of column j in the current basic solution. */
    double count(int j) {
        return value[j];
    }

    /** The reduced cost of column j, in the problem's cost units. */
    double reducedCost(int j) {
        return reduced[j] * costScale;
    }

    boolean basic(int j) {
        return position[j] >= 0;
    }

    boolean nonbasicAtUpper(int j) {
        return position[j] < 0 && atUpper[j];
    }

    /** The objective of the current basis in the problem's cost units: a lower bound while dual feasible. */
    double objective() {
        double sum = 0;
        for (int j = 0; j < structurals; j++) {
            sum += cost[j] * value[j];
        }
        return sum * costScale;
    }

    /**
     * The {@link #objective()} where the last {@link #solve} stopped with {@link Status#OPTIMAL} or
     * {@link Status#CUTOFF}, kept so the search need not sum it again.
     */
    double solvedObjective() {
        return solvedObjective;
    }

    /** Sets the bounds of column j; a nonbasic column moves to the bound its reduced cost asks for. */
    void setBounds(int j, double lo, double hi) {
        lower[j] = lo;
        upper[j] = hi;
        crossedBounds |= lo > hi;
        if (position[j] < 0) {
            if (atUpper[j] && hi == Double.POSITIVE_INFINITY) {
                atUpper[j] = false;
            }
            double moved = (atUpper[j] ? hi : lo) - value[j];
            if (moved != 0) {
                // x_B = rhs - T_N x_N: the basic values follow the nonbasic one along its column
                value[j] += moved;
                runningObjective += reduced[j] * moved;
                for (int i = 0; i < rows; i++) {
                    value[basis[i]] -= tableau[i * width + j] * moved;
                }
            }
        }
    }

    /** True if every lower bound is at most its upper bound. */
    boolean boundsConsistent() {
        if (!crossedBounds) {
            return true;
        }
        for (int j = 0; j < structurals; j++) {
            if (lower[j] > upper[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs dual simplex pivots until the basis is optimal, proven infeasible, its bound reaches
     * {@code cutoff} (in cost units), or {@code maxPivots} pivots were made.
     */
    Status solve(double cutoff, int maxPivots) {
        // the running objective only decides when to sum the exact one, which decides the status
        double scaledCutoff = cutoff / costScale;
        for (int pivots = 0; ; pivots++) {
            int r = leavingRow();
            if (r < 0) {
                solvedObjective = objective();
                runningObjective = solvedObjective / costScale;
                return solvedObjective >= cutoff ? Status.CUTOFF : Status.OPTIMAL;
            }
            if (runningObjective >= scaledCutoff) {
                double exact = objective();
                runningObjective = exact / costScale;
                if (exact >= cutoff) {
                    solvedObjective = exact;
                    return Status.CUTOFF;
                }
            }
            if (pivots >= maxPivots) {
                return Status.ITERATION_LIMIT;
            }
            int k = basis[r];
            boolean below = value[k] < lower[k];
            int q = enteringColumn(r, below);
            if (q < 0) {
                return Status.INFEASIBLE;
            }
            // the leaving variable goes to the bound it broke; the entering one moves just enough for that,
            // and the other basic values follow along the entering column (no full refresh per pivot)
            double target = below ? lower[k] : upper[k];
            double step = (value[k] - target) / tableau[r * width + q];
            for (int i = 0; i < rows; i++) {
                if (i != r) {
                    value[basis[i]] -= tableau[i * width + q] * step;
                }
            }
            value[q] += step;
            runningObjective += reduced[q] * step;
            atUpper[k] = !below;
            value[k] = target;
            pivot(r, q);
        }
    }

    /**
     * The row whose basic variable is furthest outside its bounds, relative to the bound, or -1; of rows
     * equally far outside, the first, so that a program is always solved by the same pivots.
     */
    private int leavingRow() {
        int chosen = -1;
        double worst = PRIMAL_TOLERANCE;
        for (int i = 0; i < rows; i++) {
            int k = basis[i];
            double v = value[k];
            double violation;
            if (v < lower[k]) {
                violation = (lower[k] - v) / (1 + Math.abs(lower[k]));
            } else if (v > upper[k]) {
                violation = (v - upper[k]) / (1 + Math.abs(upper[k]));
            } else {
                continue;
            }
            if (violation > worst) {
                worst = violation;
                chosen = i;
            }
        }
        return chosen;
    }

    /**
     * The dual ratio test: the nonbasic column whose move brings the leaving variable towards its bound
     * and whose reduced cost reaches zero first; ties go to the larger pivot.
     */
    private int enteringColumn(int r, boolean below) {
        int base = r * width;
        int chosen = -1;
        double bestRatio = Double.POSITIVE_INFINITY;
        double bestPivot = 0;
        for (int j = 0; j < width; j++) {
            if (position[j] >= 0 || lower[j] == upper[j]) {
                continue;
            }
            double a = tableau[base + j];
            boolean up = atUpper[j];
            boolean eligible = below ? (!up && a < -PIVOT_TOLERANCE || up && a > PIVOT_TOLERANCE)
                    : (!up && a > PIVOT_TOLERANCE || up && a < -PIVOT_TOLERANCE);
            if (!eligible) {
                continue;
            }
            double d = up ? Math.max(0, -reduced[j]) : Math.max(0, reduced[j]);
            double magnitude = Math.abs(a);
            double ratio = d / magnitude;
            if (ratio < bestRatio - DUAL_TOLERANCE
                    || ratio <= bestRatio + DUAL_TOLERANCE && magnitude > bestPivot) {
                bestRatio = Math.min(ratio, bestRatio);
                bestPivot = magnitude;
                chosen = j;
            }
        }
        return chosen;
    }

    private void pivot(int r, int q) {
        int base = r * width;
        double p = tableau[base + q];
        for (int j = 0; j < width; j++) {
            tableau[base + j] /= p;
        }
        rhs[r] /= p;
        tableau[base + q] = 1;
        for (int i = 0; i < rows; i++) {
            if (i == r) {
                continue;
            }
            int other = i * width;
            double f = tableau[other + q];
            if (f != 0) {
                for (int j = 0; j < width; j++) {
                    tableau[other + j] -= f * tableau[base + j];
                }
                rhs[i] -= f * rhs[r];
                tableau[other + q] = 0;
            }
        }
        double f = reduced[q];
        if (f != 0) {
            for (int j = 0; j < width; j++) {
                reduced[j] -= f * tableau[base + j];
            }
        }
        reduced[q] = 0;
        int leaving = basis[r];
        position[leaving] = -1;
        basis[r] = q;
        position[q] = r;
    }

    /** Basic values from the tableau and the nonbasic values: {@code x_B = rhs - T_N x_N}. */
    private void refreshBasicValues() {
        for (int i = 0; i < rows; i++) {
            int base = i * width;
            double v = rhs[i];
            for (int j = 0; j < width; j++) {
                if (position[j] < 0) {
                    double x = value[j];
                    if (x != 0) {
                        v -= tableau[base + j] * x;
                    }
                }
            }
            value[basis[i]] = v;
        }
    }

    @Override
    public String toString() {
        return "BoundedDualSimplex[values=" + Arrays.toString(Arrays.copyOf(value, structurals)) + "]";
    }
}
