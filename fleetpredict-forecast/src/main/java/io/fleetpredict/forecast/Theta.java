package io.fleetpredict.forecast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;
import org.jspecify.annotations.Nullable;

/**
 * The Theta method in two forms, both with the M4 benchmark's seasonal treatment (see
 * {@link ClassicalDecomposition}).
 *
 * <p><b>Standard</b> (Assimakopoulos and Nikolopoulos 2000), computed as R's {@code forecast::thetaf}
 * does through its equivalence with simple exponential smoothing plus drift (Hyndman and Billah 2003):
 * SES with {@code alpha} and the initial level chosen by in-sample MSE, a drift of half the slope of the
 * least-squares line through the series, forecasts {@code l_n + b/2 * (h - 1 + (1 - (1 - alpha)^n) /
 * alpha)}, and intervals {@code +- z * sigma * sqrt(1 + (h - 1) * alpha^2)} with {@code sigma^2 = SSE /
 * (n - 2)}.
 *
 * <p><b>Optimised</b> (the OTM of Fiorucci, Pellegrini, Louzada, Petropoulos and Koehler 2016, "Models
 * for optimising the theta method and their relationship to state space models", IJF 32(4)):
 * {@code Y_t = mu_t + e_t}, {@code mu_t = l_{t-1} + (1 - 1/theta) [(1 - alpha)^(t-1) A_n + (1 - (1 -
 * alpha)^t) / alpha * B_n]}, {@code l_t = alpha Y_t + (1 - alpha) l_{t-1}}, with {@code A_n, B_n} the
 * least-squares intercept and slope over {@code t = 1..n}; {@code theta >= 1}, {@code alpha} and
 * {@code l_0} minimise the in-sample MSE. For a fixed {@code alpha} the one-step errors are linear in
 * {@code l_0} and {@code 1 - 1/theta}, so those two come from constrained least squares and only
 * {@code alpha} is searched (a grid, then Brent's method), which finds the global optimum of the
 * profile to the grid's resolution. Intervals use the same SES-with-drift variance with {@code sigma^2
 * = SSE / (n - 3)}; they ignore the estimation error of {@code A_n} and {@code B_n}.
 */
final class Theta implements Forecaster {

    enum Variant { STANDARD, OPTIMIZED }

    static final double ALPHA_MIN = 1e-4;
    static final double ALPHA_MAX = 0.9999;
    static final double THETA_MAX = 100;
    private static final int GRID = 100;

    private final Variant variant;
    private final int period;

    Theta(Variant variant, int period) {
        this.variant = variant;
        this.period = Forecasters.requirePeriod(period);
    }

    @Override
    public String name() {
        return (variant == Variant.STANDARD ? "theta(" : "optimized-theta(") + period + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    private int minimumSize() {
        return variant == Variant.STANDARD ? 3 : 4;
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return PowerOfTwoUnit.fit(this, series, this::fitInUnit);
    }

    /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}). */
    private FittedModel fitInUnit(TimeSeries series) {
        int n = series.size();
        if (n < minimumSize()) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s needs at least %d observations, got %d", name(), minimumSize(), n));
        }
        double[] x = series.values();
        double[] indices = null;
        String seasonalNote;
        if (period <= 1) {
            seasonalNote = "non-seasonal";
        } else if (!ClassicalDecomposition.isSeasonal(x, period, ClassicalDecomposition.Z_90_ONE_SIDED)) {
            seasonalNote = n <= 2L * period
                    ? String.format(Locale.ROOT, "not seasonally adjusted: %d observations are not more than two cycles of %d", n, period)
                    : String.format(Locale.ROOT, "not seasonally adjusted: no significant autocorrelation at lag %d", period);
        } else if (min(x) <= 0) {
            seasonalNote = "not seasonally adjusted: multiplicative decomposition needs positive values";
        } else {
            double[] candidate = ClassicalDecomposition.multiplicativeIndices(x, period);
            if (minAbs(candidate) < 1e-4) {
                seasonalNote = "not seasonally adjusted: seasonal indices close to zero";
            } else {
                indices = candidate;
                seasonalNote = String.format(Locale.ROOT, "multiplicative seasonal indices, period %d", period);
                for (int t = 0; t < n; t++) {
                    x[t] /= indices[t % period];
                }
            }
        }
        // Values so large that their squares overflow a double are fitted divided by a power of two, which is exact:
        // the fit is the same, and the sums of squares stay finite.
        double scale = squaresScale(x);
        if (scale != 1) {
            for (int t = 0; t < n; t++) {
                x[t] /= scale;
            }
        }
        return variant == Variant.STANDARD ? fitStandard(series, x, indices, seasonalNote, scale)
                : fitOptimized(series, x, indices, seasonalNote, scale);
    }

    /**
     * 1, or for values whose squares could overflow a double (above {@code 2^500}, so that a sum of up to
     * {@code 2^20} squares stays finite), the power of two that brings the largest to about 1.
     */
    static double squaresScale(double[] x) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        return max > 0x1p500 && Double.isFinite(max) ? Math.scalb(1.0, Math.getExponent(max)) : 1;
    }

    private Fitted fitStandard(TimeSeries series, double[] x, double @Nullable [] indices, String note, double scale) {
        int n = x.length;
        double alpha = minimiseOverAlpha(a -> sesProfile(x, a)[1]);
        double[] profile = sesProfile(x, alpha);
        double initial = profile[0];
        double sse = profile[1];
        double level = initial;
        for (double v : x) {
            level = alpha * v + (1 - alpha) * level;
        }
        double drift = slope(x) / 2;
        return new Fitted(this, series, indices, note, alpha, 2.0, initial * scale, level * scale, Double.NaN,
                drift * scale, n, scale, sse / (n - 2), sse / n);
    }

    private Fitted fitOptimized(TimeSeries series, double[] x, double @Nullable [] indices, String note, double scale) {
        int n = x.length;
        double slope = slope(x);
        // Intercept of the line over t = 1..n.
        double intercept = mean(x) - (n + 1) / 2.0 * slope;
        double cMax = 1 - 1 / THETA_MAX;
        double alpha = minimiseOverAlpha(a -> otmProfile(x, a, intercept, slope, Double.NaN, cMax)[2]);
        double[] profile = otmProfile(x, alpha, intercept, slope, Double.NaN, cMax);
        // The standard theta line (theta = 2) is one admissible point; keep it if the search missed better.
        // Standard theta (theta = 2) and plain SES (theta = 1) are admissible points of the same model:
        // the profile at their best alphas bounds the search, should the grid miss a narrow basin.
        double[] nested = {
            minimiseOverAlpha(a -> otmProfile(x, a, intercept, slope, 0.5, cMax)[2]),
            minimiseOverAlpha(a -> sesProfile(x, a)[1]),
        };
        for (double a : nested) {
            double[] candidate = otmProfile(x, a, intercept, slope, Double.NaN, cMax);
            if (candidate[2] < profile[2]) {
                profile = candidate;
                alpha = a;
            }
        }
        double initial = profile[0];
        double c = profile[1];
        double sse = profile[2];
        double level = initial;
        for (double v : x) {
            level = alpha * v + (1 - alpha) * level;
        }
        return new Fitted(this, series, indices, note, alpha, 1 / (1 - c), initial * scale, level * scale,
                intercept * scale, slope * scale, n, scale, sse / (n - 3), sse / n);
    }

    /** Minimises over alpha in [ALPHA_MIN, ALPHA_MAX]: a grid finds the basin, Brent's method polishes it. */
    static double minimiseOverAlpha(DoubleUnaryOperator sse) {
        double bestAlpha = ALPHA_MIN;
        double best = Double.POSITIVE_INFINITY;
        int bestIndex = 0;
        double stepSize = (ALPHA_MAX - ALPHA_MIN) / GRID;
        for (int i = 0; i <= GRID; i++) {
            double a = i == GRID ? ALPHA_MAX : ALPHA_MIN + i * stepSize;
            double v = sse.applyAsDouble(a);
            if (v < best) {
                best = v;
                bestAlpha = a;
                bestIndex = i;
            }
        }
        double lo = Math.max(ALPHA_MIN, ALPHA_MIN + (bestIndex - 1) * stepSize);
        double hi = Math.min(ALPHA_MAX, ALPHA_MIN + (bestIndex + 1) * stepSize);
        UnivariatePointValuePair p = new BrentOptimizer(1e-10, 1e-14).optimize(new MaxEval(500),
                new UnivariateObjectiveFunction(sse::applyAsDouble), GoalType.MINIMIZE,
                new SearchInterval(lo, hi, bestAlpha));
        return p.getValue() < best ? p.getPoint() : bestAlpha;
    }

    /**
     * SES with the initial level that minimises the SSE for this alpha.
     *
     * @return {initial level, SSE}
     */
    static double[] sesProfile(double[] x, double alpha) {
        // One-step errors are r_t - d_t * l0, with r from a zero start and d_t = (1 - alpha)^t.
        double level = 0;
        double d = 1;
        double srd = 0;
        double sdd = 0;
        for (double v : x) {
            double r = v - level;
            srd += r * d;
            sdd += d * d;
            level = alpha * v + (1 - alpha) * level;
            d *= 1 - alpha;
        }
        double l0 = srd / sdd;
        double sse = 0;
        level = l0;
        for (double v : x) {
            double e = v - level;
            sse += e * e;
            level = alpha * v + (1 - alpha) * level;
        }
        return new double[] {l0, sse};
    }

    /**
     * The optimised-theta errors for this alpha with the least-squares initial level and weight {@code
     * c = 1 - 1/theta} in {@code [0, cMax]}, or with {@code c} fixed when {@code fixedC} is not NaN.
     *
     * @return {initial level, c, SSE}
     */
    static double[] otmProfile(double[] x, double alpha, double intercept, double slope, double fixedC, double cMax) {
        int n = x.length;
        double level = 0;
        double d = 1;
        double srd = 0;
        double srD = 0;
        double sdd = 0;
        double sdD = 0;
        double sDD = 0;
        for (int t = 0; t < n; t++) {
            double r = x[t] - level;
            double bigD = trendTerm(alpha, t, d, intercept, slope);
            srd += r * d;
            srD += r * bigD;
            sdd += d * d;
            sdD += d * bigD;
            sDD += bigD * bigD;
            level = alpha * x[t] + (1 - alpha) * level;
            d *= 1 - alpha;
        }
        double c;
        double det = sdd * sDD - sdD * sdD;
        if (!Double.isNaN(fixedC)) {
            c = fixedC;
        } else if (det > 1e-12 * sdd * sDD) {
            c = Math.max(0, Math.min(cMax, (sdd * srD - sdD * srd) / det));
        } else {
            // No trend to weigh: l0 and c are confounded and every split fits and forecasts alike.
            c = 0.5;
        }
        double l0 = (srd - c * sdD) / sdd;
        double sse = 0;
        level = l0;
        d = 1;
        for (int t = 0; t < n; t++) {
            double e = x[t] - level - c * trendTerm(alpha, t, d, intercept, slope);
            sse += e * e;
            level = alpha * x[t] + (1 - alpha) * level;
            d *= 1 - alpha;
        }
        return new double[] {l0, c, sse};
    }

    /** {@code (1 - alpha)^t A + (1 - (1 - alpha)^(t+1)) / alpha * B} for 0-based {@code t}, {@code d = (1 - alpha)^t}. */
    private static double trendTerm(double alpha, int t, double d, double intercept, double slope) {
        return d * intercept + (1 - d * (1 - alpha)) / alpha * slope;
    }

    /** Least-squares slope of x against its index. */
    static double slope(double[] x) {
        int n = x.length;
        double tMean = (n - 1) / 2.0;
        double xMean = mean(x);
        double sxy = 0;
        double sxx = 0;
        for (int t = 0; t < n; t++) {
            sxy += (t - tMean) * (x[t] - xMean);
            sxx += (t - tMean) * (t - tMean);
        }
        return sxy / sxx;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double min(double[] x) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double minAbs(double[] x) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : x) {
            m = Math.min(m, Math.abs(v));
        }
        return m;
    }

    static double normalQuantile(double level) {
        return new NormalDistribution(null, 0, 1).inverseCumulativeProbability(0.5 + level / 200);
    }


    /** A fitted theta model: parameters, the level after the last observation, and the observation count. */
    static final class Fitted extends AbstractFittedModel {
        private final Theta spec;
        /** Multiplicative seasonal indices, one per position in the period; null when not seasonally adjusted. */
        private final double @Nullable [] indices;
        private final String seasonalNote;
        private final double alpha;
        private final double theta;
        private final double initialLevel;
        private final double level;
        private final double intercept;
        private final double slope;
        private final int count;
        /** A power of two; {@code sigma2} and {@code mse} are in its square's units, so that they stay finite. */
        private final double scale;
        private final double sigma2;
        private final double mse;

        Fitted(Theta spec, TimeSeries history, double @Nullable [] indices, String seasonalNote, double alpha, double theta,
                double initialLevel, double level, double intercept, double slope, int count, double scale,
                double sigma2, double mse) {
            super(spec, history);
            this.spec = spec;
            this.indices = indices;
            this.seasonalNote = seasonalNote;
            this.alpha = alpha;
            this.theta = theta;
            this.initialLevel = initialLevel;
            this.level = level;
            this.intercept = intercept;
            this.slope = slope;
            this.count = count;
            this.scale = scale;
            this.sigma2 = sigma2;
            this.mse = mse;
        }

        @Override
        public String description() {
            if (spec.variant == Variant.STANDARD) {
                return String.format(Locale.ROOT, "Theta (SES with drift) alpha=%.4f drift=%.6g sigma2=%.6g; %s",
                        alpha, slope, sigma2 * scale * scale, seasonalNote);
            }
            return String.format(Locale.ROOT, "Optimised Theta (OTM) theta=%.4f alpha=%.4f l0=%.6g A=%.6g B=%.6g sigma2=%.6g; %s",
                    theta, alpha, initialLevel, intercept, slope, sigma2 * scale * scale, seasonalNote);
        }

        @Override
        public Map<String, Double> parameters() {
            Map<String, Double> p = new LinkedHashMap<>();
            p.put("alpha", alpha);
            if (spec.variant == Variant.STANDARD) {
                p.put("drift", slope);
            } else {
                p.put("theta", theta);
                p.put("intercept", intercept);
                p.put("slope", slope);
            }
            p.put("initialLevel", initialLevel);
            p.put("level", level);
            p.put("sigma2", sigma2 * scale * scale);
            p.put("mse", mse * scale * scale);
            p.put("seasonal", indices == null ? 0.0 : 1.0);
            return Collections.unmodifiableMap(p);
        }

        double[] pointForecast(int horizon) {
            double[] mean = new double[horizon];
            double decay = Math.pow(1 - alpha, count);
            for (int h = 0; h < horizon; h++) {
                double m;
                if (spec.variant == Variant.STANDARD) {
                    m = level + slope * (h + (1 - decay) / alpha);
                } else {
                    double c = 1 - 1 / theta;
                    m = level + c * (decay * intercept + (h + (1 - decay * (1 - alpha)) / alpha) * slope);
                }
                if (indices != null) {
                    m *= indices[(count + h) % indices.length];
                }
                mean[h] = m;
            }
            return mean;
        }

        @Override
        Forecast forecastAhead(int horizon, double[] levels) {
            double[] mean = pointForecast(horizon);
            Forecast.Builder b = Forecast.builder(description(), history.end(), history.step(), mean);
            double sigma = Math.sqrt(sigma2) * scale;
            for (double lv : levels) {
                if (!(lv > 0 && lv < 100)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "level must be in (0, 100) percent, was %s", lv));
                }
                double z = normalQuantile(lv);
                double[] lo = new double[horizon];
                double[] hi = new double[horizon];
                for (int h = 0; h < horizon; h++) {
                    double se = sigma * Math.sqrt(h * alpha * alpha + 1);
                    lo[h] = mean[h] - z * se;
                    hi[h] = mean[h] + z * se;
                }
                b.interval(lv, lo, hi);
            }
            return b.build();
        }

        /**
         * Keeps alpha, theta, the drift (or {@code A_n}, {@code B_n}), the seasonal indices and sigma, and
         * advances the level through the new observations, seasonally adjusted by the continuing indices.
         */
        @Override
        public FittedModel update(TimeSeries next) {
            TimeSeries extended = history.append(next);
            double l = level;
            int c = count;
            for (int i = 0; i < next.size(); i++) {
                double v = next.get(i);
                if (indices != null) {
                    v /= indices[c % indices.length];
                }
                l = alpha * v + (1 - alpha) * l;
                c++;
            }
            return new Fitted(spec, extended, indices, seasonalNote, alpha, theta, initialLevel, l, intercept, slope,
                    c, scale, sigma2, mse);
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
