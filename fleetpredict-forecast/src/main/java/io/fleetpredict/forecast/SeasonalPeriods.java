package io.fleetpredict.forecast;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The seasonal periods a series shows, found from its step and its values: for use when the caller names
 * none.
 *
 * <p>The candidates come from the step: a day and a week in steps for steps that divide a day (5 minutes:
 * 288 and 2016; 15 minutes: 96 and 672; 30 minutes: 48 and 336; an hour: 24 and 168), 7 and 365 for a
 * day, 52 for a week, 12 for a month, 4 for a quarter. Shortest first, each candidate is kept when the
 * series has more than three of its cycles and the data show it: the series, detrended by a centred
 * moving average of the period's length and cleared of the seasonal figures of the shorter periods kept,
 * has a positive autocorrelation at that lag beyond the 90% one-sided bound of Bartlett's formula (the M4
 * benchmark's seasonality test, one-sided and on detrended data so that neither another cycle's negative
 * correlation nor a trend passes for a season), its variance taken at the sample size: the {@code len - m}
 * pairs the lag-{@code m} autocorrelation of {@code len} detrended values sums over, so {@code (len - m) / len}
 * of Bartlett's large-sample {@code (1 + 2 sum(r_k^2, k < m)) / len}. The test's power grows with the cycles: a
 * smooth season (a daily sine) correlates strongly at the lower lags too, which widens the bound, and may need
 * five cycles where a sharp one passes with four.
 *
 * @param periods the periods kept, ascending, each at least 2; empty when none was found
 * @param description what was tried and why each candidate was kept or not, one line
 */
public record SeasonalPeriods(List<Integer> periods, String description) {

    private static final long DAY = Duration.ofDays(1).toNanos();
    private static final long WEEK = Duration.ofDays(7).toNanos();

    /**
     * Validates and copies.
     *
     * @param periods the periods kept, ascending, each at least 2
     * @param description what was tried, one line
     */
    public SeasonalPeriods {
        if (periods == null || description == null) {
            throw new NullPointerException(periods == null ? "periods" : "description");
        }
        periods = List.copyOf(periods);
        for (int i = 0; i < periods.size(); i++) {
            if (periods.get(i) < 2 || (i > 0 && periods.get(i) <= periods.get(i - 1))) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "periods must be ascending and each at least 2, were %s", periods));
            }
        }
    }

    /**
     * The periods the series shows among the candidates of its step.
     *
     * @param series the training series
     * @return the periods kept and why
     */
    public static SeasonalPeriods detect(TimeSeries series) {
        if (series == null) {
            throw new NullPointerException("series");
        }
        double[] x = series.values();
        int n = x.length;
        List<Integer> candidates = candidates(series.step());
        List<Integer> kept = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        double[] residual = x.clone();
        // What is left once the trend is taken out is judged constant against the series' own magnitude.
        double magnitude = Constancy.magnitude(x);
        for (int m : candidates) {
            if (n <= 3L * m) {
                reasons.add(String.format(Locale.ROOT, "%d not kept: %d observations are not more than three cycles", m, n));
                continue;
            }
            double[] trend = SeasonalStrength.centredMovingAverage(residual, m);
            int half = m / 2;
            double[] detrended = new double[n - 2 * half];
            for (int t = half; t < n - half; t++) {
                detrended[t - half] = residual[t] - trend[t];
            }
            // One-sided: a season repeats, so its lag correlates positively. A strong negative correlation at the
            // lag is another cycle's (a 7-step cycle at lag 24), not this one.
            double[] r = ClassicalDecomposition.lagCorrelation(detrended, m, magnitude);
            if (r == null) {
                reasons.add(String.format(Locale.ROOT, "%d not kept: nothing varies once the trend is taken out", m));
                continue;
            }
            // The lag-m autocorrelation sums over only len - m pairs: Bartlett's variance, which takes len to be
            // far more than m, is (len - m) / len of itself at this sample size (Anderson's finite-sample form).
            int len = detrended.length;
            double bound = ClassicalDecomposition.Z_90_ONE_SIDED * r[1] * Math.sqrt((double) (len - m) / len);
            if (!(r[0] > bound)) {
                reasons.add(String.format(Locale.ROOT, "%d not kept: the autocorrelation at lag %d, %.2f, is not above "
                        + "its 90%% bound %.2f over %d detrended values", m, m, r[0], bound, len));
                continue;
            }
            kept.add(m);
            reasons.add(String.format(Locale.ROOT, "%d kept", m));
            subtractFigure(residual, detrended, half, m);
        }
        String step = series.step().toString();
        String what = candidates.isEmpty()
                ? String.format(Locale.ROOT, "no seasonal period to try for the step %s", step)
                : String.format(Locale.ROOT, "seasonal periods tried for the step %s: %s", step, String.join(", ", reasons));
        return new SeasonalPeriods(kept, what);
    }

    /** Removes the mean detrended value at each position of the cycle, so longer periods are tested without it. */
    private static void subtractFigure(double[] residual, double[] detrended, int offset, int m) {
        double[] figure = new double[m];
        int[] count = new int[m];
        for (int i = 0; i < detrended.length; i++) {
            int pos = (i + offset) % m;
            figure[pos] += detrended[i];
            count[pos]++;
        }
        double mean = 0;
        for (int p = 0; p < m; p++) {
            figure[p] /= count[p];
            mean += figure[p] / m;
        }
        for (int t = 0; t < residual.length; t++) {
            residual[t] -= figure[t % m] - mean;
        }
    }

    /**
     * The candidate periods of a step, ascending.
     *
     * @param step the series' step
     * @return the candidates; empty for a step with no customary season
     */
    static List<Integer> candidates(Duration step) {
        long s = step.toNanos();
        List<Integer> c = new ArrayList<>();
        if (s < DAY) {
            if (DAY % s == 0 && DAY / s <= Integer.MAX_VALUE) {
                c.add((int) (DAY / s));
            }
            if (WEEK % s == 0 && WEEK / s <= Integer.MAX_VALUE) {
                c.add((int) (WEEK / s));
            }
        } else if (s == DAY) {
            c.add(7);
            c.add(365);
        } else if (s == WEEK) {
            c.add(52);
        } else if (step.compareTo(Duration.ofDays(28)) >= 0 && step.compareTo(Duration.ofDays(31)) <= 0) {
            c.add(12);
        } else if (step.compareTo(Duration.ofDays(89)) >= 0 && step.compareTo(Duration.ofDays(92)) <= 0) {
            c.add(4);
        }
        return c;
    }

    /**
     * The periods as {@link Forecasters} takes them: {@code {1}} when none was found.
     *
     * @return a new array
     */
    public int[] orNone() {
        return periods.isEmpty() ? new int[] {1} : periods.stream().mapToInt(Integer::intValue).toArray();
    }
}
