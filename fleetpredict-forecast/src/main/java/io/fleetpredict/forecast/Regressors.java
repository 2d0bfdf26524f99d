package io.fleetpredict.forecast;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Exogenous regressors: named columns of finite values on the same regular time grid as a series, such
 * as event indicators, ramps and calendar dummies.
 *
 * <p>The columns over a history are passed to {@link Forecaster#fit(TimeSeries, Regressors)}; their known
 * values over the forecast horizon to {@link FittedModel#forecast(int, Regressors, double...)}. Build them
 * once over history and horizon with {@link #builder}, then split with {@link #head} and {@link #slice}.
 *
 * <p>Immutable: values are copied in and out. Names are unique and non-blank; the column order is the
 * order in which they were added.
 */
public final class Regressors {

    private final Instant start;
    private final Duration step;
    private final int size;
    private final List<String> names;
    /** One column per name, each of length {@code size}. */
    private final double[][] columns;

    private Regressors(Instant start, Duration step, int size, List<String> names, double[][] columns) {
        this.start = start;
        this.step = step;
        this.size = size;
        this.names = names;
        this.columns = columns;
    }

    /**
     * Regressors from columns given by name.
     *
     * @param start the time of the first value
     * @param step the time between values, positive
     * @param columns the columns in order, each with the same length and finite values
     * @return the regressors
     * @throws IllegalArgumentException if lengths differ, a value is not finite, or a name is blank
     */
    public static Regressors of(Instant start, Duration step, Map<String, double[]> columns) {
        Objects.requireNonNull(columns, "columns");
        int length = columns.isEmpty() ? 0 : columns.values().iterator().next().length;
        Builder b = builder(start, step, length);
        columns.forEach(b::column);
        return b.build();
    }

    /**
     * Starts building regressors over {@code size} steps from {@code start}.
     *
     * @param start the time of the first value
     * @param step the time between values, positive
     * @param size the number of steps, at least 0
     * @return the builder
     */
    public static Builder builder(Instant start, Duration step, int size) {
        return new Builder(start, step, size);
    }

    /** @return the time of the first value */
    public Instant start() {
        return start;
    }

    /** @return the time between values */
    public Duration step() {
        return step;
    }

    /** @return the number of steps each column covers */
    public int size() {
        return size;
    }

    /** @return the time the step after the last would have */
    public Instant end() {
        return start.plus(step.multipliedBy(size));
    }

    /** @return the number of columns */
    public int count() {
        return names.size();
    }

    /** @return the column names, in order; unmodifiable */
    public List<String> names() {
        return names;
    }

    /**
     * A copy of one column.
     *
     * @param name a column name
     * @return the values
     * @throws IllegalArgumentException if there is no such column
     */
    public double[] column(String name) {
        int j = names.indexOf(name);
        if (j < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "no regressor named '%s'; have %s", name,
                    names));
        }
        return columns[j].clone();
    }

    /**
     * One value.
     *
     * @param column the column index, from 0 to {@code count() - 1}
     * @param index the step, from 0 to {@code size() - 1}
     * @return the value
     */
    public double get(int column, int index) {
        return columns[column][index];
    }

    /**
     * The steps from {@code from} (inclusive) to {@code to} (exclusive) of every column.
     *
     * @param from first step
     * @param to step after the last
     * @return the regressors over those steps
     * @throws IllegalArgumentException if the range is outside {@code [0, size()]}
     */
    public Regressors slice(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "slice [%d, %d) is outside the %d steps of the regressors", from, to, size));
        }
        double[][] c = new double[columns.length][];
        for (int j = 0; j < c.length; j++) {
            c[j] = java.util.Arrays.copyOfRange(columns[j], from, to);
        }
        return new Regressors(start.plus(step.multipliedBy(from)), step, to - from, names, c);
    }

    /**
     * The first {@code n} steps.
     *
     * @param n steps to keep, from 0 to {@code size()}
     * @return the regressors over those steps
     */
    public Regressors head(int n) {
        return slice(0, n);
    }

    /**
     * The regressors followed by {@code next}, which must have the same names and start where these end.
     *
     * @param next the continuation
     * @return the longer regressors
     * @throws IllegalArgumentException if the names, step or start do not match
     */
    public Regressors append(Regressors next) {
        Objects.requireNonNull(next, "next");
        if (!next.names.equals(names) || !next.step.equals(step) || !next.start.equals(end())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "appended regressors %s from %s every %s do not continue %s ending at %s every %s", next.names,
                    next.start, next.step, names, end(), step));
        }
        double[][] c = new double[columns.length][size + next.size];
        for (int j = 0; j < c.length; j++) {
            System.arraycopy(columns[j], 0, c[j], 0, size);
            System.arraycopy(next.columns[j], 0, c[j], size, next.size);
        }
        return new Regressors(start, step, size + next.size, names, c);
    }

    /**
     * Checks that these regressors cover exactly the steps of a series, as a fit needs.
     *
     * @param series the history
     * @return these regressors
     * @throws IllegalArgumentException if start, step or length differ
     */
    Regressors requireAligned(TimeSeries series) {
        if (!start.equals(series.start()) || !step.equals(series.step()) || size != series.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "regressors over %d steps from %s every %s do not cover the series of %d steps from %s every %s",
                    size, start, step, series.size(), series.start(), series.step()));
        }
        return this;
    }

    /**
     * Checks that these are future values of {@code expectedNames} starting at {@code from} for at least
     * {@code horizon} steps, and returns the columns over the horizon.
     */
    double[][] future(List<String> expectedNames, Instant from, Duration expectedStep, int horizon) {
        if (!names.equals(expectedNames)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "future regressors are %s, the model was fitted with %s", names, expectedNames));
        }
        if (!start.equals(from) || !step.equals(expectedStep) || size < horizon) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "future regressors must start at %s every %s and cover the horizon of %d steps, were %d steps"
                            + " from %s every %s",
                    from, expectedStep, horizon, size, start, step));
        }
        double[][] c = new double[columns.length][];
        for (int j = 0; j < c.length; j++) {
            c[j] = java.util.Arrays.copyOf(columns[j], horizon);
        }
        return c;
    }

    /** The columns, shared: callers only read them. */
    double[][] columnsView() {
        return columns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Regressors r && r.start.equals(start) && r.step.equals(step) && r.size == size
                && r.names.equals(names) && java.util.Arrays.deepEquals(r.columns, columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, step, size, names, java.util.Arrays.deepHashCode(columns));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Regressors%s[%d steps from %s every %s]", names, size, start, step);
    }

    /**
     * A time window of an event, {@code [start, end)}.
     *
     * @param start when the event starts
     * @param end when it ends, after {@code start}
     */
    public record Window(Instant start, Instant end) {

        /**
         * Validates the window.
         *
         * @param start when the event starts
         * @param end when it ends, after {@code start}
         */
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "window end %s must be after its start %s", end, start));
            }
        }
    }

    /** Adds columns one by one over a fixed grid; {@link #build()} validates and copies. */
    public static final class Builder {

        private final Instant start;
        private final Duration step;
        private final int size;
        private final Map<String, double[]> columns = new LinkedHashMap<>();

        private Builder(Instant start, Duration step, int size) {
            this.start = Objects.requireNonNull(start, "start");
            this.step = Objects.requireNonNull(step, "step");
            if (step.isZero() || step.isNegative()) {
                throw new IllegalArgumentException("step must be positive, was " + step);
            }
            if (size < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "size must be at least 0, was %d",
                        size));
            }
            this.size = size;
        }

        /**
         * Adds a column of given values.
         *
         * @param name a new, non-blank name
         * @param values one finite value per step
         * @return this builder
         * @throws IllegalArgumentException if the name is taken or blank, the length differs from the size,
         *     or a value is not finite
         */
        public Builder column(String name, double... values) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("regressor name must not be blank");
            }
            if (columns.containsKey(name)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "regressor name '%s' is used twice",
                        name));
            }
            if (values.length != size) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "regressor '%s' has %d values for %d steps", name, values.length, size));
            }
            double[] copy = values.clone();
            for (int i = 0; i < copy.length; i++) {
                if (!Double.isFinite(copy[i])) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "regressor '%s' at index %d is %s; values must be finite", name, i, copy[i]));
                }
            }
            columns.put(name, copy);
            return this;
        }

        /**
         * Adds an event indicator: 1 at every step whose interval {@code [t, t + step)} overlaps one of the
         * windows, widened by {@code leadSteps} steps before each window (anticipation) and
         * {@code lagSteps} after it (aftermath); 0 elsewhere.
         *
         * @param name a new, non-blank name
         * @param windows the events; windows outside the grid are ignored
         * @param leadSteps steps before each window also marked, at least 0
         * @param lagSteps steps after each window also marked, at least 0
         * @return this builder
         */
        public Builder events(String name, Collection<Window> windows, int leadSteps, int lagSteps) {
            if (leadSteps < 0 || lagSteps < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "leadSteps and lagSteps must be at least 0, were %d and %d", leadSteps, lagSteps));
            }
            double[] v = new double[size];
            for (Window w : windows) {
                // First step whose interval ends after the window starts; last step starting before it ends.
                long first = Math.floorDiv(Duration.between(start, w.start()).toNanos(), step.toNanos());
                long last = ceilSteps(w.end()) - 1;
                for (long i = Math.max(0, first - leadSteps); i <= Math.min(size - 1L, last + lagSteps); i++) {
                    v[(int) i] = 1;
                }
            }
            return column(name, v);
        }

        /**
         * Adds a ramp: 0 up to {@code from}, rising linearly to 1 at {@code to}, and 1 afterwards, evaluated at
         * the time of each step (a gradual shift such as a migration of traffic).
         *
         * @param name a new, non-blank name
         * @param from when the ramp starts
         * @param to when it reaches 1, after {@code from}
         * @return this builder
         */
        public Builder ramp(String name, Instant from, Instant to) {
            Window w = new Window(from, to);
            double span = seconds(Duration.between(w.start(), w.end()));
            double[] v = new double[size];
            for (int i = 0; i < size; i++) {
                double x = seconds(Duration.between(w.start(), timeAt(i))) / span;
                v[i] = Math.max(0, Math.min(1, x));
            }
            return column(name, v);
        }

        /**
         * Adds 23 hour-of-day dummies {@code prefix + "1"} to {@code prefix + "23"} (hour 0 is the
         * baseline, so the dummies are not collinear with a mean).
         *
         * @param prefix the name prefix, for example {@code "hour"}
         * @param zone the time zone whose local hour counts
         * @return this builder
         */
        public Builder hourOfDay(String prefix, ZoneId zone) {
            for (int hour = 1; hour < 24; hour++) {
                double[] v = new double[size];
                for (int i = 0; i < size; i++) {
                    v[i] = ZonedDateTime.ofInstant(timeAt(i), zone).getHour() == hour ? 1 : 0;
                }
                column(prefix + hour, v);
            }
            return this;
        }

        /**
         * Adds 6 day-of-week dummies named {@code prefix} followed by the day ({@code "TUESDAY"} to
         * {@code "SUNDAY"}); Monday is the baseline.
         *
         * @param prefix the name prefix, for example {@code "dow_"}
         * @param zone the time zone whose local date counts
         * @return this builder
         */
        public Builder dayOfWeek(String prefix, ZoneId zone) {
            for (DayOfWeek day : DayOfWeek.values()) {
                if (day == DayOfWeek.MONDAY) {
                    continue;
                }
                double[] v = new double[size];
                for (int i = 0; i < size; i++) {
                    v[i] = ZonedDateTime.ofInstant(timeAt(i), zone).getDayOfWeek() == day ? 1 : 0;
                }
                column(prefix + day, v);
            }
            return this;
        }

        /**
         * Adds a day indicator: 1 at every step whose local date is one of {@code dates} (holidays, match
         * days), 0 elsewhere.
         *
         * @param name a new, non-blank name
         * @param dates the marked dates
         * @param zone the time zone whose local date counts
         * @return this builder
         */
        public Builder days(String name, Collection<LocalDate> dates, ZoneId zone) {
            Set<LocalDate> set = Set.copyOf(dates);
            double[] v = new double[size];
            for (int i = 0; i < size; i++) {
                v[i] = set.contains(LocalDate.ofInstant(timeAt(i), zone)) ? 1 : 0;
            }
            return column(name, v);
        }

        /**
         * Validates and copies the columns.
         *
         * @return the regressors
         */
        public Regressors build() {
            List<String> names = Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
            double[][] c = new double[names.size()][];
            int j = 0;
            for (double[] col : columns.values()) {
                c[j++] = col.clone();
            }
            return new Regressors(start, step, size, names, c);
        }

        private Instant timeAt(int i) {
            return start.plus(step.multipliedBy(i));
        }

        /** The number of whole or partial steps from the grid start to {@code t}, rounded up. */
        private long ceilSteps(Instant t) {
            long nanos = Duration.between(start, t).toNanos();
            long stepNanos = step.toNanos();
            return Math.floorDiv(nanos + stepNanos - 1, stepNanos);
        }

        private static double seconds(Duration d) {
            return d.getSeconds() + d.getNano() * 1e-9;
        }
    }
}
