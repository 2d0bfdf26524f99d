package io.fleetpredict.forecast;

import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.exception.MathArithmeticException;
import org.apache.commons.math3.exception.MathIllegalArgumentException;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BracketFinder;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * Derivative-free minimisation of a smooth objective: BOBYQA (Powell's quadratic trust-region method)
 * from two dimensions up, Brent's method after bracketing in one. The best point evaluated is returned
 * even when the evaluation budget runs out, so a slow convergence degrades rather than fails.
 */
final class TrustRegionMinimizer {

    /** A value the objective returns for inadmissible parameters; finite, so the models stay defined. */
    static final double PENALTY = 1e10;

    private TrustRegionMinimizer() {
    }

    record Result(double[] point, double value, boolean converged) {
    }

    static Result minimize(ToDoubleFunction<double[]> f, double[] start, double initialRadius, double stopRadius,
            int maxEvaluations) {
        int n = start.length;
        double[] best = start.clone();
        double[] bestValue = {safe(f.applyAsDouble(start))};
        ToDoubleFunction<double[]> tracked = x -> {
            double v = safe(f.applyAsDouble(x));
            if (v < bestValue[0]) {
                bestValue[0] = v;
                System.arraycopy(x, 0, best, 0, n);
            }
            return v;
        };
        if (n == 0) {
            return new Result(best, bestValue[0], true);
        }
        boolean converged = true;
        try {
            if (n == 1) {
                double[] buf = new double[1];
                UnivariateObjectiveFunction uf = new UnivariateObjectiveFunction(x -> {
                    buf[0] = x;
                    return tracked.applyAsDouble(buf);
                });
                BracketFinder bracket = new BracketFinder(1.618, maxEvaluations);
                bracket.search(uf.getObjectiveFunction(), GoalType.MINIMIZE, start[0], start[0] + initialRadius);
                double lo = Math.min(bracket.getLo(), bracket.getHi());
                double hi = Math.max(bracket.getLo(), bracket.getHi());
                new BrentOptimizer(1e-10, stopRadius).optimize(new MaxEval(maxEvaluations), uf,
                        GoalType.MINIMIZE, new SearchInterval(lo, hi, Math.min(hi, Math.max(lo, bracket.getMid()))));
            } else {
                double[] lower = new double[n];
                double[] upper = new double[n];
                for (int i = 0; i < n; i++) {
                    lower[i] = start[i] - 1e3;
                    upper[i] = start[i] + 1e3;
                }
                new BOBYQAOptimizer(2 * n + 1, initialRadius, stopRadius).optimize(new MaxEval(maxEvaluations),
                        new ObjectiveFunction(tracked::applyAsDouble), GoalType.MINIMIZE, new InitialGuess(start),
                        new SimpleBounds(lower, upper));
            }
        } catch (MathIllegalStateException | MathIllegalArgumentException | MathArithmeticException e) {
            converged = false;
        }
        return new Result(best.clone(), bestValue[0], converged);
    }

    private static double safe(double v) {
        return Double.isFinite(v) ? Math.min(v, PENALTY) : PENALTY;
    }
}
