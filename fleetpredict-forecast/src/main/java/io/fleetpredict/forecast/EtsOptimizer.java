package io.fleetpredict.forecast;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum likelihood estimation of an ETS model: minimises R's criterion {@code n log(sum e^2)}
 * ({@code + 2 sum log|f|} for multiplicative errors) over the smoothing parameters and the initial
 * states with a Nelder-Mead simplex, restarted from its own optimum until it stops improving.
 *
 * <p>The parameter region is R's default {@code bounds="both"}: the "usual" box
 * {@code 1e-4 <= alpha <= 0.9999}, {@code 1e-4 <= beta <= alpha}, {@code 1e-4 <= gamma <= 1 - alpha},
 * {@code 0.8 <= phi <= 0.98}, intersected with the admissible region ({@link StabilityRegion}). The
 * box is built into the coordinates (logistic maps, beta as a fraction of alpha, gamma of
 * {@code 1 - alpha}), so the simplex moves freely; inadmissible points get a huge criterion, as in R.
 *
 * <p>For periods above {@link #MAX_OPTIMISED_PERIOD} the {@code m} seasonal initial states are held at
 * their decomposition values and only the smoothing parameters and the level and slope states are
 * estimated: this keeps a fit of a long period (24, 168, 336) to a handful of dimensions, so that a
 * likelihood evaluation stays O(n) and a fit takes milliseconds.
 */
final class EtsOptimizer {

    /** The longest period whose seasonal initial states are estimated by maximum likelihood. */
    static final int MAX_OPTIMISED_PERIOD = 12;

    static final double LOWER = 1e-4;
    static final double UPPER = 0.9999;
    static final double PHI_LOWER = 0.8;
    static final double PHI_UPPER = 0.98;

    private static final double BIG = 1e35;

    /** The estimate: parameters, initial state in R's layout, and the criterion {@code -2 loglik}. */
    record Estimate(EtsParameters parameters, double[] initialState, double criterion) {
        Estimate {
            initialState = initialState.clone();
        }

        @Override
        public double[] initialState() {
            return initialState.clone();
        }
    }

    private final double[] y;
    private final EtsSpec spec;
    private final int m;
    private final boolean optimiseSeasonal;
    private final double[] start;
    private final double scale;
    private final double seasonScale;
    private final EtsRecursion recursion;
    private final double[] sums = new double[2];
    private final int nSmoothing;

    EtsOptimizer(double[] y, EtsSpec spec, int period) {
        this.y = y;
        this.spec = spec;
        this.m = spec.seasonal() ? period : 1;
        this.optimiseSeasonal = spec.seasonal() && m <= MAX_OPTIMISED_PERIOD;
        this.start = EtsInitialState.of(y, spec, period);
        this.recursion = new EtsRecursion(spec, period);
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / Math.max(1, y.length - 1));
        this.scale = Math.max(sd, 1e-8 * (1 + Math.abs(mean)));
        this.seasonScale = spec.season() == EtsSpec.Season.MULTIPLICATIVE ? 0.1 : scale;
        this.nSmoothing = 1 + (spec.trended() ? 1 : 0) + (spec.seasonal() ? 1 : 0) + (spec.damped() ? 1 : 0);
    }

    /** Number of free parameters as R counts them: smoothing parameters plus initial states (m - 1 seasonal). */
    static int parameterCount(EtsSpec spec, int period) {
        return 1 + (spec.trended() ? 2 : 0) + (spec.damped() ? 1 : 0) + (spec.seasonal() ? period : 0) + 1;
    }

    Estimate estimate() {
        int dim = nSmoothing + 1 + (spec.trended() ? 1 : 0) + (optimiseSeasonal ? m - 1 : 0);
        double[] x = new double[dim];
        double[] steps = new double[dim];
        int k = 0;
        // R's initparam: alpha a fifth of the way into its range (over m), beta a tenth, gamma a twentieth.
        double alpha0 = LOWER + 0.2 * (UPPER - LOWER) / m;
        x[k] = logit((alpha0 - LOWER) / (UPPER - LOWER));
        steps[k++] = 1;
        if (spec.trended()) {
            x[k] = logit(0.1);
            steps[k++] = 1;
        }
        if (spec.seasonal()) {
            x[k] = logit(0.05);
            steps[k++] = 1;
        }
        if (spec.damped()) {
            x[k] = logit(0.9);
            steps[k++] = 1;
        }
        for (; k < dim; k++) {
            steps[k] = 0.1;
        }
        double best = value(x);
        if (!(best < BIG)) {
            // The R starting point can be inadmissible for some seasonal models; walk alpha towards the middle.
            for (double a : new double[] {0.5, 0.3, 0.1}) {
                x[0] = logit((a - LOWER) / (UPPER - LOWER));
                best = value(x);
                if (best < BIG) {
                    break;
                }
            }
            if (!(best < BIG)) {
                throw new ModelFitException(spec.label() + ": no admissible starting point");
            }
        }
        bestPoint = x.clone();
        bestValue = best;
        int maxEval = Math.max(2000, 300 * dim);
        for (int run = 0; run < 6; run++) {
            double before = bestValue;
            SimplexOptimizer optimizer = new SimplexOptimizer(new SimpleValueChecker(1e-8, 1e-8));
            try {
                optimizer.optimize(new MaxEval(maxEval), new ObjectiveFunction(this::tracked),
                        GoalType.MINIMIZE, new InitialGuess(bestPoint.clone()),
                        new NelderMeadSimplex(scaled(steps, run)));
            } catch (TooManyEvaluationsException e) {
                // The budget ran out: keep the best point seen and restart from it.
            }
            evaluations += optimizer.getEvaluations();
            if (run > 0 && before - bestValue <= 1e-8 * (Math.abs(bestValue) + 1)) {
                break;
            }
        }
        x = bestPoint;
        best = bestValue;
        return new Estimate(parameters(x), state(x), best);
    }

    private static double[] scaled(double[] steps, int run) {
        double[] s = steps.clone();
        double f = run == 0 ? 1 : 0.5;
        for (int i = 0; i < s.length; i++) {
            s[i] *= f;
        }
        return s;
    }

    private double[] bestPoint;
    private double bestValue;
    private long evaluations;

    long evaluations() {
        return evaluations;
    }

    private double tracked(double[] x) {
        double v = value(x);
        if (v < bestValue) {
            bestValue = v;
            bestPoint = x.clone();
        }
        return v;
    }

    private double value(double[] x) {
        EtsParameters p = parameters(x);
        if (spec.seasonal() || spec.trended()) {
            if (!StabilityRegion.admissible(p.alpha(), spec.trended() ? p.beta() : Double.NaN,
                    spec.seasonal() ? p.gamma() : Double.NaN, spec.damped() ? p.phi() : Double.NaN, m)) {
                return BIG;
            }
        }
        double[] state = state(x);
        if (spec.season() == EtsSpec.Season.MULTIPLICATIVE) {
            int first = spec.trended() ? 2 : 1;
            for (int j = first; j < state.length; j++) {
                if (state[j] < 0) {
                    return BIG;
                }
            }
        }
        recursion.load(state);
        sums[0] = 0;
        sums[1] = 0;
        if (!recursion.filter(y, 0, y.length, p, sums, null, 0)) {
            return BIG;
        }
        double lik = EtsRecursion.criterion(y.length, sums[0], sums[1], spec.multiplicativeError());
        if (Double.isNaN(lik)) {
            return BIG;
        }
        return Math.max(lik, -1e10);
    }

    EtsParameters parameters(double[] x) {
        int k = 0;
        double alpha = LOWER + (UPPER - LOWER) * sigmoid(x[k++]);
        double beta = 0;
        double gamma = 0;
        double phi = 1;
        if (spec.trended()) {
            beta = LOWER + (Math.min(alpha, UPPER) - LOWER) * sigmoid(x[k++]);
        }
        if (spec.seasonal()) {
            gamma = LOWER + (Math.min(1 - alpha, UPPER) - LOWER) * sigmoid(x[k++]);
        }
        if (spec.damped()) {
            phi = PHI_LOWER + (PHI_UPPER - PHI_LOWER) * sigmoid(x[k]);
        }
        return new EtsParameters(alpha, beta, gamma, phi);
    }

    double[] state(double[] x) {
        double[] s = start.clone();
        int k = nSmoothing;
        s[0] += scale * x[k++];
        if (spec.trended()) {
            s[1] += scale / 10 * x[k++];
        }
        if (optimiseSeasonal) {
            int first = spec.trended() ? 2 : 1;
            double sum = 0;
            for (int j = 0; j < m - 1; j++) {
                s[first + j] += seasonScale * x[k++];
                sum += s[first + j];
            }
            s[first + m - 1] = (spec.season() == EtsSpec.Season.MULTIPLICATIVE ? m : 0) - sum;
        }
        return s;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
