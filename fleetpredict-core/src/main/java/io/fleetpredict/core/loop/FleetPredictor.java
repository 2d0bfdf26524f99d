package io.fleetpredict.core.loop;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.internal.ActiveFleetSnapshot;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.InvalidSeedException;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.monitor.MonitoredSeries;
import io.fleetpredict.core.monitor.SeedReport;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.provision.CapOverride;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.GateDecision;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.ProvisioningReport;
import io.fleetpredict.core.provision.ReconcileReport;
import io.fleetpredict.core.provision.StateStoreException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's entry point: built once, then {@link #cycle()} every few minutes from any thread.
 * A cycle runs predict, project, gate, provision and feedback in that order and returns a
 * {@link CycleReport}. Each step stays callable alone: {@link #predict()}, {@link #project},
 * {@link #gate}, {@link #provision}, {@link #reconcile()}; {@link #preview} shows the plan without counting
 * it as a cycle's.
 *
 * <p>Each step is given, or built from the library's engines (see the package and the {@link Builder}).
 *
 * <p>A first program needs only the cloud, the metrics to watch and a budget: the store defaults to an
 * in-memory one holding an empty fleet, the project step to a {@link ProjectionEngine} over the cloud's
 * offers, the SLA policies to {@code SlaDefaults}, the clock to the UTC system clock; observations go in
 * through {@link #record}. A host that restarts puts its history back with {@link #seed(MetricKey, TimeSeries)}
 * before the first cycle.
 *
 * <p>Thread-safe: cycles of one predictor run one at a time (a second caller waits), and every store
 * write is a compare-and-set, so predictors in other processes sharing the store are safe too.
 */
public final class FleetPredictor {

    private static final Logger LOG = LoggerFactory.getLogger(FleetPredictor.class);

    private final String fleetId;
    private final @Nullable ActivityMonitor monitor;
    private final boolean monitorGiven;
    private final MetricMapping mapping;
    private final CloudProvider cloud;
    private final ReadyCapacity ready = new ReadyCapacity();
    private final PredictStep predict;
    private final ProjectStep project;
    private final FeedbackStep feedback;
    private final FleetStateStore store;
    private final PreProvisioner provisioner;
    private final CycleEvents events;
    /** Each event id with an unknown service it names, once warned of; pruned to the events still in the feed. */
    private final Set<List<String>> eventsWarned = new HashSet<>();
    private final Clock clock;
    private final ReentrantLock cycleLock = new ReentrantLock();
    private long cycles;

    private FleetPredictor(LoopAssembly a) {
        this.fleetId = a.fleetId;
        this.store = a.store;
        this.clock = a.clock;
        this.monitor = a.monitor;
        this.monitorGiven = a.monitorGiven;
        this.mapping = a.mapping;
        this.cloud = a.cloud;
        this.predict = a.predictStep(ready);
        this.project = a.projectStep();
        this.feedback = a.feedbackStep(predict);
        this.provisioner = a.provisioner(cloud);
        this.events = a.events();
    }

    /**
     * Starts building a predictor for one fleet.
     *
     * @param fleetId the fleet, whose state must be in the store: a plain name
     *     ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}), as in every document and store
     * @return a builder in plan-only mode
     * @throws IllegalArgumentException if the fleet id is not a plain name
     */
    public static Builder builder(String fleetId) {
        return new Builder(fleetId);
    }

    /**
     * Records one observation in the predictor's monitor (the one given to {@code monitor(...)}, or built
     * from {@code metric(...)}); see {@link ActivityMonitor#record}.
     *
     * <p>An observation more than one of the monitor's steps ahead of the predictor's clock is refused, as
     * the predictor's own monitor refuses it ({@link io.fleetpredict.core.monitor.RejectReason#TOO_FAR_IN_FUTURE}):
     * a source whose clock runs ahead by less than a bucket is still taken, while a timestamp further ahead
     * would close every bucket before it, so that each later observation came too late, and evict the
     * history already recorded. A negative value of a resource's use is refused too, whether the metric's
     * name says it ({@code cpu_cores}) or the {@link MetricMapping} does.
     *
     * @param metric a metric the monitor watches
     * @param time when the value was observed, at most one step ahead of the clock
     * @param value the value
     * @return true if the observation went into its bucket, false if it came too late: so does every
     *     observation stamped by a clock stepped back behind the newest closed bucket, until the clock passes
     *     it again; the monitor counts them ({@code stats().late()}), and each cycle's report says that the
     *     clock is behind ({@link CycleReport#unpredicted()} or {@link CycleReport#warnings()})
     * @throws IllegalArgumentException if the metric is unknown or the value or time is invalid; nothing
     *     is recorded
     * @throws IllegalStateException if the predictor has no monitor (a custom predict step)
     */
    public boolean record(MetricKey metric, Instant time, double value) {
        ActivityMonitor m = requireMonitor("record", metric);
        // The predictor's own monitor bounds the time itself, and counts what it refuses; a given one may not.
        // No monitor knows a usage that the mapping, not the metric's name, declares.
        Instant now = clock.instant();
        if (monitorGiven && time.isAfter(now.plus(m.step()))) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "value %s of metric %s at %s is more than %s ahead of the clock (%s)", value, metric, time,
                    m.step(), now));
        }
        if (value < 0 && mapping.explicitUsage(metric)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "value %s of metric %s at %s is negative; it is the use of a resource, which cannot be", value,
                    metric, time));
        }
        return m.record(metric, time, value);
    }

    /**
     * Seeds the predictor's monitor with a metric's history, typically at start after a restart, before the
     * first cycle: see {@link ActivityMonitor#seed(MetricKey, TimeSeries)}. The first cycle then learns from
     * it as from history recorded live, so its near-term forecasts carry the margin that history earns
     * instead of none. A negative value of a resource's use is refused too, whether the metric's name says
     * it or the {@link MetricMapping} does.
     *
     * <p>Seed before the first cycle: the near-term forecasts learn each bucket once, going forward from the
     * last one they learned, so history seeded after a cycle, necessarily older than what the monitor held
     * then, is not learned by them.
     *
     * @param metric a metric the monitor watches
     * @param history one value per bucket of the monitor's step, from a bucket boundary, every bucket closed
     * @return what the monitor filled, and the points it dropped as older than its retention
     * @throws IllegalArgumentException if the metric is unknown
     * @throws InvalidSeedException if the history is refused; nothing is seeded
     * @throws IllegalStateException if the predictor has no monitor (a custom predict step)
     */
    public SeedReport seed(MetricKey metric, TimeSeries history) {
        ActivityMonitor m = seedable(metric, history);
        return m.seed(metric, history);
    }

    /**
     * Seeds the predictor's monitor with the series of another monitor, such as the one of the predictor this
     * one replaces, its gaps kept as gaps: see {@link ActivityMonitor#seed(MonitoredSeries)}.
     *
     * @param history a monitored series of a metric the monitor watches
     * @return what the monitor filled, left empty, and dropped as older than its retention
     * @throws IllegalArgumentException if the metric is unknown
     * @throws InvalidSeedException if the history is refused; nothing is seeded
     * @throws IllegalStateException if the predictor has no monitor (a custom predict step)
     */
    public SeedReport seed(MonitoredSeries history) {
        ActivityMonitor m = seedable(history.metric(), history.series());
        return m.seed(history);
    }

    /**
     * The start of the first bucket of a metric that the predictor's monitor has not closed yet: a
     * {@linkplain #seed(MetricKey, TimeSeries) seed} ends at or before it. See {@link ActivityMonitor#closedBefore}.
     *
     * @param metric a metric the monitor watches
     * @return the start of the first open bucket
     * @throws IllegalArgumentException if the metric is unknown
     * @throws IllegalStateException if the predictor has no monitor (a custom predict step)
     */
    public Instant closedBefore(MetricKey metric) {
        return requireMonitor(null, null).closedBefore(metric);
    }

    /**
     * The predictor's monitor, or a refusal naming what the caller meant to do with it ({@code verb} and
     * {@code metric}, both {@code null} for no more than that the monitor is missing).
     */
    private ActivityMonitor requireMonitor(@Nullable String verb, @Nullable MetricKey metric) {
        ActivityMonitor m = monitor;
        if (m == null) {
            throw new IllegalStateException("fleet " + fleetId + " has no monitor"
                    + (verb != null ? " to " + verb + " " + metric + " in" : "") + ": its predict step is a custom one");
        }
        return m;
    }

    private ActivityMonitor seedable(MetricKey metric, TimeSeries history) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(history, "history");
        ActivityMonitor m = requireMonitor("seed", metric);
        // As in record: no monitor knows a usage that the mapping, not the metric's name, declares. A gap's
        // filled value is never negative for such a metric, as its observations are not.
        if (mapping.explicitUsage(metric)) {
            for (int i = 0; i < history.size(); i++) {
                if (history.get(i) < 0) {
                    throw new InvalidSeedException(metric, i, history.timeAt(i), String.format(Locale.ROOT,
                            "cannot seed metric %s: value %s at index %d (%s) is negative; it is the use of a"
                            + " resource, which cannot be; nothing was seeded", metric, history.get(i), i,
                            history.timeAt(i)));
                }
            }
        }
        return m;
    }

    /**
     * Runs one cycle: predict, project, gate, provision (in apply mode), feedback.
     *
     * <p>A cycle that fails throws (counted by kind in {@code fleetpredict.cycle.failures} when
     * fleetpredict-micrometer's metrics are bound). The next cycle may run as scheduled: what a failed cycle launched is in the store's
     * intents, and the next one reconciles them before it launches anything. A host scheduling cycles catches the
     * exception in its task: an exception escaping a {@code ScheduledExecutorService.scheduleAtFixedRate} task
     * cancels every later run, silently.
     *
     * @return what the cycle decided and did
     * @throws StateStoreException if the fleet's state is missing, unreadable or stale, or the store fails
     *     ({@code IO}): before any cloud call, nothing was provisioned; when the write that counts a launch or a
     *     release fails (for any reason, most often {@code IO}), the cloud has carried it out and the message
     *     names the change, the service and the instance ids. Its intent stays open in the store, so the next
     *     cycle launches nothing twice and its reconcile adopts the instances (or settles the release)
     * @throws io.fleetpredict.cloud.CloudException if the cloud still fails after the guard's retries (describe,
     *     offers, launch or release)
     * @throws io.fleetpredict.forecast.ForecastException if the predict step cannot forecast
     * @throws RuntimeException whatever a step of the host's own throws, passed on as it was
     */
    public CycleReport cycle() {
        cycleLock.lock();
        // One read of the event feed for the whole cycle: the predict step, the project step and the check of the
        // services the events name see the same feed.
        events.begin();
        try {
            Instant start = clock.instant();
            long n = ++cycles;
            List<PredictedFleetState> predictions = predict();
            ProvisionalFleetState plan = project(predictions);
            ProvisioningReport provisioning;
            // One describe of the whole active fleet a cycle: the reconcile's, kept current with the cycle's
            // launches and releases, is what the ready capacity records.
            try (ActiveFleetSnapshot snapshot = ActiveFleetSnapshot.open(PreProvisioner.activeFleet(fleetId))) {
                provisioning = provision(plan);
                ready.observe(clock.instant(), cloud, fleetId, snapshot.instances());
            }
            List<String> notes = feedback.feedback(start, predictions, provisioning);
            Duration elapsed = Duration.between(start, clock.instant());
            OnlinePredictStep.Status status = predict instanceof OnlinePredictStep online ? online.status() : null;
            String unpredicted = predictions.isEmpty() && status != null ? status.waiting() : null;
            List<String> warnings = new ArrayList<>(status != null ? status.warnings() : List.of());
            warnings.addAll(unknownEventServices(predictions, plan));
            return new CycleReport(n, start, elapsed.isNegative() ? Duration.ZERO : elapsed, predictions, plan,
                    provisioning, notes, unpredicted, warnings);
        } finally {
            events.end();
            cycleLock.unlock();
        }
    }

    /**
     * The events of the feed that name a service the loop does not know (most often a misspelt name, which
     * changes nothing for the service meant and says nothing), each said once: in the report and the log of
     * the first cycle that sees it, not in every cycle for as long as the event stays in the feed. The loop
     * knows the services its monitor has a usage metric of, those of the fleet state and those predicted;
     * before it knows any there is nothing to check against.
     */
    private List<String> unknownEventServices(List<PredictedFleetState> predictions, ProvisionalFleetState plan) {
        Set<String> known = new TreeSet<>();
        if (monitor != null) {
            known.addAll(mapping.services(monitor.metrics()));
        }
        plan.fleet().services().forEach(s -> known.add(s.name()));
        for (PredictedFleetState p : predictions) {
            List<ServiceRequirements> services = p.services();
            if (services != null) {
                services.forEach(s -> known.add(s.service()));
            }
        }
        if (known.isEmpty()) {
            return List.of();
        }
        EventFeed feed;
        try {
            feed = Objects.requireNonNull(events.get(), "the event feed supplier returned null");
        } catch (RuntimeException e) {
            // The cycle's one read, when no step made it (nothing predicted), or its failure once more: a feed failing
            // here must not lose the cycle's report.
            LOG.warn("fleet {}: the event feed could not be read to check its services: {}", fleetId,
                    e.toString());
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Set<List<String>> current = new HashSet<>();
        for (FleetEvent e : feed.events()) {
            for (String service : e.scope()) {
                List<String> key = List.of(e.id(), service);
                current.add(key);
                if (!known.contains(service) && eventsWarned.add(key)) {
                    String w = String.format(Locale.ROOT, "event %s (%s, %s to %s) names service %s, which the "
                            + "loop does not know (its services: %s): nothing is done for that name",
                            e.id(), e.type().jsonName(), e.start(), e.end(), service, String.join(", ", known));
                    LOG.warn("fleet {}: {}", fleetId, w);
                    out.add(w);
                }
            }
        }
        // An event dropped from the feed and given again is warned of again.
        eventsWarned.retainAll(current);
        return out;
    }

    /**
     * The predict step alone.
     *
     * @return the predicted fleet states
     */
    public List<PredictedFleetState> predict() {
        return List.copyOf(predict.predict(clock.instant()));
    }

    /**
     * The project step alone, against the stored fleet state, counting as a cycle's projection: the built-in
     * step keeps the changes it proposes as made (when each service last changed, which holds a later scale-in
     * in its cooldown), as a cycle does. For a host that runs the steps itself in place of {@link #cycle()};
     * to show a plan before a cycle applies it, use {@link #preview}.
     *
     * @param predictions the predictions to plan for
     * @return the provisional fleet state
     */
    public ProvisionalFleetState project(List<PredictedFleetState> predictions) {
        FleetState current = store.read(fleetId).state();
        return project.project(List.copyOf(predictions), current);
    }

    /**
     * The plan the project step would make now, against the stored fleet state, changing nothing: the next
     * cycle decides as if it had not been asked (see {@link ProjectStep#preview}). For a host that shows a
     * plan to a person, or on a dashboard, while cycles run.
     *
     * @param predictions the predictions to plan for
     * @return the provisional fleet state
     */
    public ProvisionalFleetState preview(List<PredictedFleetState> predictions) {
        FleetState current = store.read(fleetId).state();
        return project.preview(List.copyOf(predictions), current);
    }

    /**
     * The cost gate alone: the decision {@link #provision} would report on the plan in plan-only mode,
     * against the stored fleet state, so what earlier cycles launched for the plan costs nothing new (see
     * {@link io.fleetpredict.core.provision.PreProvisioner#gate PreProvisioner.gate}).
     *
     * @param plan the provisional fleet state
     * @return the decision
     */
    public GateDecision gate(ProvisionalFleetState plan) {
        return provisioner.gate(plan);
    }

    /**
     * Gate and provision alone (provisioning only in apply mode).
     *
     * @param plan the provisional fleet state
     * @return what was decided and done
     */
    public ProvisioningReport provision(ProvisionalFleetState plan) {
        return provisioner.run(plan);
    }

    /**
     * Gate and provision alone under other hard caps than the {@linkplain Builder#caps configured} ones, on the
     * predictor's own provisioner (its gate, store, SLA policies and mode): the one way to lift the caps for a
     * plan. The override is logged at WARN and, in apply mode, recorded in {@code audit} as
     * {@link io.fleetpredict.core.provision.PreProvisioner#run(ProvisionalFleetState, CapOverride, AuditLog)
     * PreProvisioner.run} records it: {@code CAPS_OVERRIDDEN} before anything is sent, then
     * {@code CAPS_OVERRIDE_CARRIED_OUT} with what was launched and released. Later cycles run under the
     * configured caps again.
     *
     * @param plan the provisional fleet state
     * @param override the caps to use instead of the configured ones, why, and who decided it
     * @param audit the audit log the override is recorded in
     * @return what was decided and done
     * @throws java.io.UncheckedIOException if the audit log cannot be written: before the run, nothing was sent
     */
    public ProvisioningReport provision(ProvisionalFleetState plan, CapOverride override, AuditLog audit) {
        return provisioner.run(plan, override, audit);
    }

    /**
     * Reconciliation alone: settles intents left open by a crash and gives up on instances that never
     * became ready.
     *
     * @return what was fixed
     */
    public ReconcileReport reconcile() {
        return provisioner.reconcile(fleetId);
    }

    /** Builds a {@link FleetPredictor}; not thread-safe. */
    public static final class Builder extends PredictStepSettings<Builder> {
        // What the host gave, nothing else: build() resolves the defaults afresh each time (LoopAssembly),
        // so two predictors of one builder share nothing and a field never has to tell given from defaulted.
        final String fleetId;
        @Nullable PredictStep predict;
        @Nullable ProjectStep project;
        @Nullable FeedbackStep feedback;
        @Nullable ActivityMonitor monitor;
        final Map<MetricKey, MetricKind> watched = new LinkedHashMap<>();
        @Nullable Predictor predictor;
        @Nullable ProjectionEngine engine;
        @Nullable AccuracyTracker tracker;
        @Nullable CloudProvider cloud;
        @Nullable FleetStateStore store;
        @Nullable SlaPolicies policies;
        @Nullable Double maxCostPerHour;
        double maxCostPerCycle = Double.MAX_VALUE;
        double budget = Double.NaN;
        Duration cycle = Duration.ofMinutes(5);
        @Nullable HardCaps caps;
        @Nullable Duration maxProvisioningTime;
        PreProvisioner.Mode mode = PreProvisioner.Mode.PLAN_ONLY;
        Clock clock = Clock.systemUTC();

        private Builder(String fleetId) {
            // Every document the loop writes carries the id, and the reader takes only a plain name.
            this.fleetId = Checks.fleetId("fleetId", fleetId);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The predict step (the monitor and the models), for a custom engine; otherwise
         * {@link #monitor(ActivityMonitor)} and {@link #predictor(Predictor)} build one. Expert overrides given
         * with {@link #overrides} are applied on top of each state it predicts.
         *
         * @param value the step
         * @return this builder
         */
        public Builder predict(PredictStep value) {
            this.predict = Objects.requireNonNull(value, "predict");
            return this;
        }

        /**
         * The project step, for a custom engine; otherwise {@link #projection(ProjectionEngine)} builds one.
         *
         * @param value the step
         * @return this builder
         */
        public Builder project(ProjectStep value) {
            this.project = Objects.requireNonNull(value, "project");
            return this;
        }

        /**
         * The feedback step, for a custom one; by default none, or the one {@link #feedbackTracking} builds.
         *
         * @param value the step
         * @return this builder
         */
        public Builder feedback(FeedbackStep value) {
            this.feedback = Objects.requireNonNull(value, "feedback");
            return this;
        }

        /**
         * The live series of the built-in predict step, instead of {@link #predict(PredictStep)}: its near-term
         * forecast (always, at the monitor's step, sized by the SLA target) and, with
         * {@link #predictor(Predictor)}, the fleet model's horizons. Every metric the loop reads must have a gap
         * policy that fills empty buckets ({@code PREVIOUS}, {@code LINEAR} or {@code ZERO}); {@link #build()}
         * refuses one with {@code REJECT}.
         *
         * @param value the monitor
         * @return this builder
         */
        public Builder monitor(ActivityMonitor value) {
            this.monitor = Objects.requireNonNull(value, "monitor");
            return this;
        }

        /**
         * A metric for the predictor's own monitor, instead of {@link #monitor(ActivityMonitor)}: one bucket
         * per cycle, seven days kept, on the predictor's clock; observations go in through
         * {@link FleetPredictor#record}, none more than one step ahead of the clock. By the naming conventions
         * of {@link MetricMapping#conventions()}, {@code MetricKey.of("cpu_cores", "checkout")} is the CPU the
         * service {@code checkout} uses; a name that starts with a resource but names none of its units
         * ({@code cpu_core}) is refused by {@link #build()}.
         *
         * @param metric the metric
         * @param kind how its observations merge ({@link MetricKind#GAUGE_MEAN} for a usage)
         * @return this builder
         * @throws IllegalArgumentException if the metric is already registered, as {@link ActivityMonitor.Builder}
         *     refuses it
         */
        public Builder metric(MetricKey metric, MetricKind kind) {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(kind, "kind");
            if (watched.containsKey(metric)) {
                throw new IllegalArgumentException("metric " + metric + " is already registered");
            }
            watched.put(metric, kind);
            return this;
        }

        /**
         * The prediction engine of the built-in predict step (an {@link OnlinePredictStep}) for the medium and
         * long terms, which are published but do not move capacity while the near term is known; optional, with
         * {@link #monitor(ActivityMonitor)}.
         *
         * @param value the predictor
         * @return this builder
         */
        public Builder predictor(Predictor value) {
            this.predictor = Objects.requireNonNull(value, "predictor");
            return this;
        }

        /**
         * The projection engine of the built-in project step (a {@link StatefulProjectStep}), instead of
         * {@link #project(ProjectStep)}; by default an engine over the cloud's offers at build time, with the
         * SLA policies and the clock given here. Its budget per hour is the hourly threshold (of
         * {@link #thresholds(double, double)} or {@link #budget(double)}); build the engine without one, or
         * with the same.
         *
         * @param value the engine
         * @return this builder
         */
        public Builder projection(ProjectionEngine value) {
            this.engine = Objects.requireNonNull(value, "projection");
            return this;
        }

        /**
         * Tracks accuracy and drift with the built-in feedback step (an {@link AccuracyFeedbackStep} scoring
         * against the capacity in the store), which refits the built-in predict step on drift; instead of
         * {@link #feedback(FeedbackStep)}. It scores the fleet model's horizons, so it needs
         * {@link #predictor(Predictor)} beside the monitor or metrics; {@link #build()} refuses it without one.
         *
         * @param value the tracker, whose report the host reads
         * @return this builder
         */
        public Builder feedbackTracking(AccuracyTracker value) {
            this.tracker = Objects.requireNonNull(value, "feedbackTracking");
            return this;
        }

        /**
         * The cloud; required. Wrapped in a default {@link GuardedCloud} unless it is one.
         *
         * @param value the provider
         * @return this builder
         */
        public Builder cloud(CloudProvider value) {
            this.cloud = Objects.requireNonNull(value, "cloud");
            return this;
        }

        /**
         * The fleet state store; an in-memory one by default, created holding the fleet with no services and
         * no instances (a service appears in the fleet with its first launch). A store given here must
         * already hold the fleet.
         *
         * @param value the store
         * @return this builder
         */
        public Builder store(FleetStateStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /**
         * The SLA policies.
         *
         * @param value the policies
         * @return this builder
         */
        public Builder slaPolicies(SlaPolicies value) {
            this.policies = Objects.requireNonNull(value, "slaPolicies");
            return this;
        }

        /**
         * The cost thresholds; the hourly one is required unless {@link #budget} gives it. The thresholds are
         * also the projection engine's budget: the hourly one, or the per-cycle one spread over the hours of
         * the {@linkplain #cycle cycle} when that is tighter. The projection ranks the changes due in the cycle
         * under it and defers what does not fit, and the gate approves under the same numbers.
         *
         * @param perHour the most a cycle's changes may add per hour
         * @param perCycle the most they may cost over one cycle
         * @return this builder
         */
        public Builder thresholds(double perHour, double perCycle) {
            this.maxCostPerHour = perHour;
            this.maxCostPerCycle = perCycle;
            return this;
        }

        /**
         * The most the fleet may cost per hour, for a host that states one figure: it is the hourly threshold
         * of the cost gate unless {@link #thresholds} gives one, and the fleet's cost cap
         * ({@link HardCaps#maxFleetCostPerHour()}, the other caps at their defaults) unless {@link #caps}
         * gives caps. One cycle may then add anything the budget still allows, and no cycle can take the fleet
         * past it.
         *
         * <p>A budget of 0, as a threshold of 0, stops every launch that costs anything: the projection defers
         * each scale-out, the gate approves none, and no launch fits the cost cap; scale-ins still go ahead,
         * since they cost nothing. A budget below what the fleet already costs launches nothing either, but
         * releases nothing for it: a release follows the predicted demand, never the budget.
         *
         * @param perHour zero or more, finite
         * @return this builder
         * @throws IllegalArgumentException if {@code perHour} is negative, infinite or NaN
         */
        public Builder budget(double perHour) {
            this.budget = Checks.nonNegative("budget", perHour);
            return this;
        }

        /**
         * How often the host calls {@link #cycle()}.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder cycle(Duration value) {
            this.cycle = Checks.positive("cycle", value);
            return this;
        }

        /**
         * The hard caps; {@link HardCaps#defaults()}, or with {@link #budget} as the fleet's cost cap, if not
         * given.
         *
         * @param value the caps
         * @return this builder
         */
        public Builder caps(HardCaps value) {
            this.caps = Objects.requireNonNull(value, "caps");
            return this;
        }

        /**
         * How long an instance may stay pending after the cloud expected it ready before reconcile gives up on it
         * and releases it; 15 minutes if not given ({@link PreProvisioner.Builder#maxProvisioningTime}). An offer
         * whose instances often boot well past the boot time it states needs a longer one.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException if the value is zero or negative
         */
        public Builder maxProvisioningTime(Duration value) {
            this.maxProvisioningTime = Checks.positive("maxProvisioningTime", value);
            return this;
        }

        /**
         * Plan-only (the default) or apply.
         *
         * @param value the mode
         * @return this builder
         */
        public Builder mode(PreProvisioner.Mode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /**
         * The clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Builds the predictor.
         *
         * @return a thread-safe predictor
         * @throws NullPointerException if a required part is missing
         * @throws IllegalStateException if a step is missing, given twice (as a step and as its engine), the
         *     engine's own budget differs from the hourly threshold, or feedback tracking lacks the built-in
         *     predict step or its predictor
         * @throws IllegalStateException if both a monitor and metrics for the predictor's own monitor are given
         * @throws IllegalStateException if {@link #refitEvery(Duration)} is given with a host's own
         *     {@link #predict(PredictStep) predict(step)}, which has no model of the library's to refit
         * @throws IllegalStateException if the built-in predict step's near-term prediction would reach (the
         *     longest boot time among the cloud's offers, plus the largest SLA lead time and scale-in cooldown,
         *     plus the cycle) more steps of the monitor's step ahead than its seven-day error window holds (at
         *     least 1,000 steps): 10,080 steps of one minute, about a week; every cycle predicts one state per step
         *     of the reach
         * @throws IllegalArgumentException if neither a budget nor thresholds are given, or one is out of range
         * @throws IllegalArgumentException if a metric of a service has a name that starts with a resource but
         *     names none of its units ({@code cpu_core}, {@code memory_gigs}) and is not mapped explicitly; the
         *     message lists the names accepted
         * @throws IllegalArgumentException if a metric of the monitor that the mapping reads has the gap policy
         *     {@link io.fleetpredict.core.monitor.GapFill#REJECT}: the loop forecasts through a silent exporter by
         *     filling its empty buckets, which that policy refuses; the message names the metric and the policies
         *     that work
         */
        public FleetPredictor build() {
            return new FleetPredictor(new LoopAssembly(this));
        }
    }
}
