package io.fleetpredict.forecast;

import io.fleetpredict.forecast.GlobalAutoregression.Normalisation;
import io.fleetpredict.forecast.GlobalAutoregression.Settings;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The trained coefficients of {@link GlobalAutoregression}: one row of {@code lags + 1} coefficients
 * (intercept first) for each step ahead, the pooled root-mean-square error of each step, and the pooled
 * sample of standardised errors the interval quantiles are read from.
 *
 * <p>A window's inputs are the {@code lags} normalised values before an origin, its targets the
 * {@code horizon} normalised values from the origin on; both are normalised by the same level, computed
 * from the inputs alone.
 */
final class PooledAr {

    /** Rows of the design stacked before each rank update of the Gram matrix. */
    private static final int BLOCK = 256;
    /** At most this many windows a series are used for its error scale (evenly spaced, the last included). */
    private static final int SCALE_WINDOWS = 128;
    /** The least spread of a standardised window: a 0.1% change on the log scale. */
    private static final double MIN_SPREAD = 1e-3;

    private final Settings settings;
    /** {@code coefficients[h]}: step {@code h + 1}, the intercept first, then the inputs oldest first. */
    private final double[][] coefficients;
    /** The pooled root-mean-square in-sample error of each step ahead, on the normalised scale. */
    private final double[] stepRms;
    /** The training errors divided by their series' scale and their step's RMS, sorted. */
    private final double[] standardised;
    private final int windows;
    private final int series;

    private PooledAr(Settings settings, double[][] coefficients, double[] stepRms, double[] standardised,
            int windows, int series) {
        this.settings = settings;
        this.coefficients = coefficients;
        this.stepRms = stepRms;
        this.standardised = standardised;
        this.windows = windows;
        this.series = series;
    }

    Settings settings() {
        return settings;
    }

    int windows() {
        return windows;
    }

    int series() {
        return series;
    }

    /** @return the coefficients of step {@code h} (0-based), intercept first, then the inputs oldest first */
    double[] coefficients(int h) {
        return coefficients[h].clone();
    }

    /**
     * Trains on every window of every series.
     *
     * @throws IllegalArgumentException if {@code training} is empty or a value cannot be normalised
     * @throws InsufficientDataException if a series is shorter than {@code lags + 1}
     * @throws ModelFitException if the normal equations are singular
     */
    static PooledAr train(List<TimeSeries> training, Settings settings) {
        if (training.isEmpty()) {
            throw new IllegalArgumentException("training must hold at least one series, was empty");
        }
        int p = settings.lags();
        int horizon = settings.horizon();
        double[][] scaled = new double[training.size()][];
        for (int i = 0; i < training.size(); i++) {
            TimeSeries s = training.get(i);
            if (s == null) {
                throw new NullPointerException("training series " + i + " is null");
            }
            if (s.size() < p + 1) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "training series %d has %d values; %d lags need at least %d", i, s.size(), p, p + 1));
            }
            scaled[i] = transform(s.values(), settings.normalisation(), "training series " + i);
        }
        // The Gram matrix of [1, inputs, targets] over every window with all its targets, a block of rows at
        // a time: its top-left block is X'X, its top-right block X'Y for the targets of every step.
        int width = 1 + p + horizon;
        DMatrixRMaj gram = new DMatrixRMaj(width, width);
        DMatrixRMaj block = new DMatrixRMaj(BLOCK, width);
        DMatrixRMaj blockGram = new DMatrixRMaj(width, width);
        // A window near a series' end has targets for its first steps only: its X'y goes straight to the
        // steps it has targets for, and the X'X of the windows reaching step h is the complete windows' plus
        // those of the windows with more than h known targets, added below as h walks down.
        int k = p + 1;
        double[][] crossPartial = new double[horizon][k];
        int rows = 0;
        int[] rowsPerStep = new int[horizon];
        int total = 0;
        for (double[] y : scaled) {
            int origins = y.length - p;
            for (int t = 0; t < origins; t++) {
                int known = Math.min(horizon, y.length - p - t);
                double[] row = window(y, t, p, horizon, settings.normalisation());
                if (known == horizon) {
                    System.arraycopy(row, 0, block.data, rows * width, width);
                    rows++;
                    if (rows == BLOCK) {
                        CommonOps_DDRM.multInner(block, blockGram);
                        CommonOps_DDRM.addEquals(gram, blockGram);
                        rows = 0;
                    }
                } else {
                    for (int h = 0; h < known; h++) {
                        double target = row[k + h];
                        for (int r = 0; r < k; r++) {
                            crossPartial[h][r] += row[r] * target;
                        }
                    }
                }
                for (int h = 0; h < known; h++) {
                    rowsPerStep[h]++;
                }
                total++;
            }
        }
        if (rows > 0) {
            DMatrixRMaj last = new DMatrixRMaj(rows, width);
            System.arraycopy(block.data, 0, last.data, 0, rows * width);
            CommonOps_DDRM.multInner(last, blockGram);
            CommonOps_DDRM.addEquals(gram, blockGram);
        }
        double[][] coefficients = new double[horizon][];
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(k);
        // Walking h from the last step down, the windows with exactly h + 1 known targets (one a series, at
        // origin size - lags - (h + 1)) join the X'X of every step from h down.
        double[][] suffix = new double[k][k];
        for (int h = horizon - 1; h >= 0; h--) {
            if (h + 1 < horizon) {
                for (double[] y : scaled) {
                    int t = y.length - p - (h + 1);
                    if (t >= 0) {
                        addOuter(suffix, window(y, t, p, 0, settings.normalisation()), k);
                    }
                }
            }
            if (rowsPerStep[h] == 0) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "no training window has a target %d steps ahead: the series need at least %d values",
                        h + 1, p + h + 1));
            }
            DMatrixRMaj a = new DMatrixRMaj(k, k);
            DMatrixRMaj b = new DMatrixRMaj(k, 1);
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    a.set(r, c, gram.get(r, c) + suffix[r][c]);
                }
                b.set(r, 0, gram.get(r, k + h) + crossPartial[h][r]);
            }
            double penalty = settings.ridge() * rowsPerStep[h];
            for (int j = 1; j < k; j++) {
                a.add(j, j, penalty);
            }
            DMatrixRMaj beta = new DMatrixRMaj(k, 1);
            if (!solver.setA(a)) {
                throw new ModelFitException(String.format(Locale.ROOT,
                        "the pooled least-squares problem of step %d has no unique solution over %d windows "
                                + "(collinear windows; use a ridge penalty above 0)", h + 1, rowsPerStep[h]));
            }
            solver.solve(b, beta);
            for (double v : beta.data) {
                if (!Double.isFinite(v)) {
                    throw new ModelFitException("the pooled least-squares solution of step " + (h + 1)
                            + " is not finite (ill-conditioned windows; use a larger ridge penalty)");
                }
            }
            coefficients[h] = beta.data.clone();
        }
        return calibrated(settings, coefficients, scaled, total);
    }

    /** Adds the outer product of the first {@code k} entries of {@code row} to {@code acc}. */
    private static void addOuter(double[][] acc, double[] row, int k) {
        for (int r = 0; r < k; r++) {
            double xr = row[r];
            double[] accRow = acc[r];
            for (int c = 0; c < k; c++) {
                accRow[c] += xr * row[c];
            }
        }
    }

    /**
     * The in-sample errors: each step's pooled RMS, each series' scale relative to it, and the pooled
     * standardised errors whose quantiles make the intervals.
     */
    private static PooledAr calibrated(Settings settings, double[][] coefficients, double[][] scaled, int total) {
        int horizon = settings.horizon();
        double[] sumSq = new double[horizon];
        int[] count = new int[horizon];
        double[][][] errors = new double[scaled.length][][];
        for (int i = 0; i < scaled.length; i++) {
            errors[i] = errors(coefficients, scaled[i], settings);
            for (double[] e : errors[i]) {
                for (int h = 0; h < e.length; h++) {
                    if (!Double.isNaN(e[h])) {
                        sumSq[h] += e[h] * e[h];
                        count[h]++;
                    }
                }
            }
        }
        double[] rms = new double[horizon];
        double floor = 0;
        for (int h = 0; h < horizon; h++) {
            // Every step has windows (train refuses otherwise), and the sampled ones include each series' first,
            // which reaches every step any of its windows reaches.
            rms[h] = count[h] > 0 ? Math.sqrt(sumSq[h] / count[h]) : 0;
            floor = Math.max(floor, rms[h]);
        }
        if (floor == 0) {
            // Every window is fitted exactly (for example constant series): intervals of width zero.
            return new PooledAr(settings, coefficients, rms, new double[] {0}, total, scaled.length);
        }
        double[] z = new double[Arrays.stream(count).sum()];
        int n = 0;
        for (double[][] perSeries : errors) {
            double scale = scale(perSeries, rms);
            for (double[] e : perSeries) {
                for (int h = 0; h < e.length; h++) {
                    if (!Double.isNaN(e[h])) {
                        z[n++] = scale > 0 ? e[h] / (scale * rms[h]) : 0;
                    }
                }
            }
        }
        double[] sorted = Arrays.copyOf(z, n);
        Arrays.sort(sorted);
        return new PooledAr(settings, coefficients, rms, sorted, total, scaled.length);
    }

    /**
     * The in-sample errors of at most {@link #SCALE_WINDOWS} windows of one normalised series, evenly spaced
     * and ending with its last: {@code [window][step]}, NaN where the target lies past the series' end.
     */
    private static double[][] errors(double[][] coefficients, double[] y, Settings settings) {
        int p = settings.lags();
        int horizon = settings.horizon();
        int origins = y.length - p;
        int used = Math.min(SCALE_WINDOWS, origins);
        double[][] out = new double[used][horizon];
        for (int w = 0; w < used; w++) {
            // Evenly spaced from the first origin to the last, both included.
            int t = used == 1 ? origins - 1 : (int) Math.round((double) w * (origins - 1) / (used - 1));
            double[] row = window(y, t, p, horizon, settings.normalisation());
            int known = Math.min(horizon, y.length - p - t);
            for (int h = 0; h < horizon; h++) {
                out[w][h] = h < known ? row[p + 1 + h] - dot(coefficients[h], row, p + 1) : Double.NaN;
            }
        }
        return out;
    }

    /** A series' error scale relative to the pooled RMS of each step: the RMS of its errors divided by that. */
    private static double scale(double[][] errors, double[] rms) {
        double sum = 0;
        int n = 0;
        for (double[] e : errors) {
            for (int h = 0; h < e.length; h++) {
                if (!Double.isNaN(e[h]) && rms[h] > 0) {
                    double r = e[h] / rms[h];
                    sum += r * r;
                    n++;
                }
            }
        }
        return n == 0 ? 1 : Math.sqrt(sum / n);
    }

    /**
     * The error scale of a series being forecast, relative to the pooled errors of each step.
     *
     * @param y the series, already {@link #transform transformed}, at least {@code lags + 1} values
     */
    double scaleOf(double[] y) {
        return scale(errors(coefficients, y, settings), stepRms);
    }

    /**
     * The forecast of the next {@code horizon} steps after the end of {@code y} (transformed values), on the
     * original scale, with the interval bounds of each level.
     *
     * @param y the transformed series, at least {@code lags} values
     * @param scale the series' error scale ({@link #scaleOf})
     * @return {@code [0]} the point forecast, then {@code [1 + 2l]} and {@code [2 + 2l]} the lower and upper
     *     bounds of {@code levels[l]}
     */
    double[][] forecast(double[] y, double scale, int horizon, double[] levels) {
        int p = settings.lags();
        double[] row = window(y, y.length - p, p, 0, settings.normalisation());
        double level = level(y, y.length - p, p, settings.normalisation());
        double spread = spread(y, y.length - p, p, level, settings.normalisation());
        double[][] out = new double[1 + 2 * levels.length][horizon];
        for (int h = 0; h < horizon; h++) {
            double centre = dot(coefficients[h], row, p + 1);
            out[0][h] = back(centre, level, spread);
            for (int l = 0; l < levels.length; l++) {
                double tail = (1 - levels[l] / 100) / 2;
                double width = scale * stepRms[h];
                out[1 + 2 * l][h] = back(centre + width * quantile(tail), level, spread);
                out[2 + 2 * l][h] = back(centre + width * quantile(1 - tail), level, spread);
            }
        }
        return out;
    }

    private double back(double normalised, double level, double spread) {
        return settings.normalisation() == Normalisation.MEAN ? (normalised + 1) * level
                : Math.exp(normalised * spread + level);
    }

    /** The empirical quantile of the standardised errors, interpolated linearly between order statistics. */
    double quantile(double prob) {
        double pos = prob * (standardised.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, standardised.length - 1);
        return standardised[lo] + (pos - lo) * (standardised[hi] - standardised[lo]);
    }

    /**
     * The values the model is trained on: the logarithm for {@link Normalisation#LOG}, the values themselves
     * otherwise.
     *
     * @param what the series' name in a message
     * @throws IllegalArgumentException if a value cannot be normalised, naming it
     */
    static double[] transform(double[] values, Normalisation normalisation, String what) {
        double[] y = values.clone();
        for (int t = 0; t < y.length; t++) {
            if (normalisation != Normalisation.MEAN) {
                if (!(y[t] > 0)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: value %d is %s; log normalisation needs positive values (use MEAN)", what, t, y[t]));
                }
                y[t] = Math.log(y[t]);
            } else if (!Double.isFinite(y[t])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: value %d is %s", what, t, y[t]));
            }
        }
        if (normalisation == Normalisation.MEAN) {
            // Every window must have a positive level; checking every window's mean is one running sum.
            double sum = 0;
            int p = 0;
            for (int t = 0; t < y.length; t++) {
                sum += y[t];
                p++;
                if (y[t] < 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: value %d is %s; mean normalisation needs values of at least 0", what, t, y[t]));
                }
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: all %d values are zero; mean normalisation needs a positive level", what, p));
            }
        }
        return y;
    }

    /**
     * The spread a {@link Normalisation#STANDARDISED} window is divided by: the standard deviation of its
     * {@code p} inputs, at least {@link #MIN_SPREAD} so that a flat window does not blow its targets up; 1
     * for the other normalisations.
     */
    private static double spread(double[] y, int t, int p, double level, Normalisation normalisation) {
        if (normalisation != Normalisation.STANDARDISED) {
            return 1;
        }
        double ss = 0;
        for (int j = 0; j < p; j++) {
            double d = y[t + j] - level;
            ss += d * d;
        }
        return Math.max(MIN_SPREAD, Math.sqrt(ss / p));
    }

    /** The level of the window whose inputs start at {@code t}: the mean of its {@code p} inputs. */
    private static double level(double[] y, int t, int p, Normalisation normalisation) {
        double sum = 0;
        for (int j = 0; j < p; j++) {
            sum += y[t + j];
        }
        return sum / p;
    }

    /**
     * The normalised row {@code [1, inputs, targets]} of the window whose inputs start at {@code t}; targets
     * past the end of {@code y} are 0 (and {@code horizon} may be 0 for a forecast's inputs alone).
     *
     * @throws ModelFitException if a {@link Normalisation#MEAN} window's level is zero
     */
    static double[] window(double[] y, int t, int p, int horizon, Normalisation normalisation) {
        double level = level(y, t, p, normalisation);
        double[] row = new double[1 + p + horizon];
        row[0] = 1;
        int end = Math.min(t + p + horizon, y.length);
        if (normalisation != Normalisation.MEAN) {
            double spread = spread(y, t, p, level, normalisation);
            for (int j = t; j < end; j++) {
                row[1 + j - t] = (y[j] - level) / spread;
            }
        } else {
            if (!(level > 0)) {
                throw new ModelFitException(String.format(Locale.ROOT,
                        "the %d values from index %d are all zero; mean normalisation needs a positive level", p, t));
            }
            for (int j = t; j < end; j++) {
                row[1 + j - t] = y[j] / level - 1;
            }
        }
        return row;
    }

    private static double dot(double[] beta, double[] row, int k) {
        double s = 0;
        for (int j = 0; j < k; j++) {
            s += beta[j] * row[j];
        }
        return s;
    }
}
