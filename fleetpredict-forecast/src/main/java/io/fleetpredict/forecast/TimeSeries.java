package io.fleetpredict.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * A regular time series: a start instant, a fixed step, and finite values.
 *
 * <p>Immutable: values are copied in and out. A missing value is never represented by {@code NaN}
 * here; a raw array with gaps goes through {@link #filled} with an explicit {@link GapPolicy}.
 */
public final class TimeSeries {

    private final Instant start;
    private final Duration step;
    private final double[] values;

    private TimeSeries(Instant start, Duration step, double[] values) {
        this.start = start;
        this.step = step;
        this.values = values;
    }

    /**
     * Creates a series.
     *
     * @param start the time of the first value
     * @param step the time between consecutive values, positive
     * @param values the observations, all finite
     * @return the series
     * @throws IllegalArgumentException if the step is not positive, a value is NaN or infinite, or the series'
     *     {@link #end()} ({@code start + values.length * step}, where its forecast starts) is past {@link Instant#MAX}
     */
    public static TimeSeries of(Instant start, Duration step, double... values) {
        if (start == null) {
            throw new NullPointerException("start");
        }
        if (step == null) {
            throw new NullPointerException("step");
        }
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        if (Forecast.timeAfter(start, step, values.length).isEmpty()) {
            // The end is the time of the first forecast step, handed out by end(); every model reads it.
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a series of %d values of %s from %s would end past %s, the latest time an Instant holds",
                    values.length, step, start, Instant.MAX));
        }
        double[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Double.isFinite(copy[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "value at index %d (%s) is %s; fill gaps with TimeSeries.filled and a GapPolicy",
                        i, start.plus(step.multipliedBy(i)), copy[i]));
            }
        }
        return new TimeSeries(start, step, copy);
    }

    /**
     * Creates an hourly series starting at the epoch, for data that has no timestamps (such as M4).
     *
     * @param values the observations, all finite
     * @return the series
     */
    public static TimeSeries ofValues(double... values) {
        return of(Instant.EPOCH, Duration.ofHours(1), values);
    }

    /**
     * Creates a series from raw values in which {@code NaN} marks a missing observation, filling the
     * gaps by the given policy.
     *
     * @param start the time of the first value
     * @param step the time between consecutive values, positive
     * @param raw observations with {@code NaN} for gaps; infinities are rejected
     * @param policy how to fill the gaps
     * @return the filled series
     * @throws IllegalArgumentException if a gap cannot be filled by the policy (or the policy is
     *     {@link GapPolicy#REJECT}), or a value is infinite
     */
    public static TimeSeries filled(Instant start, Duration step, double[] raw, GapPolicy policy) {
        return of(start, step, policy.fill(raw.clone(), start, step));
    }

    /** @return the time of the first value */
    public Instant start() {
        return start;
    }

    /** @return the time between consecutive values */
    public Duration step() {
        return step;
    }

    /** @return the number of values */
    public int size() {
        return values.length;
    }

    /** @return whether the series has no values */
    public boolean isEmpty() {
        return values.length == 0;
    }

    /**
     * The value at an index.
     *
     * @param index from 0 to {@code size() - 1}
     * @return the value
     */
    public double get(int index) {
        return values[index];
    }

    /** @return a copy of the values */
    public double[] values() {
        return values.clone();
    }

    /**
     * The time of the value at an index (or of a future index past the end).
     *
     * @param index any non-negative index
     * @return {@code start + index * step}
     */
    public Instant timeAt(int index) {
        return start.plus(step.multipliedBy(index));
    }

    /** @return the time the next value after the last one would have */
    public Instant end() {
        return timeAt(values.length);
    }

    /**
     * The values from {@code from} (inclusive) to {@code to} (exclusive), keeping their timestamps.
     *
     * @param from first index
     * @param to index after the last
     * @return the sub-series
     */
    public TimeSeries slice(int from, int to) {
        if (from < 0 || to > values.length || from > to) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "slice [%d, %d) of a series of size %d", from, to, values.length));
        }
        return new TimeSeries(timeAt(from), step, Arrays.copyOfRange(values, from, to));
    }

    /**
     * The first {@code n} values.
     *
     * @param n how many, at most {@code size()}
     * @return the head
     */
    public TimeSeries head(int n) {
        return slice(0, n);
    }

    /**
     * The last {@code n} values.
     *
     * @param n how many, at most {@code size()}
     * @return the tail
     */
    public TimeSeries tail(int n) {
        return slice(values.length - n, values.length);
    }

    /**
     * This series followed directly by another with the same step.
     *
     * @param next values that start at {@link #end()}
     * @return the concatenation
     * @throws IllegalArgumentException if {@code next} does not start at {@code end()} or has another step
     */
    public TimeSeries append(TimeSeries next) {
        if (!next.step.equals(step)) {
            throw new IllegalArgumentException("next.step " + next.step + " differs from " + step);
        }
        if (!next.start.equals(end())) {
            throw new IllegalArgumentException("next.start " + next.start + " is not the end of this series " + end());
        }
        double[] joined = Arrays.copyOf(values, values.length + next.values.length);
        System.arraycopy(next.values, 0, joined, values.length, next.values.length);
        return new TimeSeries(start, step, joined);
    }

    /**
     * Values that continue this series directly.
     *
     * @param next the values following the last one
     * @return the extended series
     */
    public TimeSeries append(double... next) {
        return append(of(end(), step, next));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeSeries other
                && start.equals(other.start) && step.equals(other.step) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return (start.hashCode() * 31 + step.hashCode()) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TimeSeries[start=%s, step=%s, size=%d]", start, step, values.length);
    }
}
