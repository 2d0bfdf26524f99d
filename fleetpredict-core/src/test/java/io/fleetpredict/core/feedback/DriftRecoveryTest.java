package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The whole loop on a synthetic hourly series {@code 100 + 10 sin(2 pi t / 24) + N(0, 1)}: a Holt-Winters
 * champion fitted on two weeks, actuals streamed one at a time, a level shift injected at a known step.
 */
class DriftRecoveryTest {
    private static final int HISTORY = 336;
    private static final int SHIFT_AT = 300;
    private static final int SEEDS = 10;

    private static double value(int t, Random rnd, double shift) {
        return 100 + shift + 10 * Math.sin(2 * Math.PI * t / 24) + rnd.nextGaussian();
    }

    private static Retrainer retrainer(Random rnd, boolean retrainOnDrift) {
        double[] h = new double[HISTORY];
        for (int t = 0; t < HISTORY; t++) {
            h[t] = value(t, rnd, 0);
        }
        FittedModel champion = Forecasters.holtWinters(24).fit(TimeSeries.of(Instant.EPOCH, Duration.ofHours(1), h));
        return Retrainer.builder().champion(champion).executor(Runnable::run)
                .candidates(List.of(Forecasters.holtWinters(24), Forecasters.seasonalNaive(24)))
                .window(HISTORY).backtest(24, 3, 24).seasonalPeriod(24)
                .driftDetector(CusumDriftDetector::defaults, retrainOnDrift).driftSettle(24).build();
    }

    /** Streams 700 steps with a shift from SHIFT_AT; returns {delay, pre-shift MAE, MAE after the retrain}. */
    private static double[] run(long seed, double shift, boolean retrainOnDrift) {
        Random rnd = new Random(seed);
        Retrainer r = retrainer(rnd, retrainOnDrift);
        int detected = -1;
        double pre = 0;
        int preN = 0;
        double post = 0;
        int postN = 0;
        for (int i = 0; i < 700; i++) {
            Observed o = r.observe(value(HISTORY + i, rnd, i >= SHIFT_AT ? shift : 0));
            // The detector calibrates on the first 200 one-step errors; the pre-shift level is the next 100.
            if (i >= 200 && i < SHIFT_AT) {
                pre += Math.abs(o.oneStepError());
                preN++;
            }
            if (o.drift() && i >= SHIFT_AT && detected < 0) {
                detected = i - SHIFT_AT + 1;
            }
            // The drift retrain runs 24 steps after the flag; score the week that follows it.
            int from = SHIFT_AT + detected + 25;
            if (detected > 0 && i >= from && i < from + 168) {
                post += Math.abs(o.oneStepError());
                postN++;
            }
        }
        return new double[] {detected, pre / preN, postN > 0 ? post / postN : Double.NaN};
    }

    @Test
    void levelShiftOfSixSigma_isDetectedAndTheRetrainedErrorReturnsToItsEarlierLevel() {
        double sumRatio = 0;
        double sumRatioWithout = 0;
        double maxRatio = 0;
        int maxDelay = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            double[] with = run(seed, 6, true);
            double[] without = run(seed, 6, false);
            double ratio = with[2] / with[1];
            double ratioWithout = without[2] / without[1];
            System.out.printf("seed %d: shift of 6 flagged after %d steps; MAE before %.3f, after retrain %.3f"
                    + " (ratio %.2f), without retrain %.3f (ratio %.2f)%n", seed, (int) with[0], with[1], with[2],
                    ratio, without[2], ratioWithout);
            assertTrue(with[0] > 0, "seed " + seed + " not detected");
            maxDelay = Math.max(maxDelay, (int) with[0]);
            maxRatio = Math.max(maxRatio, ratio);
            sumRatio += ratio;
            sumRatioWithout += ratioWithout;
        }
        System.out.printf("6-sigma shift: max delay %d steps; MAE ratio after/before: mean %.3f, max %.3f with"
                + " retraining, mean %.3f without%n", maxDelay, sumRatio / SEEDS, maxRatio, sumRatioWithout / SEEDS);
        // A 6-sigma shift against k = 0.5, h = 8: (8 + 1.166) / (6 - 0.5) = 1.7 steps expected.
        assertTrue(maxDelay <= 5, "max delay " + maxDelay);
        assertTrue(sumRatio / SEEDS <= 1.20, "mean ratio " + sumRatio / SEEDS);
        assertTrue(maxRatio <= 1.30, "max ratio " + maxRatio);
        assertTrue(sumRatio < sumRatioWithout, "retraining does not help");
    }

    @Test
    void levelShiftOfThreeSigma_isDetectedWithinTwelveSteps() {
        int maxDelay = 0;
        double sumDelay = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            int delay = (int) run(seed, 3, false)[0];
            assertTrue(delay > 0, "seed " + seed + " not detected");
            maxDelay = Math.max(maxDelay, delay);
            sumDelay += delay;
        }
        System.out.printf("3-sigma shift: mean delay %.1f steps, max %d%n", sumDelay / SEEDS, maxDelay);
        // Expected about (8 + 1.166) / (3 - 0.5) = 3.7 steps while the model has not followed the shift.
        assertTrue(maxDelay <= 12, "max delay " + maxDelay);
    }

    @Test
    void stationarySeries_falseAlarmsOfTheChampionsErrorsStayWithinTheStatedRate() {
        long steps = 0;
        int alarms = 0;
        int seeds = 20;
        for (long seed = 100; seed < 100 + seeds; seed++) {
            Random rnd = new Random(seed);
            Retrainer r = retrainer(rnd, false);
            for (int i = 0; i < 2500; i++) {
                if (r.observe(value(HISTORY + i, rnd, 0)).drift()) {
                    alarms++;
                }
                if (i >= 200) {
                    steps++;
                }
            }
        }
        double rate = (double) alarms / steps;
        System.out.printf("stationary: %d false alarms in %d monitored steps over %d seeds = %.2e per step"
                + " (stated at most %.2e)%n", alarms, steps, seeds, rate, CusumDriftDetector.DEFAULT_FALSE_ALARM_RATE);
        assertTrue(rate <= CusumDriftDetector.DEFAULT_FALSE_ALARM_RATE, "rate " + rate);
    }
}
