package io.fleetpredict.forecast;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A fitted ETS model: parameters, the initial and the current state, and the innovations variance.
 * Immutable; every computation works on a private copy of the state.
 *
 * <p>Prediction intervals are analytic for the linear homoscedastic class 1 (additive error, no
 * multiplicative season) and the class 2 models (multiplicative error, no multiplicative season),
 * Hyndman et al. (2008) chapter 6; for the others (multiplicative season) they are quantiles of
 * {@value #PATHS} simulated sample paths drawn with a fixed seed, so a forecast is reproducible. The
 * point forecast is in every case the state-space point forecast (R's {@code etsforecast}).
 */
final class EtsFit extends AbstractFittedModel implements PowerOfTwoUnit.Likelihood {

    static final int PATHS = 5000;
    private static final long SEED = 20080101L;

    private final StateSpaceEts forecaster;
    private final EtsSpec spec;
    private final int period;
    private final EtsParameters parameters;
    private final double[] initialState;
    private final double[] finalState;
    private final int parameterCount;
    private final double sse;
    private final double sumLogF;
    private final boolean degenerate;
    private final String notes;

    private EtsFit(StateSpaceEts forecaster, EtsSpec spec, int period, EtsParameters parameters,
            double[] initialState, double[] finalState, double sse, double sumLogF, boolean degenerate,
            String notes, TimeSeries history) {
        super(forecaster, history);
        this.forecaster = forecaster;
        this.spec = spec;
        this.period = spec.seasonal() ? period : 1;
        this.parameters = parameters;
        this.initialState = initialState;
        this.finalState = finalState;
        this.parameterCount = EtsOptimizer.parameterCount(spec, this.period);
        this.sse = sse;
        this.sumLogF = sumLogF;
        this.degenerate = degenerate;
        this.notes = notes;
    }

    /**
     * Runs the model with given parameters and initial state over a series: what R's
     * {@code ets(y, model = fit, use.initial.values = TRUE)} computes.
     */
    static EtsFit filter(StateSpaceEts forecaster, EtsSpec spec, int period, EtsParameters parameters,
            double[] initialState, TimeSeries series, boolean degenerate, String notes) {
        int expected = EtsRecursion.stateSize(spec, period);
        if (initialState.length != expected) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "initial state of %s with period %d has %d values, was given %d",
                    spec.label(), period, expected, initialState.length));
        }
        EtsRecursion r = new EtsRecursion(spec, period);
        r.load(initialState);
        double[] sums = new double[2];
        double[] y = series.values();
        if (!r.filter(y, 0, y.length, parameters, sums, null, 0)) {
            throw new ModelFitException(spec.label() + ": the state recursion diverged on this series");
        }
        return new EtsFit(forecaster, spec, period, parameters, initialState.clone(), r.save(), sums[0], sums[1],
                degenerate, notes, series);
    }

    EtsSpec spec() {
        return spec;
    }

    int period() {
        return period;
    }

    EtsParameters smoothing() {
        return parameters;
    }

    double[] initialState() {
        return initialState.clone();
    }

    double[] finalState() {
        return finalState.clone();
    }

    /** The innovations variance, {@code sum e^2 / (n - k)}, k the parameters R counts. */
    double sigma2() {
        int n = history.size();
        return sse / Math.max(1, n - parameterCount);
    }

    /** R's {@code -2 loglik}, without constants. */
    double criterion() {
        return EtsRecursion.criterion(history.size(), sse, sumLogF, spec.multiplicativeError());
    }

    @Override
    public int likelihoodObservations(String key) {
        return history.size();
    }

    double logLikelihood() {
        return degenerate ? Double.NaN : -0.5 * criterion();
    }

    double aicc() {
        if (degenerate) {
            return Double.NaN;
        }
        int n = history.size();
        int k = parameterCount + 1;
        if (n - k - 1 <= 0) {
            return Double.NaN;
        }
        return criterion() + 2.0 * k + 2.0 * k * (k + 1) / (n - k - 1);
    }

    @Override
    public String description() {
        StringBuilder b = new StringBuilder(spec.label());
        b.append(String.format(Locale.ROOT, " alpha=%.4g", parameters.alpha()));
        if (spec.trended()) {
            b.append(String.format(Locale.ROOT, " beta=%.4g", parameters.beta()));
        }
        if (spec.seasonal()) {
            b.append(String.format(Locale.ROOT, " gamma=%.4g", parameters.gamma()));
        }
        if (spec.damped()) {
            b.append(String.format(Locale.ROOT, " phi=%.4g", parameters.phi()));
        }
        if (spec.seasonal()) {
            b.append(" m=").append(period);
        }
        b.append(String.format(Locale.ROOT, " sigma2=%.4g", sigma2()));
        double aicc = aicc();
        if (!Double.isNaN(aicc)) {
            b.append(String.format(Locale.ROOT, " AICc=%.1f", aicc));
        }
        if (!notes.isEmpty()) {
            b.append("; ").append(notes);
        }
        return b.toString();
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("alpha", parameters.alpha());
        if (spec.trended()) {
            p.put("beta", parameters.beta());
        }
        if (spec.seasonal()) {
            p.put("gamma", parameters.gamma());
        }
        if (spec.damped()) {
            p.put("phi", parameters.phi());
        }
        p.put("sigma2", sigma2());
        p.put("loglik", logLikelihood());
        p.put("aicc", aicc());
        return Collections.unmodifiableMap(p);
    }

    @Override
    Forecast forecastAhead(int horizon, double[] levels) {
        for (double level : levels) {
            if (!(level > 0 && level < 100)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "levels must be in (0, 100) percent, was %s", level));
            }
        }
        EtsRecursion r = new EtsRecursion(spec, period);
        r.load(finalState);
        double[] mean = r.pointForecasts(horizon, parameters);
        Forecast.Builder builder = Forecast.builder(spec.label(), history.end(), history.step(), mean);
        if (levels.length == 0) {
            return builder.build();
        }
        double sigma2 = sigma2();
        if (sigma2 == 0 || degenerate) {
            for (double level : levels) {
                builder.interval(level, mean, mean);
            }
            return builder.build();
        }
        if (spec.season() != EtsSpec.Season.MULTIPLICATIVE) {
            double[] var = spec.multiplicativeError() ? class2Variance(spec, period, parameters, mean, sigma2) : class1Variance(horizon, sigma2);
            NormalDistribution normal = new NormalDistribution(null, 0, 1);
            for (double level : levels) {
                double z = normal.inverseCumulativeProbability(0.5 + level / 200);
                double[] lo = new double[horizon];
                double[] hi = new double[horizon];
                for (int h = 0; h < horizon; h++) {
                    double half = z * Math.sqrt(Math.max(var[h], 0));
                    lo[h] = mean[h] - half;
                    hi[h] = mean[h] + half;
                }
                builder.interval(level, lo, hi);
            }
            return builder.build();
        }
        double[][] paths = simulate(horizon, sigma2);
        double[] probabilities = new double[2 * levels.length];
        for (int i = 0; i < levels.length; i++) {
            probabilities[2 * i] = 0.5 - levels[i] / 200;
            probabilities[2 * i + 1] = 0.5 + levels[i] / 200;
        }
        double[][] bounds = new double[probabilities.length][horizon];
        for (int h = 0; h < horizon; h++) {
            double[] q = quantilesType8(paths[h], probabilities);
            for (int i = 0; i < q.length; i++) {
                bounds[i][h] = q[i];
            }
        }
        for (int i = 0; i < levels.length; i++) {
            builder.interval(levels[i], bounds[2 * i], bounds[2 * i + 1]);
        }
        return builder.build();
    }

    /**
     * The coefficients {@code c_j} of the class 1 and 2 variance formulas (Hyndman et al. 2008,
     * table 6.1): {@code alpha + beta * phi_j + gamma * [j mod m = 0]}, {@code phi_j = phi + ... + phi^j}.
     */
    private double[] psi(int horizon) {
        double[] c = new double[horizon];
        double phiJ = 0;
        double pow = 1;
        for (int j = 1; j < horizon; j++) {
            pow *= parameters.phi();
            phiJ += pow;
            double cj = parameters.alpha();
            if (spec.trended()) {
                cj += parameters.beta() * phiJ;
            }
            if (spec.seasonal() && j % period == 0) {
                cj += parameters.gamma();
            }
            c[j] = cj;
        }
        return c;
    }

    private double[] class1Variance(int horizon, double sigma2) {
        double[] c = psi(horizon);
        double[] var = new double[horizon];
        double acc = 1;
        for (int h = 0; h < horizon; h++) {
            if (h > 0) {
                acc += c[h] * c[h];
            }
            var[h] = sigma2 * acc;
        }
        return var;
    }

    /**
     * Class 2: {@code theta_h = mu_h^2 + sigma2 sum_(j=1..h) c_j^2 theta_(h-j)}, {@code var = (1+sigma2) theta_h - mu_h^2}
     * (Hyndman et al. 2008, section 6.3), in one pass over the horizon. With {@code c_j = alpha + beta phi_j
     * + gamma [j mod m = 0]} and {@code phi_(j+1) = phi (1 + phi_j)}, the sum splits into
     * {@code W_p(h) = sum_j phi_j^p theta_(h-j)} for {@code p = 0, 1, 2}, each of which follows from the last
     * step's ({@code W_2(h+1) = phi^2 (theta_h + W_0(h) + 2 W_1(h) + W_2(h))}), and the same sums over the
     * seasonal lags {@code j = m, 2m, ...}, which follow from those {@code m} steps back
     * ({@code phi_(j+m) = phi_m + phi^m phi_j}). Every term is positive, so nothing cancels; the undamped
     * trend is {@code phi = 1}. The double loop of the formula took minutes at a horizon of a million.
     */
    static double[] class2Variance(EtsSpec spec, int period, EtsParameters parameters, double[] mu, double sigma2) {
        int horizon = mu.length;
        double alpha = parameters.alpha();
        double beta = spec.trended() ? parameters.beta() : 0;
        double gamma = spec.seasonal() ? parameters.gamma() : 0;
        double phi = spec.trended() ? parameters.phi() : 1;
        boolean seasonal = spec.seasonal() && gamma != 0;
        double phiM = 0;
        double phiPowM = 1;
        for (int i = 0; i < period && seasonal; i++) {
            phiPowM *= phi;
            phiM += phiPowM;
        }
        double[] theta = new double[horizon];
        double[] var = new double[horizon];
        // Seasonal sums at each step, read back m steps later.
        double[] z0 = seasonal ? new double[horizon] : new double[0];
        double[] z1 = seasonal ? new double[horizon] : new double[0];
        double w0 = 0;
        double w1 = 0;
        double w2 = 0;
        for (int h = 0; h < horizon; h++) {
            double sum = alpha * alpha * w0 + 2 * alpha * beta * w1 + beta * beta * w2;
            if (seasonal && h >= period) {
                int back = h - period;
                z0[h] = theta[back] + z0[back];
                z1[h] = phiM * (theta[back] + z0[back]) + phiPowM * z1[back];
                sum += (2 * gamma * alpha + gamma * gamma) * z0[h] + 2 * gamma * beta * z1[h];
            }
            double t = mu[h] * mu[h] + sigma2 * sum;
            theta[h] = t;
            var[h] = (1 + sigma2) * t - mu[h] * mu[h];
            if (!Double.isFinite(var[h])) {
                throw new ForecastException(String.format(Locale.ROOT,
                        "%s: the forecast variance overflows a double at step %d of %d (it grows geometrically "
                                + "with sigma2 %s and these smoothing parameters): ask for fewer steps, or for no intervals",
                        spec.label(), h + 1, horizon, sigma2));
            }
            double nw2 = phi * phi * (t + w0 + 2 * w1 + w2);
            double nw1 = phi * (t + w0 + w1);
            w0 = t + w0;
            w1 = nw1;
            w2 = nw2;
        }
        return var;
    }

    /** Sample paths by step: {@code [h][path]}. */
    private double[][] simulate(int horizon, double sigma2) {
        Random random = new Random(SEED);
        double sigma = Math.sqrt(sigma2);
        double[][] paths = new double[horizon][PATHS];
        EtsRecursion r = new EtsRecursion(spec, period);
        for (int k = 0; k < PATHS; k++) {
            r.load(finalState);
            for (int h = 0; h < horizon; h++) {
                double f = r.oneStep(parameters);
                double e = sigma * random.nextGaussian();
                double y;
                if (spec.multiplicativeError()) {
                    y = f * (1 + Math.max(-1, e));
                } else {
                    y = f + e;
                }
                paths[h][k] = y;
                r.absorb(y, parameters);
            }
        }
        return paths;
    }

    /**
     * {@link #quantileType8} of several probabilities at once, without sorting: the finite values are
     * copied and only the order statistics the probabilities need are put in place (a quickselect that
     * follows every wanted rank), a few passes over the values instead of a sort of all of them. The result
     * is the sorted computation's, value for value.
     */
    static double[] quantilesType8(double[] values, double[] probabilities) {
        double[] a = new double[values.length];
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                a[n++] = v;
            }
        }
        double[] out = new double[probabilities.length];
        if (n == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        int[] ranks = new int[2 * probabilities.length];
        int r = 0;
        for (double p : probabilities) {
            int j = (int) Math.floor(n * p + (p + 1) / 3);
            ranks[r++] = Math.max(0, Math.min(n - 1, j - 1));
            ranks[r++] = Math.max(0, Math.min(n - 1, j));
        }
        int[] wanted = Arrays.stream(ranks).sorted().distinct().toArray();
        select(a, 0, n - 1, wanted, 0, wanted.length - 1);
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            double h = n * p + (p + 1) / 3;
            int j = (int) Math.floor(h);
            double g = h - j;
            if (j < 1) {
                out[i] = a[0];
            } else if (j >= n) {
                out[i] = a[n - 1];
            } else {
                out[i] = a[j - 1] + g * (a[j] - a[j - 1]);
            }
        }
        return out;
    }

    /**
     * Rearranges {@code a[lo..hi]} so that each rank in {@code ranks[rlo..rhi]} (ascending, inside
     * {@code [lo, hi]}) holds the value a sort would put there.
     */
    private static void select(double[] a, int lo, int hi, int[] ranks, int rlo, int rhi) {
        while (rlo <= rhi && lo < hi) {
            if (hi - lo < 16) {
                Arrays.sort(a, lo, hi + 1);
                return;
            }
            // Median of three as the pivot, then a three-way partition: < pivot, == pivot, > pivot.
            int mid = (lo + hi) >>> 1;
            double pivot = median(a[lo], a[mid], a[hi]);
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                double v = a[i];
                if (v < pivot) {
                    a[i++] = a[lt];
                    a[lt++] = v;
                } else if (v > pivot) {
                    a[i] = a[gt];
                    a[gt--] = v;
                } else {
                    i++;
                }
            }
            // Ranks below lt go left, above gt go right; those in between are the pivot, in place.
            int leftEnd = rlo;
            while (leftEnd <= rhi && ranks[leftEnd] < lt) {
                leftEnd++;
            }
            int rightStart = leftEnd;
            while (rightStart <= rhi && ranks[rightStart] <= gt) {
                rightStart++;
            }
            select(a, lo, lt - 1, ranks, rlo, leftEnd - 1);
            lo = gt + 1;
            rlo = rightStart;
        }
    }

    private static double median(double x, double y, double z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }

    /** R's {@code quantile(type = 8)}, median-unbiased, on sorted finite-or-not values (non-finite dropped). */
    static double quantileType8(double[] sorted, double p) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi && !Double.isFinite(sorted[lo])) {
            lo++;
        }
        while (hi > lo && !Double.isFinite(sorted[hi - 1])) {
            hi--;
        }
        int n = hi - lo;
        if (n == 0) {
            return Double.NaN;
        }
        double h = n * p + (p + 1) / 3;
        int j = (int) Math.floor(h);
        double g = h - j;
        if (j < 1) {
            return sorted[lo];
        }
        if (j >= n) {
            return sorted[hi - 1];
        }
        return sorted[lo + j - 1] + g * (sorted[lo + j] - sorted[lo + j - 1]);
    }

    @Override
    public FittedModel update(TimeSeries next) {
        TimeSeries extended = history.append(next);
        EtsRecursion r = new EtsRecursion(spec, period);
        r.load(finalState);
        double[] sums = {sse, sumLogF};
        if (!r.filter(next.values(), 0, next.size(), parameters, sums, null, 0)) {
            throw new ModelFitException(spec.label() + ": the state recursion diverged on the new observations");
        }
        return new EtsFit(forecaster, spec, period, parameters, initialState, r.save(), sums[0], sums[1],
                degenerate, notes, extended);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EtsFit other && spec.equals(other.spec) && period == other.period
                && parameters.equals(other.parameters) && Arrays.equals(initialState, other.initialState)
                && Arrays.equals(finalState, other.finalState) && sse == other.sse && sumLogF == other.sumLogF
                && degenerate == other.degenerate && notes.equals(other.notes) && history.equals(other.history)
                && forecaster.equals(other.forecaster);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, period, parameters, Arrays.hashCode(finalState), history);
    }

    @Override
    public String toString() {
        return description();
    }
}
