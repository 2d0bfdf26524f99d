package io.fleetpredict.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Values that stand far apart from the rest of a series (a metric glitch, a counter reset, a one-off event),
 * found and replaced as R's {@code forecast::tsoutliers} and {@code tsclean} do (forecast 8.20): the series
 * is seasonally adjusted by a robust MSTL decomposition when its season is strong (strength at least 0.6),
 * smoothed by Friedman's super smoother, and a value is an outlier when its residual lies more than three
 * interquartile ranges beyond the residuals' quartiles. Normal noise alone passes that bound about twice in a
 * million values, but the residuals also hold what the decomposition and the smoother miss, so on seasonal
 * series the rule flags far more: every day that breaks a weekly pattern, or about 1% of 960 hourly values of
 * two sine seasons and noise. Outliers are replaced by interpolation (linear without a season; with one, the seasonally
 * adjusted values interpolated plus the season), and the search runs once more on the cleaned series.
 *
 * <p>A model fitted to a series with a gross outlier forecasts nonsense; {@link Forecasters#cleaned} fits to
 * the cleaned series instead. Nothing is replaced silently: the replacements are listed.
 */
public final class Outliers {

    /** R's bound: residuals beyond the quartiles by three interquartile ranges. */
    private static final double FENCE = 3;
    /** R's bound on seasonal strength for adjusting the series before the smoother. */
    private static final double STRONG_SEASON = 0.6;

    private Outliers() {
    }

    /**
     * The outliers of a series, in order of time.
     *
     * @param series the series
     * @param periods its seasonal periods (values of 1 or less are ignored); the season is removed when the
     *     series holds more than two cycles of the longest
     * @return the outliers with their replacements; empty for a constant series
     */
    public static List<Outlier> find(TimeSeries series, int... periods) {
        double[] x = series.values();
        int[] seasons = Arrays.stream(periods).filter(p -> p > 1).distinct().sorted().toArray();
        boolean[] first = flag(x, seasons);
        if (count(first) == 0) {
            return List.of();
        }
        double[] once = interpolate(x, first, seasons);
        boolean[] again = flag(once, seasons);
        double[] cleaned = once;
        boolean[] all = first;
        if (count(again) > 0) {
            all = first.clone();
            for (int t = 0; t < x.length; t++) {
                all[t] |= again[t];
            }
            cleaned = interpolate(once, all, seasons);
        }
        List<Outlier> found = new ArrayList<>();
        for (int t = 0; t < x.length; t++) {
            if (all[t]) {
                found.add(new Outlier(t, series.timeAt(t), x[t], cleaned[t]));
            }
        }
        return List.copyOf(found);
    }

    /**
     * The series with the given outliers replaced.
     *
     * @param series the series
     * @param outliers outliers of it, as {@link #find} gives them
     * @return the series with each outlier's value replaced by its replacement
     * @throws IllegalArgumentException when an outlier's index is outside the series
     */
    public static TimeSeries replace(TimeSeries series, List<Outlier> outliers) {
        if (outliers.isEmpty()) {
            return series;
        }
        double[] v = series.values();
        for (Outlier o : outliers) {
            if (o.index() >= v.length) {
                throw new IllegalArgumentException("outlier at index " + o.index() + " is outside this series of "
                        + v.length + " values");
            }
            v[o.index()] = o.replacement();
        }
        return TimeSeries.of(series.start(), series.step(), v);
    }

    /** One search: which values lie beyond the fences of the smoother's residuals. */
    private static boolean[] flag(double[] values, int[] seasons) {
        int n = values.length;
        boolean[] outlier = new boolean[n];
        if (Constancy.isConstant(values)) {
            return outlier;
        }
        double[] xx = values;
        int longest = seasons.length == 0 ? 1 : seasons[seasons.length - 1];
        if (longest > 1 && n > 2L * longest) {
            Mstl.Components c = Mstl.decompose(values, seasons, true);
            double[] detrended = new double[n];
            for (int t = 0; t < n; t++) {
                detrended[t] = values[t] - c.trend[t];
            }
            double strength = 1 - SeasonalStrength.variance(c.remainder, n) / SeasonalStrength.variance(detrended, n);
            if (strength >= STRONG_SEASON) {
                xx = c.adjusted;
            }
        }
        double[] smooth = SuperSmoother.smooth(xx);
        double[] residual = new double[n];
        for (int t = 0; t < n; t++) {
            residual[t] = xx[t] - smooth[t];
        }
        double[] sorted = residual.clone();
        Arrays.sort(sorted);
        double q1 = quantile(sorted, 0.25);
        double q3 = quantile(sorted, 0.75);
        double lower = q1 - FENCE * (q3 - q1);
        double upper = q3 + FENCE * (q3 - q1);
        if (upper - lower > 1e-14) {
            for (int t = 0; t < n; t++) {
                outlier[t] = residual[t] < lower || residual[t] > upper;
            }
        }
        return outlier;
    }

    /**
     * R's {@code na.interp} of the values marked missing: linear interpolation (the nearest value beyond the
     * ends) without a season or with two cycles or fewer of it kept; otherwise a regression on Fourier terms
     * and a polynomial trend fills them in, a robust MSTL of the filled series gives the season, and the
     * seasonally adjusted values are interpolated linearly and the season added back, unless that lands more
     * than half the series' range beyond it, where linear interpolation is used after all.
     */
    static double[] interpolate(double[] values, boolean[] missing, int[] seasons) {
        int n = values.length;
        int kept = n - count(missing);
        int longest = seasons.length == 0 ? 1 : seasons[seasons.length - 1];
        if (longest <= 1 || kept <= 2L * longest) {
            return linear(values, missing);
        }
        double[] filled = values.clone();
        double[] regressed = regression(values, missing, seasons);
        for (int t = 0; t < n; t++) {
            if (missing[t]) {
                filled[t] = regressed[t];
            }
        }
        int[] decomposable = Arrays.stream(seasons).filter(p -> 2L * p < n).toArray();
        Mstl.Components c = Mstl.decompose(filled, decomposable, true);
        double[] adjusted = linear(c.adjusted, missing);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            if (!missing[t]) {
                min = Math.min(min, values[t]);
                max = Math.max(max, values[t]);
            }
        }
        double[] out = values.clone();
        for (int t = 0; t < n; t++) {
            if (missing[t]) {
                double season = 0;
                for (double[] s : c.seasonal) {
                    season += s[t];
                }
                out[t] = adjusted[t] + season;
            }
        }
        double margin = 0.5 * (max - min);
        for (double v : out) {
            if (v > max + margin || v < min - margin) {
                return linear(values, missing);
            }
        }
        return out;
    }

    /**
     * Linear interpolation between the values kept, the nearest kept value beyond either end (R's rule 2): the
     * gap policy's, with the values to replace marked missing.
     */
    private static double[] linear(double[] values, boolean[] missing) {
        double[] marked = values.clone();
        for (int t = 0; t < marked.length; t++) {
            if (missing[t]) {
                marked[t] = Double.NaN;
            }
        }
        return GapPolicy.LINEAR.fill(marked, Instant.EPOCH, Duration.ofSeconds(1));
    }

    /**
     * Fitted values of the least-squares regression of the kept values on an intercept, R's
     * {@code fourier(x, K)} terms ({@code K = min(p / 2, 5)} for one period, {@code min(p / 2, 20)} for each of
     * several) and a polynomial in time of degree {@code n / 10} between 1 and 6. The fitted values are the
     * projection onto the terms' span, the same whichever terms coincide (a harmonic of 24 is one of 168) or
     * however the polynomial is written, so a minimum-norm solution gives R's {@code lm} fit.
     */
    private static double[] regression(double[] values, boolean[] missing, int[] seasons) {
        int n = values.length;
        int degree = Math.min(Math.max(n / 10, 1), 6);
        List<double[]> columns = new ArrayList<>();
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        columns.add(ones);
        double centre = (n + 1) / 2.0;
        for (int d = 1; d <= degree; d++) {
            double[] c = new double[n];
            for (int t = 0; t < n; t++) {
                c[t] = Math.pow((t + 1 - centre) / n, d); // scaled for conditioning; the span is poly()'s
            }
            columns.add(c);
        }
        for (int p : seasons) {
            int harmonics = Math.min(p / 2, seasons.length == 1 ? 5 : 20);
            for (int k = 1; k <= harmonics; k++) {
                double[] s = new double[n];
                double[] c = new double[n];
                for (int t = 0; t < n; t++) {
                    double angle = 2 * Math.PI * k * (t + 1) / p;
                    s[t] = Math.sin(angle);
                    c[t] = Math.cos(angle);
                }
                if (2 * k != p) {
                    columns.add(s); // at k = p / 2 the sine is zero at every whole t
                }
                columns.add(c);
            }
        }
        // Normal equations over the kept values, solved by the pseudo-inverse of the small Gram matrix: the
        // columns are bounded (sines, cosines, powers of a time scaled into [-0.5, 0.5]), so it stays well
        // conditioned, and a column repeating another (a harmonic of 24 is one of 168) has a zero eigenvalue.
        int k = columns.size();
        double[][] gram = new double[k][k];
        double[] moment = new double[k];
        for (int t = 0; t < n; t++) {
            if (missing[t]) {
                continue;
            }
            for (int i = 0; i < k; i++) {
                double ci = columns.get(i)[t];
                moment[i] += ci * values[t];
                for (int j = i; j < k; j++) {
                    gram[i][j] += ci * columns.get(j)[t];
                }
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) {
                gram[i][j] = gram[j][i];
            }
        }
        RealVector beta = new SingularValueDecomposition(new Array2DRowRealMatrix(gram, false)).getSolver()
                .solve(new ArrayRealVector(moment, false));
        double[] fitted = new double[n];
        for (int t = 0; t < n; t++) {
            double f = 0;
            for (int j = 0; j < columns.size(); j++) {
                f += columns.get(j)[t] * beta.getEntry(j);
            }
            fitted[t] = f;
        }
        return fitted;
    }

    /** R's default (type 7) sample quantile of sorted values. */
    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static int count(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) {
            if (f) {
                c++;
            }
        }
        return c;
    }

    /** For a note or a message: the outliers as {@code index (time): value -> replacement}. */
    static String describe(List<Outlier> outliers) {
        return outliers.stream().map(o -> String.format(Locale.ROOT, "%d (%s): %s -> %s", o.index(), o.time(),
                Double.toString(o.value()), Double.toString(o.replacement()))).collect(Collectors.joining(", "));
    }
}
