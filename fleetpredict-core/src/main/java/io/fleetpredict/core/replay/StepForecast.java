package io.fleetpredict.core.replay;

import io.fleetpredict.core.document.FleetEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Forecasts of the next few steps at the trace's own resolution, with an upper quantile learned from
 * this forecaster's own recent errors: what {@link Policies#shortHorizon} provisions for.
 *
 * <p>The point forecast of step {@code t + h}, made after step {@code t}, is step {@code t}'s demand,
 * plus, when step {@code t + h} falls in a known event's window widened by
 * {@link TraceForecast#EVENT_MARGIN}, the slope of the last boot time ({@code (d[t] - d[t - k]) / k},
 * {@code k} the boot time in steps) times {@code h}: a scheduled event is when demand ramps, and
 * outside one a slope is mostly noise that would cost capacity. Errors are measured in units of
 * {@code max(d[t], per-instance capacity)}: relative at high load, where demand moves in proportion,
 * and in instances at low load, where a few requests more or less are not a relative change worth
 * paying for. The error quantiles at each horizon are recomputed every hour from two pools of
 * completed forecasts: steps outside event windows over the last {@code window} (7 days by default, and
 * at least {@value #MIN_WINDOW_ERRORS} steps), and the same event type's earlier windows, all of them,
 * since events are rare. An event type with fewer than {@value #MIN_ERRORS} errors at a horizon uses the
 * ordinary pool; until the ordinary pool has an error, the forecast has no margin.
 *
 * <p>Share one instance across the policies of a replay (such as a quantile sweep): the quantiles are
 * computed once per replay, as the replay advances, from the steps a policy may already see.
 */
public final class StepForecast {

    /** The quantiles the policies accept. */
    static final double[] QUANTILES = {0.5, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.998, 0.999, 0.9995};

    /** An event pool with fewer errors than this is not used; the ordinary pool is used with any. */
    static final int MIN_ERRORS = 100;

    /** The ordinary pool reaches back far enough to hold this many errors, more than its window on a coarse trace. */
    static final int MIN_WINDOW_ERRORS = 1000;

    private final Duration window;
    private final Duration refresh;
    private final List<FleetEvent> events;
    private final Map<Object, Track> tracks = new WeakHashMap<>();

    private StepForecast(Builder b) {
        this.window = b.window;
        this.refresh = b.refresh;
        this.events = List.copyOf(b.events);
    }

    /**
     * Starts building, with a 7-day error window, hourly quantiles and no events.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The quantile index for a probability the policies accept.
     *
     * @throws IllegalArgumentException if {@code q} is not one of {@link #QUANTILES}
     */
    static int quantileIndex(double q) {
        for (int i = 0; i < QUANTILES.length; i++) {
            if (Math.abs(QUANTILES[i] - q) < 1e-12) {
                return i;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "quantile must be one of %s, was %s", Arrays.toString(QUANTILES), q));
    }

    /** The track of one replay, created on first use. */
    Track track(ReplayContext context) {
        synchronized (tracks) {
            return tracks.computeIfAbsent(context.run(), r -> new Track(context));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "StepForecast[window=%s, refresh=%s, events=%d]", window, refresh, events.size());
    }

    /** One replay's forecasts: error quantiles per refresh block, computed on first request. */
    final class Track {
        /** Steps from the last observed step to the last one a launch made now must cover: boot + 1. */
        final int horizon;
        /** The slope's span in steps: the boot time, at least one step. */
        final int slopeSpan;
        private final double perInstance;
        private final int refreshSteps;
        private final int windowSteps;
        /** Per step, the event type whose widened window it overlaps. */
        private final EventWindows windows;
        private final int types;
        /** Per refresh block: [pool: 0 ordinary, 1 + type][horizon][quantile index]; null until computed. */
        private final double[][][][] blocks;
        /** The latest block computed. */
        private int latest = -1;
        /** Per horizon, the first forecast origin not yet in an event pool. */
        private final int[] eventCursor;
        /** Per event type and horizon: the errors so far, how many, and their latest quantiles. */
        private final double[][][] eventErrors;
        private final int[][] eventCounts;
        private final double[][][] eventQuantiles;

        Track(ReplayContext context) {
            long stepNanos = context.step().toNanos();
            int boot = context.stepsCovering(context.bootTime());
            this.horizon = boot + 1;
            this.slopeSpan = boot;
            this.perInstance = context.perInstance();
            this.refreshSteps = (int) Math.max(1, Math.round(refresh.toNanos() / (double) stepNanos));
            // A 0.999 quantile needs about a thousand errors to mean anything: a week of 30-minute steps has 336.
            this.windowSteps = (int) Math.max(MIN_WINDOW_ERRORS, Math.round(window.toNanos() / (double) stepNanos));
            this.windows = new EventWindows(events, context.start(), stepNanos, context.steps() + horizon + 1);
            this.types = windows.types.size();
            this.blocks = new double[context.steps() / refreshSteps + 1][][][];
            this.eventCursor = new int[horizon + 1];
            this.eventErrors = new double[types][horizon + 1][64];
            this.eventCounts = new int[types][horizon + 1];
            this.eventQuantiles = new double[types][horizon + 1][];
        }

        /** Whether step {@code t} lies in a known event's widened window. */
        boolean inEvent(int t) {
            return windows.covers(t);
        }

        /**
         * The point forecast of step {@code origin + h}, made after step {@code origin}.
         *
         * @param view the replay's view; {@code origin} must be visible
         */
        double point(FleetView view, int origin, int h) {
            double last = view.demand(origin);
            if (!inEvent(origin + h) || origin < slopeSpan) {
                return last;
            }
            return last + (last - view.demand(origin - slopeSpan)) / slopeSpan * h;
        }

        /** The unit errors are measured in, for a forecast made after a step of this demand. */
        double scale(double demand) {
            return Math.max(demand, perInstance);
        }

        /**
         * The quantile {@code qi} of the error of a forecast {@code h} steps ahead whose target is step
         * {@code target}, as known at the start of step {@code view.step()}.
         */
        double errorQuantile(FleetView view, int target, int h, int qi) {
            double[][][] block = block(view, view.step() / refreshSteps);
            int t = windows.typeAt(target);
            double[] pool = t >= 0 && !Double.isNaN(block[1 + t][h][qi]) ? block[1 + t][h] : block[0][h];
            return Double.isNaN(pool[qi]) ? 0 : pool[qi];
        }

        private synchronized double[][][] block(FleetView view, int b) {
            if (blocks[b] == null) {
                if (b < latest) {
                    throw new IllegalStateException("refresh block " + b + " requested after block " + latest);
                }
                blocks[b] = compute(view, b * refreshSteps);
                latest = b;
            }
            return blocks[b];
        }

        /** The error quantiles of the forecasts whose target step is before {@code end}; blocks come in order. */
        private double[][][] compute(FleetView view, int end) {
            double[][][] q = new double[1 + types][horizon + 1][];
            double[] ordinary = new double[windowSteps];
            for (int h = 1; h <= horizon; h++) {
                int n = 0;
                for (int origin = Math.max(0, end - h - windowSteps); origin + h < end; origin++) {
                    if (!windows.covers(origin + h)) {
                        ordinary[n++] = error(view, origin, h);
                    }
                }
                q[0][h] = quantiles(ordinary, n, 1);
                // Event errors never leave their pool: add the new ones, and recompute only a pool that grew.
                boolean[] grew = new boolean[types];
                for (; eventCursor[h] + h < end; eventCursor[h]++) {
                    int origin = eventCursor[h];
                    int t = windows.typeAt(origin + h);
                    if (t >= 0) {
                        if (eventCounts[t][h] == eventErrors[t][h].length) {
                            eventErrors[t][h] = Arrays.copyOf(eventErrors[t][h], 2 * eventCounts[t][h]);
                        }
                        eventErrors[t][h][eventCounts[t][h]++] = error(view, origin, h);
                        grew[t] = true;
                    }
                }
                for (int t = 0; t < types; t++) {
                    if (grew[t] || eventQuantiles[t][h] == null) {
                        eventQuantiles[t][h] = quantiles(eventErrors[t][h], eventCounts[t][h], MIN_ERRORS);
                    }
                    q[1 + t][h] = eventQuantiles[t][h];
                }
            }
            for (double[][] pool : q) {
                pool[0] = new double[QUANTILES.length];
            }
            return q;
        }

        private double error(FleetView view, int origin, int h) {
            return (view.demand(origin + h) - point(view, origin, h)) / scale(view.demand(origin));
        }
    }

    /** The {@link #QUANTILES} of the first {@code n} values (linear interpolation), or NaN if fewer than {@code min}. */
    static double[] quantiles(double[] values, int n, int min) {
        double[] q = new double[QUANTILES.length];
        if (n < Math.max(1, min)) {
            Arrays.fill(q, Double.NaN);
            return q;
        }
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        for (int i = 0; i < q.length; i++) {
            double pos = QUANTILES[i] * (n - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(n - 1, lo + 1);
            q[i] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
        return q;
    }

    /** Builds a {@link StepForecast}. */
    public static final class Builder {
        private Duration window = Duration.ofDays(7);
        private Duration refresh = Duration.ofHours(1);
        private List<FleetEvent> events = List.of();

        private Builder() {
        }

        /**
         * The schedule the forecast knows in advance (never the trace's future demand). Maintenance
         * events change capacity, not demand, and are ignored here.
         *
         * @param value the events
         * @return this builder
         */
        public Builder events(List<FleetEvent> value) {
            this.events = List.copyOf(Objects.requireNonNull(value, "events"));
            return this;
        }

        /**
         * How far back the ordinary errors reach (never fewer than 1,000 steps).
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder window(Duration value) {
            this.window = positive(value, "window");
            return this;
        }

        /**
         * How often the error quantiles are recomputed.
         *
         * @param value a positive duration
         * @return this builder
         */
        public Builder refresh(Duration value) {
            this.refresh = positive(value, "refresh");
            return this;
        }

        /** @return the forecast */
        public StepForecast build() {
            return new StepForecast(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
