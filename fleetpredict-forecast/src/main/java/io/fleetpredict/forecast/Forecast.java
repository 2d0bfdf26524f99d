package io.fleetpredict.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Point forecasts and prediction intervals for the steps after a series ends.
 *
 * <p>Immutable. Step {@code h} (0-based) is at {@code start() + h * step()}. The point forecast is the
 * mean of the forecast distribution; its median ({@code quantile(0.5, h)}) is the mean unless the model
 * gives a skewed distribution one of its own (a Box-Cox transformation, censoring at zero). Intervals are
 * keyed by their coverage level in percent; for each level and step, {@code lower <= median <= upper}, and
 * a wider level's interval contains a narrower one's. A skewed distribution's mean may lie outside a narrow
 * interval.
 */
public final class Forecast {

    /**
     * The longest forecast a model makes, in steps: about a year of half-minute steps. A forecast holds a few arrays
     * of its length, so a horizon near {@code Integer.MAX_VALUE} would exhaust the heap before any model could
     * refuse it.
     */
    public static final int MAX_HORIZON = 1_000_000;

    /**
     * The time of the step {@code steps} after {@code start}, or empty when it would be past {@link Instant#MAX},
     * the latest instant Java represents.
     */
    static java.util.Optional<Instant> timeAfter(Instant start, Duration step, long steps) {
        try {
            return java.util.Optional.of(start.plus(step.multipliedBy(steps)));
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return java.util.Optional.empty();
        }
    }

    /** Refuses a forecast whose last step's time would be past {@link Instant#MAX}. */
    static void requireTimesRepresentable(Instant start, Duration step, int horizon) {
        if (timeAfter(start, step, horizon - 1L).isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a forecast of %d steps of %s from %s would end past %s, the latest time an Instant holds",
                    horizon, step, start, Instant.MAX));
        }
    }

    private final String model;
    private final Instant start;
    private final Duration step;
    private final double[] mean;
    /** The same array as {@link #mean} when the model gives no median of its own. */
    private final double[] median;
    private final double lowerLimit;
    private final NavigableMap<Double, double[][]> intervals;

    private Forecast(String model, Instant start, Duration step, double[] mean, double[] median, double lowerLimit,
            NavigableMap<Double, double[][]> intervals) {
        this.model = model;
        this.start = start;
        this.step = step;
        this.mean = mean;
        this.median = median;
        this.lowerLimit = lowerLimit;
        this.intervals = intervals;
    }

    /**
     * Starts building a forecast.
     *
     * @param model what produced it
     * @param start the time of the first forecast step
     * @param step the time between steps
     * @param mean the point forecasts, finite
     * @return a builder to which intervals are added
     * @throws IllegalArgumentException if the mean is empty or not finite, or the last step's time would be past
     *     {@link Instant#MAX}
     */
    public static Builder builder(String model, Instant start, Duration step, double[] mean) {
        return new Builder(model, start, step, mean);
    }

    /** @return the description of the model that produced this forecast */
    public String model() {
        return model;
    }

    /** @return the time of the first forecast step */
    public Instant start() {
        return start;
    }

    /** @return the time between steps */
    public Duration step() {
        return step;
    }

    /** @return the number of steps */
    public int horizon() {
        return mean.length;
    }

    /** @return a copy of the point forecasts */
    public double[] mean() {
        return mean.clone();
    }

    /** @return a copy of the medians of the forecast distribution, the point forecasts unless the model gave its own */
    public double[] median() {
        return median.clone();
    }

    /**
     * @return the least value the forecast distribution takes (0 for a quantity that cannot be negative), or
     *     negative infinity; no quantile is below it
     */
    public double lowerLimit() {
        return lowerLimit;
    }

    /**
     * The point forecast of one step.
     *
     * @param h the step, from 0
     * @return its point forecast
     * @throws IndexOutOfBoundsException if {@code h} is not a step of this forecast
     */
    public double mean(int h) {
        return mean[checkedStep(h)];
    }

    private int checkedStep(int h) {
        if (h < 0 || h >= mean.length) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "step %d is outside this forecast of %d steps (0 to %d)", h, mean.length, mean.length - 1));
        }
        return h;
    }

    /**
     * This forecast moved by a known amount at each step: point forecasts and every interval bound alike, as
     * when a component forecast exactly (a season continued) is added back to a model's forecast of the rest.
     *
     * @param by the amount at each step, one per step
     * @param byModel the description of the model the sum comes from
     */
    Forecast shifted(double[] by, String byModel) {
        double[] m = mean.clone();
        double[] md = median.clone();
        double least = Double.POSITIVE_INFINITY;
        for (int h = 0; h < m.length; h++) {
            m[h] += by[h];
            md[h] += by[h];
            least = Math.min(least, by[h]);
        }
        Builder b = builder(byModel, start, step, m);
        if (median != mean) {
            b.median(md);
        }
        b.lowerLimit(lowerLimit + least);
        for (Map.Entry<Double, double[][]> e : intervals.entrySet()) {
            double[] lo = e.getValue()[0].clone();
            double[] hi = e.getValue()[1].clone();
            for (int h = 0; h < m.length; h++) {
                lo[h] += by[h];
                hi[h] += by[h];
            }
            b.interval(e.getKey(), lo, hi);
        }
        return b.build();
    }

    /**
     * This forecast in a unit {@code 2^exponent} times smaller: every figure (point forecasts, medians, interval
     * bounds and the lower limit) multiplied by {@code 2^exponent}, which is exact short of overflow or subnormals,
     * as for a model fitted to a series divided by that power ({@link PowerOfTwoUnit}).
     *
     * @param exponent the power of two
     * @param byModel the description of the model
     * @throws ForecastException if a figure overflows a double in the new unit
     */
    Forecast scaled(int exponent, String byModel) {
        Builder b = builder(byModel, start, step, scalb(mean, exponent));
        if (median != mean) {
            b.median(scalb(median, exponent));
        }
        b.lowerLimit(Math.scalb(lowerLimit, exponent));
        for (Map.Entry<Double, double[][]> e : intervals.entrySet()) {
            b.interval(e.getKey(), scalb(e.getValue()[0], exponent), scalb(e.getValue()[1], exponent));
        }
        return b.build();
    }

    private static double[] scalb(double[] v, int exponent) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = Math.scalb(v[i], exponent);
        }
        return s;
    }

    /** @return the interval levels present, in percent, ascending */
    public double[] levels() {
        return intervals.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The lower bounds of the interval at a level.
     *
     * @param level a level present in {@link #levels()}
     * @return a copy of the lower bounds, one per step
     */
    public double[] lower(double level) {
        return interval(level)[0].clone();
    }

    /**
     * The upper bounds of the interval at a level.
     *
     * @param level a level present in {@link #levels()}
     * @return a copy of the upper bounds, one per step
     */
    public double[] upper(double level) {
        return interval(level)[1].clone();
    }

    /**
     * The forecast quantile of one step at any probability, read from the forecast's distribution.
     *
     * <p>At a probability that matches an interval present, the quantile is that interval's bound: {@code p > 0.5}
     * is the upper bound of the {@code 200p - 100} percent interval, {@code p < 0.5} the lower bound of the
     * {@code 100 - 200p} percent interval, and 0.5 the median. Between them the quantile is interpolated linearly in
     * standard normal score {@code z = }&Phi;<sup>-1</sup>{@code (p)}, through the median at {@code z = 0} and each
     * bound at its level's score; beyond the widest interval it continues along the last segment, but not below
     * {@link #lowerLimit()}. For a normal forecast (bounds at {@code mean ± z sd}) this is the normal quantile
     * exactly; for any forecast it is non-decreasing in {@code p}, since nested intervals make the bounds ordered.
     *
     * @param p the probability, in (0, 1)
     * @param h the step, from 0
     * @return the quantile
     * @throws IllegalArgumentException if {@code p} is outside (0, 1)
     * @throws IndexOutOfBoundsException if {@code h} is not a step of this forecast
     * @throws IllegalStateException if {@code p} is not 0.5 and this forecast has no interval to read a
     *     spread from
     */
    public double quantile(double p, int h) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "p must be in (0, 1), was %s", p));
        }
        checkedStep(h);
        if (p == 0.5) {
            return median[h];
        }
        double level = Math.abs(200 * p - 100);
        double[][] exact = boundsAt(level);
        if (exact != null) {
            return p > 0.5 ? exact[1][h] : exact[0][h];
        }
        if (intervals.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the %s quantile needs an interval to read the spread from; this forecast has none", p));
        }
        return Math.max(lowerLimit, interpolated(p, h));
    }

    /**
     * Piecewise-linear in normal score on one side of the median, as distance from the median: knots at (0, 0) and
     * (z(level), |bound - median|), using the segment that brackets z, or the last segment beyond the widest level.
     */
    private double interpolated(double p, int h) {
        double level = Math.abs(200 * p - 100);
        if (!(level < 100)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "p = %s is too close to %d for its normal score to be finite", p, Math.round(p)));
        }
        int side = p > 0.5 ? 1 : 0;
        double z = NormalIntervals.z(level);
        double z0 = 0;
        double d0 = 0;
        double z1 = 0;
        double d1 = 0;
        for (Map.Entry<Double, double[][]> e : intervals.entrySet()) {
            z0 = z1;
            d0 = d1;
            z1 = NormalIntervals.z(e.getKey());
            d1 = Math.abs(e.getValue()[side][h] - median[h]);
            if (z <= z1) {
                break;
            }
        }
        double distance = d0 + (d1 - d0) * (z - z0) / (z1 - z0);
        return side == 1 ? median[h] + distance : median[h] - distance;
    }

    private double[][] interval(double level) {
        double[][] bounds = boundsAt(level);
        if (bounds == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "no %s%% interval in this forecast; levels present: %s", level, intervals.keySet()));
        }
        return bounds;
    }

    /** The lower and upper bounds of the interval at a level, allowing for rounding in the level; null if absent. */
    private double @Nullable [][] boundsAt(double level) {
        Map.Entry<Double, double[][]> e = intervals.floorEntry(level + 1e-9);
        return e == null || Math.abs(e.getKey() - level) > 1e-9 ? null : e.getValue();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Forecast[model=%s, start=%s, horizon=%d, levels=%s]",
                model, start, mean.length, intervals.keySet());
    }

    /** Collects the intervals of a {@link Forecast}. */
    public static final class Builder {
        private final String model;
        private final Instant start;
        private final Duration step;
        private final double[] mean;
        private double @Nullable [] median;
        private double lowerLimit = Double.NEGATIVE_INFINITY;
        private final NavigableMap<Double, double[][]> intervals = new TreeMap<>();

        private Builder(String model, Instant start, Duration step, double[] mean) {
            if (model == null || start == null || step == null) {
                throw new NullPointerException("model, start and step are required");
            }
            this.model = model;
            this.start = start;
            this.step = step;
            this.mean = mean.clone();
            if (this.mean.length == 0) {
                throw new IllegalArgumentException("a forecast has at least one step");
            }
            checkFinite("mean", this.mean);
            requireTimesRepresentable(start, step, this.mean.length);
        }

        /**
         * Sets the median of each step, for a forecast distribution that is not symmetric about its mean (by
         * default the median is the mean).
         *
         * @param median the medians, one per step, finite
         * @return this builder
         */
        public Builder median(double[] median) {
            if (median.length != mean.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%d medians for a horizon of %d", median.length, mean.length));
            }
            double[] m = median.clone();
            checkFinite("median", m);
            this.median = m;
            return this;
        }

        /**
         * Sets the least value the forecast distribution takes, such as 0 for a quantity that cannot be negative:
         * quantiles read beyond the widest interval are not taken below it (by default there is no limit).
         *
         * @param limit the limit, or negative infinity for none
         * @return this builder
         */
        public Builder lowerLimit(double limit) {
            if (Double.isNaN(limit) || limit == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("the lower limit must be a number or negative infinity, was " + limit);
            }
            this.lowerLimit = limit;
            return this;
        }

        /**
         * Adds the interval at a level.
         *
         * @param level coverage in percent, in (0, 100)
         * @param lower lower bounds, one per step, each at most the median
         * @param upper upper bounds, one per step, each at least the median
         * @return this builder
         */
        public Builder interval(double level, double[] lower, double[] upper) {
            if (!(level > 0 && level < 100)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "level must be in (0, 100) percent, was %s", level));
            }
            if (lower.length != mean.length || upper.length != mean.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "interval %s%% has %d lower and %d upper bounds for a horizon of %d",
                        level, lower.length, upper.length, mean.length));
            }
            double[] lo = lower.clone();
            double[] hi = upper.clone();
            checkFinite("lower " + level, lo);
            checkFinite("upper " + level, hi);
            intervals.put(level, new double[][] {lo, hi});
            return this;
        }

        /**
         * Builds the forecast, widening intervals where needed so that each level's interval contains
         * every narrower level's (numerical noise in simulated intervals can break nesting).
         *
         * @return the forecast
         */
        public Forecast build() {
            double[] centre = median != null ? median : mean;
            for (double[][] bounds : intervals.values()) {
                for (int h = 0; h < mean.length; h++) {
                    // Rounding in a model's arithmetic can put a bound a hair on the wrong side of the median.
                    bounds[0][h] = Math.min(bounds[0][h], centre[h]);
                    bounds[1][h] = Math.max(bounds[1][h], centre[h]);
                }
            }
            double[][] inner = null;
            for (double[][] bounds : intervals.values()) {
                if (inner != null) {
                    for (int h = 0; h < mean.length; h++) {
                        bounds[0][h] = Math.min(bounds[0][h], inner[0][h]);
                        bounds[1][h] = Math.max(bounds[1][h], inner[1][h]);
                    }
                }
                inner = bounds;
            }
            NavigableMap<Double, double[][]> copy = new TreeMap<>();
            intervals.forEach((k, v) -> copy.put(k, new double[][] {v[0].clone(), v[1].clone()}));
            double[] m = mean.clone();
            return new Forecast(model, start, step, m, median != null ? median.clone() : m, lowerLimit, copy);
        }

        private void checkFinite(String what, double[] v) {
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new ForecastException(String.format(Locale.ROOT, "%s: %s at step %d is %s%s", model, what, i,
                            v[i], Double.isInfinite(v[i]) ? " (the series' values or spread overflow a double)" : ""));
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Forecast other)) {
            return false;
        }
        if (!model.equals(other.model) || !start.equals(other.start) || !step.equals(other.step)
                || !Arrays.equals(mean, other.mean) || !Arrays.equals(median, other.median)
                || Double.compare(lowerLimit, other.lowerLimit) != 0
                || !intervals.keySet().equals(other.intervals.keySet())) {
            return false;
        }
        // The levels are equal, so both sorted maps list their bounds in the same order.
        Iterator<double[][]> theirs = other.intervals.values().iterator();
        for (double[][] mine : intervals.values()) {
            double[][] o2 = theirs.next();
            if (!Arrays.equals(mine[0], o2[0]) || !Arrays.equals(mine[1], o2[1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + Arrays.hashCode(mean);
    }
}
