package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The near-term forecast of one series at its own step: each of the next {@code horizon} steps, with an
 * upper bound whose level the caller sets (see {@link NearTermPrediction}), learned from this forecast's
 * own out-of-sample errors.
 *
 * <p><b>Point forecasts.</b> Three candidates, each known to every forecaster of load: the last step
 * (naive); the last step plus the change over the same lead one day earlier, averaged over up to
 * {@value #DAILY_CYCLES} days; and the same with the weekly period over up to {@value #WEEKLY_CYCLES}
 * weeks. A seasonal candidate exists only when its period is a whole number of steps longer than the
 * horizon. When the target step lies in a known event's window widened by {@link #EVENT_MARGIN}, the
 * slope of the last boot time times the lead is added: a scheduled event is when demand ramps. Each
 * lead uses the candidate with the lowest mean absolute error over the error window, chosen again at
 * every refresh from the past alone.
 *
 * <p><b>Errors</b> are measured in units of {@code max(last value, floor)}, the floor being one
 * instance's capacity of the resource: relative at high load, where demand moves in proportion, and in
 * instances at low load. They are pooled per lead: targets outside event windows over the last
 * {@code window} steps (at least {@value #MIN_WINDOW_ERRORS}), and each event type's windows, all of
 * them, since events are rare; an event pool with fewer than {@value #MIN_EVENT_ERRORS} errors is not
 * used. The pools are sorted again at every refresh (hourly), so a bound at any level is a lookup.
 *
 * <p>Not thread-safe: its owner serialises calls.
 */
final class NearTermForecast {

    /** How far an event's window is widened on each side: demand ramps up before a match and lingers after. */
    static final Duration EVENT_MARGIN = Duration.ofMinutes(15);
    static final int MIN_EVENT_ERRORS = 100;
    static final int MIN_WINDOW_ERRORS = 1000;
    static final int DAILY_CYCLES = 7;
    static final int WEEKLY_CYCLES = 4;
    private static final int NAIVE = 0;

    private final Duration step;
    private final int horizon;
    private final int slopeSpan;
    private final double floor;
    private final int windowSteps;
    private final int refreshSteps;
    /** Per candidate: its period in steps (0 for naive) and how many cycles it averages. */
    private final int[] period;
    private final int[] cycles;
    private final int keep;

    private double[] values = new double[4096];
    private int size;
    /** The absolute index of {@code values[0]}: values before it were dropped. */
    private long dropped;
    private @Nullable Instant start;

    /** Per candidate and lead: the ordinary errors, a ring of {@code windowSteps}. */
    private final double[][][] ring;
    private final int[][] ringCount;
    private final int[][] ringNext;
    /** Per event type, candidate and lead: every error, with its count. */
    private final Map<EventType, double[][][]> eventErrors = new LinkedHashMap<>();
    private final Map<EventType, int[][]> eventCounts = new LinkedHashMap<>();
    /** The event types whose pools grew since their last sort, and whether the choice of candidates changed. */
    private final java.util.Set<EventType> grown = java.util.EnumSet.noneOf(EventType.class);

    /** Per lead: the candidate in use, its sorted ordinary errors and sorted event errors by type. */
    private final int[] chosen;
    private final double[][] sortedOrdinary;
    private final Map<EventType, double[][]> sortedEvents = new LinkedHashMap<>();
    private long refreshedAt = Long.MIN_VALUE;

    /**
     * @param step the series' step
     * @param horizon how many steps ahead to forecast, at least 1
     * @param slopeSpan the boot time in steps, at least 1: the span of the event slope
     * @param floor one instance's capacity of the resource in the series' unit, positive
     * @param window how far back the ordinary errors reach
     */
    NearTermForecast(Duration step, int horizon, int slopeSpan, double floor, Duration window) {
        this.step = step;
        this.horizon = horizon;
        this.slopeSpan = Math.max(1, slopeSpan);
        this.floor = floor;
        this.windowSteps = (int) Math.max(MIN_WINDOW_ERRORS, window.dividedBy(step));
        this.refreshSteps = (int) Math.max(1, Duration.ofHours(1).dividedBy(step));
        // Naive first, then the shorter period: the order ties are broken in. Each seasonal candidate on its
        // own: at a step of a day the daily change is no candidate, and the weekly one still is.
        int daily = period(Duration.ofDays(1));
        int weekly = period(Duration.ofDays(7));
        int n = 1 + (daily > 0 ? 1 : 0) + (weekly > 0 ? 1 : 0);
        period = new int[n];
        cycles = new int[n];
        int next = 1;
        if (daily > 0) {
            period[next] = daily;
            cycles[next++] = DAILY_CYCLES;
        }
        if (weekly > 0) {
            period[next] = weekly;
            cycles[next] = WEEKLY_CYCLES;
        }
        int reach = this.slopeSpan + horizon;
        for (int c = 0; c < period.length; c++) {
            reach = Math.max(reach, period[c] * cycles[c] + horizon);
        }
        this.keep = Math.max(reach, windowSteps + horizon) + 1;
        int candidates = period.length;
        this.ring = new double[candidates][horizon + 1][windowSteps];
        this.ringCount = new int[candidates][horizon + 1];
        this.ringNext = new int[candidates][horizon + 1];
        this.chosen = new int[horizon + 1];
        this.sortedOrdinary = new double[horizon + 1][];
    }

    private int period(Duration cycle) {
        long p = cycle.dividedBy(step);
        return p > horizon && step.multipliedBy(p).equals(cycle) ? (int) p : 0;
    }

    /** @return the end of the last step absorbed, or {@code null} before the first */
    @Nullable Instant end() {
        return start == null ? null : start.plus(step.multipliedBy(dropped + size));
    }

    /** @return the value of the last step absorbed */
    double last() {
        return values[size - 1];
    }

    /**
     * Absorbs the value of the step that starts at {@code at}, the step after the last one absorbed (or
     * the first), scoring every earlier forecast that targeted it.
     *
     * @param events the known events whose scope takes in this series' service (maintenance is left out)
     */
    void absorb(Instant at, double value, List<FleetEvent> events) {
        if (start == null) {
            start = at;
        }
        if (size == values.length) {
            if (size > 2 * keep) {
                int drop = size - keep;
                System.arraycopy(values, drop, values, 0, keep);
                size = keep;
                dropped += drop;
            } else {
                values = Arrays.copyOf(values, 2 * values.length);
            }
        }
        values[size++] = value;
        long target = dropped + size - 1;
        EventType type = typeAt(timeOf(target), events);
        for (int h = 1; h <= horizon; h++) {
            long origin = target - h;
            if (origin < dropped) {
                continue;
            }
            double scale = scale(at(origin));
            boolean slope = type != null && origin - slopeSpan >= dropped;
            for (int c = 0; c < period.length; c++) {
                double error = (value - point(c, origin, h, slope)) / scale;
                if (type == null) {
                    ring[c][h][ringNext[c][h]] = error;
                    ringNext[c][h] = (ringNext[c][h] + 1) % windowSteps;
                    ringCount[c][h] = Math.min(windowSteps, ringCount[c][h] + 1);
                } else {
                    addEventError(type, c, h, error);
                }
            }
        }
        if (target - refreshedAt >= refreshSteps || refreshedAt == Long.MIN_VALUE) {
            refresh();
            refreshedAt = target;
        }
    }

    private void addEventError(EventType type, int c, int h, double error) {
        double[][][] errors = eventErrors.computeIfAbsent(type, t -> new double[period.length][horizon + 1][16]);
        int[][] counts = eventCounts.computeIfAbsent(type, t -> new int[period.length][horizon + 1]);
        if (counts[c][h] == errors[c][h].length) {
            errors[c][h] = Arrays.copyOf(errors[c][h], 2 * counts[c][h]);
        }
        errors[c][h][counts[c][h]++] = error;
        grown.add(type);
    }

    /** Chooses each lead's candidate on its recent mean absolute error and sorts its pools. */
    private void refresh() {
        boolean rechosen = false;
        for (int h = 1; h <= horizon; h++) {
            int best = NAIVE;
            double bestError = Double.POSITIVE_INFINITY;
            for (int c = 0; c < period.length; c++) {
                int n = ringCount[c][h];
                if (n == 0) {
                    continue;
                }
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += Math.abs(ring[c][h][i]);
                }
                // Ties keep the simpler candidate: naive first, then the shorter period.
                if (sum / n < bestError - 1e-12) {
                    bestError = sum / n;
                    best = c;
                }
            }
            rechosen |= chosen[h] != best;
            chosen[h] = best;
            double[] ordinary = Arrays.copyOf(ring[best][h], ringCount[best][h]);
            Arrays.sort(ordinary);
            sortedOrdinary[h] = ordinary;
        }
        boolean all = rechosen;
        eventErrors.forEach((type, errors) -> {
            if (!all && !grown.contains(type)) {
                return;
            }
            int[][] counts = Objects.requireNonNull(eventCounts.get(type), "counts are kept beside the errors");
            double[][] sorted = sortedEvents.computeIfAbsent(type, t -> new double[horizon + 1][]);
            for (int h = 1; h <= horizon; h++) {
                int n = counts[chosen[h]][h];
                if (n >= MIN_EVENT_ERRORS) {
                    double[] e = Arrays.copyOf(errors[chosen[h]][h], n);
                    Arrays.sort(e);
                    sorted[h] = e;
                } else {
                    sorted[h] = null;
                }
            }
        });
        grown.clear();
    }

    /**
     * The forecast of the step {@code h} steps after the last absorbed one.
     *
     * @param h the lead, in [1, horizon]
     * @param level the probability of the upper bound; at 1 the largest error seen, beyond it further out
     *     (see {@link #quantile}), at or below 0 the smallest
     * @param events the known events whose scope takes in this series' service
     * @return {point, upper}, in the series' unit, not negative
     */
    double[] forecast(int h, double level, List<FleetEvent> events) {
        long origin = dropped + size - 1;
        EventType type = typeAt(timeOf(origin + h), events);
        boolean slope = type != null && origin - slopeSpan >= dropped;
        double point = point(chosen[h], origin, h, slope);
        double[] pool = sortedOrdinary[h];
        if (type != null && sortedEvents.containsKey(type) && sortedEvents.get(type)[h] != null) {
            pool = sortedEvents.get(type)[h];
        }
        double margin = pool == null || pool.length == 0 ? 0 : quantile(pool, level);
        double upper = point + margin * scale(at(origin));
        return new double[] {Math.max(0, point), Math.max(0, Math.max(point, upper))};
    }

    /** @return how many steps ahead it forecasts */
    int horizon() {
        return horizon;
    }

    /** @return the name of the candidate lead {@code h} uses */
    String candidate(int h) {
        int p = period[chosen[h]];
        return p == 0 ? "naive" : "seasonal-change(period=" + p + ")";
    }

    private double point(int c, long origin, int h, boolean slope) {
        double last = at(origin);
        double p = last;
        if (period[c] > 0) {
            double change = 0;
            int n = 0;
            for (int k = 1; k <= cycles[c]; k++) {
                long back = origin - (long) k * period[c];
                if (back < dropped) {
                    break;
                }
                change += at(back + h) - at(back);
                n++;
            }
            p = n == 0 ? last : last + change / n;
        }
        if (slope) {
            p += (last - at(origin - slopeSpan)) / slopeSpan * h;
        }
        return p;
    }

    private double at(long index) {
        return values[(int) (index - dropped)];
    }

    private double scale(double last) {
        return Math.max(Math.abs(last), floor);
    }

    /** Called once a value was absorbed, which sets {@code start}. */
    private Instant timeOf(long index) {
        return Objects.requireNonNull(start, "start").plus(step.multipliedBy(index));
    }

    /** The type of the known event whose widened window overlaps the step starting at {@code t}; the last listed wins. */
    private @Nullable EventType typeAt(Instant t, List<FleetEvent> events) {
        Instant end = t.plus(step);
        EventType type = null;
        for (FleetEvent e : events) {
            if (e.type() != EventType.MAINTENANCE && e.start().minus(EVENT_MARGIN).isBefore(end)
                    && e.end().plus(EVENT_MARGIN).isAfter(t)) {
                type = e.type();
            }
        }
        return type;
    }

    /**
     * The {@code p} quantile of sorted values, linear between order statistics (numpy's default); above 1 the
     * line from the median to the largest value, extended.
     */
    static double quantile(double[] sorted, double p) {
        int n = sorted.length;
        if (p >= 1) {
            double max = sorted[n - 1];
            return max + (p - 1) / 0.5 * (max - quantile(sorted, 0.5));
        }
        if (p <= 0) {
            return sorted[0];
        }
        double pos = p * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
