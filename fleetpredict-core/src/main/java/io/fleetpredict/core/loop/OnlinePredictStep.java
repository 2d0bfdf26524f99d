package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.core.predict.FleetModel;
import io.fleetpredict.core.predict.Prediction;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.forecast.ForecastException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The predict step from the live series of an {@link ActivityMonitor}: the near-term states that decide
 * capacity, when {@link FleetPredictor} built the step (see {@link FleetPredictor}), then, with a
 * {@link Predictor}, the fleet model's horizons. For those it fits a {@link FleetModel} on the
 * monitor's history at the first cycle, then each cycle absorbs the buckets closed since
 * ({@link FleetModel#update}) and predicts every horizon from the cycle's time.
 *
 * <p>It refits (on the monitor's whole retained history, which bounds the model's memory) when the
 * schedule says so ({@link Builder#refitEvery}, daily by default), when the event feed changed, when
 * {@link #requestRefit} was called (by {@link AccuracyFeedbackStep} on drift), or when the monitor's
 * history no longer continues the model's (a metric appeared, or cycles stopped for longer than the
 * monitor's retention). Expert overrides, when given, are applied on top of each predicted state; a state
 * whose every fleet-level requirement is switched off is left out.
 *
 * <p>With no usage metric closed yet, or too little history to fit, it predicts nothing (an empty list,
 * which {@link StatefulProjectStep} plans as no change) and says why in {@link #status()}; so it does when
 * no metric of the monitor is a usage at all. A metric of a service whose name starts with a resource but
 * names none of its units ({@code cpu_core}) is refused when the step is built, since the conventions would
 * read it as activity and the step would wait for a usage forever.
 *
 * <p>Thread-safe: cycles through one step run one at a time.
 */
public final class OnlinePredictStep implements PredictStep {

    private static final Logger LOG = LoggerFactory.getLogger(OnlinePredictStep.class);

    /**
     * What the step has done so far.
     *
     * @param fits how many times a model was fitted (the first fit and every refit)
     * @param updates how many cycles absorbed new buckets without refitting
     * @param lastFitAt when the last fit happened, or {@code null} before the first
     * @param lastFitReason why the last fit happened ({@code "first cycle"}, {@code "scheduled"}, the drift
     *     request, ...), or {@code null} before the first
     * @param pendingRefit the reason of a refit requested for the next cycle, or {@code null} when none is
     * @param waiting why the last cycle predicted nothing, or {@code null} when it predicted
     */
    public record Status(int fits, int updates, @Nullable Instant lastFitAt, @Nullable String lastFitReason,
            @Nullable String pendingRefit, @Nullable String waiting) {
    }

    private final ActivityMonitor monitor;
    private final MetricMapping mapping;
    private final @Nullable Predictor predictor;
    private final Supplier<EventFeed> events;
    private final Duration refitEvery;
    private final @Nullable Supplier<OverrideSet> overrides;
    private final @Nullable AuditLog audit;
    private final Clock clock;
    private final @Nullable NearTermPrediction nearTerm;
    private final @Nullable String fleetId;
    private final ReentrantLock lock = new ReentrantLock();

    private @Nullable FleetModel model;
    private @Nullable EventFeed fittedFeed;
    private @Nullable Prediction last;
    private int fits;
    private int updates;
    private @Nullable Instant lastFitAt;
    private @Nullable String lastFitReason;
    private @Nullable String pendingRefit;
    private @Nullable String waiting;

    private OnlinePredictStep(Builder b) {
        this.monitor = b.monitor;
        this.predictor = b.predictor;
        this.mapping = b.mapping;
        this.events = b.events;
        this.refitEvery = b.refitEvery;
        this.overrides = b.overrides;
        this.audit = b.audit;
        this.clock = b.clock;
        this.nearTerm = b.nearTerm;
        this.fleetId = b.fleetId;
    }

    /**
     * Starts building a step.
     *
     * @param monitor where the live series come from
     * @param predictor how models are fitted, or {@code null} for the near-term prediction alone (which only
     *     {@link FleetPredictor} sets up)
     * @return a builder with the naming conventions of {@link MetricMapping}, an empty event feed, a daily
     *     refit and no overrides
     */
    public static Builder builder(ActivityMonitor monitor, @Nullable Predictor predictor) {
        return new Builder(monitor, predictor);
    }

    @Override
    public List<PredictedFleetState> predict(Instant now) {
        Objects.requireNonNull(now, "now");
        lock.lock();
        try {
            Optional<FleetHistory> full = mapping.history(monitor);
            if (full.isEmpty()) {
                return waiting(mapping.anyUsage(monitor.metrics())
                        ? "too little history yet: no usage metric of the monitor has a closed bucket"
                        : "no resource metric: none of the monitor's metrics " + monitor.metrics()
                                + " is a service's use of a resource (named <resource>_<unit>, such as cpu_cores, "
                                + "or mapped with MetricMapping.builder().usage(...))");
            }
            EventFeed feed = Objects.requireNonNull(events.get(), "the event feed supplier returned null");
            List<PredictedFleetState> near = nearTerm == null ? List.of()
                    : nearTerm.predict(full.get(), now, feed.events(), Objects.requireNonNull(fleetId, "fleetId"));
            Predictor fitter = predictor;
            if (fitter == null) {
                waiting = null;
                return overridden(near);
            }
            List<PredictedFleetState> modelled = modelled(fitter, full.get(), feed, now);
            if (modelled == null) {
                return overridden(near);
            }
            List<PredictedFleetState> all = new ArrayList<>(near);
            all.addAll(modelled);
            return overridden(all);
        } finally {
            lock.unlock();
        }
    }

    /** The fleet model's horizons, or {@code null} (with {@link #waiting} said) when it cannot fit yet. */
    private @Nullable List<PredictedFleetState> modelled(Predictor fitter, FleetHistory full, EventFeed feed,
            Instant now) {
        FleetModel current = model;
        String reason = current == null ? "first cycle" : refitReason(now, feed);
        if (current != null && reason == null) {
            Optional<FleetHistory> tail = tail(full, current.history());
            if (tail == null) {
                reason = "the monitor's history no longer continues the model's";
            } else if (tail.isPresent()) {
                current = current.update(tail.get());
                model = current;
                updates++;
            }
        }
        if (current == null || reason != null) {
            try {
                current = fitter.fit(full, feed, now);
                model = current;
            } catch (ForecastException e) {
                LOG.warn("cannot fit the fleet model yet ({}): {}", reason, e.getMessage());
                waiting("cannot fit yet: " + e.getMessage());
                return null;
            }
            fits++;
            fittedFeed = feed;
            lastFitAt = now;
            lastFitReason = reason;
            pendingRefit = null;
            LOG.debug("fleet model fitted at {}: {}", now, reason);
        }
        if (now.isAfter(current.at())) {
            current = current.predictingFrom(now);
            model = current;
        }
        Prediction prediction = current.predict();
        last = prediction;
        waiting = null;
        return prediction.states();
    }

    private List<PredictedFleetState> waiting(String why) {
        waiting = why;
        last = null;
        return List.of();
    }

    /** Why the fitted model is refitted now, or {@code null} when it is updated online. */
    private @Nullable String refitReason(Instant now, EventFeed feed) {
        if (pendingRefit != null) {
            return pendingRefit;
        }
        if (!feed.equals(fittedFeed)) {
            return "the event feed changed";
        }
        Instant fitAt = lastFitAt;
        if (fitAt == null || !now.isBefore(fitAt.plus(refitEvery))) {
            return "scheduled (every " + refitEvery + ")";
        }
        return null;
    }

    /**
     * The part of {@code full} after the end of each series of {@code fitted}: empty when nothing new has
     * closed, {@code null} when {@code full} does not continue {@code fitted}.
     */
    static @Nullable Optional<FleetHistory> tail(FleetHistory full, FleetHistory fitted) {
        if (!full.services().equals(fitted.services()) || !full.step().equals(fitted.step())) {
            return null;
        }
        FleetHistory.Builder b = FleetHistory.builder();
        boolean any = false;
        for (String service : full.services()) {
            Map<ResourceType, TimeSeries> now = full.usage(service);
            Map<ResourceType, TimeSeries> was = fitted.usage(service);
            Map<String, TimeSeries> nowActivity = full.activity(service);
            Map<String, TimeSeries> wasActivity = fitted.activity(service);
            if (!now.keySet().equals(was.keySet()) || !nowActivity.keySet().equals(wasActivity.keySet())) {
                return null;
            }
            boolean usage = false;
            for (Map.Entry<ResourceType, TimeSeries> e : now.entrySet()) {
                TimeSeries next = after(e.getValue(), Objects.requireNonNull(was.get(e.getKey())).end());
                if (next == null) {
                    return null;
                }
                if (!next.isEmpty()) {
                    b.usage(service, e.getKey(), full.unit(service, e.getKey()), next);
                    usage = true;
                }
            }
            for (Map.Entry<String, TimeSeries> e : nowActivity.entrySet()) {
                TimeSeries next = after(e.getValue(), Objects.requireNonNull(wasActivity.get(e.getKey())).end());
                if (next == null) {
                    return null;
                }
                // A history needs usage for each service with activity: activity alone waits for its usage.
                if (usage && !next.isEmpty()) {
                    b.activity(service, e.getKey(), next);
                }
            }
            any |= usage;
        }
        return any ? Optional.of(b.build()) : Optional.empty();
    }

    /** The values of {@code s} from {@code end} on; {@code null} when {@code s} starts after {@code end}. */
    private static @Nullable TimeSeries after(TimeSeries s, Instant end) {
        if (s.start().isAfter(end)) {
            return null;
        }
        int from = (int) Duration.between(s.start(), end).dividedBy(s.step());
        return from >= s.size() ? TimeSeries.of(s.end(), s.step()) : s.slice(from, s.size());
    }

    private List<PredictedFleetState> overridden(List<PredictedFleetState> states) {
        Supplier<OverrideSet> source = overrides;
        if (source == null) {
            return states;
        }
        AuditLog log = Objects.requireNonNull(audit, "the audit log is given with the overrides");
        return OverridingPredictStep.overridden(states, source, log, clock);
    }

    /**
     * Asks for a refit at the next cycle, instead of the online update.
     *
     * @param reason why, kept in {@link Status#lastFitReason()} once done
     */
    public void requestRefit(String reason) {
        Objects.requireNonNull(reason, "reason");
        lock.lock();
        try {
            pendingRefit = pendingRefit == null ? reason : pendingRefit;
        } finally {
            lock.unlock();
        }
    }

    /** @return the last cycle's prediction, with its step-by-step forecasts; empty when it predicted nothing */
    public Optional<Prediction> lastPrediction() {
        lock.lock();
        try {
            return Optional.ofNullable(last);
        } finally {
            lock.unlock();
        }
    }

    /** @return the history the current model holds (fitted on and updated with); empty before the first fit */
    public Optional<FleetHistory> history() {
        lock.lock();
        try {
            return Optional.ofNullable(model).map(FleetModel::history);
        } finally {
            lock.unlock();
        }
    }

    /** @return what the step has done so far */
    public Status status() {
        lock.lock();
        try {
            return new Status(fits, updates, lastFitAt, lastFitReason, pendingRefit, waiting);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "OnlinePredictStep[%s, refit every %s, %s]", mapping, refitEvery, status());
    }

    /** Configures an {@link OnlinePredictStep}; not thread-safe. */
    public static final class Builder extends PredictStepSettings<Builder> {
        private final ActivityMonitor monitor;
        private final @Nullable Predictor predictor;
        private Clock clock = Clock.systemUTC();
        private @Nullable NearTermPrediction nearTerm;
        private @Nullable String fleetId;

        private Builder(ActivityMonitor monitor, @Nullable Predictor predictor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            this.predictor = predictor;
        }

        /** The near-term prediction {@link FleetPredictor} derives from its cloud and SLA policies. */
        Builder nearTerm(NearTermPrediction value, String fleet) {
            this.nearTerm = Objects.requireNonNull(value, "nearTerm");
            this.fleetId = Objects.requireNonNull(fleet, "fleet");
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /** The settings {@link FleetPredictor.Builder} collected for the step it builds, and its clock. */
        Builder settings(PredictStepSettings<?> value, Clock stamps) {
            settingsOf(value);
            this.clock = Objects.requireNonNull(stamps, "clock");
            return this;
        }

        /**
         * Expert overrides applied on top of every prediction, read each cycle.
         *
         * @param value where the current overrides come from
         * @param log where each application is recorded
         * @param clock stamps the applications
         * @return this builder
         */
        public Builder overrides(Supplier<OverrideSet> value, AuditLog log, Clock clock) {
            overrides(value, log);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the step.
         *
         * @return the step
         * @throws NullPointerException if there is neither a predictor nor a near-term prediction
         * @throws IllegalArgumentException if a metric of a service, not mapped explicitly, has a name that
         *     starts with a resource but names none of its units, such as {@code cpu_core}; the message lists
         *     the names accepted
         */
        public OnlinePredictStep build() {
            if (predictor == null && nearTerm == null) {
                throw new NullPointerException("predictor");
            }
            mapping.checkNames(monitor.metrics());
            return new OnlinePredictStep(this);
        }
    }
}
