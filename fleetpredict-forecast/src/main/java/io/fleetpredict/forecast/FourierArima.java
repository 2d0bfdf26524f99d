package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Dynamic harmonic regression: each seasonal period as Fourier terms, the sines and cosines of its first
 * {@code K} harmonics, and what they leave as a non-seasonal ARIMA found by the stepwise search (Hyndman and
 * Athanasopoulos, <i>Forecasting: Principles and Practice</i>, 3rd ed., section 12.1; R's
 * {@code auto.arima(y, xreg = fourier(y, K), seasonal = FALSE)}). A season of any length costs a few
 * coefficients: a period of 288 or 2,016 steps, where a seasonal ARIMA or ETS would carry a state of that many
 * dimensions, is a handful of harmonics here.
 *
 * <p>The terms are R's {@code forecast::fourier}: at time {@code t = 1, 2, ...} from the first value,
 * {@code S<k>-<p> = sin(2 pi k t / p)} and {@code C<k>-<p> = cos(2 pi k t / p)}; the sine is left out where
 * it is zero ({@code 2k = p}), and a harmonic of a longer period at the frequency of a shorter period's
 * harmonic belongs to the shorter period (with 24 and 168, harmonic 7 of 168 is harmonic 1 of 24).
 *
 * <p>Estimated in two steps. First the number of harmonics of each period, by the AICc of the harmonic
 * regression under the errors of the richest one: what the richest harmonic regression leaves is differenced
 * as the stepwise search would difference it ({@code d} by KPSS tests, at most 2) and approximated by an
 * autoregression (Yule-Walker, order by AIC), and the series and the columns, differenced alike, are whitened
 * by it, so that the regression is generalised least squares (on merely differenced data the noise a
 * difference adds would drown a long season's slow harmonics); one period at a time from one harmonic each,
 * over {@link #HARMONIC_STEPS}, until a pass changes nothing. Then the regression, with an intercept, on
 * the series itself by least squares, and the stepwise ARIMA search on what it leaves (its intercept stays in
 * that residual series, whose level the ARIMA carries). R estimates the regression and its ARIMA errors
 * jointly; with the harmonic coefficients in the likelihood search such a fit took 1 to 33 seconds with 10
 * columns and 20 to 65 seconds with 24 on series of 700 hourly values, which rules it out as a cross-validated
 * candidate.
 *
 * <p>Forecast: the harmonics continued past the history plus the ARIMA forecast of the residual series, its
 * interval bounds shifted by the harmonics. The uncertainty of the harmonic coefficients, estimated from many
 * cycles, is left out of the intervals.
 */
final class FourierArima implements Forecaster {

    /** The most harmonics of one period. */
    static final int MAX_HARMONICS = 20;
    /** The harmonic counts tried for a period, up to its most. */
    static final int[] HARMONIC_STEPS = {1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20};
    /** At most one regression column per this many values, so that the richest regression is well determined. */
    static final int VALUES_PER_COLUMN = 8;

    private final int[] periods;

    FourierArima(int... periods) {
        this.periods = Mstl.distinctAscending(periods);
    }

    @Override
    public String name() {
        return "fourier-arima(" + Mstl.join(periods) + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return PowerOfTwoUnit.fit(this, series, this::fitInUnit);
    }

    /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}). */
    private FittedModel fitInUnit(TimeSeries series) {
        int n = series.size();
        double[] y = series.values();
        List<String> notes = new ArrayList<>();
        int[] kept = Mstl.periodsWithTwoCycles(periods, n, notes);
        Harmonics all = Harmonics.of(kept, Math.max(1, n / VALUES_PER_COLUMN / Math.max(1, 2 * kept.length)));
        Harmonics chosen = all.count() == 0 ? all : chooseHarmonics(y, all);
        double[] residual = y.clone();
        double[] coefficients = new double[0];
        if (chosen.count() > 0) {
            double[][] columns = chosen.columns(1, n);
            double[][] fit = LeastSquares.fit(withIntercept(columns), y);
            if (fit == null) {
                throw new ModelFitException(name() + ": the harmonic regression is rank deficient");
            }
            coefficients = Arrays.copyOf(fit[0], columns.length);
            residual = subtract(y, columns, coefficients);
        } else {
            notes.add("no seasonal period kept: ARIMA alone");
        }
        FittedModel errors = Forecasters.autoArima(1).fit(TimeSeries.of(series.start(), series.step(),
                Mstl.finite(name(), "the regression's residual", residual)));
        return new Fitted(this, series, chosen, coefficients, errors, notes);
    }

    /**
     * The harmonic counts by AICc of the regression on the differenced series, one period at a time from one
     * harmonic each until a pass changes nothing.
     */
    static Harmonics chooseHarmonics(double[] y, Harmonics all) {
        int n = y.length;
        double[][] richest = all.columns(1, n);
        double[] left = y;
        double[][] fit = LeastSquares.fit(withIntercept(richest), y);
        if (fit != null) {
            left = subtract(y, richest, fit[0]);
        }
        int d = Kpss.differences(left, 2, Constancy.magnitude(y));
        ArimaOrder differencing = ArimaOrder.of(0, d, 0);
        double[] ar = yuleWalker(ArimaEstimation.difference(left, differencing));
        double[] dy = whiten(ArimaEstimation.difference(y, differencing), ar);
        List<double[]> dx = new ArrayList<>();
        for (double[] c : richest) {
            dx.add(whiten(ArimaEstimation.difference(c, differencing), ar));
        }
        if (d == 0) {
            double[] ones = new double[n];
            Arrays.fill(ones, 1);
            dx.add(whiten(ones, ar));
        }
        Gram gram = new Gram(dx, dy);
        int[] counts = new int[all.periods.length];
        Arrays.fill(counts, 1);
        double best = gram.aicc(all.select(counts, d == 0));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < counts.length; i++) {
                for (int k : HARMONIC_STEPS) {
                    if (k > all.harmonics[i].length || k == counts[i]) {
                        continue;
                    }
                    int[] trial = counts.clone();
                    trial[i] = k;
                    double score = gram.aicc(all.select(trial, d == 0));
                    if (score < best) {
                        best = score;
                        counts = trial;
                        changed = true;
                    }
                }
            }
        }
        return all.first(counts);
    }

    /**
     * The autoregression of the order with the lowest AIC up to R's {@code ar()} default, {@code 10 log10 n},
     * fitted by the Yule-Walker equations (Durbin-Levinson recursion): a stationary approximation of what the
     * richest harmonic regression leaves, enough to whiten it.
     */
    static double[] yuleWalker(double[] x) {
        int n = x.length;
        int most = (int) Math.min(n - 1, Math.floor(10 * Math.log10(Math.max(n, 1))));
        double mean = Arrays.stream(x).average().orElse(0);
        double[] acov = new double[most + 1];
        for (int k = 0; k <= most; k++) {
            double s = 0;
            for (int t = k; t < n; t++) {
                s += (x[t] - mean) * (x[t - k] - mean);
            }
            acov[k] = s / n;
        }
        double[] best = new double[0];
        if (!(acov[0] > 0)) {
            return best;
        }
        double variance = acov[0];
        double bestAic = n * Math.log(variance);
        double[] phi = new double[0];
        for (int k = 1; k <= most; k++) {
            double num = acov[k];
            for (int j = 0; j < k - 1; j++) {
                num -= phi[j] * acov[k - 1 - j];
            }
            double reflection = num / variance;
            double[] next = new double[k];
            for (int j = 0; j < k - 1; j++) {
                next[j] = phi[j] - reflection * phi[k - 2 - j];
            }
            next[k - 1] = reflection;
            phi = next;
            variance *= 1 - reflection * reflection;
            if (!(variance > 0)) {
                break;
            }
            double aic = n * Math.log(variance) + 2 * k;
            if (aic < bestAic) {
                bestAic = aic;
                best = phi.clone();
            }
        }
        return best;
    }

    /**
     * The residuals of an autoregression run over {@code w}: {@code e_t = w_t - sum ar_i w_(t-i)}, from the
     * value {@code ar.length} on. A regression on the whitened series and columns is generalised least squares
     * under those errors.
     */
    static double[] whiten(double[] w, double[] ar) {
        int p = ar.length;
        double[] e = new double[Math.max(0, w.length - p)];
        for (int t = p; t < w.length; t++) {
            double v = w[t];
            for (int i = 0; i < p; i++) {
                v -= ar[i] * w[t - 1 - i];
            }
            e[t - p] = v;
        }
        return e;
    }

    /** The columns and a last column of ones. */
    private static double[][] withIntercept(double[][] columns) {
        double[][] all = Arrays.copyOf(columns, columns.length + 1);
        double[] ones = new double[columns.length == 0 ? 0 : columns[0].length];
        Arrays.fill(ones, 1);
        all[columns.length] = ones;
        return all;
    }

    static double[] subtract(double[] y, double[][] columns, double[] coefficients) {
        double[] r = y.clone();
        for (int j = 0; j < columns.length; j++) {
            for (int t = 0; t < r.length; t++) {
                r[t] -= coefficients[j] * columns[j][t];
            }
        }
        return r;
    }

    /**
     * The harmonics of each period, in R's column order: periods ascending, each harmonic's sine (unless it
     * is zero) then its cosine.
     */
    static final class Harmonics {
        final int[] periods;
        /** For each period, the harmonic numbers {@code k} it carries, ascending. */
        final int[][] harmonics;

        private Harmonics(int[] periods, int[][] harmonics) {
            this.periods = periods;
            this.harmonics = harmonics;
        }

        /**
         * Up to {@code most} harmonics of each period (at most {@link #MAX_HARMONICS} and {@code p / 2}), a
         * longer period's harmonic left out where a shorter period has one at the same frequency.
         */
        static Harmonics of(int[] periods, int most) {
            int[][] h = new int[periods.length][];
            for (int i = 0; i < periods.length; i++) {
                int p = periods[i];
                List<Integer> ks = new ArrayList<>();
                for (int k = 1; k <= p / 2 && ks.size() < Math.min(MAX_HARMONICS, most); k++) {
                    if (!sharedWithShorter(periods, h, i, k)) {
                        ks.add(k);
                    }
                }
                h[i] = ks.stream().mapToInt(Integer::intValue).toArray();
            }
            return new Harmonics(periods.clone(), h);
        }

        private static boolean sharedWithShorter(int[] periods, int[][] h, int i, int k) {
            for (int j = 0; j < i; j++) {
                for (int kj : h[j]) {
                    if ((long) k * periods[j] == (long) kj * periods[i]) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** The first {@code counts[i]} harmonics of each period. */
        Harmonics first(int[] counts) {
            int[][] h = new int[periods.length][];
            for (int i = 0; i < periods.length; i++) {
                h[i] = Arrays.copyOf(harmonics[i], Math.min(counts[i], harmonics[i].length));
            }
            return new Harmonics(periods, h);
        }

        /** The number of columns. */
        int count() {
            int c = 0;
            for (int i = 0; i < periods.length; i++) {
                for (int k : harmonics[i]) {
                    c += hasSine(periods[i], k) ? 2 : 1;
                }
            }
            return c;
        }

        /**
         * The indices, among this set's columns, of the first {@code counts[i]} harmonics of each period, and
         * the intercept's (the last) when asked.
         */
        int[] select(int[] counts, boolean intercept) {
            List<Integer> idx = new ArrayList<>();
            int c = 0;
            for (int i = 0; i < periods.length; i++) {
                for (int j = 0; j < harmonics[i].length; j++) {
                    int width = hasSine(periods[i], harmonics[i][j]) ? 2 : 1;
                    for (int w = 0; w < width; w++) {
                        if (j < counts[i]) {
                            idx.add(c);
                        }
                        c++;
                    }
                }
            }
            if (intercept) {
                idx.add(c);
            }
            return idx.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The columns at times {@code from, from + 1, ...}, {@code length} of them (time 1 is the first value). */
        double[][] columns(int from, int length) {
            double[][] cols = new double[count()][length];
            int c = 0;
            for (int i = 0; i < periods.length; i++) {
                for (int k : harmonics[i]) {
                    double w = 2 * Math.PI * k / periods[i];
                    if (hasSine(periods[i], k)) {
                        for (int t = 0; t < length; t++) {
                            cols[c][t] = Math.sin(w * (from + t));
                        }
                        c++;
                    }
                    for (int t = 0; t < length; t++) {
                        cols[c][t] = Math.cos(w * (from + t));
                    }
                    c++;
                }
            }
            return cols;
        }

        /** The column names, R's: {@code S1-24}, {@code C1-24}, ... */
        List<String> names() {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < periods.length; i++) {
                for (int k : harmonics[i]) {
                    if (hasSine(periods[i], k)) {
                        names.add("S" + k + "-" + periods[i]);
                    }
                    names.add("C" + k + "-" + periods[i]);
                }
            }
            return names;
        }

        private static boolean hasSine(int period, int k) {
            return 2 * k != period;
        }
    }

    /** Cross products of a set of columns and a target, from which any subset's least squares follows. */
    static final class Gram {
        private final double[][] xx;
        private final double[] xy;
        private final double yy;
        private final int rows;

        Gram(List<double[]> columns, double[] y) {
            int k = columns.size();
            rows = y.length;
            xx = new double[k][k];
            xy = new double[k];
            for (int a = 0; a < k; a++) {
                double[] ca = columns.get(a);
                for (int b = a; b < k; b++) {
                    double[] cb = columns.get(b);
                    double s = 0;
                    for (int t = 0; t < rows; t++) {
                        s += ca[t] * cb[t];
                    }
                    xx[a][b] = s;
                    xx[b][a] = s;
                }
                double s = 0;
                for (int t = 0; t < rows; t++) {
                    s += ca[t] * y[t];
                }
                xy[a] = s;
            }
            double s = 0;
            for (double v : y) {
                s += v * v;
            }
            yy = s;
        }

        /**
         * The AICc of the least-squares regression on the columns {@code idx} with normal errors, or infinity
         * when it is not determined.
         */
        double aicc(int[] idx) {
            int k = idx.length;
            double rss = yy;
            if (k > 0) {
                double[][] sub = new double[k][k];
                double[] rhs = new double[k];
                for (int a = 0; a < k; a++) {
                    rhs[a] = xy[idx[a]];
                    for (int b = 0; b < k; b++) {
                        sub[a][b] = xx[idx[a]][idx[b]];
                    }
                }
                RealMatrix m = new Array2DRowRealMatrix(sub, false);
                double[] beta;
                try {
                    beta = new CholeskyDecomposition(m, 1e-12, 1e-12).getSolver()
                            .solve(new ArrayRealVector(rhs, false)).toArray();
                } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
                    return Double.POSITIVE_INFINITY;
                }
                for (int a = 0; a < k; a++) {
                    rss -= beta[a] * rhs[a];
                }
            }
            int params = k + 1;
            if (rows - params - 1 <= 0) {
                return Double.POSITIVE_INFINITY;
            }
            // An exact fit leaves a residual sum at rounding level; the floor keeps the log finite.
            rss = Math.max(rss, yy * 1e-20 + Double.MIN_NORMAL);
            return rows * Math.log(rss / rows) + 2.0 * params + 2.0 * params * (params + 1) / (rows - params - 1);
        }
    }

    /** A fitted harmonic regression with ARIMA errors. */
    static final class Fitted extends AbstractFittedModel implements PowerOfTwoUnit.Likelihood {
        private final FourierArima spec;
        private final Harmonics harmonics;
        private final double[] coefficients;
        private final FittedModel errors;
        private final List<String> notes;

        Fitted(FourierArima spec, TimeSeries history, Harmonics harmonics, double[] coefficients, FittedModel errors,
                List<String> notes) {
            super(spec, history);
            this.spec = spec;
            this.harmonics = harmonics;
            this.coefficients = coefficients;
            this.errors = errors;
            this.notes = List.copyOf(notes);
        }

        /** The harmonics' sum at the {@code count} steps after the first {@code done} values. */
        double[] seasonal(int done, int count) {
            double[][] cols = harmonics.columns(done + 1, count);
            double[] s = new double[count];
            for (int j = 0; j < cols.length; j++) {
                for (int t = 0; t < count; t++) {
                    s[t] += coefficients[j] * cols[j][t];
                }
            }
            return s;
        }

        @Override
        public String description() {
            StringBuilder sb = new StringBuilder("Fourier terms");
            for (int i = 0; i < harmonics.periods.length; i++) {
                sb.append(i == 0 ? " " : ", ").append(String.format(Locale.ROOT, "%d harmonics of %d",
                        harmonics.harmonics[i].length, harmonics.periods[i]));
            }
            for (String note : notes) {
                sb.append("; ").append(note);
            }
            return sb.append(" with errors ").append(errors.description()).toString();
        }

        @Override
        public List<String> notes() {
            return notes;
        }

        @Override
        public int likelihoodObservations(String key) {
            return key.startsWith("errors.") && errors instanceof PowerOfTwoUnit.Likelihood l
                    ? l.likelihoodObservations(key.substring("errors.".length())) : -1;
        }

        @Override
        public Map<String, Double> parameters() {
            Map<String, Double> p = new LinkedHashMap<>();
            for (int i = 0; i < harmonics.periods.length; i++) {
                p.put("harmonics." + harmonics.periods[i], (double) harmonics.harmonics[i].length);
            }
            List<String> names = harmonics.names();
            for (int j = 0; j < names.size(); j++) {
                p.put(names.get(j), coefficients[j]);
            }
            errors.parameters().forEach((k, v) -> p.put("errors." + k, v));
            return Collections.unmodifiableMap(p);
        }

        @Override
        Forecast forecastAhead(int horizon, double[] levels) {
            return errors.forecast(horizon, levels).shifted(seasonal(history.size(), horizon), description());
        }

        /**
         * Takes the new values less the harmonics at their times into the ARIMA of the residual series; the
         * harmonics and their coefficients change only on a refit.
         */
        @Override
        public FittedModel update(TimeSeries next) {
            double[] seasonal = seasonal(history.size(), next.size());
            double[] left = next.values();
            for (int t = 0; t < left.length; t++) {
                left[t] -= seasonal[t];
            }
            FittedModel updated = errors.update(TimeSeries.of(next.start(), next.step(), left));
            return new Fitted(spec, history.append(next), harmonics, coefficients, updated, notes);
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
