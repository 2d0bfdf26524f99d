package io.fleetpredict.forecast;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.jspecify.annotations.Nullable;

/**
 * Maximum likelihood estimation of an ETS model: minimises R's criterion {@code n log(sum e^2)}
 * ({@code + 2 sum log|f|} for multiplicative errors) over the smoothing parameters and the initial
 * states with a Nelder-Mead simplex, restarted from its own optimum until it stops improving.
 *
 * <p>Two things keep this cheap where R's optimiser is slow. With additive errors the one-step errors are
 * affine in the initial level and slope, so those two are not searched: for each trial of the smoothing
 * parameters they are solved exactly by least squares from the errors' responses to a unit level and a unit
 * slope, run in the same pass ({@link EtsRecursion#additiveGram}); the simplex then moves in one or two
 * dimensions fewer, and the likelihood found is never worse than a search over all of them would find at
 * the same smoothing parameters. And a model can start from the estimate of a related model fitted before
 * it ({@link #estimate(Estimate)}): the model with multiplicative errors from the same model with additive
 * errors, whose optimum is usually close, with a smaller simplex.
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
    /** The simplex steps, in the logistic coordinates, around a warm start (R's start uses 1). */
    private static final double WARM_STEP = 0.3;
    /**
     * How close to its bounds a warm start may put a smoothing parameter, as a fraction of its range: a
     * parameter at a bound sits far out on the flat tail of the logistic map, where the simplex cannot
     * turn round.
     */
    private static final double WARM_CLAMP = 0.02;

    /** The estimate: parameters, initial state in R's layout, and the criterion {@code -2 loglik}. */
    record Estimate(EtsSpec spec, EtsParameters parameters, double[] initialState, double criterion) {
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
    private final boolean concentrated;
    private final double[] start;
    private final double scale;
    private final double seasonScale;
    private final EtsRecursion recursion;
    private final double[] sums = new double[2];
    private final double[] gram = new double[6];
    private final int nSmoothing;
    private final int nStates;

    private long evaluations;

    EtsOptimizer(double[] y, EtsSpec spec, int period) {
        this.y = y;
        this.spec = spec;
        this.m = spec.seasonal() ? period : 1;
        this.optimiseSeasonal = spec.seasonal() && m <= MAX_OPTIMISED_PERIOD;
        this.concentrated = !spec.multiplicativeError();
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
        this.nStates = concentrated ? 0 : 1 + (spec.trended() ? 1 : 0);
    }

    /** Number of free parameters as R counts them: smoothing parameters plus initial states (m - 1 seasonal). */
    static int parameterCount(EtsSpec spec, int period) {
        return 1 + (spec.trended() ? 2 : 0) + (spec.damped() ? 1 : 0) + (spec.seasonal() ? period : 0) + 1;
    }

    /** Evaluations of the likelihood so far. */
    long evaluations() {
        return evaluations;
    }

    Estimate estimate() {
        return estimate(null);
    }

    /**
     * Estimates the model from R's starting values or, when {@code warm} is given (the estimate of a
     * related model, such as the same trend and season with additive errors), from that estimate with a
     * smaller simplex. With multiplicative errors only the warm start is searched (when it is admissible);
     * with additive errors the search is cheap and both are, the better optimum kept.
     */
    Estimate estimate(@Nullable Estimate warm) {
        int dim = nSmoothing + nStates + (optimiseSeasonal ? m - 1 : 0);
        Estimate fromWarm = null;
        if (warm != null) {
            double[] w = coordinates(warm);
            if (allFinite(w) && value(w) < BIG) {
                double[] ws = new double[dim];
                for (int i = 0; i < dim; i++) {
                    ws[i] = i < nSmoothing ? WARM_STEP : 0.1 * WARM_STEP;
                }
                fromWarm = search(w, ws);
                if (!concentrated) {
                    return fromWarm;
                }
            }
        }
        // A concentrated search is cheap (a few smoothing parameters): R's start is searched as well, and
        // the better of the two optima kept.
        Estimate fromR = estimateFromR(dim);
        return fromWarm != null && fromWarm.criterion() < fromR.criterion() ? fromWarm : fromR;
    }

    private Estimate estimateFromR(int dim) {
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
                throw new ModelFitException(spec.label() + ": no admissible starting point" + Overflow.hint(y));
            }
        }
        return search(x, steps);
    }

    /** Nelder-Mead from {@code x0}, restarted from its own optimum with half the steps until it stops improving. */
    private Estimate search(double[] x0, double[] steps) {
        Best best = new Best(x0);
        int maxEval = Math.max(2000, 300 * x0.length);
        for (int run = 0; run < 6; run++) {
            double before = best.value;
            SimplexOptimizer optimizer = new SimplexOptimizer(new SimpleValueChecker(1e-8, 1e-8));
            try {
                optimizer.optimize(new MaxEval(maxEval), new ObjectiveFunction(best::tracked),
                        GoalType.MINIMIZE, new InitialGuess(best.point.clone()),
                        new NelderMeadSimplex(scaled(steps, run)));
            } catch (TooManyEvaluationsException e) {
                // The budget ran out: keep the best point seen and restart from it.
            }
            if (run > 0 && before - best.value <= 1e-8 * (Math.abs(best.value) + 1)) {
                break;
            }
        }
        double[] x = best.point;
        double[] state = state(x);
        if (concentrated && !concentrate(parameters(x), state)) {
            throw new ModelFitException(spec.label() + ": the state recursion diverged at the optimum");
        }
        return new Estimate(spec, parameters(x), state, best.value);
    }

    /** The best point one search has seen, kept across the simplex restarts (which only report their last). */
    private final class Best {
        private double[] point;
        private double value;

        Best(double[] x0) {
            this.point = x0.clone();
            this.value = EtsOptimizer.this.value(x0);
        }

        double tracked(double[] x) {
            double v = EtsOptimizer.this.value(x);
            if (v < value) {
                value = v;
                point = x.clone();
            }
            return v;
        }
    }

    private static double[] scaled(double[] steps, int run) {
        double[] s = steps.clone();
        double f = run == 0 ? 1 : 0.5;
        for (int i = 0; i < s.length; i++) {
            s[i] *= f;
        }
        return s;
    }

    private double value(double[] x) {
        evaluations++;
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
        double lik;
        if (concentrated) {
            double sse = concentratedSse(p, state);
            if (!(sse > 0) || !Double.isFinite(sse)) {
                return BIG;
            }
            lik = EtsRecursion.criterion(y.length, sse, 0, false);
        } else {
            recursion.load(state);
            sums[0] = 0;
            sums[1] = 0;
            if (!recursion.filter(y, 0, y.length, p, sums, null, 0)) {
                return BIG;
            }
            lik = EtsRecursion.criterion(y.length, sums[0], sums[1], spec.multiplicativeError());
        }
        if (Double.isNaN(lik)) {
            return BIG;
        }
        return Math.max(lik, -1e10);
    }

    /**
     * With additive errors the one-step errors are affine in the initial level and slope, so for given
     * smoothing parameters (and seasonal states) the sum of squares is a quadratic in those two states
     * with a closed-form minimum: the optimiser searches the smoothing parameters alone, and the level
     * and slope are estimated exactly. Returns the minimum sum of squares, NaN if the recursion diverged.
     */
    private double concentratedSse(EtsParameters p, double[] state) {
        if (!recursion.additiveGram(y, state, p, gram)) {
            return Double.NaN;
        }
        double[] ab = solveGram();
        double saa = gram[0];
        double sse = saa + ab[0] * gram[1] + ab[1] * gram[2];
        if (sse < 1e-9 * saa) {
            // Cancellation may have eaten the digits of a near-perfect fit: filter once more exactly.
            double[] exact = state.clone();
            exact[0] += ab[0];
            if (spec.trended()) {
                exact[1] += ab[1];
            }
            recursion.load(exact);
            sums[0] = 0;
            sums[1] = 0;
            return recursion.filter(y, 0, y.length, p, sums, null, 0) ? sums[0] : Double.NaN;
        }
        return sse;
    }

    /** The level and slope offsets minimising the quadratic in {@link #gram}. */
    private double[] solveGram() {
        double sau = gram[1];
        double sav = gram[2];
        double suu = gram[3];
        double suv = gram[4];
        double svv = gram[5];
        double l = 0;
        double b = 0;
        if (spec.trended()) {
            double det = suu * svv - suv * suv;
            if (det > 1e-12 * suu * svv) {
                l = (-sau * svv + sav * suv) / det;
                b = (-sav * suu + sau * suv) / det;
            } else if (suu > 0) {
                l = -sau / suu;
            }
        } else if (suu > 0) {
            l = -sau / suu;
        }
        return new double[] {l, b};
    }

    /** Replaces the level and slope of {@code state} by their exact estimates; false if the recursion diverged. */
    private boolean concentrate(EtsParameters p, double[] state) {
        if (!recursion.additiveGram(y, state, p, gram)) {
            return false;
        }
        double[] ab = solveGram();
        state[0] += ab[0];
        if (spec.trended()) {
            state[1] += ab[1];
        }
        return true;
    }

    /** The optimiser's coordinates of another estimate's parameters and states, where this model has them. */
    double[] coordinates(Estimate warm) {
        double[] x = new double[nSmoothing + nStates + (optimiseSeasonal ? m - 1 : 0)];
        EtsParameters p = warm.parameters();
        int k = 0;
        double alpha = p.alpha();
        x[k++] = logitClamped((alpha - LOWER) / (UPPER - LOWER));
        if (spec.trended()) {
            x[k++] = logitClamped((p.beta() - LOWER) / (Math.min(alpha, UPPER) - LOWER));
        }
        if (spec.seasonal()) {
            x[k++] = logitClamped((p.gamma() - LOWER) / (Math.min(1 - alpha, UPPER) - LOWER));
        }
        if (spec.damped()) {
            x[k++] = logitClamped((p.phi() - PHI_LOWER) / (PHI_UPPER - PHI_LOWER));
        }
        double[] s = warm.initialState();
        if (nStates > 0) {
            x[k++] = (s[0] - start[0]) / scale;
            if (spec.trended()) {
                x[k++] = warm.spec().trended() ? (s[1] - start[1]) / (scale / 10) : 0;
            }
        }
        if (optimiseSeasonal && warm.spec().season() == spec.season() && warm.spec().trended() == spec.trended()) {
            int first = spec.trended() ? 2 : 1;
            for (int j = 0; j < m - 1; j++) {
                x[k++] = (s[first + j] - start[first + j]) / seasonScale;
            }
        }
        return x;
    }

    private static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double logitClamped(double p) {
        // NaN (a fraction 0 / 0 of an empty range) starts in the middle.
        return Double.isNaN(p) ? 0 : logit(Math.min(Math.max(p, WARM_CLAMP), 1 - WARM_CLAMP));
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

    /** The initial state at {@code x}; with concentrated level and slope, those two are R's starting values. */
    double[] state(double[] x) {
        double[] s = start.clone();
        int k = nSmoothing;
        if (nStates > 0) {
            s[0] += scale * x[k++];
            if (spec.trended()) {
                s[1] += scale / 10 * x[k++];
            }
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
