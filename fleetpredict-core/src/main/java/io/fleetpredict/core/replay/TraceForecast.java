package io.fleetpredict.core.replay;

import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the predictive policies forecast a trace as it is replayed: demand is summed into buckets
 * (5 minutes by default, or the trace's step if longer), a model with daily and weekly seasonality is
 * chosen on the warm-up alone, refitted on a schedule over a bounded recent window and updated online
 * with every new bucket in between.
 *
 * <p>The model is chosen once, among MSTL (daily and weekly periods) with the Theta method or the
 * random walk for the seasonally adjusted series, each on the raw or the log scale, by the mean absolute
 * error of its point forecast one bucket ahead over the last day of the warm-up, forecast from a fit on
 * the days before. Quantiles are empirical: the point forecast times the matching quantile of the last
 * 7 days' ratios of actual to forecast at the same horizon (recomputed hourly, seeded from the warm-up),
 * which stays calibrated where the model's own intervals, fitted on a trace whose scale changes a
 * hundredfold, would not. Within a bucket demand peaks above the bucket's mean; the warm-up's 90th
 * percentile of (highest step / mean step) per bucket scales bucket forecasts to steps.
 *
 * <p>Known events (an event feed's campaigns and news, such as a match schedule) are calibrated apart:
 * a bucket that overlaps an event window, widened by {@link #EVENT_MARGIN} on each side, is forecast as
 * the point forecast times the quantiles of the actual-over-forecast ratios of the same event type's
 * earlier buckets, and those buckets' ratios stay out of the ordinary calibration. An event type with
 * fewer than 10 such ratios at a horizon (its first occurrence) uses the ordinary quantiles times its
 * declared demand multiplier, or 1 when none is declared. The schedule is known in advance; the ratios
 * come only from complete buckets before the forecast's origin.
 *
 * <p>Forecasts depend only on the trace's past (and the schedule), not on a policy's decisions, so one instance shared by
 * several policies (a sweep over quantiles) computes them once per replay and hands them to all.
 * Thread-safe.
 */
public final class TraceForecast {

    /** The quantiles a predictive policy may provision at: the point forecast and six interval bounds. */
    static final double[] QUANTILES = {0.5, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995};

    /** How far before its start and after its end an event window counts: crowds gather and linger. */
    public static final Duration EVENT_MARGIN = Duration.ofMinutes(15);

    /** Fewer ratios than this at a horizon leave a quantile uncalibrated. */
    private static final int MIN_RATIOS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(TraceForecast.class);

    private final Duration bucket;
    private final Duration refitEvery;
    private final Duration window;
    private final List<FleetEvent> events;
    private final Map<Object, Track> tracks = new WeakHashMap<>();

    private TraceForecast(Builder b) {
        this.bucket = b.bucket;
        this.refitEvery = b.refitEvery;
        this.window = b.window;
        this.events = List.copyOf(b.events);
    }

    /**
     * Starts building, with 5-minute buckets, a daily refit and a 28-day window.
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
            if (Math.abs(QUANTILES[i] - q) < 1e-9) {
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
        return String.format(Locale.ROOT, "TraceForecast[bucket=%s, refitEvery=%s, window=%s, events=%d]", bucket,
                refitEvery, window, events.size());
    }

    /** The forecasts of one replay, one per bucket boundary, extended on demand as the replay advances. */
    final class Track {
        final int m;
        final int horizon;
        private final int firstStep;
        private final int periodDay;
        private final int refitBuckets;
        private final int windowBuckets;
        private final List<double[]> quantiles = new ArrayList<>();
        private final List<double[]> medians = new ArrayList<>();
        private final double[][] ratios;
        private final int[] ratioCount;
        private final double[][] multipliers;
        private final int calibrationBuckets;
        private final int recalibrateEvery;
        private final double[] bucketSums;
        /** Per bucket, the event type whose widened window it overlaps. */
        private final EventWindows windows;
        private final double[] declared;
        private final double[][][] eventRatios;
        private final int[][] eventRatioCount;
        private final double[][][] eventMultipliers;
        private int originOffset = -1;
        private FittedModel model;
        private boolean logScale;
        private Forecaster forecaster;
        private int lastRefit;
        private int absorbed;
        private double peak = 1;
        private String description = "";

        Track(ReplayContext context) {
            long stepNanos = context.step().toNanos();
            this.m = Math.max(1, (int) Math.ceil(bucket.toNanos() / (double) stepNanos - 1e-9));
            long bucketNanos = stepNanos * m;
            int boot = (int) Math.ceil(context.bootSteps() - 1e-9);
            this.horizon = (2 * m - 2 + boot) / m + 1;
            this.firstStep = context.firstStep();
            this.periodDay = (int) Math.max(1, Math.round(Duration.ofDays(1).toNanos() / (double) bucketNanos));
            this.refitBuckets = (int) Math.max(1, Math.round(refitEvery.toNanos() / (double) bucketNanos));
            this.windowBuckets = (int) Math.max(1, Math.round(window.toNanos() / (double) bucketNanos));
            this.bucketSums = new double[context.steps() / m + 1];
            this.calibrationBuckets = (int) Math.max(48, Math.round(Duration.ofDays(7).toNanos() / (double) bucketNanos));
            this.recalibrateEvery = (int) Math.max(1, Math.round(Duration.ofHours(1).toNanos() / (double) bucketNanos));
            this.ratios = new double[horizon][calibrationBuckets];
            this.ratioCount = new int[horizon];
            this.multipliers = new double[horizon][QUANTILES.length];
            this.windows = new EventWindows(events, context.start(), bucketNanos, bucketSums.length + horizon + 1);
            List<EventType> types = windows.types;
            double[] declaredByType = new double[types.size()];
            Arrays.fill(declaredByType, 1.0);
            for (FleetEvent e : events) {
                int t = types.indexOf(e.type());
                if (t >= 0 && e.expectedImpact() != null && e.expectedImpact().demandMultiplier() != null) {
                    declaredByType[t] = Math.max(declaredByType[t], e.expectedImpact().demandMultiplier());
                }
            }
            this.declared = declaredByType;
            this.eventRatios = new double[types.size()][horizon][calibrationBuckets];
            this.eventRatioCount = new int[types.size()][horizon];
            this.eventMultipliers = new double[types.size()][horizon][QUANTILES.length];
            for (double[][] e : eventMultipliers) {
                for (double[] row : e) {
                    Arrays.fill(row, Double.NaN);
                }
            }
        }

        /** Whether bucket {@code b} overlaps a known event's widened window. */
        synchronized boolean inEvent(int b) {
            return windows.covers(b);
        }

        /** The quantile {@code qi} of bucket {@code origin + h}, forecast at the start of bucket {@code origin}. */
        synchronized double quantile(FleetView view, int origin, int h, int qi) {
            extendTo(view, origin);
            return quantiles.get(origin - originOffset)[h * QUANTILES.length + qi];
        }

        synchronized double peak() {
            return peak;
        }

        synchronized String description() {
            return description;
        }

        private void extendTo(FleetView view, int origin) {
            if (originOffset < 0) {
                initialise(view, origin);
            }
            while (originOffset + quantiles.size() <= origin) {
                int o = originOffset + quantiles.size();
                absorbBucket(view, o - 1);
                if (o - lastRefit >= refitBuckets) {
                    refit(o);
                } else {
                    model = model.update(TimeSeries.of(model.history().end(), model.history().step(),
                            transform(bucketSums[o - 1])));
                }
                absorbed = o;
                recordErrors(o - 1);
                if ((o - originOffset) % recalibrateEvery == 0) {
                    recalibrate();
                }
                addRow(o, model);
            }
        }

        /** Records how bucket {@code b} compared with the medians forecast for it at each horizon. */
        private void recordErrors(int b) {
            for (int h = 0; h < horizon; h++) {
                int o = b - h;
                if (o < originOffset) {
                    continue;
                }
                double median = medians.get(o - originOffset)[h];
                if (median >= 1) {
                    addRatio(b, h, bucketSums[b] / median);
                }
            }
        }

        /** Records the ratio of bucket {@code b} at horizon {@code h}, with its event type's ratios if it has one. */
        private void addRatio(int b, int h, double ratio) {
            int t = windows.typeAt(b);
            if (t >= 0) {
                eventRatios[t][h][eventRatioCount[t][h] % calibrationBuckets] = ratio;
                eventRatioCount[t][h]++;
            } else {
                ratios[h][ratioCount[h] % calibrationBuckets] = ratio;
                ratioCount[h]++;
            }
        }

        /** Sets each horizon's multipliers to the empirical quantiles of its recent actual-over-median ratios. */
        private void recalibrate() {
            for (int h = 0; h < horizon; h++) {
                quantilesOf(ratios[h], ratioCount[h], multipliers[h], 1);
                for (int t = 0; t < eventRatios.length; t++) {
                    quantilesOf(eventRatios[t][h], eventRatioCount[t][h], eventMultipliers[t][h], Double.NaN);
                }
            }
        }

        /** Sets {@code into} to the empirical quantiles of the last {@code count} ratios, or {@code none} if too few. */
        private void quantilesOf(double[] ring, int count, double[] into, double none) {
            int n = Math.min(count, calibrationBuckets);
            if (n < MIN_RATIOS) {
                Arrays.fill(into, none);
                return;
            }
            double[] sorted = Arrays.copyOf(ring, n);
            Arrays.sort(sorted);
            for (int i = 0; i < QUANTILES.length; i++) {
                int rank = (int) Math.ceil(QUANTILES[i] * n);
                into[i] = Math.max(0, sorted[Math.max(0, Math.min(n - 1, rank - 1))]);
            }
        }

        private void addRow(int origin, FittedModel fitted) {
            double[] median = medianRow(fitted);
            double[] row = new double[horizon * QUANTILES.length];
            for (int h = 0; h < horizon; h++) {
                int b = origin + h;
                int t = windows.typeAt(b);
                for (int i = 0; i < QUANTILES.length; i++) {
                    double k = multipliers[h][i];
                    if (t >= 0) {
                        double learned = eventMultipliers[t][h][i];
                        k = Double.isNaN(learned) ? k * declared[t] : learned;
                    }
                    row[h * QUANTILES.length + i] = median[h] * k;
                }
            }
            medians.add(median);
            quantiles.add(row);
        }

        private void absorbBucket(FleetView view, int b) {
            double sum = 0;
            for (int i = b * m; i < (b + 1) * m; i++) {
                sum += view.demand(i);
            }
            bucketSums[b] = sum;
        }

        private void initialise(FleetView view, int origin) {
            if (origin < 2) {
                throw new IllegalStateException("the predictive policy needs a warm-up of at least two buckets of "
                        + bucket + "; the first decision is at bucket " + origin);
            }
            for (int b = 0; b < origin; b++) {
                absorbBucket(view, b);
            }
            peak = peakFactor(view, Math.min(origin, firstStep / m));
            choose(origin);
            refit(origin);
            absorbed = origin;
            originOffset = origin;
            recalibrate();
            addRow(origin, model);
        }

        /** The 90th percentile over the warm-up's buckets of the highest step over the mean step. */
        private double peakFactor(FleetView view, int buckets) {
            if (m == 1 || buckets == 0) {
                return 1;
            }
            double[] ratios = new double[buckets];
            int count = 0;
            for (int b = 0; b < buckets; b++) {
                double max = 0;
                for (int i = b * m; i < (b + 1) * m; i++) {
                    max = Math.max(max, view.demand(i));
                }
                double mean = bucketSums[b] / m;
                if (mean > 0) {
                    ratios[count++] = max / mean;
                }
            }
            return count == 0 ? 1 : StaticCapacity.percentile(Arrays.copyOf(ratios, count), 90);
        }

        private List<Forecaster> candidates(int length) {
            int[] periods = {periodDay, 7 * periodDay};
            return List.of(Forecasters.mstl(Forecasters.theta(1), periods), Forecasters.mstl(Forecasters.naive(), periods));
        }

        /** Chooses the model and scale on the warm-up's last day, forecast from the days before it. */
        private void choose(int origin) {
            int holdout = Math.min(periodDay, origin / 3);
            int trainEnd = origin - holdout;
            int from = Math.max(0, trainEnd - windowBuckets);
            double best = Double.POSITIVE_INFINITY;
            int qi = 0;
            for (Forecaster candidate : candidates(trainEnd - from)) {
                for (boolean log : new boolean[] {false, true}) {
                    double loss;
                    try {
                        loss = holdoutLoss(candidate, log, from, trainEnd, origin, qi);
                    } catch (RuntimeException e) {
                        LOG.debug("candidate {} (log={}) failed on the warm-up: {}", candidate.name(), log, e.getMessage());
                        continue;
                    }
                    LOG.debug("candidate {} log={} pinball loss {}", candidate.name(), log, loss);
                    if (loss < best) {
                        best = loss;
                        forecaster = candidate;
                        logScale = log;
                    }
                }
            }
            if (forecaster == null) {
                throw new IllegalStateException("no forecasting model could be fitted to the warm-up of " + origin
                        + " buckets");
            }
            holdoutLoss(forecaster, logScale, from, trainEnd, origin, qi);
        }

        /**
         * The mean absolute error of the median one bucket ahead over the holdout; as a side effect, the
         * actual-over-median ratios of the holdout seed the calibration (the last candidate tried that
         * wins keeps them: {@link #choose} re-runs the winner).
         */
        private double holdoutLoss(Forecaster candidate, boolean log, int from, int trainEnd, int origin, int qi) {
            boolean saved = logScale;
            logScale = log;
            try {
                FittedModel fm = candidate.fit(series(from, trainEnd));
                double loss = 0;
                Arrays.fill(ratioCount, 0);
                for (int[] counts : eventRatioCount) {
                    Arrays.fill(counts, 0);
                }
                for (int o = trainEnd; o < origin; o++) {
                    double[] median = medianRow(fm);
                    double y = bucketSums[o];
                    loss += Math.abs(y - median[0]);
                    for (int h = 0; h < horizon && o + h < origin; h++) {
                        if (median[h] >= 1) {
                            addRatio(o + h, h, bucketSums[o + h] / median[h]);
                        }
                    }
                    fm = fm.update(TimeSeries.of(fm.history().end(), fm.history().step(), transform(y)));
                }
                return loss / Math.max(1, origin - trainEnd);
            } finally {
                logScale = saved;
            }
        }

        private void refit(int origin) {
            int from = Math.max(0, origin - windowBuckets);
            model = forecaster.fit(series(from, origin));
            lastRefit = origin;
            description = (logScale ? "log scale; " : "") + model.description();
            LOG.debug("refit at bucket {} on [{}, {}): {}", origin, from, origin, description);
        }

        private TimeSeries series(int from, int to) {
            double[] v = new double[to - from];
            for (int b = from; b < to; b++) {
                v[b - from] = transform(bucketSums[b]);
            }
            return TimeSeries.ofValues(v);
        }

        private double transform(double y) {
            return logScale ? Math.log1p(Math.max(0, y)) : y;
        }

        private double back(double y) {
            return Math.max(0, logScale ? Math.expm1(y) : y);
        }

        /** The point forecasts (medians on the log scale) of the next buckets, on the trace's scale. */
        private double[] medianRow(FittedModel fitted) {
            Forecast f = fitted.forecast(horizon);
            double[] row = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                row[h] = back(f.mean(h));
            }
            return row;
        }
    }

    /** Builds a {@link TraceForecast}; not thread-safe. */
    public static final class Builder {
        private Duration bucket = Duration.ofMinutes(5);
        private Duration refitEvery = Duration.ofDays(1);
        private Duration window = Duration.ofDays(28);
        private List<FleetEvent> events = List.of();

        private Builder() {
        }

        /**
         * Events known in advance, such as a match schedule; none by default. Campaigns and news are
         * calibrated apart (see the class description); maintenance events change capacity, not demand,
         * and are ignored here.
         *
         * @param value the events, typically an {@link io.fleetpredict.core.document.EventFeed}'s
         * @return this builder
         */
        public Builder events(List<FleetEvent> value) {
            this.events = List.copyOf(Objects.requireNonNull(value, "events"));
            return this;
        }

        /**
         * The length of the buckets the model forecasts, rounded up to whole trace steps; 5 minutes by default.
         *
         * @param value positive
         * @return this builder
         */
        public Builder bucket(Duration value) {
            this.bucket = positive(value, "bucket");
            return this;
        }

        /**
         * How often the model is re-estimated; between refits it is updated online. 1 day by default.
         *
         * @param value positive
         * @return this builder
         */
        public Builder refitEvery(Duration value) {
            this.refitEvery = positive(value, "refitEvery");
            return this;
        }

        /**
         * The most recent history a refit uses; 28 days by default.
         *
         * @param value positive
         * @return this builder
         */
        public Builder window(Duration value) {
            this.window = positive(value, "window");
            return this;
        }

        /**
         * Builds the forecast settings.
         *
         * @return a new instance, with its own memo of forecasts
         */
        public TraceForecast build() {
            return new TraceForecast(this);
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
