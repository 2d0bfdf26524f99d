package io.fleetpredict.core.loop;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.provision.CostGate;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.StoredFleet;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FleetPredictor.Builder}'s settings with the defaults resolved, and the loop's steps built from
 * them: the predict step with its near-term prediction, the project step under the gate's budget, the
 * feedback step, and the provisioner with its gate and caps. Made and used up inside the predictor's
 * constructor, so what the builder is given afterwards reaches only later builds.
 */
final class LoopAssembly {
    final String fleetId;
    final @Nullable ActivityMonitor monitor;
    /** Whether the monitor was given by the host, rather than built here for the metrics given. */
    final boolean monitorGiven;
    final MetricMapping mapping;
    final FleetStateStore store;
    final Clock clock;
    final CloudProvider cloud;
    private final @Nullable PredictStep predict;
    private final @Nullable ProjectStep project;
    private final @Nullable FeedbackStep feedback;
    private final @Nullable Predictor predictor;
    private final PredictStepSettings<?> settings;
    private final @Nullable ProjectionEngine engine;
    private final @Nullable AccuracyTracker tracker;
    private final @Nullable SlaPolicies policies;
    private final double maxCostPerHour;
    private final double maxCostPerCycle;
    private final double budget;
    private final Duration cycle;
    private final @Nullable HardCaps caps;
    private final @Nullable Duration maxProvisioningTime;
    private final PreProvisioner.Mode mode;
    /** The event feed as the built-in steps and the predictor read it: once a cycle. */
    private final CycleEvents events;

    LoopAssembly(FleetPredictor.Builder b) {
        if (b.maxCostPerHour == null && Double.isNaN(b.budget)) {
            throw new IllegalArgumentException("the cost gate needs a threshold: budget(perHour) or "
                    + "thresholds(perHour, perCycle)");
        }
        this.fleetId = b.fleetId;
        this.clock = b.clock;
        CloudProvider given = Objects.requireNonNull(b.cloud, "cloud");
        // One guard for every call the loop makes, its look at the offers while it is built included.
        this.cloud = given instanceof GuardedCloud ? given : GuardedCloud.builder(given).build();
        this.monitor = monitor(b);
        this.monitorGiven = b.monitor != null;
        this.mapping = b.mapping;
        this.store = b.store != null ? b.store : emptyFleet(b.fleetId, b.clock);
        this.predict = b.predict;
        this.project = b.project;
        this.feedback = b.feedback;
        this.predictor = b.predictor;
        this.settings = b;
        this.engine = b.engine;
        this.tracker = b.tracker;
        this.policies = b.policies;
        this.maxCostPerHour = b.maxCostPerHour != null ? b.maxCostPerHour : b.budget;
        this.maxCostPerCycle = b.maxCostPerCycle;
        this.budget = b.budget;
        this.cycle = b.cycle;
        this.caps = b.caps;
        this.maxProvisioningTime = b.maxProvisioningTime;
        this.mode = b.mode;
        this.events = new CycleEvents(b.events);
    }

    /** The monitor given, or one built for the metrics given, bucketed by the cycle. */
    private static @Nullable ActivityMonitor monitor(FleetPredictor.Builder b) {
        if (b.watched.isEmpty()) {
            return b.monitor;
        }
        if (b.monitor != null) {
            throw new IllegalStateException("give either monitor(...) or metric(...), not both");
        }
        // One step ahead of the clock at most (see ActivityMonitor.Builder#futureTolerance): a far-future
        // timestamp would close every bucket before it and evict the history.
        ActivityMonitor.Builder mb = ActivityMonitor.builder().step(b.cycle).futureTolerance(b.cycle).clock(b.clock);
        b.watched.forEach(mb::metric);
        return mb.build();
    }

    /** An in-memory store holding the fleet with no services and no instances. */
    private static FleetStateStore emptyFleet(String fleetId, Clock clock) {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(new FleetState(1, fleetId, 0, clock.instant(), List.of())));
        return store;
    }

    /** The provisioner over the guarded cloud, with the gate's thresholds and the caps. */
    PreProvisioner provisioner(CloudProvider guarded) {
        CostGate.Builder gate = CostGate.builder(maxCostPerHour).cycle(cycle).maxCostPerCycle(maxCostPerCycle);
        PreProvisioner.Builder pb = PreProvisioner.builder(guarded).store(store).clock(clock).mode(mode).caps(caps());
        if (policies != null) {
            gate.slaPolicies(policies);
            pb.slaPolicies(policies);
        }
        if (maxProvisioningTime != null) {
            pb.maxProvisioningTime(maxProvisioningTime);
        }
        return pb.gate(gate.build()).build();
    }

    PredictStep predictStep(ReadyCapacity ready) {
        boolean builtIn = monitor != null || predictor != null;
        if (predict != null && builtIn) {
            throw new IllegalStateException("give either predict(step) or monitor(...) and predictor(...), not both");
        }
        if (predict != null) {
            return hosts(predict);
        }
        if (monitor == null) {
            throw new IllegalStateException("a predict step is required: predict(step), or monitor(...) with an "
                    + "optional predictor(...)");
        }
        NearTermPrediction nearTerm = nearTerm(ready);
        nearTerm.requireReachWithin(monitor.step());
        return OnlinePredictStep.builder(monitor, predictor).settings(settings, clock).events(events)
                .nearTerm(nearTerm, fleetId).build();
    }

    /**
     * The host's own predict step, with the expert overrides applied on top of its states when they are given.
     * A refit schedule has no model of ours to refit, so it is refused rather than dropped.
     */
    private PredictStep hosts(PredictStep step) {
        if (settings.refitEveryGiven) {
            throw new IllegalStateException("refitEvery(...) schedules refits of the built-in predict step's model; "
                    + "a predict(step) of the host's own has none: refit in the host's step, or give monitor(...) "
                    + "and predictor(...) instead of predict(step)");
        }
        Supplier<OverrideSet> overrides = settings.overrides;
        if (overrides == null) {
            return step;
        }
        AuditLog audit = Objects.requireNonNull(settings.audit, "the audit log is given with the overrides");
        return new OverridingPredictStep(step, overrides, audit, clock);
    }

    /**
     * The near-term prediction, derived from the cloud and the SLA policies: it reaches the longest boot
     * time among the offers plus the largest lead time and scale-in cooldown, and the cycle; its error
     * floor is the smallest offer.
     */
    private NearTermPrediction nearTerm(ReadyCapacity ready) {
        Objects.requireNonNull(cloud, "cloud");
        Duration boot = Duration.ZERO;
        Map<ResourceType, Double> floor = new EnumMap<>(ResourceType.class);
        for (Offer o : cloud.offers()) {
            boot = o.bootTime().compareTo(boot) > 0 ? o.bootTime() : boot;
            smallest(floor, ResourceType.CPU, o.cpuCores());
            smallest(floor, ResourceType.MEMORY, o.memoryGiB());
            smallest(floor, ResourceType.BANDWIDTH, o.bandwidthGbps());
            smallest(floor, ResourceType.STORAGE, o.storageGiB());
        }
        // Beyond the boot time: the lead time an SLA asks for, and the cooldown a release must look past
        // (after a release the fleet waits a cooldown before it changes again).
        Duration beyond = Duration.ZERO;
        if (policies != null) {
            for (TierPolicy p : policies.tiers().values()) {
                Duration d = p.leadTime().plus(p.scaleInCooldown());
                beyond = d.compareTo(beyond) > 0 ? d : beyond;
            }
        }
        return new NearTermPrediction(boot.isZero() ? cycle : boot, beyond, floor, policies, ready, cycle);
    }

    private static void smallest(Map<ResourceType, Double> floor, ResourceType type, double value) {
        if (value > 0) {
            floor.merge(type, value, Math::min);
        }
    }

    ProjectStep projectStep() {
        if (project != null && engine != null) {
            throw new IllegalStateException("give either project(step) or projection(engine), not both");
        }
        if (project != null) {
            return project;
        }
        ProjectionEngine e = engine;
        if (e == null) {
            // The default engine plans against what the cloud offers now, under the predictor's SLA policies.
            ProjectionEngine.Builder pb = ProjectionEngine.builder()
                    .offers(CapacityOffers.fromCloud(cloud.offers())).clock(clock);
            if (policies != null) {
                pb.slaPolicies(policies);
            }
            e = pb.build();
        }
        return StatefulProjectStep.of(budgeted(e), events);
    }

    /**
     * The engine with the gate's thresholds as its budget and the loop's cycle as its own, so that the same
     * numbers decide both which changes the projection proposes and what the gate approves: the hourly
     * threshold, or the per-cycle one spread over the cycle's hours when that is tighter, charged with the
     * services due in the cycle. An engine built with a budget of its own must agree with the hourly
     * threshold. A missing or bad threshold is left for the gate to report.
     */
    private ProjectionEngine budgeted(ProjectionEngine engine) {
        ProjectionEngine cycled = engine.withCycle(cycle);
        if (!(maxCostPerHour >= 0) || Double.isInfinite(maxCostPerHour)) {
            return cycled;
        }
        if (!Double.isInfinite(engine.budgetPerHour()) && engine.budgetPerHour() != maxCostPerHour) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the projection engine's budgetPerHour (%s) differs from the hourly threshold (%s): give "
                            + "the budget once, with thresholds(perHour, perCycle)",
                    engine.budgetPerHour(), maxCostPerHour));
        }
        ProjectionEngine hourly = cycled.withBudgetPerHour(maxCostPerHour);
        // The engine spreads the per-cycle threshold over its cycle and names it in its reasons when tighter.
        return maxCostPerCycle >= 0 ? hourly.withBudgetPerCycle(maxCostPerCycle) : hourly;
    }

    FeedbackStep feedbackStep(PredictStep built) {
        if (feedback != null && tracker != null) {
            throw new IllegalStateException("give either feedback(step) or feedbackTracking(tracker), not both");
        }
        if (tracker == null) {
            return feedback != null ? feedback : (now, predictions, report) -> List.of();
        }
        // The built-in step without a predictor has the near term alone, which keeps no model history to score
        // against: the tracker would record nothing, and nothing would say so.
        if (!(built instanceof OnlinePredictStep online) || (predict == null && predictor == null)) {
            throw new IllegalStateException("feedbackTracking needs the built-in predict step: monitor(...) and "
                    + "predictor(...)" + (predict == null ? "; no predictor(...) is given" : ""));
        }
        return AccuracyFeedbackStep.withCapacity(online, tracker, store, fleetId);
    }

    /**
     * The event feed the built-in steps read each cycle, which the predictor checks against the services it knows;
     * the predictor marks its cycles on it, so that the three see one read of the source a cycle.
     */
    CycleEvents events() {
        return events;
    }

    private HardCaps caps() {
        return caps != null ? caps : Double.isNaN(budget) ? HardCaps.defaults()
                : HardCaps.builder().maxFleetCostPerHour(budget).build();
    }
}
