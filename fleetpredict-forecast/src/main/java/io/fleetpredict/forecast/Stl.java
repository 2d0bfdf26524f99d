package io.fleetpredict.forecast;

import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae and Terpenning 1990, "STL: A
 * seasonal-trend decomposition procedure based on loess", Journal of Official Statistics 6(1)), with the
 * parameters and defaults of R's {@code stats::stl}.
 *
 * <p>The inner loop detrends, smooths each cycle-subseries by loess (extended by one cycle at either
 * end), removes its low-frequency part with moving averages of lengths {@code period}, {@code period}
 * and 3 followed by loess, deseasonalises and smooths the trend. The outer loop reweights points by the
 * bisquare of their remainder over six times the median absolute remainder.
 *
 * <p>Immutable and thread-safe; {@link #decompose} allocates its own work space.
 */
final class Stl {

    private final int period;
    private final boolean periodic;
    private final int seasonalWindow;
    private final int seasonalDegree;
    private final int trendWindow;
    private final int trendDegree;
    private final int lowPassWindow;
    private final int lowPassDegree;
    private final int seasonalJump;
    private final int trendJump;
    private final int lowPassJump;
    private final int inner;
    private final int outer;

    private Stl(Builder b) {
        this.period = b.period;
        this.periodic = b.periodic;
        this.seasonalWindow = b.seasonalWindow;
        this.seasonalDegree = b.periodic ? 0 : b.seasonalDegree;
        this.trendWindow = b.trendWindow;
        this.trendDegree = b.trendDegree;
        this.lowPassWindow = b.lowPassWindow;
        this.lowPassDegree = b.lowPassDegree < 0 ? b.trendDegree : b.lowPassDegree;
        this.seasonalJump = b.seasonalJump;
        this.trendJump = b.trendJump;
        this.lowPassJump = b.lowPassJump;
        this.inner = b.inner >= 0 ? b.inner : (b.robust ? 1 : 2);
        this.outer = b.outer >= 0 ? b.outer : (b.robust ? 15 : 0);
    }

    /**
     * Starts a specification with R's defaults for everything but the seasonal window.
     *
     * @param period observations per cycle, at least 2
     */
    static Builder builder(int period) {
        if (period < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 2, was %d", period));
        }
        return new Builder(period);
    }

    int period() {
        return period;
    }

    /**
     * Decomposes a series.
     *
     * @param y the series, longer than two cycles
     * @return its seasonal, trend and remainder components and the final robustness weights
     */
    Decomposition decompose(double[] y) {
        int n = y.length;
        if (n <= 2L * period) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "STL with period %d needs more than two cycles (%d observations), got %d", period,
                    2L * period + 1, n));
        }
        // Defaults that depend on the series length resolve here, in R's order: a periodic seasonal
        // window is 10n + 1, the trend window depends on the seasonal window, every jump on its window.
        int sWindow = periodic ? 10 * n + 1 : seasonalWindow;
        int tWindow = trendWindow > 0 ? trendWindow
                : nextOdd(Math.ceil(1.5 * period / (1 - 1.5 / sWindow)));
        int lWindow = lowPassWindow > 0 ? lowPassWindow : nextOdd(period);
        int sJump = seasonalJump > 0 ? seasonalJump : ceilTenth(sWindow);
        int tJump = trendJump > 0 ? trendJump : ceilTenth(tWindow);
        int lJump = lowPassJump > 0 ? lowPassJump : ceilTenth(lWindow);
        int ns = oddAtLeastThree(sWindow);
        int nt = oddAtLeastThree(tWindow);
        int nl = oddAtLeastThree(lWindow);

        double[] seasonal = new double[n];
        double[] trend = new double[n];
        double[] weights = new double[n];
        Work work = new Work(n, period);
        boolean useWeights = false;
        for (int k = 0; ; k++) {
            innerLoop(y, ns, nt, nl, sJump, tJump, lJump, useWeights ? weights : null, seasonal, trend, work);
            if (k + 1 > outer) {
                break;
            }
            robustnessWeights(y, seasonal, trend, weights);
            useWeights = true;
        }
        if (outer <= 0) {
            Arrays.fill(weights, 1.0);
        }
        if (periodic) {
            // Exactly periodic: each cycle position takes the mean of its seasonal values.
            for (int j = 0; j < period; j++) {
                double sum = 0;
                int count = 0;
                for (int i = j; i < n; i += period) {
                    sum += seasonal[i];
                    count++;
                }
                double mean = sum / count;
                for (int i = j; i < n; i += period) {
                    seasonal[i] = mean;
                }
            }
        }
        double[] remainder = new double[n];
        for (int i = 0; i < n; i++) {
            remainder[i] = y[i] - seasonal[i] - trend[i];
        }
        return new Decomposition(seasonal, trend, remainder, weights, tWindow);
    }

    private void innerLoop(double[] y, int ns, int nt, int nl, int sJump, int tJump, int lJump,
            double @Nullable [] rw, double[] seasonal, double[] trend, Work w) {
        int n = y.length;
        int np = period;
        for (int pass = 0; pass < inner; pass++) {
            for (int i = 0; i < n; i++) {
                w.detrended[i] = y[i] - trend[i];
            }
            cycleSubseries(w.detrended, n, ns, sJump, rw, w);
            // Low-pass filter of the extended cycle-subseries: moving averages period, period, 3, then loess.
            movingAverage(w.cycle, n + 2 * np, np, w.ma1);
            movingAverage(w.ma1, n + np + 1, np, w.ma2);
            movingAverage(w.ma2, n + 2, 3, w.ma3);
            Loess.smooth(w.ma3, n, nl, lowPassDegree, lJump, null, w.lowPass, 0, w.scratch);
            for (int i = 0; i < n; i++) {
                seasonal[i] = w.cycle[np + i] - w.lowPass[i];
                w.deseasonalised[i] = y[i] - seasonal[i];
            }
            Loess.smooth(w.deseasonalised, n, nt, trendDegree, tJump, rw, trend, 0, w.scratch);
        }
    }

    /** Smooths each cycle-subseries and extends it by one value at either end, into {@code w.cycle}. */
    private void cycleSubseries(double[] x, int n, int ns, int sJump, double @Nullable [] rw, Work w) {
        int np = period;
        for (int j = 0; j < np; j++) {
            int k = (n - j - 1) / np + 1;
            for (int i = 0; i < k; i++) {
                w.sub[i] = x[i * np + j];
                if (rw != null) {
                    w.subWeights[i] = rw[i * np + j];
                }
            }
            double[] subRw = rw != null ? w.subWeights : null;
            Loess.smooth(w.sub, k, ns, seasonalDegree, sJump, subRw, w.subSmooth, 1, w.scratch);
            double first = Loess.estimate(w.sub, k, ns, seasonalDegree, 0, 1, Math.min(ns, k), w.scratch, subRw);
            w.subSmooth[0] = Double.isNaN(first) ? w.subSmooth[1] : first;
            double last = Loess.estimate(w.sub, k, ns, seasonalDegree, k + 1, Math.max(1, k - ns + 1), k,
                    w.scratch, subRw);
            w.subSmooth[k + 1] = Double.isNaN(last) ? w.subSmooth[k] : last;
            for (int m = 0; m < k + 2; m++) {
                w.cycle[m * np + j] = w.subSmooth[m];
            }
        }
    }

    private static void movingAverage(double[] x, int n, int len, double[] out) {
        int count = n - len + 1;
        double v = 0;
        for (int i = 0; i < len; i++) {
            v += x[i];
        }
        out[0] = v / len;
        for (int j = 1; j < count; j++) {
            v = v - x[j - 1] + x[j + len - 1];
            out[j] = v / len;
        }
    }

    /** Bisquare weights of the remainder scaled by six times its median absolute value. */
    private static void robustnessWeights(double[] y, double[] seasonal, double[] trend, double[] rw) {
        int n = y.length;
        double[] abs = new double[n];
        for (int i = 0; i < n; i++) {
            abs[i] = Math.abs(y[i] - seasonal[i] - trend[i]);
        }
        double[] sorted = abs.clone();
        Arrays.sort(sorted);
        int mid1 = n / 2 + 1;
        int mid2 = n - mid1 + 1;
        double cmad = 3.0 * (sorted[mid1 - 1] + sorted[mid2 - 1]);
        double c9 = 0.999 * cmad;
        double c1 = 0.001 * cmad;
        for (int i = 0; i < n; i++) {
            double r = abs[i];
            if (r <= c1) {
                rw[i] = 1.0;
            } else if (r <= c9) {
                double u = r / cmad;
                double v = 1 - u * u;
                rw[i] = v * v;
            } else {
                rw[i] = 0.0;
            }
        }
    }

    /** R's {@code nextodd}: round, then add one if even. */
    static int nextOdd(double x) {
        long r = Math.round(x);
        // R rounds half to even; the arguments used here are integral, where both agree.
        if (r % 2 == 0) {
            r++;
        }
        return Math.toIntExact(r);
    }

    private static int ceilTenth(int window) {
        return (window + 9) / 10;
    }

    private static int oddAtLeastThree(int span) {
        int s = Math.max(3, span);
        return s % 2 == 0 ? s + 1 : s;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "STL(period=%d, s.window=%s, s.degree=%d, t.degree=%d, inner=%d, outer=%d)",
                period, periodic ? "periodic" : Integer.toString(seasonalWindow), seasonalDegree, trendDegree,
                inner, outer);
    }

    private static final class Work {
        final double[] detrended;
        final double[] deseasonalised;
        final double[] cycle;
        final double[] ma1;
        final double[] ma2;
        final double[] ma3;
        final double[] lowPass;
        final double[] scratch;
        final double[] sub;
        final double[] subWeights;
        final double[] subSmooth;

        Work(int n, int np) {
            detrended = new double[n];
            deseasonalised = new double[n];
            cycle = new double[n + 2 * np];
            ma1 = new double[n + 2 * np];
            ma2 = new double[n + 2 * np];
            ma3 = new double[n + 2 * np];
            lowPass = new double[n];
            scratch = new double[n + 2 * np];
            int k = n / np + 1;
            sub = new double[k];
            subWeights = new double[k];
            subSmooth = new double[k + 2];
        }
    }

    /** The components of a decomposed series; arrays are owned by this object and never exposed mutable. */
    static final class Decomposition {
        private final double[] seasonal;
        private final double[] trend;
        private final double[] remainder;
        private final double[] weights;
        private final int trendWindow;

        Decomposition(double[] seasonal, double[] trend, double[] remainder, double[] weights, int trendWindow) {
            this.seasonal = seasonal;
            this.trend = trend;
            this.remainder = remainder;
            this.weights = weights;
            this.trendWindow = trendWindow;
        }

        double[] seasonal() {
            return seasonal.clone();
        }

        double[] trend() {
            return trend.clone();
        }

        double[] remainder() {
            return remainder.clone();
        }

        double[] weights() {
            return weights.clone();
        }

        int trendWindow() {
            return trendWindow;
        }
    }

    /** Collects STL parameters; unset windows and jumps take R's defaults at decomposition time. */
    static final class Builder {
        private final int period;
        private boolean periodic;
        private int seasonalWindow = -1;
        private int seasonalDegree = 0;
        private int trendWindow = -1;
        private int trendDegree = 1;
        private int lowPassWindow = -1;
        private int lowPassDegree = -1;
        private int seasonalJump = -1;
        private int trendJump = -1;
        private int lowPassJump = -1;
        private boolean robust;
        private int inner = -1;
        private int outer = -1;

        private Builder(int period) {
            this.period = period;
        }

        Builder seasonalWindow(int window) {
            this.seasonalWindow = requirePositive("seasonalWindow", window);
            this.periodic = false;
            return this;
        }

        /** R's {@code s.window = "periodic"}: a seasonal pattern that does not change. */
        Builder periodic() {
            this.periodic = true;
            return this;
        }

        Builder seasonalDegree(int degree) {
            this.seasonalDegree = requireDegree("seasonalDegree", degree);
            return this;
        }

        Builder trendWindow(int window) {
            this.trendWindow = requirePositive("trendWindow", window);
            return this;
        }

        Builder trendDegree(int degree) {
            this.trendDegree = requireDegree("trendDegree", degree);
            return this;
        }

        Builder lowPassWindow(int window) {
            this.lowPassWindow = requirePositive("lowPassWindow", window);
            return this;
        }

        Builder lowPassDegree(int degree) {
            this.lowPassDegree = requireDegree("lowPassDegree", degree);
            return this;
        }

        Builder jumps(int seasonal, int trend, int lowPass) {
            this.seasonalJump = requirePositive("seasonalJump", seasonal);
            this.trendJump = requirePositive("trendJump", trend);
            this.lowPassJump = requirePositive("lowPassJump", lowPass);
            return this;
        }

        /** R's {@code robust = TRUE}: one inner pass and 15 robustness iterations, unless set. */
        Builder robust(boolean robust) {
            this.robust = robust;
            return this;
        }

        Builder iterations(int inner, int outer) {
            this.inner = requirePositive("inner", inner);
            if (outer < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "outer must be at least 0, was %d", outer));
            }
            this.outer = outer;
            return this;
        }

        Stl build() {
            if (!periodic && seasonalWindow < 0) {
                throw new IllegalStateException("the seasonal window is required: set seasonalWindow(...) or periodic()");
            }
            return new Stl(this);
        }

        private static int requirePositive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be at least 1, was %d", name, v));
            }
            return v;
        }

        private static int requireDegree(String name, int v) {
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be 0 or 1, was %d", name, v));
            }
            return v;
        }
    }
}
