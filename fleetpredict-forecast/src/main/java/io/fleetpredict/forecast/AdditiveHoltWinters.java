package io.fleetpredict.forecast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Additive Holt-Winters in the parametrisation of R's {@code stats::HoltWinters}: level, trend and
 * seasonal recursions with smoothing parameters alpha, beta, gamma in [0, 1], started from a classical
 * decomposition of the first two periods and run from observation {@code m + 1}. The parameters
 * minimise the sum of squared one-step errors, found by BOBYQA from several starting points.
 * Intervals follow R's {@code predict.HoltWinters}.
 */
final class AdditiveHoltWinters extends AbstractFittedModel {

    private static final int START_PERIODS = 2;
    private static final double[][] STARTS = {
        {0.3, 0.1, 0.1}, // R's optim.start
        {0.5, 0.01, 0.5},
        {0.1, 0.01, 0.1},
        {0.8, 0.2, 0.8},
        {0.2, 0.001, 0.95},
    };

    /** The specification: additive Holt-Winters with a seasonal period. */
    record Spec(int period) implements Forecaster {
        Spec {
            if (period < 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "period must be at least 2 for a seasonal model, was %d", period));
            }
        }

        @Override
        public String name() {
            return "holt-winters(" + period + ")";
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            return PowerOfTwoUnit.fit(this, series, this::fitInUnit);
        }

        /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}). */
        private FittedModel fitInUnit(TimeSeries series) {
            double[] x = series.values();
            Start start = Start.of(x, period, name());
            Best best = new Best(x, start);
            // A coarse search from each start, then a fine one from the best point: the SSE surface often
            // has a long flat ridge (small alpha trades against beta), where a fine search from every start
            // would spend thousands of evaluations for no visible gain.
            for (double[] guess : STARTS) {
                search(best, guess, 0.1, COARSE_STOP, COARSE_EVALUATIONS);
            }
            search(best, best.point.clone(), 0.01, FINE_STOP, FINE_EVALUATIONS);
            if (!Double.isFinite(best.value)) {
                throw new ModelFitException(name() + ": no smoothing parameters in [0, 1] give a finite error");
            }
            double[] abg = best.point;
            return withParameters(this, series, start, abg[0], abg[1], abg[2]);
        }

        private static void search(Best best, double[] guess, double radius, double stop, int evaluations) {
            BOBYQAOptimizer opt = new BOBYQAOptimizer(7, radius, stop);
            try {
                opt.optimize(new MaxEval(evaluations), new ObjectiveFunction(best::value), GoalType.MINIMIZE,
                        new InitialGuess(guess), new SimpleBounds(new double[] {0, 0, 0}, new double[] {1, 1, 1}));
            } catch (MathIllegalStateException e) {
                // Out of evaluations: the best point seen so far is kept by Best.
            }
        }
    }

    private static final double COARSE_STOP = 1e-4;
    private static final int COARSE_EVALUATIONS = 400;
    private static final double FINE_STOP = 1e-7;
    private static final int FINE_EVALUATIONS = 800;

    /** The objective, remembering the best parameters it has been evaluated at. */
    private static final class Best {
        private final double[] x;
        private final Start start;
        double[] point = {0.3, 0.1, 0.1};
        double value = Double.POSITIVE_INFINITY;

        Best(double[] x, Start start) {
            this.x = x;
            this.start = start;
        }

        double value(double[] p) {
            double[] q = {clamp(p[0]), clamp(p[1]), clamp(p[2])};
            double sse = sse(x, start, q[0], q[1], q[2]);
            if (!Double.isFinite(sse)) {
                return Double.MAX_VALUE;
            }
            if (sse < value) {
                value = sse;
                point = q;
            }
            return sse;
        }
    }

    /** Initial level, trend and seasonal figures from the first {@code START_PERIODS} periods. */
    static final class Start {
        private final double level;
        private final double trend;
        private final double[] season;

        Start(double level, double trend, double[] season) {
            this.level = level;
            this.trend = trend;
            this.season = season.clone();
        }

        double level() {
            return level;
        }

        double trend() {
            return trend;
        }

        double[] season() {
            return season.clone();
        }

        static Start of(double[] x, int m, String name) {
            if (x.length < (long) START_PERIODS * m) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "%s needs at least two full periods (%d observations) to initialise its seasonal state, got %d",
                        name, (long) START_PERIODS * m, x.length));
            }
            double[] window = java.util.Arrays.copyOf(x, START_PERIODS * m);
            ClassicalDecomposition d = ClassicalDecomposition.of(window, m, false);
            // Least-squares line through the defined part of the moving average, against 1, 2, ...
            double[] trend = d.trend();
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            int k = 0;
            for (double v : trend) {
                if (!Double.isNaN(v)) {
                    k++;
                    sx += k;
                    sy += v;
                    sxx += (double) k * k;
                    sxy += k * v;
                }
            }
            double slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
            double intercept = (sy - slope * sx) / k;
            return new Start(intercept, slope, d.figure());
        }
    }

    static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** The one-step sum of squared errors over observations {@code m+1..n} with these parameters. */
    static double sse(double[] x, Start start, double alpha, double beta, double gamma) {
        double[] season = start.season();
        int m = season.length;
        double level = start.level();
        double trend = start.trend();
        double sse = 0;
        int head = 0;
        for (int i = m; i < x.length; i++) {
            double s = season[head];
            double res = x[i] - (level + trend + s);
            sse += res * res;
            double newLevel = alpha * (x[i] - s) + (1 - alpha) * (level + trend);
            trend = beta * (newLevel - level) + (1 - beta) * trend;
            season[head] = gamma * (x[i] - newLevel) + (1 - gamma) * s;
            level = newLevel;
            head = head + 1 == m ? 0 : head + 1;
        }
        return sse;
    }

    /** Runs the recursions over {@code series} with fixed parameters and the given start. */
    static AdditiveHoltWinters withParameters(Spec spec, TimeSeries series, Start start,
            double alpha, double beta, double gamma) {
        int m = spec.period();
        AdditiveHoltWinters initial = new AdditiveHoltWinters(spec, series.head(m), alpha, beta, gamma,
                start.level(), start.trend(), start.season(), 0, 0, 0, 0);
        return initial.absorb(series.slice(m, series.size()));
    }

    private final Spec spec;
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double level;
    private final double trend;
    /** Seasonal states in a ring: {@code season[head]} belongs to the next step. */
    private final double[] season;
    private final int head;
    // Welford accumulators of the one-step residuals, for their sample variance.
    private final long count;
    private final double residualMean;
    private final double residualM2;

    private AdditiveHoltWinters(Spec spec, TimeSeries history, double alpha, double beta, double gamma,
            double level, double trend, double[] season, int head, long count, double residualMean,
            double residualM2) {
        super(spec, history);
        this.spec = spec;
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
        this.level = level;
        this.trend = trend;
        this.season = season;
        this.head = head;
        this.count = count;
        this.residualMean = residualMean;
        this.residualM2 = residualM2;
    }

    private AdditiveHoltWinters absorb(TimeSeries next) {
        int m = season.length;
        double[] s = season.clone();
        double l = level;
        double b = trend;
        int hd = head;
        long n = count;
        double mean = residualMean;
        double m2 = residualM2;
        for (int i = 0; i < next.size(); i++) {
            double x = next.get(i);
            double st = s[hd];
            double res = x - (l + b + st);
            n++;
            double delta = res - mean;
            mean += delta / n;
            m2 += delta * (res - mean);
            double newLevel = alpha * (x - st) + (1 - alpha) * (l + b);
            b = beta * (newLevel - l) + (1 - beta) * b;
            s[hd] = gamma * (x - newLevel) + (1 - gamma) * st;
            l = newLevel;
            hd = hd + 1 == m ? 0 : hd + 1;
        }
        return new AdditiveHoltWinters(spec, history.append(next), alpha, beta, gamma, l, b, s, hd, n, mean, m2);
    }

    /** The sample variance of the one-step residuals (denominator {@code count - 1}), as R's {@code var}. */
    double residualVariance() {
        return count > 1 ? residualM2 / (count - 1) : 0;
    }

    double level() {
        return level;
    }

    double trend() {
        return trend;
    }

    /** The seasonal states for the next {@code m} steps, in order. */
    double[] seasonAhead() {
        int m = season.length;
        double[] out = new double[m];
        for (int j = 0; j < m; j++) {
            out[j] = season[(head + j) % m];
        }
        return out;
    }

    /** The sum of squared one-step residuals since the start. */
    double sse() {
        return residualM2 + count * residualMean * residualMean;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "HoltWinters(additive, m=%d) alpha=%.4f beta=%.4f gamma=%.4f sigma=%.6g",
                season.length, alpha, beta, gamma, Math.sqrt(residualVariance()));
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("alpha", alpha);
        p.put("beta", beta);
        p.put("gamma", gamma);
        p.put("sigma", Math.sqrt(residualVariance()));
        return Collections.unmodifiableMap(p);
    }

    @Override
    Forecast forecastAhead(int horizon, double[] levels) {
        int m = season.length;
        double var = residualVariance();
        double[] mean = new double[horizon];
        double[] sd = new double[horizon];
        double psiSquares = 0;
        for (int h = 1; h <= horizon; h++) {
            mean[h - 1] = level + h * trend + season[(head + h - 1) % m];
            if (h > 1) {
                int j = h - 1;
                double psi = alpha * (1 + j * beta) + (j % m == 0 ? gamma * (1 - alpha) : 0);
                psiSquares += psi * psi;
            }
            sd[h - 1] = Math.sqrt(var * (1 + psiSquares));
        }
        return NormalIntervals.build(spec.name(), history, mean, sd, levels);
    }

    @Override
    public FittedModel update(TimeSeries next) {
        return next.isEmpty() ? this : absorb(next);
    }
}
