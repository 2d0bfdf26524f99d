package io.fleetpredict.forecast;

import org.ejml.data.DMatrixRMaj;
import org.jspecify.annotations.Nullable;

/**
 * Turns a window of a series into network inputs and targets, normalised by the window's own level and
 * seasonal shape, and maps network outputs back.
 *
 * <p>For a forecast origin {@code o}, the window is {@code v[o - W], ..., v[o - 1]}. Its level {@code L}
 * is the mean absolute value of its last {@code max(period, chunk)} values (1 if that is 0), so
 * {@code x = v / L} is near 1 at the end of the window whatever the scale of the series. Its shape
 * {@code s[j]} is the mean over the window's cycles of {@code x} at phase {@code j} minus that cycle's
 * mean, so it carries the within-cycle pattern but no level. The network sees
 * {@code x - 1 - s[phase]} and learns {@code y / L - 1 - s[phase]} for the steps after the origin, so an
 * output of 0 means "the recent level with the average recent shape", and everything it learns is a
 * correction to that, shared across series of any scale.
 *
 * <p>With calendar features, each recurrent step also receives the sine and cosine of the hour of day
 * and of the day of week (UTC) of the last value it reads.
 *
 * <p>With {@code k} exogenous regressors, each recurrent step also receives their values at the
 * {@code chunk} positions it reads (as given, not normalised: indicators and ramps are already on a unit
 * scale), and the head receives their known values over the horizon, {@code horizon * k} more inputs in
 * the order step by step, regressor by regressor.
 */
final class WindowEncoder {

    private static final double DAY_SECONDS = 86_400;
    private static final double WEEK_SECONDS = 7 * DAY_SECONDS;
    /** 1970-01-01 was a Thursday: shift so that the week starts on Monday. */
    private static final double EPOCH_TO_MONDAY_SECONDS = 3 * DAY_SECONDS;

    final int window;
    final int horizon;
    final int period;
    final int chunk;
    final int steps;
    final boolean calendar;
    final int inputSize;
    final int regressors;
    final int headInputs;
    private final int levelSpan;

    WindowEncoder(LstmConfig config) {
        this(config, 0);
    }

    WindowEncoder(LstmConfig config, int regressors) {
        this.regressors = regressors;
        window = config.inputWindow();
        horizon = config.horizon();
        period = config.seasonalPeriod();
        chunk = config.chunk();
        steps = window / chunk;
        calendar = config.calendarFeatures();
        inputSize = chunk + (calendar ? 4 : 0) + regressors * chunk;
        headInputs = horizon * regressors;
        levelSpan = Math.max(period, chunk);
    }

    /**
     * Writes row {@code row} of every step's input for the window ending before {@code origin}.
     *
     * @param v the series values
     * @param startSeconds the time of {@code v[0]} in seconds since the epoch
     * @param stepSeconds the time between values in seconds
     * @param shape receives the window's shape, length {@code period}
     * @return the window's level
     */
    double encode(double[] v, double startSeconds, double stepSeconds, int origin, DMatrixRMaj[] inputs, int row,
            double[] shape) {
        return encode(v, new double[0][], startSeconds, stepSeconds, origin, inputs, row, shape);
    }

    /**
     * As {@link #encode(double[], double, double, int, DMatrixRMaj[], int, double[])}, with the regressor
     * columns {@code xreg} indexed like {@code v}.
     */
    double encode(double[] v, double[][] xreg, double startSeconds, double stepSeconds, int origin,
            DMatrixRMaj[] inputs, int row, double[] shape) {
        int from = origin - window;
        double level = 0;
        for (int i = origin - levelSpan; i < origin; i++) {
            level += Math.abs(v[i]);
        }
        level /= levelSpan;
        if (!(level > 0)) {
            level = 1;
        }
        java.util.Arrays.fill(shape, 0);
        if (period > 1) {
            int cycles = window / period;
            for (int c = 0; c < cycles; c++) {
                int base = from + c * period;
                double mean = 0;
                for (int j = 0; j < period; j++) {
                    mean += v[base + j];
                }
                mean /= period;
                for (int j = 0; j < period; j++) {
                    shape[j] += (v[base + j] - mean) / level;
                }
            }
            for (int j = 0; j < period; j++) {
                shape[j] /= cycles;
            }
        }
        for (int t = 0; t < steps; t++) {
            double[] d = inputs[t].data;
            int o = row * inputSize;
            for (int k = 0; k < chunk; k++) {
                int pos = t * chunk + k;
                d[o + k] = v[from + pos] / level - 1 - shape[pos % period];
            }
            if (calendar) {
                double seconds = startSeconds + (from + (t + 1) * chunk - 1) * stepSeconds;
                double day = 2 * Math.PI * fraction(seconds, DAY_SECONDS);
                double week = 2 * Math.PI * fraction(seconds + EPOCH_TO_MONDAY_SECONDS, WEEK_SECONDS);
                d[o + chunk] = Math.sin(day);
                d[o + chunk + 1] = Math.cos(day);
                d[o + chunk + 2] = Math.sin(week);
                d[o + chunk + 3] = Math.cos(week);
            }
            int x0 = o + chunk + (calendar ? 4 : 0);
            for (int j = 0; j < regressors; j++) {
                for (int k = 0; k < chunk; k++) {
                    d[x0 + j * chunk + k] = xreg[j][from + t * chunk + k];
                }
            }
        }
        return level;
    }

    /**
     * Writes row {@code row} of the head inputs: the regressors at the steps from {@code origin}, 0 where the
     * columns end first.
     */
    void head(double[][] xreg, int origin, DMatrixRMaj head, int row) {
        int o = row * headInputs;
        for (int h = 0; h < horizon; h++) {
            for (int j = 0; j < regressors; j++) {
                int i = origin + h;
                head.data[o + h * regressors + j] = i < xreg[j].length ? xreg[j][i] : 0;
            }
        }
    }

    /** The head inputs of a batch, or null without regressors. */
    @Nullable DMatrixRMaj newHead(int batch) {
        return headInputs == 0 ? null : new DMatrixRMaj(batch, headInputs);
    }

    /** Writes row {@code row} of the normalised targets for the steps from {@code origin}. */
    void targets(double[] v, int origin, double level, double[] shape, DMatrixRMaj targets, int row) {
        int o = row * horizon;
        for (int h = 0; h < horizon; h++) {
            targets.data[o + h] = v[origin + h] / level - 1 - shape[h % period];
        }
    }

    /** Maps a network output for step {@code h} back to the scale of the series. */
    double decode(double output, int h, double level, double[] shape) {
        return level * (1 + shape[h % period] + output);
    }

    DMatrixRMaj[] newInputs(int batch) {
        DMatrixRMaj[] inputs = new DMatrixRMaj[steps];
        for (int t = 0; t < steps; t++) {
            inputs[t] = new DMatrixRMaj(batch, inputSize);
        }
        return inputs;
    }

    static double seconds(java.time.Instant t) {
        return t.getEpochSecond() + t.getNano() * 1e-9;
    }

    static double seconds(java.time.Duration d) {
        return d.getSeconds() + d.getNano() * 1e-9;
    }

    private static double fraction(double x, double period) {
        double r = x - Math.floor(x / period) * period;
        return r / period;
    }
}
