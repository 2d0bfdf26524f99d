package io.fleetpredict.core.monitor;

import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a regular series per metric from timestamped observations that arrive one at a time or in
 * batches, from any number of threads, possibly out of order, late or duplicated.
 *
 * <h2>Buckets</h2>
 * Time is cut into buckets of one {@linkplain Builder#step step}, aligned to the epoch (one-minute
 * buckets start on the minute, UTC). An observation belongs to the bucket holding its time; the
 * bucket's value merges all its observations by the metric's {@link MetricKind}: counters sum, mean
 * gauges average, max gauges take the largest. Sums are exact and correctly rounded, so a bucket's
 * value does not depend on the order its observations arrived in. Two observations at the same instant
 * are two contributions: the monitor has no identity to tell a re-delivered observation from a second
 * one, so a source that may re-deliver should de-duplicate by its own identifiers first.
 *
 * <h2>Lateness</h2>
 * Each metric has a watermark: the latest time it has seen, or the clock's time if later, minus the
 * {@linkplain Builder#latenessWindow lateness window}. A bucket closes once its end is at or before the
 * watermark, and a closed bucket never changes again. An observation older than the latest one seen is
 * <em>out of order</em>: if its bucket is still open it is merged as usual and counted; if its bucket has
 * closed it is <em>late</em>: counted per metric, reported in {@link IngestReport} and to the
 * {@linkplain Builder#onRejected rejection listener}, never silently dropped. Because the clock closes
 * buckets too, replaying history needs a clock set to the replayed time (or one at or before its start).
 * Because an observation's time moves the watermark too, a monitor fed live should bound how far ahead of
 * the clock an observation may be ({@link Builder#futureTolerance}): one step, as {@code FleetPredictor}'s
 * own monitor does.
 *
 * <h2>Seeding</h2>
 * A host that restarts loses the monitor's history, and cannot record it again: the clock has closed its
 * buckets. {@link #seed(MetricKey, TimeSeries)} puts it back instead, from a regular series at the
 * monitor's step (from the host's metrics system, or {@link #seed(MonitoredSeries)} with the series of the
 * monitor it replaces, gaps kept). It fills closed buckets only, each value as the bucket's only
 * observation, and only buckets the metric does not hold yet: before the metric's first recorded bucket,
 * or while it has none; so a closed bucket still never changes. Values are checked as {@link #record}
 * checks them; a refused seed changes nothing.
 *
 * <h2>Memory</h2>
 * Each metric keeps a fixed ring of {@code ceil(retention / step) + ceil(lateness / step) + 1} buckets,
 * allocated when the monitor is built; older buckets are evicted as time advances, so memory does not
 * grow with the number of observations.
 *
 * <h2>Threads</h2>
 * All methods may be called concurrently. Each metric has its own lock, held only to update or read its
 * ring. {@link #recordAll} applies each metric's share of a batch atomically: a concurrent
 * {@link #series} sees all or none of it. The rejection listener runs on the recording thread after
 * the locks are released.
 */
public final class ActivityMonitor {

    /**
     * The largest magnitude an observed value may have. It keeps exact sums far from overflow; no
     * physical fleet metric comes near it.
     */
    public static final double MAX_ABS_VALUE = 1e100;

    /** The most buckets one metric may hold, which bounds its memory at a few tens of megabytes. */
    public static final int MAX_BUCKETS = 1_000_000;

    private final Map<MetricKey, BucketRing> rings;
    private final Clock clock;
    private final Duration step;
    private final Duration lateness;
    private final Duration retention;
    private final long futureToleranceNanos;
    private final Consumer<Rejection> listener;
    private final AtomicLong unknownMetric = new AtomicLong();

    private ActivityMonitor(Builder b, Map<MetricKey, BucketRing> rings) {
        this.rings = rings;
        this.clock = b.clock;
        this.step = b.step;
        this.lateness = b.lateness;
        this.retention = b.retention;
        this.futureToleranceNanos = b.futureToleranceNanos;
        this.listener = b.listener;
    }

    /** @return a builder with a one-minute step, a five-minute lateness window, seven days of retention and the UTC system clock */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records one observation.
     *
     * @param metric a registered metric
     * @param time when the value was observed
     * @param value the value, finite, at most {@link #MAX_ABS_VALUE} in magnitude, not negative for a counter
     *     or for a resource's use (a metric named {@code <resource>_<unit>}, such as {@code cpu_cores})
     * @return true if the observation went into its bucket, false if it was late (its bucket had closed);
     *     a late observation is counted in {@link #stats(MetricKey)} and passed to the rejection listener
     * @throws IllegalArgumentException if the metric is unknown, the value is invalid, or the time is out
     *     of range or too far ahead of the clock; the observation is counted as invalid with its reason
     */
    public boolean record(MetricKey metric, Instant time, double value) {
        Observation observation = new Observation(metric, time, value);
        long now = clockNanos();
        BucketRing ring = rings.get(metric);
        Rejection invalid = validate(observation, ring, now);
        if (invalid != null || ring == null) {
            throw new IllegalArgumentException(invalid != null ? invalid.message() : "unknown metric " + metric);
        }
        long t = Nanos.toNanos(time);
        Rejection late = null;
        ring.lock.lock();
        try {
            ring.advance(now);
            if (ring.offer(t, value) == BucketRing.LATE) {
                late = lateRejection(observation, ring);
            }
        } finally {
            ring.lock.unlock();
        }
        if (late != null) {
            listener.accept(late);
            return false;
        }
        return true;
    }

    /**
     * Records a batch. Bad observations are counted and reported, never thrown: one bad line in a feed
     * does not lose the rest. Within a batch, each metric's observations are applied in time order, so
     * an observation is late only if its bucket had closed before the batch arrived.
     *
     * @param observations the batch, in any order
     * @return what happened to each observation, in counts
     */
    public IngestReport recordAll(Collection<Observation> observations) {
        Objects.requireNonNull(observations, "observations");
        long now = clockNanos();
        IngestReport.Tally tally = new IngestReport.Tally();
        List<Rejection> rejections = new ArrayList<>();
        Map<BucketRing, List<Observation>> byMetric = new LinkedHashMap<>();
        for (Observation o : observations) {
            Objects.requireNonNull(o, "observations contains null");
            BucketRing ring = rings.get(o.metric());
            Rejection invalid = validate(o, ring, now);
            if (invalid != null) {
                tally.reject(invalid);
                rejections.add(invalid);
            } else {
                byMetric.computeIfAbsent(ring, r -> new ArrayList<>()).add(o);
            }
        }
        for (Map.Entry<BucketRing, List<Observation>> entry : byMetric.entrySet()) {
            BucketRing ring = entry.getKey();
            List<Observation> batch = entry.getValue();
            batch.sort(Comparator.comparing(Observation::time));
            ring.lock.lock();
            try {
                ring.advance(now);
                for (Observation o : batch) {
                    int outcome = ring.offer(Nanos.toNanos(o.time()), o.value());
                    if (outcome == BucketRing.LATE) {
                        Rejection late = lateRejection(o, ring);
                        tally.reject(late);
                        rejections.add(late);
                    } else {
                        tally.accepted++;
                        if (outcome == BucketRing.OUT_OF_ORDER) {
                            tally.outOfOrder++;
                        }
                    }
                }
            } finally {
                ring.lock.unlock();
            }
        }
        rejections.forEach(listener);
        return tally.toReport();
    }

    /**
     * Seeds a metric with history the monitor did not see, typically after a restart of the host: its past
     * from a metrics system, or the {@link #series} of the monitor it replaces. Every value of the history
     * is one bucket, stored as if it were the bucket's only observation, so {@link #series} then reads it back
     * exactly, and a loop built on this monitor learns from it as from history recorded live.
     *
     * <p>Seeding fills closed buckets only, and never one the metric already has, as closed buckets never
     * change: it is accepted while the metric has no bucket yet (seed before recording), or for history that
     * ends at or before the first bucket the metric was given (recorded or seeded); every bucket of the history
     * must be closed already, the history ending at or before {@link #closedBefore}. Points older than the
     * retention are dropped, counted in the report. {@link TimeSeries} holds no {@code NaN}: a bucket without
     * a value is seeded through {@link #seed(MonitoredSeries)}'s gaps. Seeding is all or nothing: a refused
     * history changes nothing, and is not counted in {@link #stats(MetricKey)}; nor are seeded buckets counted
     * as accepted observations.
     *
     * @param metric a registered metric
     * @param history one value per bucket, at the monitor's step, starting on a bucket boundary; each value
     *     valid as {@link #record} requires (at most {@link #MAX_ABS_VALUE} in magnitude, not negative for a
     *     counter or a resource's use)
     * @return how many buckets were filled and how many points were dropped as older than the retention
     * @throws IllegalArgumentException if the metric is unknown
     * @throws InvalidSeedException if the step differs from the monitor's, the start is not on a bucket
     *     boundary, the history reaches an open bucket or a bucket the metric holds, or a value is invalid
     *     (naming its index and time)
     */
    public SeedReport seed(MetricKey metric, TimeSeries history) {
        return seed(ring(metric), Objects.requireNonNull(history, "history"), List.of());
    }

    /**
     * Seeds a metric with the series of another monitor, such as the one this monitor replaces: as
     * {@link #seed(MetricKey, TimeSeries)}, except that the buckets inside the series' gaps are left empty,
     * so that they read back as gaps, filled by this monitor's policy, as they did in the original.
     *
     * @param history a monitored series of a metric registered here, of the kind registered, at this monitor's step
     * @return how many buckets were filled, left empty and dropped as older than the retention
     * @throws IllegalArgumentException if the metric is unknown
     * @throws InvalidSeedException as {@link #seed(MetricKey, TimeSeries)}, or if the series' kind is not the
     *     metric's here (a sum of a bucket's observations is not their mean)
     */
    public SeedReport seed(MonitoredSeries history) {
        Objects.requireNonNull(history, "history");
        BucketRing ring = ring(history.metric());
        if (history.kind() != ring.kind) {
            throw new InvalidSeedException(ring.key, -1, null, String.format(Locale.ROOT,
                    "cannot seed metric %s: the series' values were merged as %s, the monitor merges the metric as %s",
                    ring.key, history.kind(), ring.kind));
        }
        return seed(ring, history.series(), history.gaps());
    }

    private SeedReport seed(BucketRing ring, TimeSeries history, List<MonitoredSeries.Gap> gaps) {
        MetricKey metric = ring.key;
        long stepNanos = ring.stepNanos();
        if (!history.step().equals(step)) {
            throw new InvalidSeedException(metric, -1, null, String.format(Locale.ROOT,
                    "cannot seed metric %s: the history's step %s differs from the monitor's step %s",
                    metric, history.step(), step));
        }
        if (history.isEmpty()) {
            return new SeedReport(metric, 0, 0, 0);
        }
        Instant start = history.start();
        Instant last = history.timeAt(history.size() - 1);
        if (!Nanos.inRange(start) || !Nanos.inRange(last)) {
            throw new InvalidSeedException(metric, -1, null, String.format(Locale.ROOT,
                    "cannot seed metric %s: the history from %s to %s is outside the supported range (1678 to 2262)",
                    metric, start, history.end()));
        }
        long startNanos = Nanos.toNanos(start);
        if (Math.floorMod(startNanos, stepNanos) != 0) {
            throw new InvalidSeedException(metric, -1, start, String.format(Locale.ROOT,
                    "cannot seed metric %s: the history starts at %s, not on a bucket boundary of step %s (the nearest"
                    + " earlier one is %s)", metric, start, step,
                    Nanos.bucketStart(Math.floorDiv(startNanos, stepNanos), stepNanos)));
        }
        boolean[] gap = new boolean[history.size()];
        for (MonitoredSeries.Gap g : gaps) {
            for (int i = g.fromIndex(); i < g.toIndex(); i++) {
                gap[i] = true;
            }
        }
        for (int i = 0; i < history.size(); i++) {
            RejectReason reason = gap[i] ? null : valueReason(history.get(i), ring);
            if (reason != null) {
                throw new InvalidSeedException(metric, i, history.timeAt(i), String.format(Locale.ROOT,
                        "cannot seed metric %s: value %s at index %d (%s) %s; nothing was seeded",
                        metric, history.get(i), i, history.timeAt(i), valueProblem(reason)));
            }
        }
        long first = Math.floorDiv(startNanos, stepNanos);
        long now = clockNanos();
        ring.lock.lock();
        try {
            ring.advance(now);
            String conflict = ring.seedConflict(first, history.size());
            if (conflict != null) {
                throw new InvalidSeedException(metric, -1, null, String.format(Locale.ROOT,
                        "cannot seed metric %s with the history from %s to %s: %s", metric, start, history.end(), conflict));
            }
            return ring.seed(first, history.values(), gap);
        } finally {
            ring.lock.unlock();
        }
    }

    /**
     * The metric's series over the retained window: from the later of its first observed bucket and
     * the oldest retained bucket, up to (excluding) the first bucket not yet closed. Empty buckets are
     * filled by the metric's {@link GapFill} and marked; if no bucket of the window has data and the
     * policy needs an observed value to fill from, the series is empty.
     *
     * @param metric a registered metric
     * @return the series and its gaps
     * @throws IllegalArgumentException if the metric is unknown
     * @throws IllegalStateException if the metric's policy is {@link GapFill#REJECT} and the window has a gap
     */
    public MonitoredSeries series(MetricKey metric) {
        BucketRing ring = ring(metric);
        long now = clockNanos();
        BucketRing.Window window;
        ring.lock.lock();
        try {
            ring.advance(now);
            window = ring.window();
        } finally {
            ring.lock.unlock();
        }
        double[] values = window.raw;
        List<MonitoredSeries.Gap> gaps = new ArrayList<>();
        boolean observed = false;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                observed = true;
                continue;
            }
            int from = i;
            while (i + 1 < values.length && Double.isNaN(values[i + 1])) {
                i++;
            }
            gaps.add(new MonitoredSeries.Gap(from, i + 1));
        }
        Instant start = Nanos.bucketStart(window.first, ring.stepNanos());
        if (!gaps.isEmpty()) {
            if (ring.gapFill == GapFill.REJECT) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "metric %s has no observation in the bucket starting %s and its gap policy is REJECT",
                        metric, start.plus(step.multipliedBy(gaps.get(0).fromIndex()))));
            }
            if (!observed && ring.gapFill != GapFill.ZERO) {
                return new MonitoredSeries(metric, ring.kind, ring.gapFill,
                        TimeSeries.of(start.plus(step.multipliedBy(values.length)), step), List.of());
            }
            ring.gapFill.fill(values);
        }
        return new MonitoredSeries(metric, ring.kind, ring.gapFill, TimeSeries.of(start, step, values), gaps);
    }

    /**
     * The start of the metric's first bucket not yet closed: every bucket before it is closed, so a
     * {@linkplain #seed(MetricKey, TimeSeries) seed} must end at or before it. It moves on with the clock
     * (and with observations), never back.
     *
     * @param metric a registered metric
     * @return the start of the first open bucket
     * @throws IllegalArgumentException if the metric is unknown
     */
    public Instant closedBefore(MetricKey metric) {
        BucketRing ring = ring(metric);
        long now = clockNanos();
        ring.lock.lock();
        try {
            ring.advance(now);
            return Nanos.bucketStart(ring.closedEnd(), ring.stepNanos());
        } finally {
            ring.lock.unlock();
        }
    }

    /**
     * The cumulative counts and memory of one metric.
     *
     * @param metric a registered metric
     * @return its statistics
     * @throws IllegalArgumentException if the metric is unknown
     */
    public MetricStats stats(MetricKey metric) {
        BucketRing ring = ring(metric);
        long now = clockNanos();
        ring.lock.lock();
        try {
            ring.advance(now);
            return ring.stats();
        } finally {
            ring.lock.unlock();
        }
    }

    /** @return the statistics of every registered metric, in registration order */
    public Map<MetricKey, MetricStats> stats() {
        Map<MetricKey, MetricStats> all = new LinkedHashMap<>();
        for (MetricKey key : rings.keySet()) {
            all.put(key, stats(key));
        }
        return Collections.unmodifiableMap(all);
    }

    /** @return how many observations named a metric that was never registered */
    public long unknownMetricRejections() {
        return unknownMetric.get();
    }

    /** @return the registered metrics, in registration order */
    public Set<MetricKey> metrics() {
        return rings.keySet();
    }

    /**
     * How a metric's empty buckets are filled, as registered.
     *
     * @param metric a registered metric
     * @return its gap policy
     * @throws IllegalArgumentException if the metric is unknown
     */
    public GapFill gapFill(MetricKey metric) {
        return ring(metric).gapFill;
    }

    /** @return the width of one bucket */
    public Duration step() {
        return step;
    }

    /** @return how far behind the latest time an observation may be and still be merged */
    public Duration latenessWindow() {
        return lateness;
    }

    /** @return how much closed history each metric keeps */
    public Duration retention() {
        return retention;
    }

    private BucketRing ring(MetricKey metric) {
        Objects.requireNonNull(metric, "metric");
        BucketRing ring = rings.get(metric);
        if (ring == null) {
            throw new IllegalArgumentException(unknownMessage(metric));
        }
        return ring;
    }

    private String unknownMessage(MetricKey metric) {
        return String.format(Locale.ROOT, "unknown metric %s; registered metrics are %s", metric, rings.keySet());
    }

    /** @return the rejection for an invalid observation (counted), or null if it is valid */
    private @Nullable Rejection validate(Observation o, @Nullable BucketRing ring, long nowNanos) {
        if (ring == null) {
            unknownMetric.incrementAndGet();
            return new Rejection(o, RejectReason.UNKNOWN_METRIC, unknownMessage(o.metric()));
        }
        double v = o.value();
        RejectReason reason = valueReason(v, ring);
        String problem;
        if (reason != null) {
            problem = valueProblem(reason);
        } else if (!Nanos.inRange(o.time())) {
            reason = RejectReason.TIME_OUT_OF_RANGE;
            problem = "has a time outside the supported range (1678 to 2262)";
        } else if (Nanos.toNanos(o.time()) > Nanos.saturatedSum(nowNanos, futureToleranceNanos)) {
            reason = RejectReason.TOO_FAR_IN_FUTURE;
            problem = String.format(Locale.ROOT, "is more than %s ahead of the clock (%s)",
                    Duration.ofNanos(futureToleranceNanos), Nanos.bucketStart(nowNanos, 1));
        } else {
            return null;
        }
        ring.countInvalid(reason);
        return new Rejection(o, reason, String.format(Locale.ROOT,
                "value %s of metric %s at %s %s", v, o.metric(), o.time(), problem));
    }

    /** @return why a value may not be recorded for the ring's metric, or null if it may; shared by record and seed */
    private static @Nullable RejectReason valueReason(double v, BucketRing ring) {
        if (!Double.isFinite(v)) {
            return RejectReason.NOT_FINITE;
        } else if (Math.abs(v) > MAX_ABS_VALUE) {
            return RejectReason.TOO_LARGE;
        } else if (v < 0 && ring.kind == MetricKind.COUNTER) {
            return RejectReason.NEGATIVE_COUNTER;
        } else if (v < 0 && ring.resource) {
            return RejectReason.NEGATIVE_USAGE;
        }
        return null;
    }

    private static String valueProblem(RejectReason reason) {
        switch (reason) {
            case NOT_FINITE:
                return "is not finite";
            case TOO_LARGE:
                return "exceeds the largest magnitude accepted, " + MAX_ABS_VALUE;
            case NEGATIVE_COUNTER:
                return "is negative; a counter counts events";
            case NEGATIVE_USAGE:
                return "is negative; it is the use of a resource, which cannot be";
            default:
                throw new AssertionError(reason);
        }
    }

    private Rejection lateRejection(Observation o, BucketRing ring) {
        return new Rejection(o, RejectReason.LATE, String.format(Locale.ROOT,
                "value %s of metric %s at %s is late: buckets before %s are closed (lateness window %s)",
                o.value(), o.metric(), o.time(), Nanos.bucketStart(ring.closedEnd(), ring.stepNanos()), lateness));
    }

    private long clockNanos() {
        Instant now = clock.instant();
        if (!Nanos.inRange(now)) {
            throw new IllegalStateException("the clock's time " + now + " is outside the supported range (1678 to 2262)");
        }
        return Nanos.toNanos(now);
    }

    /**
     * Configures an {@link ActivityMonitor}. Every metric must be registered here: observations of any
     * other metric are rejected with {@link RejectReason#UNKNOWN_METRIC}. Not thread-safe; the monitor
     * it builds is.
     */
    public static final class Builder {
        private Duration step = Duration.ofMinutes(1);
        private Duration lateness = Duration.ofMinutes(5);
        private Duration retention = Duration.ofDays(7);
        private long futureToleranceNanos = Long.MAX_VALUE;
        private Clock clock = Clock.systemUTC();
        private Consumer<Rejection> listener = r -> { };
        private final Map<MetricKey, MetricKind> kinds = new LinkedHashMap<>();
        private final Map<MetricKey, GapFill> fills = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the bucket width.
         *
         * @param step positive, a whole number of nanoseconds; one minute by default
         * @return this builder
         */
        public Builder step(Duration step) {
            this.step = Nanos.positive("step", step);
            return this;
        }

        /**
         * Sets how far behind the latest time seen an observation may be and still be merged.
         *
         * @param lateness zero or positive; five minutes by default
         * @return this builder
         */
        public Builder latenessWindow(Duration lateness) {
            this.lateness = Checks.nonNegative("lateness", lateness);
            return this;
        }

        /**
         * Sets how much closed history each metric keeps.
         *
         * @param retention at least one step; seven days by default
         * @return this builder
         */
        public Builder retention(Duration retention) {
            this.retention = Nanos.positive("retention", retention);
            return this;
        }

        /**
         * Rejects observations further ahead of the clock than this with
         * {@link RejectReason#TOO_FAR_IN_FUTURE}, so that one bad timestamp cannot close every open
         * bucket. Unbounded by default, so that history can be replayed into a monitor whose clock stands
         * at the start of it (see Lateness). A monitor fed live, on a clock that keeps time, should bound it:
         * an observation ahead of the clock moves the metric's watermark with it, so one a year ahead closes
         * every bucket of the coming year (each later observation is late) and evicts the retained history.
         * One step is a sound bound: a source whose clock runs ahead by less than a bucket is still taken,
         * and an observation a step ahead closes at most the bucket the clock is about to close and evicts at
         * most one bucket of history. {@code FleetPredictor}'s own monitor uses one step.
         *
         * @param tolerance zero or positive
         * @return this builder
         */
        public Builder futureTolerance(Duration tolerance) {
            Checks.nonNegative("tolerance", tolerance);
            this.futureToleranceNanos = tolerance.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0
                    ? Long.MAX_VALUE : tolerance.toNanos();
            return this;
        }

        /**
         * Sets the clock that closes buckets when no observation advances time.
         *
         * @param clock the clock; the UTC system clock by default
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets a listener for every late observation and every invalid observation of a batch (invalid
         * observations passed to {@link ActivityMonitor#record} are thrown instead). It runs on the
         * recording thread, outside the monitor's locks; an exception it throws reaches the caller after
         * the observations have been applied.
         *
         * @param listener the listener; none by default
         * @return this builder
         */
        public Builder onRejected(Consumer<Rejection> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Registers a metric with its kind's {@linkplain MetricKind#defaultGapFill default gap policy}.
         *
         * @param metric the metric, not yet registered
         * @param kind how its observations merge
         * @return this builder
         */
        public Builder metric(MetricKey metric, MetricKind kind) {
            Objects.requireNonNull(kind, "kind");
            return metric(metric, kind, kind.defaultGapFill());
        }

        /**
         * Registers a metric.
         *
         * @param metric the metric, not yet registered
         * @param kind how its observations merge
         * @param gapFill how its empty buckets are filled
         * @return this builder
         * @throws IllegalArgumentException if the metric is already registered
         */
        public Builder metric(MetricKey metric, MetricKind kind, GapFill gapFill) {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(gapFill, "gapFill");
            if (kinds.containsKey(metric)) {
                throw new IllegalArgumentException("metric " + metric + " is already registered");
            }
            kinds.put(metric, kind);
            fills.put(metric, gapFill);
            return this;
        }

        /**
         * Builds the monitor.
         *
         * @return the monitor
         * @throws IllegalArgumentException if no metric is registered, the retention is shorter than a
         *     step, or a metric would need more than {@link ActivityMonitor#MAX_BUCKETS} buckets
         */
        public ActivityMonitor build() {
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("no metric registered; call metric(key, kind) at least once");
            }
            if (retention.compareTo(step) < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "retention %s must be at least one step %s", retention, step));
            }
            long stepNanos = step.toNanos();
            long retentionBuckets = Nanos.ceilDiv(retention, stepNanos);
            long latenessBuckets = Nanos.ceilDiv(lateness, stepNanos);
            long capacity = retentionBuckets + latenessBuckets + 1;
            if (capacity > MAX_BUCKETS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "retention %s plus lateness %s at step %s needs %d buckets per metric; the limit is %d",
                        retention, lateness, step, capacity, MAX_BUCKETS));
            }
            Map<MetricKey, BucketRing> rings = new LinkedHashMap<>();
            kinds.forEach((key, kind) -> rings.put(key, new BucketRing(key, kind, Objects.requireNonNull(fills.get(key)), stepNanos,
                    lateness.toNanos(), (int) retentionBuckets, (int) capacity)));
            return new ActivityMonitor(this, Collections.unmodifiableMap(rings));
        }
    }
}
