package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Drift detection and the drift response on a synthetic hourly series {@code 100 + 10 sin(2 pi t / 24) +
 * N(0, 1)}: a Holt-Winters model fitted on two weeks, actuals streamed one at a time and absorbed with
 * {@link FittedModel#update}, its one-step errors fed to a {@link CusumDriftDetector} with the defaults, a
 * level shift injected at a known step. The drift response is the loop's (an {@code AccuracyFeedbackStep}
 * asking its {@code OnlinePredictStep} to refit): a refit ({@link Forecaster#fit}) on the recent history at
 * the next cycle, the detector calibrating afresh, and the scheduled refit a day later. Its one-step error
 * is compared with the same model merely updated.
 */
class DriftRecoveryTest {
    private static final int HISTORY = 336;
    private static final int SHIFT_AT = 300;
    private static final int STEPS = 700;
    private static final int SEEDS = 10;
    /** The schedule of refits, in steps: the loop's default, a day. */
    private static final int SCHEDULE = 24;
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Forecaster MODEL = Forecasters.holtWinters(24);

    private static double value(int t, Random rnd, double shift) {
        return 100 + shift + 10 * Math.sin(2 * Math.PI * t / 24) + rnd.nextGaussian();
    }

    /** One model followed online: its next one-step forecast is made before each actual arrives. */
    private static final class Followed {
        private FittedModel model;
        private double next;

        Followed(FittedModel model) {
            this.model = model;
            this.next = model.forecast(1).mean(0);
        }

        /** @return the one-step error of {@code actual}, after which the model has absorbed it */
        double observe(double actual) {
            double error = actual - next;
            model = model.update(TimeSeries.of(model.history().end(), HOUR, actual));
            next = model.forecast(1).mean(0);
            return error;
        }

        void refit(TimeSeries recent) {
            model = MODEL.fit(recent);
            next = model.forecast(1).mean(0);
        }
    }

    /** What one seeded run measured. */
    private record Run(int delay, double maeBefore, double dayRefitted, double dayUpdated, double maeRefitted,
            double maeUpdated) {}

    /**
     * Streams {@value #STEPS} steps with a shift from {@value #SHIFT_AT}. The detector follows the model that
     * is refitted right after the first flag (before the next forecast) and again {@value #SCHEDULE} steps
     * later; a second copy of the first model is only ever updated. Both are scored over the day between the
     * two refits and over the week after the second.
     */
    private static Run run(long seed, double shift) {
        Random rnd = new Random(seed);
        double[] all = new double[HISTORY + STEPS];
        for (int t = 0; t < HISTORY; t++) {
            all[t] = value(t, rnd, 0);
        }
        FittedModel first = MODEL.fit(TimeSeries.of(Instant.EPOCH, HOUR, Arrays.copyOf(all, HISTORY)));
        Followed refitted = new Followed(first);
        Followed updated = new Followed(first);
        CusumDriftDetector detector = CusumDriftDetector.defaults();
        int detected = -1;
        int flaggedAt = -1;
        double pre = 0;
        int preN = 0;
        double[] day = new double[2];
        double[] week = new double[2];
        int weekN = 0;
        for (int i = 0; i < STEPS; i++) {
            double actual = value(HISTORY + i, rnd, i >= SHIFT_AT ? shift : 0);
            all[HISTORY + i] = actual;
            double error = refitted.observe(actual);
            double errorUpdated = updated.observe(actual);
            boolean drift = detector.add(error);
            // The detector calibrates on the first 200 one-step errors; the pre-shift level is the next 100.
            if (i >= 200 && i < SHIFT_AT) {
                pre += Math.abs(error);
                preN++;
            }
            if (flaggedAt >= 0 && i > flaggedAt && i <= flaggedAt + SCHEDULE) {
                day[0] += Math.abs(error);
                day[1] += Math.abs(errorUpdated);
            }
            if (flaggedAt >= 0 && i > flaggedAt + SCHEDULE && i <= flaggedAt + SCHEDULE + 168) {
                week[0] += Math.abs(error);
                week[1] += Math.abs(errorUpdated);
                weekN++;
            }
            if (drift && i >= SHIFT_AT && detected < 0) {
                detected = i - SHIFT_AT + 1;
                flaggedAt = i;
            }
            if (flaggedAt >= 0 && (i == flaggedAt || i == flaggedAt + SCHEDULE)) {
                int end = HISTORY + i + 1;
                refitted.refit(TimeSeries.of(Instant.EPOCH.plus(HOUR.multipliedBy(end - HISTORY)), HOUR,
                        Arrays.copyOfRange(all, end - HISTORY, end)));
                if (i == flaggedAt) {
                    detector.reset();
                }
            }
        }
        return new Run(detected, pre / preN, day[0] / SCHEDULE, day[1] / SCHEDULE,
                weekN > 0 ? week[0] / weekN : Double.NaN, weekN > 0 ? week[1] / weekN : Double.NaN);
    }

    @Test
    void levelShiftOfSixSigma_isDetectedAndTheRefittedErrorReturnsToItsEarlierLevel() {
        double sumRatio = 0;
        double sumRatioUpdated = 0;
        double sumDayRatio = 0;
        double sumDayRatioUpdated = 0;
        double maxRatio = 0;
        int maxDelay = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Run r = run(seed, 6);
            assertTrue(r.delay() > 0, "seed " + seed + " not detected");
            double ratio = r.maeRefitted() / r.maeBefore();
            double ratioUpdated = r.maeUpdated() / r.maeBefore();
            System.out.printf(Locale.ROOT, "seed %d: shift of 6 flagged after %d steps; MAE before %.3f; day after"
                    + " the drift refit %.3f (updated only %.3f); week after the scheduled refit %.3f (ratio %.2f),"
                    + " updated only %.3f (ratio %.2f)%n", seed, r.delay(), r.maeBefore(), r.dayRefitted(),
                    r.dayUpdated(), r.maeRefitted(), ratio, r.maeUpdated(), ratioUpdated);
            assertTrue(r.maeRefitted() < r.maeUpdated(), "seed " + seed + ": refitting did not help");
            maxDelay = Math.max(maxDelay, r.delay());
            maxRatio = Math.max(maxRatio, ratio);
            sumRatio += ratio;
            sumRatioUpdated += ratioUpdated;
            sumDayRatio += r.dayRefitted() / r.maeBefore();
            sumDayRatioUpdated += r.dayUpdated() / r.maeBefore();
        }
        System.out.printf(Locale.ROOT, "6-sigma shift: max delay %d steps; MAE ratio to before, day after the drift"
                + " refit: mean %.3f (updated only %.3f); week after the scheduled refit: mean %.3f, max %.3f"
                + " (updated only %.3f)%n", maxDelay, sumDayRatio / SEEDS, sumDayRatioUpdated / SEEDS,
                sumRatio / SEEDS, maxRatio, sumRatioUpdated / SEEDS);
        // A 6-sigma shift against k = 0.5, h = 8: (8 + 1.166) / (6 - 0.5) = 1.7 steps expected.
        assertTrue(maxDelay <= 5, "max delay " + maxDelay);
        assertTrue(sumRatio / SEEDS <= 1.20, "mean ratio " + sumRatio / SEEDS);
        assertTrue(maxRatio <= 1.30, "max ratio " + maxRatio);
        assertTrue(sumRatioUpdated / SEEDS >= 1.40, "updating alone recovered: " + sumRatioUpdated / SEEDS);
    }

    @Test
    void levelShiftOfThreeSigma_isDetectedWithinTwelveSteps() {
        int maxDelay = 0;
        double sumDelay = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            int delay = run(seed, 3).delay();
            assertTrue(delay > 0, "seed " + seed + " not detected");
            maxDelay = Math.max(maxDelay, delay);
            sumDelay += delay;
        }
        System.out.printf(Locale.ROOT, "3-sigma shift: mean delay %.1f steps, max %d%n", sumDelay / SEEDS, maxDelay);
        // Expected about (8 + 1.166) / (3 - 0.5) = 3.7 steps while the model has not followed the shift.
        assertTrue(maxDelay <= 12, "max delay " + maxDelay);
    }

    @Test
    void stationarySeries_falseAlarmsOfTheModelsErrorsStayWithinTheStatedRate() {
        long steps = 0;
        int alarms = 0;
        int seeds = 20;
        for (long seed = 100; seed < 100 + seeds; seed++) {
            Random rnd = new Random(seed);
            double[] h = new double[HISTORY];
            for (int t = 0; t < HISTORY; t++) {
                h[t] = value(t, rnd, 0);
            }
            Followed model = new Followed(MODEL.fit(TimeSeries.of(Instant.EPOCH, HOUR, h)));
            CusumDriftDetector detector = CusumDriftDetector.defaults();
            for (int i = 0; i < 2500; i++) {
                if (detector.add(model.observe(value(HISTORY + i, rnd, 0)))) {
                    alarms++;
                }
                if (i >= 200) {
                    steps++;
                }
            }
        }
        double rate = (double) alarms / steps;
        System.out.printf(Locale.ROOT, "stationary: %d false alarms in %d monitored steps over %d seeds = %.2e per step"
                + " (stated at most %.2e)%n", alarms, steps, seeds, rate, CusumDriftDetector.DEFAULT_FALSE_ALARM_RATE);
        assertTrue(rate <= CusumDriftDetector.DEFAULT_FALSE_ALARM_RATE, "rate " + rate);
    }
}
