package io.fleetpredict.forecast;

import java.util.Locale;

/**
 * Accuracy of one forecast against the observations that followed, with the M4 competition's
 * definitions.
 *
 * <ul>
 *   <li>{@code smape}: mean of {@code 200 |y - f| / (|y| + |f|)} over the horizon, in percent (a step
 *       where both are zero counts as 0);</li>
 *   <li>{@code mase}: mean absolute error divided by the in-sample mean absolute difference at the
 *       seasonal period;</li>
 *   <li>{@code mape}: mean of {@code 100 |y - f| / |y|} (infinite if an observation is zero);</li>
 *   <li>{@code bias}: mean of {@code f - y}, positive when the forecast is too high;</li>
 *   <li>{@code mae} and {@code rmse}: mean absolute and root mean squared error, in the series' unit;</li>
 *   <li>{@code msis}: mean scaled interval score of the interval at {@code level}, with
 *       {@code alpha = 1 - level / 100}, scaled like MASE; {@code NaN} when the forecast has no interval
 *       at that level;</li>
 *   <li>{@code coverage}: fraction of observations inside that interval, {@code NaN} likewise.</li>
 * </ul>
 *
 * <p>The MASE scale uses lag {@code period}, or lag 1 when the in-sample series is not longer than one
 * period. A zero scale (a flat in-sample series) makes MASE and MSIS infinite unless the errors are zero
 * too, in which case they are 0.
 *
 * @param smape symmetric mean absolute percentage error, in percent
 * @param mase mean absolute scaled error
 * @param mape mean absolute percentage error, in percent
 * @param bias mean forecast error {@code f - y}
 * @param mae mean absolute error
 * @param rmse root mean squared error
 * @param level coverage in percent of the interval scored by {@code msis} and {@code coverage}
 * @param msis mean scaled interval score, or {@code NaN} without an interval
 * @param coverage fraction of observations inside the interval, or {@code NaN} without an interval
 */
public record Accuracy(double smape, double mase, double mape, double bias, double mae, double rmse,
        double level, double msis, double coverage) {

    /** The interval level M4 scores with MSIS, in percent. */
    public static final double M4_LEVEL = 95;

    /** Checks the ranges of the scores. */
    public Accuracy {
        if (!(smape >= 0 && smape <= 200)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "smape must be in [0, 200], was %s", smape));
        }
        if (!(level > 0 && level < 100)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "level must be in (0, 100), was %s", level));
        }
        if (!Double.isNaN(coverage) && !(coverage >= 0 && coverage <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "coverage must be in [0, 1], was %s", coverage));
        }
        if (Double.isNaN(mase) || Double.isNaN(mape) || Double.isNaN(bias) || Double.isNaN(mae) || Double.isNaN(rmse)) {
            throw new IllegalArgumentException("only msis and coverage may be NaN");
        }
    }

    /**
     * Scores a forecast, using its 95% interval (if present) for MSIS and coverage.
     *
     * @param insample the series the forecast was made from
     * @param actual the observations that followed, exactly {@code forecast.horizon()} of them
     * @param forecast the forecast
     * @param period the seasonal period of the MASE scale, at least 1
     * @return the scores
     */
    public static Accuracy of(TimeSeries insample, double[] actual, Forecast forecast, int period) {
        return of(insample, actual, forecast, period, M4_LEVEL);
    }

    /**
     * Scores a forecast, using its interval at {@code level} (if present) for MSIS and coverage.
     *
     * @param insample the series the forecast was made from
     * @param actual the observations that followed, exactly {@code forecast.horizon()} of them
     * @param forecast the forecast
     * @param period the seasonal period of the MASE scale, at least 1
     * @param level the interval to score, in percent, in (0, 100)
     * @return the scores
     */
    public static Accuracy of(TimeSeries insample, double[] actual, Forecast forecast, int period, double level) {
        double[] f = forecast.mean();
        requireSameLength(actual, f);
        double[] in = insample.values();
        double msis = Double.NaN;
        double coverage = Double.NaN;
        if (hasLevel(forecast, level)) {
            double[] lo = forecast.lower(level);
            double[] hi = forecast.upper(level);
            msis = msis(in, period, actual, lo, hi, 1 - level / 100);
            coverage = coverage(actual, lo, hi);
        }
        return new Accuracy(smape(actual, f), mase(in, period, actual, f), mape(actual, f), bias(actual, f),
                mae(actual, f), rmse(actual, f), level, msis, coverage);
    }

    private static boolean hasLevel(Forecast forecast, double level) {
        for (double l : forecast.levels()) {
            if (Math.abs(l - level) <= 1e-9) {
                return true;
            }
        }
        return false;
    }

    /**
     * Symmetric MAPE as in M4: mean of {@code 200 |y - f| / (|y| + |f|)}.
     *
     * @param actual the observations
     * @param forecast the point forecasts, as many
     * @return the sMAPE in percent, in [0, 200]
     */
    public static double smape(double[] actual, double[] forecast) {
        requireSameLength(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i]) + Math.abs(forecast[i]);
            // |y - f| <= |y| + |f| exactly, but when y and f differ in sign the two sides round apart: the
            // ratio can come out a few units in the last place above 1.
            s += d == 0 ? 0 : Math.min(200, 200 * Math.abs(actual[i] - forecast[i]) / d);
        }
        return s / actual.length;
    }

    /**
     * Mean absolute scaled error as in M4: the mean absolute error divided by the in-sample mean
     * absolute difference at lag {@code period} (lag 1 if the in-sample series is not longer than that).
     *
     * @param insample the series the forecast was made from, at least 2 values
     * @param period the seasonal period, at least 1
     * @param actual the observations
     * @param forecast the point forecasts, as many
     * @return the MASE
     */
    public static double mase(double[] insample, int period, double[] actual, double[] forecast) {
        requireSameLength(actual, forecast);
        return scaled(mae(actual, forecast), scale(insample, period));
    }

    /**
     * Mean scaled interval score as in M4: the mean over the horizon of
     * {@code (U - L) + 2/alpha (L - y) 1{y < L} + 2/alpha (y - U) 1{y > U}}, divided by the MASE scale.
     *
     * @param insample the series the forecast was made from, at least 2 values
     * @param period the seasonal period, at least 1
     * @param actual the observations
     * @param lower the interval's lower bounds, as many
     * @param upper the interval's upper bounds, as many
     * @param alpha one minus the interval's coverage, in (0, 1); M4 uses 0.05
     * @return the MSIS
     */
    public static double msis(double[] insample, int period, double[] actual, double[] lower, double[] upper,
            double alpha) {
        requireSameLength(actual, lower);
        requireSameLength(actual, upper);
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "alpha must be in (0, 1), was %s", alpha));
        }
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double y = actual[i];
            s += upper[i] - lower[i];
            if (y < lower[i]) {
                s += 2 / alpha * (lower[i] - y);
            }
            if (y > upper[i]) {
                s += 2 / alpha * (y - upper[i]);
            }
        }
        return scaled(s / actual.length, scale(insample, period));
    }

    /**
     * The fraction of observations inside their interval (bounds included).
     *
     * @param actual the observations
     * @param lower the lower bounds, as many
     * @param upper the upper bounds, as many
     * @return the coverage, in [0, 1]
     */
    public static double coverage(double[] actual, double[] lower, double[] upper) {
        requireSameLength(actual, lower);
        requireSameLength(actual, upper);
        int inside = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] >= lower[i] && actual[i] <= upper[i]) {
                inside++;
            }
        }
        return (double) inside / actual.length;
    }

    /**
     * Mean absolute percentage error.
     *
     * @param actual the observations
     * @param forecast the point forecasts, as many
     * @return the MAPE in percent; infinite if an observation is zero and its forecast is not
     */
    public static double mape(double[] actual, double[] forecast) {
        requireSameLength(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double e = Math.abs(actual[i] - forecast[i]);
            s += e == 0 ? 0 : 100 * e / Math.abs(actual[i]);
        }
        return s / actual.length;
    }

    /**
     * Mean forecast error {@code f - y}: positive when the forecasts are too high.
     *
     * @param actual the observations
     * @param forecast the point forecasts, as many
     * @return the bias, in the series' unit
     */
    public static double bias(double[] actual, double[] forecast) {
        requireSameLength(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            s += forecast[i] - actual[i];
        }
        return s / actual.length;
    }

    /**
     * Mean absolute error.
     *
     * @param actual the observations
     * @param forecast the point forecasts, as many
     * @return the MAE, in the series' unit
     */
    public static double mae(double[] actual, double[] forecast) {
        requireSameLength(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            s += Math.abs(actual[i] - forecast[i]);
        }
        return s / actual.length;
    }

    /**
     * Root mean squared error.
     *
     * @param actual the observations
     * @param forecast the point forecasts, as many
     * @return the RMSE, in the series' unit
     */
    public static double rmse(double[] actual, double[] forecast) {
        requireSameLength(actual, forecast);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            double e = actual[i] - forecast[i];
            s += e * e;
        }
        return Math.sqrt(s / actual.length);
    }

    /**
     * The M4 overall weighted average: the mean of sMAPE and MASE, each relative to Naive2's on the same
     * set of series. Pass set-level means (the mean sMAPE and mean MASE over all series) to get the
     * competition's OWA.
     *
     * @param smape the method's sMAPE
     * @param mase the method's MASE
     * @param naive2Smape Naive2's sMAPE, positive
     * @param naive2Mase Naive2's MASE, positive
     * @return the OWA; below 1 is better than Naive2
     */
    public static double owa(double smape, double mase, double naive2Smape, double naive2Mase) {
        if (!(naive2Smape > 0) || !(naive2Mase > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "naive2Smape and naive2Mase must be positive, were %s and %s", naive2Smape, naive2Mase));
        }
        return (smape / naive2Smape + mase / naive2Mase) / 2;
    }

    /**
     * The denominator of MASE and MSIS: the in-sample mean absolute difference at lag {@code period} (lag 1
     * if the in-sample series is not longer than that). It is 0 when the in-sample series does not change at
     * that lag (a flat series); the M4 competition leaves MASE and MSIS undefined there, and {@link #mase}
     * and {@link #msis} return infinity (0 if the errors are 0 too), so a caller that averages them over a
     * set of series can leave such series out and say so.
     *
     * @param insample the series the forecast was made from, at least 2 values
     * @param period the seasonal period, at least 1
     * @return the scale, at least 0
     */
    public static double maseScale(double[] insample, int period) {
        return scale(insample, period);
    }

    private static double scale(double[] insample, int period) {
        Forecasters.requirePeriod(period);
        if (insample.length < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "insample needs at least 2 values for the MASE scale, had %d", insample.length));
        }
        int lag = insample.length > period ? period : 1;
        double s = 0;
        for (int t = lag; t < insample.length; t++) {
            s += Math.abs(insample[t] - insample[t - lag]);
        }
        return s / (insample.length - lag);
    }

    private static double scaled(double value, double scale) {
        if (scale == 0) {
            return value == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return value / scale;
    }

    private static void requireSameLength(double[] actual, double[] other) {
        if (actual.length == 0) {
            throw new IllegalArgumentException("actual must not be empty");
        }
        if (other.length != actual.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "actual has %d values but the forecast side has %d", actual.length, other.length));
        }
    }
}
