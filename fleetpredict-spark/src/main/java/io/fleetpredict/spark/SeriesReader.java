package io.fleetpredict.spark;

import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.Regressors;
import io.fleetpredict.forecast.TimeSeries;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.jspecify.annotations.Nullable;

/**
 * Turns the rows of one series, sorted by time, into a regular {@link TimeSeries} with its regressors. The
 * rows come from {@link SparkForecasting#prepare}: series id, timestamp, value, the cells that cannot be read
 * (each by its column and text), then one column per regressor.
 *
 * <p>Rows after the last observed value carry the future regressors; without regressors they are ignored.
 * Anything the reader cannot make sense of is a {@link BadSeriesException} naming the time and the column,
 * which becomes the series' error row: no model can help with data that cannot be read.
 */
final class SeriesReader implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A series with more grid steps than this many times its rows is mostly gaps, or has a stray timestamp. */
    private static final int MAX_GRID_PER_ROW = 10;

    /** Null: inferred per series. */
    private final @Nullable Duration step;
    private final GapPolicy gaps;
    private final String[] regressors;
    /** The steps of future regressors needed after the history; 0 when none are. */
    private final int futureSteps;
    /** How the step is set where the messages are read: the API's wording, or the job's option. */
    private final String stepAdvice;

    SeriesReader(@Nullable Duration step, GapPolicy gaps, List<String> regressors, int futureSteps) {
        this(step, gaps, regressors, futureSteps, ForecastSpec.STEP_ADVICE);
    }

    /** @param stepAdvice how the reader of a message sets the step, as its messages advise it */
    SeriesReader(@Nullable Duration step, GapPolicy gaps, List<String> regressors, int futureSteps, String stepAdvice) {
        this.stepAdvice = stepAdvice;
        this.step = step;
        this.gaps = gaps;
        this.regressors = regressors.toArray(new String[0]);
        this.futureSteps = regressors.isEmpty() ? 0 : futureSteps;
    }

    /** A series read from its rows: the history, and its regressors (null without regressors). */
    record Series(String id, TimeSeries history, @Nullable Regressors past, @Nullable Regressors future) {
        boolean hasRegressors() {
            return past != null;
        }
    }

    /** Data of a series that cannot be read; the message says what and where. */
    static final class BadSeriesException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadSeriesException(String message) {
            super(message);
        }
    }

    Series read(String id, List<Row> rows) {
        int n = rows.size();
        Instant[] times = new Instant[n];
        double[] values = new double[n];
        int lastObserved = -1;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            String unreadable = r.getString(SparkForecasting.UNREADABLE);
            if (unreadable != null && !unreadable.isEmpty()) {
                throw new BadSeriesException(unreadable(rows, i));
            }
            if (r.isNullAt(1)) {
                throw new BadSeriesException("a row has no timestamp");
            }
            times[i] = instant(r.get(1));
            if (i > 0 && times[i].equals(times[i - 1])) {
                throw new BadSeriesException("timestamp " + times[i] + " appears more than once");
            }
            values[i] = r.isNullAt(2) ? Double.NaN : r.getDouble(2);
            if (Double.isInfinite(values[i])) {
                throw new BadSeriesException(String.format(Locale.ROOT, "value at %s is %s", times[i], values[i]));
            }
            if (!Double.isNaN(values[i])) {
                lastObserved = i;
            }
        }
        if (lastObserved < 0) {
            throw new BadSeriesException(String.format(Locale.ROOT, "no observed value in %d rows", n));
        }
        Duration d;
        String hint;
        if (step != null) {
            d = step;
            hint = "";
        } else {
            int at = smallestGap(times, n);
            d = Duration.between(times[at - 1], times[at]);
            // An inferred step is only as good as the two rows that set it: one of them 1 ms off the grid
            // makes a step 1 ms short, and every other row then misses it.
            hint = String.format(Locale.ROOT, "; the step was inferred as the smallest gap between rows, from %s"
                    + " to %s: if either is off the grid, correct it, or %s",
                    times[at - 1], times[at], stepAdvice);
        }
        Instant start = times[0];
        for (int i = 1; i < n; i++) {
            gridIndex(start, times[i], d, hint); // in time order, so the first row off the grid is named
        }
        int size = gridIndex(start, times[lastObserved], d, hint) + 1;
        if (size > MAX_GRID_PER_ROW * (long) (lastObserved + 1) + MAX_GRID_PER_ROW) {
            throw new BadSeriesException(String.format(Locale.ROOT,
                    "%d rows from %s to %s every %s would be mostly gaps (%d steps)", lastObserved + 1, start,
                    times[lastObserved], d, size));
        }
        double[] raw = new double[size];
        java.util.Arrays.fill(raw, Double.NaN);
        double[][] past = new double[regressors.length][size];
        for (double[] column : past) {
            java.util.Arrays.fill(column, Double.NaN);
        }
        double[][] future = new double[regressors.length][futureSteps];
        boolean[] futureSeen = new boolean[futureSteps];
        for (int i = 0; i < n; i++) {
            int k = gridIndex(start, times[i], d, hint);
            Row r = rows.get(i);
            if (k < size) {
                raw[k] = values[i];
                for (int j = 0; j < regressors.length; j++) {
                    past[j][k] = regressorAt(r, j, times[i]);
                }
            } else if (k - size < futureSteps) {
                for (int j = 0; j < regressors.length; j++) {
                    future[j][k - size] = regressorAt(r, j, times[i]);
                    if (Double.isNaN(future[j][k - size])) {
                        throw new BadSeriesException(String.format(Locale.ROOT,
                                "regressor %s has no value at %s, in the horizon", regressors[j], times[i]));
                    }
                }
                futureSeen[k - size] = true;
            }
        }
        TimeSeries history;
        try {
            history = TimeSeries.filled(start, d, raw, gaps);
        } catch (IllegalArgumentException e) {
            throw new BadSeriesException(String.valueOf(e.getMessage()));
        }
        if (regressors.length == 0) {
            return new Series(id, history, null, null);
        }
        for (int k = 0; k < futureSteps; k++) {
            if (!futureSeen[k]) {
                throw new BadSeriesException(String.format(Locale.ROOT,
                        "no row with regressors at %s, step %d of the %d-step horizon", history.timeAt(size + k),
                        k + 1, futureSteps));
            }
        }
        Map<String, double[]> pastColumns = new LinkedHashMap<>();
        Map<String, double[]> futureColumns = new LinkedHashMap<>();
        for (int j = 0; j < regressors.length; j++) {
            try {
                pastColumns.put(regressors[j], TimeSeries.filled(start, d, past[j], gaps).values());
            } catch (IllegalArgumentException e) {
                throw new BadSeriesException("regressor " + regressors[j] + ": " + e.getMessage());
            }
            futureColumns.put(regressors[j], future[j]);
        }
        return new Series(id, history, Regressors.of(start, d, pastColumns),
                futureSteps == 0 ? null : Regressors.of(history.end(), d, futureColumns));
    }

    private double regressorAt(Row r, int j, Instant time) {
        int column = SparkForecasting.FIRST_REGRESSOR + j;
        if (r.isNullAt(column)) {
            return Double.NaN;
        }
        double v = r.getDouble(column);
        // NaN is a missing regressor value, as it is a missing observation in the value column
        if (Double.isInfinite(v)) {
            throw new BadSeriesException(String.format(Locale.ROOT, "regressor %s at %s is %s", regressors[j], time,
                    v));
        }
        return v;
    }

    /** The index of the row that ends the smallest gap between consecutive rows (the first such, on a tie). */
    private int smallestGap(Instant[] times, int n) {
        if (n < 2) {
            throw new BadSeriesException("one row gives no step; " + stepAdvice);
        }
        int at = 1;
        for (int i = 2; i < n; i++) {
            if (Duration.between(times[i - 1], times[i]).compareTo(Duration.between(times[at - 1], times[at])) < 0) {
                at = i;
            }
        }
        return at;
    }

    /**
     * What cannot be read in a series whose row {@code i} is the first that cannot: the cells with their text, the
     * row by its time or, without one, by its value, and how many more rows of the series cannot be read. Rows
     * without a time come first in no set order, so of those the one named is the least by its cells' text, then
     * its value: the message does not depend on how the input was partitioned.
     */
    private static String unreadable(List<Row> rows, int i) {
        List<Row> bad = rows.subList(i, rows.size()).stream().filter(o -> {
            String u = o.getString(SparkForecasting.UNREADABLE);
            return u != null && !u.isEmpty();
        }).toList();
        Row r = rows.get(i);
        if (r.isNullAt(1)) {
            r = bad.stream().filter(o -> o.isNullAt(1)).min(Comparator.comparing(
                    (Row o) -> o.getString(SparkForecasting.UNREADABLE))
                    .thenComparing(o -> o.isNullAt(2) ? Double.NaN : o.getDouble(2))).orElseThrow();
        }
        String row = !r.isNullAt(1) ? "the row at " + instant(r.get(1))
                : "the row without a readable time and with value " + (r.isNullAt(2) ? "null" : r.getDouble(2));
        return String.format(Locale.ROOT, "unreadable %s in %s%s", r.getString(SparkForecasting.UNREADABLE), row,
                bad.size() == 1 ? "" : String.format(Locale.ROOT, "; %d more rows of the series cannot be read",
                        bad.size() - 1));
    }

    /** The grid index of {@code t}; {@code hint} ends the message of a time off the grid. */
    private static int gridIndex(Instant start, Instant t, Duration step, String hint) {
        Duration offset = Duration.between(start, t);
        long stepNanos = step.toNanos();
        long offsetNanos = offset.toNanos();
        if (offsetNanos % stepNanos != 0) {
            throw new BadSeriesException(String.format(Locale.ROOT,
                    "timestamp %s is not on the grid of %s from %s%s", t, step, start, hint));
        }
        long k = offsetNanos / stepNanos;
        if (k > Integer.MAX_VALUE - 1) {
            throw new BadSeriesException(String.format(Locale.ROOT, "timestamp %s is %d steps from %s", t, k, start));
        }
        return (int) k;
    }

    /** The instant of a timestamp cell, whichever Java type Spark's settings give it. */
    static Instant instant(Object cell) {
        if (cell instanceof Instant i) {
            return i;
        }
        if (cell instanceof Timestamp t) {
            return t.toInstant();
        }
        if (cell instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        throw new IllegalStateException("timestamp cell of type " + cell.getClass().getName());
    }
}
