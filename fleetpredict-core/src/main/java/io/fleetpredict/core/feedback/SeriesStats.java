package io.fleetpredict.core.feedback;

import io.fleetpredict.core.internal.Hours;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Running sums of one series' errors: O(1) memory plus a ring of recent absolute errors and a ring of the
 * last seasonal period of actuals for the online MASE scale. The rings grow with the values recorded, doubling
 * up to their full size, so a series of few values takes few bytes however long its window. Guarded by its own
 * monitor.
 */
final class SeriesStats {
    private static final double MINUTES_PER_HOUR = 60;

    private final AccuracyKey key;
    private final double registeredScale;
    private final @Nullable CusumDriftDetector detector;
    private static final double[] EMPTY = {};
    /** The smallest ring allocated, so the first few values do not each copy it. */
    private static final int FIRST_RING = 4;

    private final int window;
    private final int period;
    /** The last {@code window} absolute errors, at {@code count % window}; shorter while fewer were recorded. */
    private double[] recent = EMPTY;
    /** The last {@code period} actuals, at {@code count % period}; shorter while fewer were recorded. */
    private double[] lastActuals = EMPTY;

    private long count;
    private double sumAbs;
    private double sumAbsPct;
    private long pctCount;
    private double sumSigned;
    private long intervals;
    private long covered;
    private double level = Double.NaN;
    private long underSteps;
    private double underMinutes;
    private double shortfallUnitHours;
    private double maxShortfall;
    private double overCost;
    private long alarms;
    private double sumSeasonalDiff;
    private long seasonalDiffs;

    SeriesStats(AccuracyKey key, double registeredScale, int window, int period, @Nullable CusumDriftDetector detector) {
        this.key = key;
        this.registeredScale = registeredScale;
        this.detector = detector;
        this.window = window;
        this.period = period;
    }

    /**
     * Records one actual, or nothing at all: every figure is computed first, and when one of them would not
     * be finite (values near the largest double) the series is left exactly as it was.
     *
     * @throws IllegalArgumentException naming the series and the values when a figure would not be finite
     */
    synchronized Recorded record(PredictedPoint predicted, double actual, Duration step) {
        double error = actual - predicted.mean();
        double hours = Hours.of(step);
        double abs = Math.abs(error);
        double nextSumSeasonalDiff = count >= period
                ? sumSeasonalDiff + Math.abs(actual - lastActuals[(int) (count % period)]) : sumSeasonalDiff;
        double nextSumAbsPct = actual != 0 ? sumAbsPct + 100 * (abs / Math.abs(actual)) : sumAbsPct;
        double shortfall = actual - predicted.provisioned();
        double nextUnderMinutes = underMinutes;
        double nextShortfallUnitHours = shortfallUnitHours;
        double nextOverCost = overCost;
        if (shortfall > 0) {
            nextUnderMinutes += hours * MINUTES_PER_HOUR;
            nextShortfallUnitHours += shortfall * hours;
        } else {
            nextOverCost += -shortfall * predicted.pricePerUnitHour() * hours;
        }
        // The detector standardises by what it saw during calibration, so a constant scale changes nothing;
        // scaling keeps the figures comparable across series.
        double scaled = registeredScale > 0 ? error / registeredScale : error;
        String[] names = {"error", "scaled error", "sum of absolute errors", "sum of signed errors",
            "sum of absolute percentage errors", "sum of seasonal differences", "minutes under-provisioned",
            "shortfall unit-hours", "over-provisioning cost"};
        double[] figures = {error, scaled, sumAbs + abs, sumSigned - error, nextSumAbsPct, nextSumSeasonalDiff,
            nextUnderMinutes, nextShortfallUnitHours, nextOverCost};
        for (int i = 0; i < figures.length; i++) {
            if (!Double.isFinite(figures[i])) {
                throw refused(predicted, actual, step, "its " + names[i] + " would be " + figures[i]);
            }
        }
        // Grown before anything changes, so running out of memory leaves the series as it was.
        double[] nextRecent = window > 0 ? reaching(recent, (int) (count % window), window) : recent;
        double[] nextLastActuals = reaching(lastActuals, (int) (count % period), period);
        boolean drift;
        try {
            drift = detector != null && detector.add(scaled);
        } catch (IllegalArgumentException e) {
            throw refused(predicted, actual, step, "its drift detector " + e.getMessage());
        }
        recent = nextRecent;
        lastActuals = nextLastActuals;
        if (window > 0) {
            recent[(int) (count % window)] = abs;
        }
        if (count >= period) {
            seasonalDiffs++;
        }
        sumSeasonalDiff = nextSumSeasonalDiff;
        lastActuals[(int) (count % period)] = actual;
        count++;
        sumAbs += abs;
        sumSigned -= error;
        if (actual != 0) {
            pctCount++;
        }
        sumAbsPct = nextSumAbsPct;
        if (predicted.interval() != null) {
            intervals++;
            level = predicted.interval().level();
            if (predicted.interval().covers(actual)) {
                covered++;
            }
        }
        if (shortfall > 0) {
            underSteps++;
            maxShortfall = Math.max(maxShortfall, shortfall);
        }
        underMinutes = nextUnderMinutes;
        shortfallUnitHours = nextShortfallUnitHours;
        overCost = nextOverCost;
        if (drift) {
            alarms++;
        }
        return new Recorded(key, error, scaled, drift);
    }

    /**
     * {@code ring}, or a copy twice as long (at most {@code size}) when it is too short to hold {@code index}: a
     * ring is written at each index in turn from 0, so it is full size by the time it wraps.
     */
    private static double[] reaching(double[] ring, int index, int size) {
        if (index < ring.length) {
            return ring;
        }
        return Arrays.copyOf(ring, (int) Math.min(size, Math.max(FIRST_RING, 2L * ring.length)));
    }

    private IllegalArgumentException refused(PredictedPoint predicted, double actual, Duration step, String why) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: actual %s against predicted mean %s (provisioned %s) over %s not recorded: %s", key, actual,
                predicted.mean(), predicted.provisioned(), step, why));
    }

    synchronized void resetDetector() {
        if (detector != null) {
            detector.reset();
        }
    }

    synchronized KeyAccuracy snapshot() {
        double scale = registeredScale > 0 ? registeredScale
                : seasonalDiffs > 0 ? sumSeasonalDiff / seasonalDiffs : Double.NaN;
        double mae = count > 0 ? sumAbs / count : Double.NaN;
        double recentMae = Double.NaN;
        if (window > 0 && count > 0) {
            int n = (int) Math.min(count, window);
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += recent[i];
            }
            recentMae = s / n;
        }
        return new KeyAccuracy(key, count, mae, pctCount > 0 ? sumAbsPct / pctCount : Double.NaN,
                scale > 0 ? mae / scale : Double.NaN, scale, count > 0 ? sumSigned / count : Double.NaN,
                level, intervals > 0 ? (double) covered / intervals : Double.NaN, recentMae, underSteps,
                underMinutes, shortfallUnitHours, maxShortfall, overCost, alarms);
    }
}
