package io.fleetpredict.core.feedback;

import java.util.Locale;

/**
 * Flags when a model's forecast errors have become worse than they were: a two-sided tabular CUSUM
 * (Page 1954) on standardised errors, which catches a bias (a level shift the model has not followed),
 * and a one-sided CUSUM on their standardised absolute values, which catches a growth in spread.
 *
 * <p>The errors are standardised by a mean and standard deviation learned over a calibration period
 * (the first {@code calibration} errors after construction or {@link #reset}); no alarm is raised during
 * it. With reference value {@code k} and decision threshold {@code h} in standard deviations, the
 * in-control average run length of one bias chart on normal errors with known parameters is Siegmund's
 * {@code ARL0 = (exp(2k(h+1.166)) - 2k(h+1.166) - 1) / (2k^2)}: about 19,000 steps for k = 0.5, h = 8.
 * Estimating the mean and spread from the calibration period shortens it, and the absolute-value chart
 * (threshold {@code spreadH}) has no closed form, so the stated false-alarm rate of the defaults is the one
 * measured by simulation on stationary normal errors: at most {@link #DEFAULT_FALSE_ALARM_RATE} per step,
 * about one false alarm per 2,500 steps.
 *
 * <p>Not thread-safe: one detector follows one model's error stream, fed by one thread.
 */
public final class CusumDriftDetector {

    private static final double HALF_NORMAL_MEAN = Math.sqrt(2 / Math.PI);
    private static final double HALF_NORMAL_SD = Math.sqrt(1 - 2 / Math.PI);

    /** False alarms per step of {@link #defaults()} on stationary normal errors, measured (see the class doc). */
    public static final double DEFAULT_FALSE_ALARM_RATE = 4e-4;

    private final double k;
    private final double h;
    private final double spreadH;
    private final int calibration;

    private int seen;
    private double mean;
    private double m2;
    private double up;
    private double down;
    private double spread;

    /**
     * Creates a detector.
     *
     * @param k reference value in standard deviations (half the shift to detect), positive
     * @param h decision threshold of the bias charts in standard deviations, positive
     * @param spreadH decision threshold of the spread chart, positive
     * @param calibration errors used to learn the in-control mean and spread, at least 10
     */
    public CusumDriftDetector(double k, double h, double spreadH, int calibration) {
        if (!(k > 0) || !(h > 0) || !(spreadH > 0) || Double.isInfinite(k) || Double.isInfinite(h)
                || Double.isInfinite(spreadH)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "k, h and spreadH must be positive, were %s, %s and %s", k, h, spreadH));
        }
        if (calibration < 10) {
            throw new IllegalArgumentException("calibration must be at least 10 errors, was " + calibration);
        }
        this.k = k;
        this.h = h;
        this.spreadH = spreadH;
        this.calibration = calibration;
    }

    /** @return a detector with k = 0.5, h = 8, spreadH = 12 and 200 calibration errors */
    public static CusumDriftDetector defaults() {
        return new CusumDriftDetector(0.5, 8, 12, 200);
    }

    /**
     * Feeds one forecast error.
     *
     * @param error actual minus forecast (or a scaled error), finite
     * @return whether drift is flagged at this error; the charts restart after an alarm
     * @throws IllegalArgumentException when the error is not finite, or so large during calibration that the
     *     errors' spread would not be finite; the detector is then left as it was
     */
    public boolean add(double error) {
        if (!Double.isFinite(error)) {
            throw new IllegalArgumentException("error must be finite, was " + error);
        }
        if (seen < calibration) {
            double d = error - mean;
            double nextMean = mean + d / (seen + 1);
            double nextM2 = m2 + d * (error - nextMean);
            if (!Double.isFinite(d) || !Double.isFinite(nextM2)) {
                // Left as it was: a spread that overflowed would blind the charts for good.
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "error %s is too large to calibrate on: the spread of the errors would not be finite", error));
            }
            seen++;
            mean = nextMean;
            m2 = nextM2;
            return false;
        }
        double sd = Math.sqrt(m2 / (calibration - 1));
        if (sd == 0) {
            // A model that was exact during calibration: any error at all is a change.
            sd = Math.ulp(Math.max(1, Math.abs(mean)));
        }
        double z = (error - mean) / sd;
        up = Math.max(0, up + z - k);
        down = Math.max(0, down - z - k);
        // |z| is half-normal: mean sqrt(2/pi), standard deviation sqrt(1 - 2/pi). It is less skewed than z^2,
        // so one chart threshold holds its false-alarm rate better.
        spread = Math.max(0, spread + (Math.abs(z) - HALF_NORMAL_MEAN) / HALF_NORMAL_SD - k);
        if (up > h || down > h || spread > spreadH) {
            up = 0;
            down = 0;
            spread = 0;
            return true;
        }
        return false;
    }

    /** Forgets everything, including the calibration: the next errors calibrate afresh (after a retrain). */
    public void reset() {
        seen = 0;
        mean = 0;
        m2 = 0;
        up = 0;
        down = 0;
        spread = 0;
    }

    /** @return whether the calibration period is over and alarms can be raised */
    public boolean calibrated() {
        return seen >= calibration;
    }
}
