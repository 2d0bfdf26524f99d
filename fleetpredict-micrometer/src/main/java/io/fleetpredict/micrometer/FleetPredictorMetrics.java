package io.fleetpredict.micrometer;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.core.feedback.AccuracyKey;
import io.fleetpredict.core.feedback.AccuracyReport;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.feedback.KeyAccuracy;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.GateDecision;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.ProvisioningReport;
import io.fleetpredict.core.provision.StateStoreException;
import io.fleetpredict.forecast.ForecastException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.ToDoubleFunction;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what {@link FleetPredictor} decides and does as Micrometer meters, all tagged {@code fleet}:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code fleetpredict.cycle.duration}</td><td>timer</td><td></td><td>how long each cycle took on the loop's clock</td></tr>
 * <tr><td>{@code fleetpredict.cost.planned}</td><td>gauge</td><td></td><td>the last cycle's approved changes, cost per hour</td></tr>
 * <tr><td>{@code fleetpredict.cost.applied}</td><td>gauge</td><td></td><td>the last cycle's launched instances, cost per hour</td></tr>
 * <tr><td>{@code fleetpredict.instances.requested}</td><td>counter</td><td></td><td>instances asked of the cloud</td></tr>
 * <tr><td>{@code fleetpredict.instances.launched}</td><td>counter</td><td></td><td>instances the cloud launched</td></tr>
 * <tr><td>{@code fleetpredict.instances.ready}</td><td>gauge</td><td></td><td>the fleet's running instances, as the loop's last describe of its active instances showed them, less those released since *</td></tr>
 * <tr><td>{@code fleetpredict.instances.released}</td><td>counter</td><td></td><td>instances released *</td></tr>
 * <tr><td>{@code fleetpredict.gate.decisions}</td><td>counter</td><td>{@code decision}</td><td>{@code under_threshold} or {@code over_threshold}</td></tr>
 * <tr><td>{@code fleetpredict.changes}</td><td>counter</td><td>{@code outcome}</td><td>what became of each approved change: {@code provisioned}, {@code partial}, {@code planned}, {@code planned_release}, {@code released}, {@code waiting}, {@code capped}, {@code satisfied}, {@code skipped} or {@code failed}</td></tr>
 * <tr><td>{@code fleetpredict.cloud.calls}</td><td>counter</td><td>{@code operation, outcome}</td><td>provider calls, {@code ok}, the failure kind, or {@code error} for anything else thrown or a null answer *</td></tr>
 * <tr><td>{@code fleetpredict.cloud.retries}</td><td>counter</td><td>{@code operation}</td><td>calls repeating a failed request *</td></tr>
 * <tr><td>{@code fleetpredict.cloud.throttles}</td><td>counter</td><td>{@code operation}</td><td>calls the provider throttled *</td></tr>
 * <tr><td>{@code fleetpredict.cloud.stuck}</td><td>gauge</td><td></td><td>calls that timed out and still run in the provider, each holding a thread ({@link GuardedCloud#stuckCalls()}) ***</td></tr>
 * <tr><td>{@code fleetpredict.forecast.mape}</td><td>gauge</td><td>{@code service, resource, horizon}</td><td>mean absolute percentage error, percent **</td></tr>
 * <tr><td>{@code fleetpredict.forecast.coverage}</td><td>gauge</td><td>{@code service, resource, horizon}</td><td>fraction of actuals inside their interval **</td></tr>
 * <tr><td>{@code fleetpredict.forecast.mae}</td><td>gauge</td><td>{@code service, resource, horizon}</td><td>mean absolute error, in the series' unit **</td></tr>
 * <tr><td>{@code fleetpredict.drift.alarms}</td><td>function counter</td><td>{@code service, resource, horizon}</td><td>drift alarms raised **</td></tr>
 * <tr><td>{@code fleetpredict.store.conflicts}</td><td>counter</td><td>{@code reason}</td><td>cycles refused by the fleet state store</td></tr>
 * <tr><td>{@code fleetpredict.cycle.failures}</td><td>counter</td><td>{@code kind}</td><td>cycles that threw: {@code state_store}, {@code cloud}, {@code forecast} or {@code other}</td></tr>
 * <tr><td>{@code fleetpredict.cycle.last.success}</td><td>gauge</td><td></td><td>when the last cycle that succeeded ended, seconds since the epoch on the loop's clock; {@code NaN} before the first</td></tr>
 * </table>
 *
 * <p>* only for a provider routed through {@link #instrument}; ** only with the {@link Builder#accuracy}
 * tracker the predictor's feedback step records into; *** only for a guard given to {@link #watch}.
 *
 * <p>A cycle that throws is counted in {@code fleetpredict.cycle.failures} by kind (a handful of values, so the
 * series stay few) and rethrown. The cost gauges describe the last cycle, and a failed cycle planned and launched
 * nothing it could report, so they become {@code NaN} (a gap in a graph, not the last success's numbers shown as
 * current) until a cycle succeeds; {@code fleetpredict.cycle.last.success} says how old the last good cycle is, for
 * an alert such as {@code time() - fleetpredict_cycle_last_success_seconds > 3 * 300}.
 *
 * <pre>{@code
 * FleetPredictorMetrics metrics = FleetPredictorMetrics.builder("web").accuracy(tracker).build();
 * metrics.bindTo(registry);
 * FleetPredictor loop = FleetPredictor.builder("web").cloud(metrics.instrument(provider))...build();
 * CycleReport report = metrics.cycle(loop);   // every few minutes
 * }</pre>
 *
 * <p>Thread-safe; may be bound to several registries, each counted in once however often it is bound. A
 * registry that throws (a failing {@code MeterFilter}, a broken exporter) never fails or alters a cycle or a
 * provider call: what it refuses is skipped for that registry alone, logged at WARN once per meter and
 * registry, and the other registries, the gauges' values, the cycle's report and the provider's own answer
 * or exception are as they would have been. A {@link #bindTo} that fails part way leaves the registry
 * unbound, so binding it again registers every meter.
 */
public final class FleetPredictorMetrics implements MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(FleetPredictorMetrics.class);

    private static final AccuracyReport NO_ACCURACY = new AccuracyReport(Instant.EPOCH, List.of());

    /** The outcome of a provider call that threw something other than a {@link CloudException}, or answered null. */
    static final String ERROR = "error";

    /** The tag keys the meters set themselves, which an extra tag must not take over. */
    private static final List<String> OWN_TAG_KEYS = List.of("fleet", "decision", "outcome", "operation", "service",
            "resource", "horizon", "reason", "kind");

    private final String fleetId;
    private final Tags tags;
    private final @Nullable AccuracyTracker accuracy;
    /** Each registry once, however often it is bound: a registry bound twice would count everything twice. */
    private final Set<MeterRegistry> registries = new CopyOnWriteArraySet<>();
    private final Set<AccuracyKey> accuracyKeys = ConcurrentHashMap.newKeySet();
    /**
     * Held while a bind walks the series known and marks its registry bound, and while a new series is added
     * and its meters go to the bound registries: without it a bind walking past a series added meanwhile, by a
     * cycle that did not yet see the registry, would leave that series' meters off the registry for good.
     */
    private final Object accuracyLock = new Object();
    /** Meter and registry pairs whose failure was logged: a registry failing every cycle warns once per meter. */
    private final Set<Failing> warned = ConcurrentHashMap.newKeySet();
    private volatile Last last = new Last(0, 0, NO_ACCURACY);
    /** The fleet's running instances by id: the last full describe's, less those released since. */
    private volatile Set<String> running = Set.of();
    private volatile double lastSuccessSeconds = Double.NaN;
    /** The guard whose stuck calls are published, once {@link #watch} has given one. */
    private volatile @Nullable GuardedCloud guard;

    /** The gauges' values: the last cycle's costs and the accuracy report read with it. */
    private record Last(double plannedPerHour, double appliedPerHour, AccuracyReport accuracy) {
    }

    /** A meter a registry refused; the registry by identity, as registries do not define equality. */
    private record Failing(String meter, int registry) {
    }

    private FleetPredictorMetrics(Builder b) {
        this.fleetId = b.fleetId;
        this.tags = Tags.of("fleet", b.fleetId).and(b.tags);
        this.accuracy = b.accuracy;
    }

    /**
     * A builder for one fleet's metrics.
     *
     * @param fleetId the fleet, the {@code fleet} tag of every meter
     * @return the builder
     */
    public static Builder builder(String fleetId) {
        return new Builder(fleetId);
    }

    /**
     * Registers the meters with a registry, once however often it is bound. The registry counts as bound
     * only once every meter is registered: a registration that throws is passed on and leaves the registry
     * unbound, so a later bind registers every meter again (registering a meter twice is harmless).
     *
     * @param registry the registry
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        // Synchronized with watch, so that a guard given while a registry is bound is registered with it.
        if (registries.contains(registry)) {
            return;
        }
        Timer.builder("fleetpredict.cycle.duration").description("How long one cycle took on the loop's clock")
                .tags(tags).register(registry);
        Gauge.builder("fleetpredict.cost.planned", this, m -> m.last.plannedPerHour()).tags(tags).baseUnit("per_hour")
                .description("Cost per hour of the changes the last cycle's gate approved").register(registry);
        Gauge.builder("fleetpredict.cost.applied", this, m -> m.last.appliedPerHour()).tags(tags).baseUnit("per_hour")
                .description("Cost per hour of the instances the last cycle launched").register(registry);
        Gauge.builder("fleetpredict.instances.ready", this, m -> m.running.size()).tags(tags)
                .description("The fleet's running instances, as the loop last described them").register(registry);
        Gauge.builder("fleetpredict.cycle.last.success", this, m -> m.lastSuccessSeconds).tags(tags)
                .baseUnit("seconds").description("When the last successful cycle ended, seconds since the epoch")
                .register(registry);
        for (String name : List.of("requested", "launched", "released")) {
            Counter.builder("fleetpredict.instances." + name).tags(tags)
                    .description("Instances " + name).register(registry);
        }
        synchronized (accuracyLock) {
            accuracyKeys.forEach(k -> accuracyMeters(k).values().forEach(m -> m.accept(registry)));
            if (guard != null) {
                bindStuck(registry);
            }
            // Marked bound last: a registry marked first and failing above would stay half bound for good.
            registries.add(registry);
        }
    }

    /**
     * Runs one cycle and records it. A cycle that throws is {@linkplain #recordFailure recorded as failed} and
     * the exception rethrown as it is. A registry failing to record never fails the cycle: its report is returned
     * all the same.
     *
     * @param predictor the loop
     * @return the cycle's report
     * @throws StateStoreException as {@link FleetPredictor#cycle()}, or whatever else the cycle throws
     */
    public CycleReport cycle(FleetPredictor predictor) {
        CycleReport report;
        try {
            report = predictor.cycle();
        } catch (RuntimeException e) {
            recordFailure(e);
            throw e;
        }
        record(report);
        return report;
    }

    /**
     * Records a cycle that failed, for a host that runs its cycles itself: counts it in
     * {@code fleetpredict.cycle.failures} by kind ({@code state_store}, {@code cloud}, {@code forecast} or
     * {@code other}), a fleet state store's refusal also in {@code fleetpredict.store.conflicts} by reason, and
     * sets the cost gauges to {@code NaN} until a cycle succeeds. Nothing is thrown.
     *
     * @param failure what the cycle threw
     */
    public void recordFailure(RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        Last before = last;
        last = new Last(Double.NaN, Double.NaN, before.accuracy());
        if (failure instanceof StateStoreException e) {
            count("fleetpredict.store.conflicts", Tags.of("reason", lower(e.reason())), 1);
        }
        count("fleetpredict.cycle.failures", Tags.of("kind", failureKind(failure)), 1);
    }

    /** A failure's kind: a few values, whatever the host's predict step throws, so the counter's series stay few. */
    private static String failureKind(RuntimeException failure) {
        if (failure instanceof StateStoreException) {
            return "state_store";
        } else if (failure instanceof CloudException) {
            return "cloud";
        } else if (failure instanceof ForecastException) {
            return "forecast";
        }
        return "other";
    }

    /**
     * Records a cycle the host ran itself. A registry that throws is skipped for the meter it refused
     * and logged; nothing is thrown.
     *
     * @param report the cycle's report
     */
    public void record(CycleReport report) {
        Objects.requireNonNull(report, "report");
        ProvisioningReport p = report.provisioning();
        GateDecision d = p.decision();
        double applied = p.outcomes().stream().filter(ChangeOutcome.Provisioned.class::isInstance)
                .mapToDouble(o -> ((ChangeOutcome.Provisioned) o).costPerHour()).sum();
        AccuracyReport a = accuracy == null ? NO_ACCURACY : accuracy.report();
        // The gauges' values first: they read this, whatever a registry does with the counts below.
        last = new Last(d.costPerHour(), applied, a);
        Instant ended = report.at().plus(report.elapsed());
        lastSuccessSeconds = ended.getEpochSecond() + ended.getNano() / 1e9;
        publish("fleetpredict.cycle.duration",
                r -> r.timer("fleetpredict.cycle.duration", tags).record(report.elapsed()));
        count("fleetpredict.gate.decisions", Tags.of("decision",
                d instanceof GateDecision.OverThreshold ? "over_threshold" : "under_threshold"), 1);
        for (ChangeOutcome o : p.outcomes()) {
            count("fleetpredict.changes", Tags.of("outcome", outcome(o)), 1);
            if (o instanceof ChangeOutcome.Provisioned v) {
                count("fleetpredict.instances.requested", Tags.empty(), v.requested());
                count("fleetpredict.instances.launched", Tags.empty(), v.instanceIds().size());
            }
        }
        for (KeyAccuracy k : a.series()) {
            if (!accuracyKeys.contains(k.key())) {
                newSeries(k.key());
            }
        }
    }

    /** Registers a series seen for the first time with every bound registry, each meter on its own. */
    private void newSeries(AccuracyKey key) {
        synchronized (accuracyLock) {
            if (accuracyKeys.add(key)) {
                // One publish per meter: a registry refusing one of them still gets the series' others.
                accuracyMeters(key).forEach(this::publish);
            }
        }
    }

    /**
     * Routes a provider through these metrics: every call is counted by operation and outcome, a call
     * repeating the previous failed request of its operation counts as a retry, each describe whose answer holds
     * every running instance of the fleet (the loop's describe of the fleet's active instances, made each cycle, or
     * an unfiltered one) sets the ready gauge to the fleet's running instances, and each release takes the
     * released ones out of it. Put it under the guard (the loop wraps what it is given), so that
     * each retry passes through it.
     *
     * @param provider the provider
     * @return the same provider, counted
     */
    public CloudProvider instrument(CloudProvider provider) {
        return new CountedCloud(provider, this);
    }

    /**
     * Publishes a guard's stuck calls as {@code fleetpredict.cloud.stuck}: the attempts that timed out and are
     * still running in the provider ({@link GuardedCloud#stuckCalls()}), each holding a thread. A provider that
     * ignores its thread's interruption leaves them; while the guard's {@code maxStuckCalls} of them run, it
     * starts no new attempt. Give the loop this guard as its cloud, over {@link #instrument}'s provider:
     *
     * <pre>{@code
     * GuardedCloud guard = metrics.watch(GuardedCloud.builder(metrics.instrument(provider)).build());
     * FleetPredictor loop = builder.cloud(guard).build();          // the loop uses the guard as it is
     * }</pre>
     *
     * <p>The gauge is registered with every registry bound, before or after; a later guard takes the place of
     * the one given before.
     *
     * @param guard the guard the loop calls the cloud through
     * @return the same guard
     */
    public synchronized GuardedCloud watch(GuardedCloud guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
        publish("fleetpredict.cloud.stuck", this::bindStuck);
        return guard;
    }

    private void bindStuck(MeterRegistry registry) {
        // Read through the field, so that a guard given later takes over the same gauge.
        Gauge.builder("fleetpredict.cloud.stuck", this, m -> {
            GuardedCloud g = m.guard;
            return g == null ? Double.NaN : g.stuckCalls();
        }).tags(tags).description("Provider calls that timed out and still run in the provider").register(registry);
    }

    /** Counts one provider call: {@code outcome} is {@code ok}, a failure kind in lower case, or {@link #ERROR}. */
    void call(String operation, String outcome, boolean retry) {
        count("fleetpredict.cloud.calls", Tags.of("operation", operation, "outcome", outcome), 1);
        if (retry) {
            count("fleetpredict.cloud.retries", Tags.of("operation", operation), 1);
        }
        if (outcome.equals(lower(CloudException.Kind.THROTTLED))) {
            count("fleetpredict.cloud.throttles", Tags.of("operation", operation), 1);
        }
    }

    /** Counts released instances and takes them out of the running ones. */
    synchronized void released(List<String> ids) {
        Set<String> left = new HashSet<>(running);
        ids.forEach(left::remove);
        running = Set.copyOf(left);
        count("fleetpredict.instances.released", Tags.empty(), ids.size());
    }

    /** The fleet's running instances, as a describe that sees every one of them answered. */
    synchronized void running(List<String> ids) {
        running = Set.copyOf(ids);
    }

    String fleetId() {
        return fleetId;
    }

    /** The registrations of one series' accuracy meters, by meter name, in registration order. */
    private Map<String, Consumer<MeterRegistry>> accuracyMeters(AccuracyKey key) {
        // A fleet-wide key has no service; its gauges are tagged as the fleet's.
        String service = key.service() == null ? "fleet" : key.service();
        Tags t = tags.and(Tag.of("service", service), Tag.of("resource", lower(key.resource())),
                Tag.of("horizon", key.horizon().jsonName()));
        Map<String, Consumer<MeterRegistry>> meters = new LinkedHashMap<>();
        meters.put("fleetpredict.forecast.mape", r -> gauge(r, "fleetpredict.forecast.mape", t, key,
                KeyAccuracy::mape, "percent", "Mean absolute percentage error of the predictions"));
        meters.put("fleetpredict.forecast.coverage", r -> gauge(r, "fleetpredict.forecast.coverage", t, key,
                KeyAccuracy::coverage, null, "Fraction of actuals inside their prediction interval"));
        meters.put("fleetpredict.forecast.mae", r -> gauge(r, "fleetpredict.forecast.mae", t, key,
                KeyAccuracy::mae, null, "Mean absolute error of the predictions, in the series' unit"));
        meters.put("fleetpredict.drift.alarms", r -> FunctionCounter.builder("fleetpredict.drift.alarms", this,
                        m -> m.last.accuracy().find(key).map(KeyAccuracy::driftAlarms).orElse(0L))
                .tags(t).description("Drift alarms raised for the series").register(r));
        return meters;
    }

    private void gauge(MeterRegistry registry, String name, Tags t, AccuracyKey key, ToDoubleFunction<KeyAccuracy> f,
            @Nullable String unit, String description) {
        Gauge.builder(name, this, m -> m.last.accuracy().find(key).map(f::applyAsDouble).orElse(Double.NaN))
                .tags(t).baseUnit(unit).description(description).register(registry);
    }

    private void count(String name, Tags extra, double amount) {
        publish(name, r -> r.counter(name, tags.and(extra)).increment(amount));
    }

    /**
     * Applies {@code action} to each bound registry in turn; one that throws is logged (once per meter and
     * registry) and skipped, so that publishing never fails the cycle or provider call being recorded.
     */
    private void publish(String meter, Consumer<MeterRegistry> action) {
        for (MeterRegistry r : registries) {
            try {
                action.accept(r);
            } catch (RuntimeException e) {
                if (warned.add(new Failing(meter, System.identityHashCode(r)))) {
                    LOG.warn("{}: registry {} failed to record {}; skipped, further failures of this meter there"
                            + " are not logged", this, r.getClass().getName(), meter, e);
                }
            }
        }
    }

    private static String outcome(ChangeOutcome o) {
        if (o instanceof ChangeOutcome.Provisioned p) {
            return p.partial() ? "partial" : "provisioned";
        } else if (o instanceof ChangeOutcome.Planned) {
            return "planned";
        } else if (o instanceof ChangeOutcome.Capped) {
            return "capped";
        } else if (o instanceof ChangeOutcome.AlreadySatisfied) {
            return "satisfied";
        } else if (o instanceof ChangeOutcome.Skipped) {
            return "skipped";
        } else if (o instanceof ChangeOutcome.PlannedRelease) {
            return "planned_release";
        } else if (o instanceof ChangeOutcome.Released) {
            return "released";
        } else if (o instanceof ChangeOutcome.Waiting) {
            return "waiting";
        }
        // Failed is the one kind left; a test counts every kind the sealed interface permits, so a new kind gets
        // its own tag above rather than passing for a failure.
        return "failed";
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "FleetPredictorMetrics[" + fleetId + "]";
    }

    /** Configures {@link FleetPredictorMetrics}. */
    public static final class Builder {
        private final String fleetId;
        private Tags tags = Tags.empty();
        private @Nullable AccuracyTracker accuracy;

        private Builder(String fleetId) {
            Objects.requireNonNull(fleetId, "fleetId");
            if (fleetId.isBlank()) {
                throw new IllegalArgumentException("fleetId must not be blank");
            }
            this.fleetId = fleetId;
        }

        /**
         * More tags on every meter, such as the environment.
         *
         * @param extra the tags, none with a key the meters set themselves ({@code fleet}, {@code decision},
         *     {@code outcome}, {@code operation}, {@code service}, {@code resource}, {@code horizon},
         *     {@code reason}, {@code kind})
         * @return this builder
         * @throws IllegalArgumentException if a tag takes a key the meters set themselves
         */
        public Builder tags(Iterable<Tag> extra) {
            Tags given = Tags.of(Objects.requireNonNull(extra, "extra"));
            for (Tag t : given) {
                if (OWN_TAG_KEYS.contains(t.getKey())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "extra tag '%s' is a key the meters set themselves; they use %s and %s", t.getKey(),
                            String.join(", ", OWN_TAG_KEYS.subList(0, OWN_TAG_KEYS.size() - 1)),
                            OWN_TAG_KEYS.get(OWN_TAG_KEYS.size() - 1)));
                }
            }
            this.tags = given;
            return this;
        }

        /**
         * The tracker the predictor's feedback step records into: its accuracy per service, resource and
         * horizon is published after each cycle.
         *
         * @param tracker the tracker
         * @return this builder
         */
        public Builder accuracy(AccuracyTracker tracker) {
            this.accuracy = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /** @return the metrics, not yet bound */
        public FleetPredictorMetrics build() {
            return new FleetPredictorMetrics(this);
        }
    }
}
