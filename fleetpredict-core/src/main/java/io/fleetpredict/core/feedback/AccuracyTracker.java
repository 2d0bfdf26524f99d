package io.fleetpredict.core.feedback;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Tracks how predictions fare as actuals arrive, per {@link AccuracyKey}: MAE, MAPE, MASE, bias, interval
 * coverage, and the provisioning view (time and amount under-provisioned, cost of over-provisioning), with a
 * {@link CusumDriftDetector} on each series' scaled errors.
 *
 * <p>Memory is bounded: each series keeps running sums, a ring of its last {@code window} absolute errors
 * and a ring of its last seasonal period of actuals (for the MASE scale when none was registered), and the
 * number of series is capped by {@code maxSeries}: a new series beyond it is refused with a
 * {@link TooManySeriesException}, which names it and the limit. The rings grow as values arrive, so a series
 * takes memory for the values it holds, up to its window and period, not for its window up front: many series
 * of few values each stay small.
 *
 * <p>Thread-safe: series are independent and each is updated under its own lock.
 */
public final class AccuracyTracker {
    private static final Logger LOG = LoggerFactory.getLogger(AccuracyTracker.class);

    private final Clock clock;
    private final int window;
    private final int period;
    private final int maxSeries;
    private final @Nullable Supplier<CusumDriftDetector> detectors;
    private final Map<AccuracyKey, SeriesStats> series = new ConcurrentHashMap<>();

    private AccuracyTracker(Builder b) {
        this.clock = b.clock;
        this.window = b.window;
        this.period = b.period;
        this.maxSeries = b.maxSeries;
        this.detectors = b.detectors;
    }

    /**
     * Starts a tracker.
     *
     * @return a builder with a window of 288 errors, seasonal period 1, at most 100,000 series, the
     *     {@link CusumDriftDetector#defaults()} detector and the UTC system clock
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a series with a known MASE scale, usually the in-sample mean absolute seasonal difference of
     * the history the model was fitted on. A series recorded without registration estimates its scale online.
     *
     * @param key the series
     * @param maseScale the scale, finite and positive
     * @throws IllegalStateException when the series was already recorded or registered
     * @throws TooManySeriesException when the series is new and {@code maxSeries} series are already tracked
     */
    public void register(AccuracyKey key, double maseScale) {
        Objects.requireNonNull(key, "key");
        if (!Double.isFinite(maseScale) || maseScale <= 0) {
            throw new IllegalArgumentException("maseScale: must be finite and positive, was " + maseScale);
        }
        if (series.containsKey(key)) {
            throw new IllegalStateException("key: " + key + " is already tracked");
        }
        checkCapacity(key);
        if (series.putIfAbsent(key, newStats(key, maseScale)) != null) {
            throw new IllegalStateException("key: " + key + " is already tracked");
        }
    }

    /**
     * Records one actual against what was predicted and provisioned for it.
     *
     * @param key the series
     * @param predicted what was predicted for the step
     * @param actual the observed value, finite
     * @param step how long the step lasted, positive (weights the provisioning figures)
     * @return the error and whether drift was flagged
     * @throws IllegalArgumentException naming the series and the values when {@code actual} is not finite,
     *     {@code step} not positive, or a figure of the series would no longer be finite (values near the
     *     largest double); nothing is recorded then
     * @throws TooManySeriesException when {@code key} is a new series and {@code maxSeries} series are already
     *     tracked; nothing is recorded then
     */
    public Recorded record(AccuracyKey key, PredictedPoint predicted, double actual, Duration step) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(predicted, "predicted");
        if (!Double.isFinite(actual)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "actual: must be finite, was %s (%s)",
                    actual, key));
        }
        Objects.requireNonNull(step, "step");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "step: must be positive, was %s (%s)",
                    step, key));
        }
        SeriesStats stats = series.get(key);
        Recorded r;
        if (stats == null) {
            checkCapacity(key);
            // A new series is tracked only once its first actual was recorded, so a refused one leaves none.
            SeriesStats fresh = newStats(key, 0);
            r = fresh.record(predicted, actual, step);
            SeriesStats raced = series.putIfAbsent(key, fresh);
            if (raced != null) {
                r = raced.record(predicted, actual, step);
            }
        } else {
            r = stats.record(predicted, actual, step);
        }
        if (r.drift()) {
            LOG.warn("drift flagged on {}: error {} (scaled {})", key, r.error(), r.scaledError());
        }
        return r;
    }

    /**
     * Restarts the drift detector of a series (after its model was retrained), keeping its accuracy figures.
     *
     * @param key the series
     */
    public void resetDrift(AccuracyKey key) {
        SeriesStats stats = series.get(Objects.requireNonNull(key, "key"));
        if (stats != null) {
            stats.resetDetector();
        }
    }

    /**
     * Takes the report of every series.
     *
     * @return the report, ordered by service (fleet first), resource and horizon
     */
    public AccuracyReport report() {
        Comparator<AccuracyKey> order = Comparator
                .comparing((AccuracyKey k) -> k.service() == null ? "" : "~" + k.service())
                .thenComparing(AccuracyKey::resource)
                .thenComparing(AccuracyKey::horizon);
        return new AccuracyReport(clock.instant(), series.values().stream().map(SeriesStats::snapshot)
                .sorted(Comparator.comparing(KeyAccuracy::key, order)).toList());
    }

    private SeriesStats newStats(AccuracyKey key, double scale) {
        return new SeriesStats(key, scale, window, period, detectors == null ? null : detectors.get());
    }

    private void checkCapacity(AccuracyKey key) {
        if (series.size() >= maxSeries) {
            throw new TooManySeriesException(key, maxSeries);
        }
    }

    /** Configures an {@link AccuracyTracker}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int window = 288;
        private int period = 1;
        private int maxSeries = 100_000;
        private @Nullable Supplier<CusumDriftDetector> detectors = CusumDriftDetector::defaults;

        private Builder() {}

        /**
         * Sets the clock that stamps reports.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how many recent errors each series keeps for its recent MAE.
         *
         * @param window at least 0
         * @return this builder
         */
        public Builder window(int window) {
            if (window < 0) {
                throw new IllegalArgumentException("window: must not be negative, was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * Sets the seasonal period of the online MASE scale.
         *
         * @param period at least 1
         * @return this builder
         */
        public Builder seasonalPeriod(int period) {
            if (period < 1) {
                throw new IllegalArgumentException("period: must be at least 1, was " + period);
            }
            this.period = period;
            return this;
        }

        /**
         * Caps the number of series tracked: a new series beyond the cap is refused with a
         * {@link TooManySeriesException}.
         *
         * @param maxSeries at least 1
         * @return this builder
         */
        public Builder maxSeries(int maxSeries) {
            if (maxSeries < 1) {
                throw new IllegalArgumentException("maxSeries: must be at least 1, was " + maxSeries);
            }
            this.maxSeries = maxSeries;
            return this;
        }

        /**
         * Sets where each series' drift detector comes from. A detector raises no alarm while it calibrates: with
         * {@link CusumDriftDetector#defaults()}, the first 200 errors of each series, and again after each
         * {@link AccuracyTracker#resetDrift}. That is 200 of the series' steps: 16 h 40 min at five-minute steps,
         * 50 hours at 15-minute steps, 8.3 days of hourly steps. A host that wants alarms sooner, or that restarts
         * more often than that (the tracker is not persisted, so each start calibrates afresh), gives a shorter
         * calibration, such as one day of steps: {@code () -> new CusumDriftDetector(0.5, 8, 12, 96)} at 15-minute
         * steps. Fewer calibration errors estimate the errors' spread less well, so the false-alarm rate is then
         * above the one measured for the defaults ({@link CusumDriftDetector#DEFAULT_FALSE_ALARM_RATE}).
         *
         * @param detectors a fresh detector per call
         * @return this builder
         */
        public Builder driftDetectors(Supplier<CusumDriftDetector> detectors) {
            this.detectors = Objects.requireNonNull(detectors, "detectors");
            return this;
        }

        /**
         * Switches drift detection off.
         *
         * @return this builder
         */
        public Builder withoutDriftDetection() {
            this.detectors = null;
            return this;
        }

        /**
         * Builds the tracker.
         *
         * @return the tracker
         */
        public AccuracyTracker build() {
            return new AccuracyTracker(this);
        }
    }
}
