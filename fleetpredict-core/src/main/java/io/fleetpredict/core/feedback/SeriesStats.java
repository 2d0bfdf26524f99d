package io.fleetpredict.core.feedback;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Running sums of one series' errors: O(1) memory plus a ring of recent absolute errors and a ring of the
 * last seasonal period of actuals for the online MASE scale. Guarded by its own monitor.
 */
final class SeriesStats {
    private static final double MINUTES_PER_HOUR = 60;

    private final AccuracyKey key;
    private final double registeredScale;
    private final @Nullable CusumDriftDetector detector;
    private final double[] recent;
    private final double[] lastActuals;

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
        this.recent = new double[window];
        this.lastActuals = new double[period];
    }

    synchronized Recorded record(PredictedPoint predicted, double actual, Duration step) {
        double error = actual - predicted.mean();
        double hours = step.toNanos() / 3.6e12;
        double abs = Math.abs(error);
        if (recent.length > 0) {
            recent[(int) (count % recent.length)] = abs;
        }
        int period = lastActuals.length;
        if (count >= period) {
            sumSeasonalDiff += Math.abs(actual - lastActuals[(int) (count % period)]);
            seasonalDiffs++;
        }
        lastActuals[(int) (count % period)] = actual;
        count++;
        sumAbs += abs;
        sumSigned -= error;
        if (actual != 0) {
            sumAbsPct += 100 * abs / Math.abs(actual);
            pctCount++;
        }
        if (predicted.interval() != null) {
            intervals++;
            level = predicted.interval().level();
            if (predicted.interval().covers(actual)) {
                covered++;
            }
        }
        double shortfall = actual - predicted.provisioned();
        if (shortfall > 0) {
            underSteps++;
            underMinutes += hours * MINUTES_PER_HOUR;
            shortfallUnitHours += shortfall * hours;
            maxShortfall = Math.max(maxShortfall, shortfall);
        } else {
            overCost += -shortfall * predicted.pricePerUnitHour() * hours;
        }
        // The detector standardises by what it saw during calibration, so a constant scale changes nothing;
        // scaling keeps the figures comparable across series.
        double scaled = registeredScale > 0 ? error / registeredScale : error;
        boolean drift = detector != null && detector.add(scaled);
        if (drift) {
            alarms++;
        }
        return new Recorded(key, error, scaled, drift);
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
        if (recent.length > 0 && count > 0) {
            int n = (int) Math.min(count, recent.length);
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
