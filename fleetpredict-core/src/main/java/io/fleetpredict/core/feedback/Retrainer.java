package io.fleetpredict.core.feedback;

import io.fleetpredict.core.feedback.RetrainOutcome.ChallengerFailed;
import io.fleetpredict.core.feedback.RetrainOutcome.FellBack;
import io.fleetpredict.core.feedback.RetrainOutcome.Kept;
import io.fleetpredict.core.feedback.RetrainOutcome.Promoted;
import io.fleetpredict.core.feedback.RetrainOutcome.Refitted;
import io.fleetpredict.core.feedback.RetrainOutcome.Skipped;
import io.fleetpredict.core.feedback.RetrainOutcome.Trigger;
import io.fleetpredict.forecast.Backtest;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.Metric;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one series' model fresh: a champion predicts, challengers are refitted on the recent history on a
 * schedule, on drift or by hand, and one replaces the champion only when it beats it on a rolling-origin
 * backtest by a margin.
 *
 * <p>Predicting never waits: the champion sits in an atomic reference, retrains run on the injected
 * executor and swap their result in atomically. A challenger that throws or forecasts non-finite values is
 * never promoted. A champion that throws or forecasts non-finite values is replaced by the last good model
 * (brought up to date with the recent history) and, without one, by a reactive-only model (a seasonal
 * naive forecast of the recent history), which {@link Prediction#reactiveOnly()} and
 * {@link RetrainerStatus#reactiveOnly()} flag; both are logged at WARN.
 *
 * <p>{@link #forecast}, {@link #status} and {@link #retrain} may be called from any thread;
 * {@link #observe} from one thread at a time (the one feeding actuals).
 */
public final class Retrainer {
    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);
    private static final int KEPT_OUTCOMES = 32;

    private final List<Forecaster> candidates;
    private final Executor executor;
    private final Clock clock;
    private final Duration schedule;
    private final int window;
    private final int backtestHorizon;
    private final int backtestOrigins;
    private final int backtestStride;
    private final int period;
    private final Metric metric;
    private final double margin;
    private final Forecaster reactive;
    private final CusumDriftDetector detector;
    private final boolean retrainOnDrift;
    private final int driftSettle;

    private final AtomicReference<State> state;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean resetDetector = new AtomicBoolean();
    private final Deque<RetrainOutcome> outcomes = new ArrayDeque<>();
    private volatile Instant lastRetrainAt;
    private Instant nextScheduled;
    /** Observations still to wait before the retrain a drift flag asked for; -1 when none is pending. */
    private int pendingDrift = -1;

    /** What predicts now; replaced whole, never mutated. */
    private record State(FittedModel champion, FittedModel lastGood, boolean reactiveOnly, TimeSeries recent,
            double nextMean) {}

    private Retrainer(Builder b) {
        this.candidates = List.copyOf(b.candidates);
        this.executor = Objects.requireNonNull(b.executor, "executor");
        this.clock = b.clock;
        this.schedule = b.schedule;
        this.window = b.window;
        this.backtestHorizon = b.backtestHorizon;
        this.backtestOrigins = b.backtestOrigins;
        this.backtestStride = b.backtestStride;
        this.period = b.period;
        this.metric = b.metric;
        this.margin = b.margin;
        this.reactive = b.reactive != null ? b.reactive
                : period > 1 ? Forecasters.seasonalNaive(period) : Forecasters.naive();
        this.detector = b.detectors == null ? null : b.detectors.get();
        this.retrainOnDrift = b.retrainOnDrift;
        this.driftSettle = b.driftSettle;
        FittedModel champion = Objects.requireNonNull(b.champion, "champion");
        TimeSeries history = champion.history();
        TimeSeries recent = history.size() > window ? history.tail(window) : history;
        this.state = new AtomicReference<>(new State(champion, null, false, recent, oneStep(champion)));
        this.nextScheduled = schedule == null ? null : clock.instant().plus(schedule);
    }

    /**
     * Starts a retrainer.
     *
     * @return a builder; {@link Builder#champion}, {@link Builder#executor} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Forecasts with the champion, falling back if it fails. Never waits for a retrain.
     *
     * @param horizon steps ahead, at least 1
     * @param levels interval levels in percent
     * @return the forecast and whether it is reactive-only
     */
    public Prediction forecast(int horizon, double... levels) {
        State s = state.get();
        String failure;
        try {
            Forecast f = s.champion().forecast(horizon, levels);
            if (finite(f)) {
                return new Prediction(f, s.champion().description(), s.reactiveOnly());
            }
            failure = "forecast of " + s.champion().description() + " is not finite";
        } catch (RuntimeException e) {
            failure = "forecast of " + s.champion().description() + " failed: " + e.getMessage();
        }
        State fallback = fallBack(s, s.recent(), failure);
        state.compareAndSet(s, fallback);
        return new Prediction(fallback.champion().forecast(horizon, levels), fallback.champion().description(),
                fallback.reactiveOnly());
    }

    /**
     * Absorbs the next actual: scores the last one-step forecast, feeds the drift detector, updates the
     * champion's state, and starts a retrain when drift is flagged or the schedule is due.
     *
     * @param actual the value that followed the history, finite
     * @return the one-step error and what it set off
     */
    public Observed observe(double actual) {
        if (!Double.isFinite(actual)) {
            throw new IllegalArgumentException("actual: must be finite, was " + actual);
        }
        if (detector != null && resetDetector.getAndSet(false)) {
            detector.reset();
        }
        State s;
        State next;
        do {
            s = state.get();
            TimeSeries recent = s.recent().append(actual);
            if (recent.size() > window) {
                recent = recent.tail(window);
            }
            next = absorb(s, recent, actual);
        } while (!state.compareAndSet(s, next));
        double error = actual - s.nextMean();
        boolean drift = detector != null && Double.isFinite(error) && detector.add(error);
        boolean started = false;
        if (drift) {
            LOG.warn("drift flagged on {}: one-step error {}", s.champion().description(), error);
            if (retrainOnDrift && pendingDrift < 0) {
                pendingDrift = driftSettle;
            }
        }
        if (pendingDrift == 0) {
            pendingDrift = -1;
            started = start(Trigger.DRIFT);
        } else if (pendingDrift > 0) {
            pendingDrift--;
        }
        Instant now = clock.instant();
        if (!started && nextScheduled != null && !now.isBefore(nextScheduled)) {
            nextScheduled = now.plus(schedule);
            started = start(Trigger.SCHEDULE);
        }
        return new Observed(error, drift, started);
    }

    /**
     * Starts a retrain now, off the caller's thread.
     *
     * @return the outcome when the retrain is done; {@link Skipped} at once when another is running or the
     *     executor refuses the work
     */
    public CompletableFuture<RetrainOutcome> retrain() {
        return retrain(Trigger.MANUAL);
    }

    /**
     * Reports what predicts now and what happened lately.
     *
     * @return the status
     */
    public RetrainerStatus status() {
        State s = state.get();
        List<RetrainOutcome> recent;
        synchronized (outcomes) {
            recent = List.copyOf(outcomes);
        }
        return new RetrainerStatus(s.champion().description(), s.reactiveOnly(),
                s.lastGood() == null ? null : s.lastGood().description(), running.get(), lastRetrainAt, recent);
    }

    private boolean start(Trigger trigger) {
        CompletableFuture<RetrainOutcome> f = retrain(trigger);
        return !(f.isDone() && f.join() instanceof Skipped);
    }

    private CompletableFuture<RetrainOutcome> retrain(Trigger trigger) {
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(new Skipped(trigger, "a retrain is already running"));
        }
        State snapshot = state.get();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    RetrainOutcome outcome = run(trigger, snapshot);
                    lastRetrainAt = clock.instant();
                    remember(outcome);
                    return outcome;
                } finally {
                    running.set(false);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            running.set(false);
            RetrainOutcome outcome = new Skipped(trigger, "the executor refused the retrain: " + e.getMessage());
            LOG.warn("retrain skipped: {}", outcome);
            remember(outcome);
            return CompletableFuture.completedFuture(outcome);
        }
    }

    private RetrainOutcome run(Trigger trigger, State snapshot) {
        TimeSeries history = snapshot.recent();
        Forecaster championSpec = snapshot.champion().forecaster();
        Map<String, Forecaster> specs = new LinkedHashMap<>();
        specs.put(championSpec.name(), championSpec);
        candidates.forEach(c -> specs.putIfAbsent(c.name(), c));

        double championScore = Double.POSITIVE_INFINITY;
        FittedModel refitted = null;
        FittedModel best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        List<String> failures = new ArrayList<>();
        for (Forecaster spec : specs.values()) {
            boolean isChampion = spec == championSpec;
            try {
                double score = Backtest.rollingOrigin(history, spec, backtestHorizon, backtestOrigins,
                        backtestStride, period).mean(metric);
                if (!Double.isFinite(score)) {
                    throw new IllegalStateException("backtest " + metric + " is " + score);
                }
                FittedModel fitted = spec.fit(history);
                if (!finite(fitted.forecast(backtestHorizon))) {
                    throw new IllegalStateException("forecast is not finite");
                }
                LOG.debug("retrain {}: {} scored {} {}", trigger, spec.name(), metric, score);
                if (isChampion) {
                    championScore = score;
                    refitted = fitted;
                } else if (score < bestScore) {
                    bestScore = score;
                    best = fitted;
                }
            } catch (RuntimeException e) {
                failures.add(spec.name() + (isChampion ? " (champion)" : "") + ": " + e.getMessage());
            }
        }
        if (refitted == null && best == null) {
            LOG.warn("retrain {}: every candidate failed, keeping {}: {}", trigger,
                    snapshot.champion().description(), failures);
            return new ChallengerFailed(trigger, failures);
        }
        if (!failures.isEmpty()) {
            LOG.warn("retrain {}: candidates failed and were left out: {}", trigger, failures);
        }
        if (best != null && bestScore < championScore * (1 - margin)) {
            String previous = state.get().champion().description();
            if (install(best, false)) {
                LOG.debug("retrain {}: promoted {} ({} {}) over {} ({})", trigger, best.description(), metric,
                        bestScore, previous, championScore);
                return new Promoted(trigger, previous, best.description(), championScore, bestScore);
            }
            return new Kept(trigger, "the challenger failed to absorb the latest observations", championScore,
                    bestScore);
        }
        if (refitted != null && install(refitted, snapshot.reactiveOnly())) {
            return new Refitted(trigger, refitted.description(), championScore, bestScore);
        }
        return new Kept(trigger, refitted == null ? "the champion could not be refitted" 
                : "the refitted champion failed to absorb the latest observations", championScore, bestScore);
    }

    /** Swaps in a model fitted on an earlier snapshot, bringing it up to date first. */
    private boolean install(FittedModel model, boolean reactiveOnly) {
        while (true) {
            State s = state.get();
            FittedModel current;
            try {
                current = catchUp(model, s.recent());
                if (!finite(current.forecast(1))) {
                    return false;
                }
            } catch (RuntimeException e) {
                LOG.warn("a retrained model failed to absorb the latest observations: {}", e.getMessage());
                return false;
            }
            FittedModel lastGood = s.reactiveOnly() ? s.lastGood() : s.champion();
            if (state.compareAndSet(s, new State(current, lastGood, reactiveOnly, s.recent(), oneStep(current)))) {
                resetDetector.set(true);
                return true;
            }
        }
    }

    private State absorb(State s, TimeSeries recent, double actual) {
        String failure;
        try {
            FittedModel updated = s.champion().update(TimeSeries.of(s.recent().end(), s.recent().step(), actual));
            double next = oneStep(updated);
            if (Double.isFinite(next)) {
                return new State(updated, s.lastGood(), s.reactiveOnly(), recent, next);
            }
            failure = "forecast of " + updated.description() + " is not finite";
        } catch (RuntimeException e) {
            failure = "update of " + s.champion().description() + " failed: " + e.getMessage();
        }
        return fallBack(s, recent, failure);
    }

    private State fallBack(State s, TimeSeries recent, String failure) {
        if (s.lastGood() != null) {
            try {
                FittedModel m = catchUp(s.lastGood(), recent);
                double next = oneStep(m);
                if (Double.isFinite(next)) {
                    fellBack(new FellBack(failure, m.description(), false));
                    return new State(m, null, false, recent, next);
                }
            } catch (RuntimeException e) {
                LOG.warn("the last good model {} failed too: {}", s.lastGood().description(), e.getMessage());
            }
        }
        FittedModel m;
        try {
            m = reactive.fit(recent);
        } catch (RuntimeException e) {
            m = Forecasters.naive().fit(recent);
        }
        fellBack(new FellBack(failure, m.description(), true));
        return new State(m, null, true, recent, oneStep(m));
    }

    private void fellBack(FellBack outcome) {
        LOG.warn("champion failed ({}); now predicting with {}{}", outcome.failure(), outcome.model(),
                outcome.reactiveOnly() ? " (reactive only)" : "");
        remember(outcome);
    }

    private void remember(RetrainOutcome outcome) {
        synchronized (outcomes) {
            if (outcomes.size() == KEPT_OUTCOMES) {
                outcomes.removeFirst();
            }
            outcomes.addLast(outcome);
        }
    }

    /** The model brought to the end of {@code recent}: updated with what it has not seen, or refitted. */
    private static FittedModel catchUp(FittedModel model, TimeSeries recent) {
        Instant end = model.history().end();
        if (end.equals(recent.end())) {
            return model;
        }
        if (end.isBefore(recent.start()) || end.isAfter(recent.end())
                || !model.history().step().equals(recent.step())) {
            return model.forecaster().fit(recent);
        }
        Duration since = Duration.between(recent.start(), end);
        long index = since.dividedBy(recent.step());
        if (!recent.step().multipliedBy(index).equals(since)) {
            return model.forecaster().fit(recent);
        }
        return model.update(recent.slice((int) index, recent.size()));
    }

    private static double oneStep(FittedModel model) {
        try {
            return model.forecast(1).mean(0);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static boolean finite(Forecast f) {
        for (double v : f.mean()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        for (double level : f.levels()) {
            for (double v : f.lower(level)) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            for (double v : f.upper(level)) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Configures a {@link Retrainer}. */
    public static final class Builder {
        private FittedModel champion;
        private List<Forecaster> candidates = List.of();
        private Executor executor;
        private Clock clock = Clock.systemUTC();
        private Duration schedule;
        private int window = 1000;
        private int backtestHorizon = 1;
        private int backtestOrigins = 5;
        private int backtestStride = 1;
        private int period = 1;
        private Metric metric = Metric.MASE;
        private double margin = 0.05;
        private Forecaster reactive;
        private Supplier<CusumDriftDetector> detectors = CusumDriftDetector::defaults;
        private boolean retrainOnDrift = true;
        private int driftSettle;

        private Builder() {}

        /**
         * Sets the model that predicts first; its history seeds the recent window.
         *
         * @param champion a fitted model with finite forecasts
         * @return this builder
         */
        public Builder champion(FittedModel champion) {
            this.champion = Objects.requireNonNull(champion, "champion");
            return this;
        }

        /**
         * Sets the specifications refitted as challengers (the champion's own is always refitted too).
         *
         * @param candidates the challengers
         * @return this builder
         */
        public Builder candidates(List<Forecaster> candidates) {
            this.candidates = List.copyOf(candidates);
            return this;
        }

        /**
         * Sets where retrains run; it must not be the thread that predicts if predictions are never to wait.
         *
         * @param executor an executor, for example a single-thread {@code ExecutorService}
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets the clock the schedule follows.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Retrains every {@code every}, checked at each observation.
         *
         * @param every a positive duration
         * @return this builder
         */
        public Builder schedule(Duration every) {
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("every: must be positive, was " + every);
            }
            this.schedule = every;
            return this;
        }

        /**
         * Sets how many recent observations retrains fit and backtest on.
         *
         * @param window at least 10
         * @return this builder
         */
        public Builder window(int window) {
            if (window < 10) {
                throw new IllegalArgumentException("window: must be at least 10, was " + window);
            }
            this.window = window;
            return this;
        }

        /**
         * Sets the rolling-origin backtest that decides promotions.
         *
         * @param horizon steps scored after each origin, at least 1
         * @param origins origins, at least 1
         * @param stride steps between origins, at least 1
         * @return this builder
         */
        public Builder backtest(int horizon, int origins, int stride) {
            if (horizon < 1 || origins < 1 || stride < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "horizon, origins, stride: must be at least 1, were %d, %d, %d", horizon, origins, stride));
            }
            this.backtestHorizon = horizon;
            this.backtestOrigins = origins;
            this.backtestStride = stride;
            return this;
        }

        /**
         * Sets the seasonal period of the backtest's MASE scale and of the reactive fallback.
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
         * Sets the backtest score to compare (lower is better).
         *
         * @param metric the metric; MASE by default
         * @return this builder
         */
        public Builder metric(Metric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /**
         * Sets how much better a challenger must score: {@code challenger < champion * (1 - margin)}.
         *
         * @param margin in [0, 1)
         * @return this builder
         */
        public Builder margin(double margin) {
            if (!(margin >= 0 && margin < 1)) {
                throw new IllegalArgumentException("margin: must be in [0, 1), was " + margin);
            }
            this.margin = margin;
            return this;
        }

        /**
         * Sets the reactive-only fallback; by default a seasonal naive forecast of the seasonal period.
         *
         * @param reactive a forecaster that fits any short history
         * @return this builder
         */
        public Builder reactive(Forecaster reactive) {
            this.reactive = Objects.requireNonNull(reactive, "reactive");
            return this;
        }

        /**
         * Sets the drift detector watching the champion's one-step errors.
         *
         * @param detectors supplies the detector
         * @param retrainOnDrift whether a flag starts a retrain
         * @return this builder
         */
        public Builder driftDetector(Supplier<CusumDriftDetector> detectors, boolean retrainOnDrift) {
            this.detectors = Objects.requireNonNull(detectors, "detectors");
            this.retrainOnDrift = retrainOnDrift;
            return this;
        }

        /**
         * Sets how many observations a drift-triggered retrain waits for, so the refit sees the new regime:
         * a refit right after a level shift has almost none of the shifted data to learn from. Default 0.
         *
         * @param observations at least 0; one seasonal period is a good choice
         * @return this builder
         */
        public Builder driftSettle(int observations) {
            if (observations < 0) {
                throw new IllegalArgumentException("observations: must not be negative, was " + observations);
            }
            this.driftSettle = observations;
            return this;
        }

        /**
         * Builds the retrainer.
         *
         * @return the retrainer
         * @throws NullPointerException when the champion or the executor is missing
         */
        public Retrainer build() {
            Objects.requireNonNull(champion, "champion");
            Objects.requireNonNull(executor, "executor");
            return new Retrainer(this);
        }
    }
}
