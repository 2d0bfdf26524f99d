package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a provisional fleet state into running instances: the cost gate first, then, in
 * {@link Mode#APPLY} only, for each approved change in priority order that is due (its launch time is
 * before the gate's next cycle), an intent written to the store, then the call through the
 * {@link GuardedCloud}, then the commit of the new fleet state. A scale-out provisions and configures
 * new instances; a scale-in releases instances of its group, booting ones first (newest first: they
 * serve nobody yet and stop costing at once), then the newest ready ones.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>No duplicates.</b> Each launch's idempotency key is derived from the fleet, the change and
 *       what is launched, so a retry or a re-run after a crash cannot launch twice; a release's key from
 *       the fleet, the change and the instances it names.</li>
 *   <li><b>Nothing lost.</b> The intent is in the store before the cloud is called; a crash at any point
 *       leaves an open intent that {@link #reconcile} settles by asking the cloud what carries its key
 *       (a launch) or in what state its instances are (a release, released again under the same key if
 *       they still run).</li>
 *   <li><b>Capacity on its way counts.</b> A change provisions only what is neither in the fleet state nor
 *       in an open intent, so concurrent runs and re-runs of one plan do not launch the same demand twice;
 *       a scale-in releases only what is neither released nor on its way out, and never an instance an
 *       open release already names.</li>
 *   <li><b>Caps hold.</b> {@link HardCaps} bound every launch and release; only a logged
 *       {@link CapOverride} lifts them. No release takes a service below its SLA's on-demand base
 *       ({@link TierPolicy#minOnDemandCount()}, known when {@link Builder#slaPolicies} is set), whatever
 *       the plan or an override says.</li>
 *   <li><b>Serialised on the version.</b> Every write is a compare-and-set; a caller that loses re-reads
 *       and decides again on the fresh state.</li>
 * </ul>
 *
 * <p>Thread-safe; one instance may serve many threads and fleets.
 */
public final class PreProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(PreProvisioner.class);
    private static final int MAX_ROUNDS = 10_000;
    /** The tag every launched instance carries with its fleet's id; a host can find the fleet's instances by it. */
    public static final String TAG_FLEET = "fleetpredict.fleet";
    /** The tag every launched instance carries with the service it serves. */
    public static final String TAG_SERVICE = "fleetpredict.service";
    /** The tag every launched instance carries with the change it was launched for. */
    public static final String TAG_CHANGE = "fleetpredict.change";

    /** Whether a run may change anything. */
    public enum Mode {
        /** Gate and plan only; no call that changes the cloud or the store. The default. */
        PLAN_ONLY,
        /** Gate, then provision the approved changes. */
        APPLY
    }

    /** The boundaries between the steps of one launch; tests inject crashes at them. */
    enum Step { BEFORE_INTENT, AFTER_INTENT, AFTER_PROVISION, AFTER_CONFIGURE, AFTER_RELEASE, AFTER_COMMIT }

    private final CloudProvider cloud;
    private final FleetStateStore store;
    private final CostGate gate;
    private final HardCaps caps;
    private final Clock clock;
    private final Mode mode;
    private final SlaPolicies policies;
    private final Duration maxProvisioningTime;
    private final Duration intentGrace;
    private final Duration capacityBackoff;
    private final Duration intentRetention;
    private final Consumer<Step> checkpoint;
    private final Map<String, Instant> backedOff = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private PreProvisioner(Builder b) {
        this.cloud = b.cloud instanceof GuardedCloud ? b.cloud
                : GuardedCloud.builder(b.cloud).build();
        this.store = Objects.requireNonNull(b.store, "store");
        this.gate = Objects.requireNonNull(b.gate, "gate");
        this.caps = b.caps;
        this.clock = b.clock;
        this.mode = b.mode;
        this.policies = b.policies;
        this.maxProvisioningTime = b.maxProvisioningTime;
        this.intentGrace = b.intentGrace;
        this.capacityBackoff = b.capacityBackoff;
        this.intentRetention = b.intentRetention.compareTo(caps.window()) < 0 ? caps.window() : b.intentRetention;
        this.checkpoint = b.checkpoint;
    }

    /**
     * Starts building a pre-provisioner.
     *
     * @param cloud the provider; wrapped in a default {@link GuardedCloud} unless it already is one
     * @return a builder in {@link Mode#PLAN_ONLY} with {@link HardCaps#defaults()} and the UTC system clock
     */
    public static Builder builder(CloudProvider cloud) {
        return new Builder(Objects.requireNonNull(cloud, "cloud"));
    }

    /**
     * The mode runs use.
     *
     * @return plan-only or apply
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The cost gate's decision on a plan, without provisioning anything.
     *
     * @param plan the provisional fleet state
     * @return the decision
     * @throws CloudException if the offers cannot be read
     */
    public GateDecision gate(ProvisionalFleetState plan) {
        return gate.evaluate(plan, cloud.offers(), clock.instant());
    }

    /**
     * Gates a plan and, in {@link Mode#APPLY}, carries out the approved changes that are due: scale-outs
     * are provisioned, scale-ins released; a change whose launch time is after the next cycle waits.
     *
     * @param plan the provisional fleet state
     * @return what was decided and done
     * @throws StateStoreException if the fleet's stored state is missing, unreadable or older than the
     *     plan; nothing was sent to the cloud
     * @throws CloudException if the offers cannot be read
     */
    public ProvisioningReport run(ProvisionalFleetState plan) {
        return run(plan, Optional.empty());
    }

    /**
     * Like {@link #run(ProvisionalFleetState)}, under other caps; the override is logged at WARN.
     *
     * @param plan the provisional fleet state
     * @param override the caps to use instead of the configured ones, and why
     * @return what was decided and done
     */
    public ProvisioningReport run(ProvisionalFleetState plan, CapOverride override) {
        return run(plan, Optional.of(Objects.requireNonNull(override, "override")));
    }

    private ProvisioningReport run(ProvisionalFleetState plan, Optional<CapOverride> override) {
        Objects.requireNonNull(plan, "plan");
        Instant now = clock.instant();
        String fleetId = plan.fleet().fleetId();
        StoredFleet stored = store.read(fleetId);
        if (stored.version() < plan.basis().fleetVersion()) {
            throw new StateStoreException(StateStoreException.Reason.STALE, fleetId, String.format(Locale.ROOT,
                    "stored version %d is older than version %d the plan was computed from", stored.version(),
                    plan.basis().fleetVersion()), null);
        }
        HardCaps effective = caps;
        if (override.isPresent()) {
            effective = override.get().caps();
            LOG.warn("fleet {}: hard caps overridden ({}): {} instead of {}", fleetId, override.get().reason(),
                    effective, caps);
        }
        List<Offer> offers = cloud.offers();
        GateDecision decision = gate.evaluate(plan, offers, now);
        List<ChangeOutcome> outcomes = new ArrayList<>();
        if (mode == Mode.PLAN_ONLY) {
            int plannedInstances = 0;
            double plannedCost = 0;
            Planned released = new Planned();
            for (ProvisionalChange change : decision.approved()) {
                Optional<ChangeOutcome> skip = skipReason(change, now);
                if (skip.isPresent()) {
                    outcomes.add(skip.get());
                    continue;
                }
                if (change.action() == ChangeAction.SCALE_IN) {
                    outcomes.add(planRelease(stored, plan, change, effective, offers, now, released));
                    continue;
                }
                int wanted = wanted(stored, plan, change);
                if (wanted <= 0) {
                    outcomes.add(new ChangeOutcome.AlreadySatisfied(change.id(), "capacity already in the fleet or on its way"));
                    continue;
                }
                double unit = CostGate.offer(offers, change.instanceType(), change.region())
                        .map(o -> CostGate.price(o, change.purchaseOption()))
                        .orElse(change.estimatedCostPerHour() / change.count());
                Allowance a = allowance(stored, wanted, unit, effective, offers, now, plannedInstances, plannedCost);
                if (a.count() == 0) {
                    outcomes.add(new ChangeOutcome.Capped(change.id(), wanted, a.limits()));
                    continue;
                }
                plannedInstances += a.count();
                plannedCost += a.count() * unit;
                outcomes.add(new ChangeOutcome.Planned(change.id(), change.service(), change.instanceType(),
                        change.region(), change.purchaseOption(), a.count(), a.count() * unit, a.limits()));
            }
            return new ProvisioningReport(fleetId, mode, now, decision, outcomes, Optional.empty(), override,
                    stored.version());
        }
        ReconcileReport reconciled = reconcile(fleetId);
        for (ProvisionalChange change : decision.approved()) {
            Optional<ChangeOutcome> skip = skipReason(change, now);
            if (skip.isPresent()) {
                outcomes.add(skip.get());
            } else if (change.action() == ChangeAction.SCALE_IN) {
                outcomes.add(release(plan, change, effective, offers));
            } else {
                outcomes.add(provision(plan, change, effective, offers));
            }
        }
        return new ProvisioningReport(fleetId, mode, now, decision, outcomes, Optional.of(reconciled), override,
                store.read(fleetId).version());
    }

    private Optional<ChangeOutcome> skipReason(ProvisionalChange change, Instant now) {
        if (change.action() == ChangeAction.REPLACE) {
            // A replace names the capacity to add but not the instances it stands in for.
            return Optional.of(new ChangeOutcome.Skipped(change.id(), "replace names only the new capacity, not "
                    + "what it replaces; it is carried out as a scale-out, then a scale-in once the new capacity runs"));
        }
        // Launch in the last cycle that starts before the launch time: the next one would be late.
        if (!change.launchAt().isBefore(now.plus(gate.cycle()))) {
            return Optional.of(new ChangeOutcome.Waiting(change.id(), change.launchAt()));
        }
        return Optional.empty();
    }

    /**
     * Settles what a crash or a lost answer left open: each open launch intent older than the grace
     * period is resolved by asking the cloud which instances carry its idempotency key (counted in the
     * state if any, abandoned if none); each open release intent older than the grace period by asking
     * in what state its instances are (released again under the same key if any still runs, then taken
     * out of the state); instances still not ready after the maximum provisioning time are
     * released; and instances that have ended (released, or spot instances interrupted) are taken out
     * of the state.
     *
     * @param fleetId the fleet
     * @return what was fixed
     * @throws StateStoreException if the fleet's stored state is missing or unreadable
     */
    public ReconcileReport reconcile(String fleetId) {
        Objects.requireNonNull(fleetId, "fleetId");
        Instant now = clock.instant();
        StoredFleet stored = store.read(fleetId);
        List<String> adopted = new ArrayList<>();
        List<String> abandoned = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (ProvisioningIntent intent : stored.intents()) {
            if (intent.status() != ProvisioningIntent.Status.OPEN || inFlight.contains(intent.id())
                    || intent.createdAt().plus(intentGrace).isAfter(now)) {
                continue;
            }
            if (intent.kind() == ProvisioningIntent.Kind.RELEASE) {
                if (finishRelease(fleetId, intent)) {
                    released.add(intent.id());
                }
                continue;
            }
            List<Instance> found = cloud.describe(DescribeRequest.all()
                    .withIdempotencyKey(intent.idempotencyKey())).instances();
            if (found.isEmpty()) {
                if (settle(fleetId, intent.id(), ProvisioningIntent.Status.ABANDONED)) {
                    abandoned.add(intent.id());
                    LOG.debug("fleet {}: intent {} abandoned, nothing was launched under {}", fleetId, intent.id(),
                            intent.idempotencyKey());
                }
            } else {
                commit(fleetId, intent.id(), found.stream().map(Instance::id).toList(), null);
                adopted.add(intent.id());
                LOG.warn("fleet {}: intent {} found open; adopted {} instances launched under {}", fleetId,
                        intent.id(), found.size(), intent.idempotencyKey());
            }
        }
        List<String> givenUp = giveUpStuck(fleetId, now);
        List<String> ended = syncEnded(fleetId);
        return new ReconcileReport(fleetId, adopted, abandoned, givenUp, ended, store.read(fleetId).version(),
                released);
    }

    private List<String> giveUpStuck(String fleetId, Instant now) {
        StoredFleet stored = store.read(fleetId);
        Set<String> openKeys = ConcurrentHashMap.newKeySet();
        stored.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN)
                .forEach(i -> openKeys.add(i.idempotencyKey()));
        List<Instance> stuck = cloud.describe(DescribeRequest.all().withTags(Map.of(TAG_FLEET, fleetId))
                .withStates(Set.of(InstanceState.PENDING))).instances().stream()
                .filter(i -> !openKeys.contains(i.idempotencyKey()))
                .filter(i -> i.launchedAt().plus(maxProvisioningTime).isBefore(now)).toList();
        if (stuck.isEmpty()) {
            return List.of();
        }
        List<String> ids = stuck.stream().map(Instance::id).sorted().toList();
        cloud.release(ReleaseRequest.of(IdempotencyKeys.derive("fp-giveup", fleetId, ids), ids));
        LOG.warn("fleet {}: released {} instances not ready {} after launch: {}", fleetId, ids.size(),
                maxProvisioningTime, ids);
        return ids;
    }

    /**
     * Takes instances that have ended (interrupted spot, released by give-up or by hand) out of the
     * state and out of their intents, so the state stays equal to what runs and the change can be
     * provisioned again.
     */
    private List<String> syncEnded(String fleetId) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            Set<String> ids = new java.util.TreeSet<>();
            s.intents().stream().filter(i -> i.kind() == ProvisioningIntent.Kind.LAUNCH
                    && i.status() == ProvisioningIntent.Status.DONE).forEach(i -> ids.addAll(i.instanceIds()));
            // An open release owns its instances: its commit takes them out of the state, once.
            ids.removeAll(releasing(s));
            if (ids.isEmpty()) {
                return List.of();
            }
            Set<String> ended = new java.util.TreeSet<>();
            cloud.describe(DescribeRequest.all().withInstanceIds(ids)).instances().stream()
                    .filter(i -> !i.state().active()).forEach(i -> ended.add(i.id()));
            if (ended.isEmpty()) {
                return List.of();
            }
            FleetState state = s.state();
            List<ProvisioningIntent> intents = new ArrayList<>();
            for (ProvisioningIntent i : s.intents()) {
                if (i.status() != ProvisioningIntent.Status.DONE || i.kind() != ProvisioningIntent.Kind.LAUNCH) {
                    intents.add(i);
                    continue;
                }
                List<String> kept = i.instanceIds().stream().filter(id -> !ended.contains(id)).toList();
                int gone = i.instanceIds().size() - kept.size();
                if (gone > 0) {
                    state = adjust(state, i.service(), i.slaTier(), i.instanceType(), i.region(), i.purchaseOption(),
                            null, null, -gone);
                    intents.add(i.settle(ProvisioningIntent.Status.DONE, kept));
                } else {
                    intents.add(i);
                }
            }
            if (store.compareAndSet(s.version(), new StoredFleet(bump(state, clock.instant()), intents))) {
                LOG.info("fleet {}: {} instances ended and were taken out of the state: {}", fleetId, ended.size(), ended);
                return List.copyOf(ended);
            }
        }
    }

    private ChangeOutcome provision(ProvisionalFleetState plan, ProvisionalChange change, HardCaps effective,
            List<Offer> offers) {
        String fleetId = plan.fleet().fleetId();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            checkpoint.accept(Step.BEFORE_INTENT);
            Instant now = clock.instant();
            StoredFleet s = store.read(fleetId);
            int wanted = wanted(s, plan, change);
            if (wanted <= 0) {
                return new ChangeOutcome.AlreadySatisfied(change.id(), "capacity already in the fleet or on its way");
            }
            Optional<Choice> choice = choose(plan, change, offers, wanted, now);
            if (choice.isEmpty()) {
                return new ChangeOutcome.Failed(change.id(), CloudException.Kind.CAPACITY_UNAVAILABLE,
                        "no allowed offer for " + change.instanceType() + " in " + change.region()
                                + " has capacity; backed off until later");
            }
            Choice c = choice.get();
            Allowance a = allowance(s, c.count(), c.unitPrice(), effective, offers, now, 0, 0);
            if (a.count() == 0) {
                LOG.debug("fleet {}: change {} capped by {}", fleetId, change.id(), a.limits());
                return new ChangeOutcome.Capped(change.id(), wanted, a.limits());
            }
            int count = a.count();
            int covered = count == c.count() ? wanted : Math.max(1, (int) Math.floor((double) count * wanted / c.count()));
            long seq = s.intents().stream().filter(i -> i.changeId().equals(change.id())
                    && i.status() == ProvisioningIntent.Status.DONE).count();
            String tier = tier(plan, change.service());
            String key = IdempotencyKeys.derive("fp", fleetId, plan.basis().fleetVersion(),
                    plan.basis().predictedTimestamp(), change.id(), seq, c.offer().instanceType(),
                    c.offer().region(), change.purchaseOption().jsonName(), count);
            ProvisioningIntent intent = new ProvisioningIntent(
                    String.format(Locale.ROOT, "in-%d-%s", s.version() + 1, key.substring(3, 11)), change.id(), key,
                    change.service(), tier, c.offer().instanceType(), c.offer().region(), change.purchaseOption(),
                    count, covered, c.unitPrice(), now, ProvisioningIntent.Status.OPEN, List.of());
            if (!write(s, intent, now)) {
                continue;
            }
            inFlight.add(intent.id());
            try {
                return launch(plan, change, intent, c.offer(), a.limits());
            } catch (CapacityUnavailable e) {
                backedOff.put(offerKey(c.offer()), now.plus(capacityBackoff));
                LOG.warn("fleet {}: {} in {} has no capacity; backed off for {}, trying the next cheapest offer",
                        fleetId, c.offer().instanceType(), c.offer().region(), capacityBackoff);
            } finally {
                inFlight.remove(intent.id());
            }
        }
        throw new IllegalStateException("change " + change.id() + " did not settle in " + MAX_ROUNDS + " rounds");
    }

    /** Writes a new intent (pruning settled old ones) if the state is still at {@code s}'s version. */
    private boolean write(StoredFleet s, ProvisioningIntent intent, Instant now) {
        List<ProvisioningIntent> intents = prune(s.intents(), now);
        intents.add(intent);
        return store.compareAndSet(s.version(), new StoredFleet(bump(s.state(), now), intents));
    }

    /** Thrown inside a launch to try the next offer. */
    private static final class CapacityUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CapacityUnavailable() {
            super(null, null, false, false);
        }
    }

    private ChangeOutcome launch(ProvisionalFleetState plan, ProvisionalChange change, ProvisioningIntent intent,
            Offer offer, List<HardCaps.Limit> limits) {
        String fleetId = plan.fleet().fleetId();
        checkpoint.accept(Step.AFTER_INTENT);
        Map<String, String> tags = new TreeMap<>();
        tags.put(TAG_FLEET, fleetId);
        tags.put(TAG_SERVICE, change.service());
        tags.put(TAG_CHANGE, change.id());
        ProvisionResult result;
        try {
            result = cloud.provision(new ProvisionRequest(intent.idempotencyKey(), intent.instanceType(),
                    intent.region(), spiOption(intent.purchaseOption()), intent.count(), tags));
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.TIMED_OUT) {
                // The outcome is unknown: the intent stays open for reconcile to settle by describe.
                LOG.warn("fleet {}: provision for change {} timed out; intent {} left for reconcile", fleetId,
                        change.id(), intent.id());
                return new ChangeOutcome.Failed(change.id(), e.kind(), e.getMessage());
            }
            settle(fleetId, intent.id(), ProvisioningIntent.Status.FAILED);
            if (e.kind() == CloudException.Kind.CAPACITY_UNAVAILABLE) {
                throw new CapacityUnavailable();
            }
            LOG.warn("fleet {}: provision for change {} failed: {}", fleetId, change.id(), e.getMessage());
            return new ChangeOutcome.Failed(change.id(), e.kind(), e.getMessage());
        }
        checkpoint.accept(Step.AFTER_PROVISION);
        configure(plan, change, result);
        checkpoint.accept(Step.AFTER_CONFIGURE);
        List<String> ids = result.instances().stream().map(Instance::id).toList();
        long version = commit(fleetId, intent.id(), ids, plan);
        checkpoint.accept(Step.AFTER_COMMIT);
        if (result.partial()) {
            LOG.warn("fleet {}: change {} partly fulfilled, {} of {} launched; the rest is left to the next cycle",
                    fleetId, change.id(), ids.size(), intent.count());
        }
        LOG.debug("fleet {}: change {} launched {} x {} in {} ({})", fleetId, change.id(), ids.size(),
                intent.instanceType(), intent.region(), ids);
        return new ChangeOutcome.Provisioned(change.id(), change.service(), intent.instanceType(), intent.region(),
                intent.purchaseOption(), intent.count(), ids, ids.size() * intent.pricePerHour(), result.partial(),
                limits, version);
    }

    private void configure(ProvisionalFleetState plan, ProvisionalChange change, ProvisionResult result) {
        if (!cloud.capabilities().contains(Capability.CONFIGURE)) {
            return;
        }
        Set<String> ids = new java.util.TreeSet<>();
        result.instances().stream().filter(i -> i.state().active()).forEach(i -> ids.add(i.id()));
        if (ids.isEmpty()) {
            return;
        }
        Map<String, String> settings = new TreeMap<>();
        settings.put("fleetpredict.fleet", plan.fleet().fleetId());
        settings.put("fleetpredict.service", change.service());
        settings.put("fleetpredict.sla-tier", tier(plan, change.service()));
        settings.put("fleetpredict.change", change.id());
        try {
            cloud.configure(new ConfigureRequest(IdempotencyKeys.derive("fp-cfg", result.request().idempotencyKey()),
                    ids, settings));
        } catch (CloudException e) {
            // The instances exist and are counted; configuration is retried by the host's own tooling.
            LOG.warn("fleet {}: configuring {} for change {} failed: {}", plan.fleet().fleetId(), ids, change.id(),
                    e.getMessage());
        }
    }

    /** Counts launched instances into the state and marks the intent done; idempotent per intent. */
    private long commit(String fleetId, String intentId, List<String> ids, ProvisionalFleetState plan) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            Optional<ProvisioningIntent> current = s.intent(intentId);
            if (current.isEmpty()) {
                throw new IllegalStateException("intent " + intentId + " of fleet " + fleetId + " vanished from the store");
            }
            ProvisioningIntent intent = current.get();
            if (intent.status() == ProvisioningIntent.Status.DONE) {
                return s.version();
            }
            Instant now = clock.instant();
            List<ResourceAmount> capacity = capacityOf(plan, s.state(), intent);
            FleetState state = adjust(s.state(), intent.service(), intent.slaTier(), intent.instanceType(),
                    intent.region(), intent.purchaseOption(), capacity, plan, ids.size());
            List<ProvisioningIntent> intents = new ArrayList<>(s.intents());
            intents.replaceAll(i -> i.id().equals(intentId) ? i.settle(ProvisioningIntent.Status.DONE, ids) : i);
            StoredFleet next = new StoredFleet(bump(state, now), intents);
            if (store.compareAndSet(s.version(), next)) {
                return next.version();
            }
        }
    }

    private boolean settle(String fleetId, String intentId, ProvisioningIntent.Status status) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            Optional<ProvisioningIntent> current = s.intent(intentId);
            if (current.isEmpty() || current.get().status() != ProvisioningIntent.Status.OPEN) {
                return false;
            }
            List<ProvisioningIntent> intents = new ArrayList<>(s.intents());
            intents.replaceAll(i -> i.id().equals(intentId) ? i.settle(status, List.of()) : i);
            if (store.compareAndSet(s.version(), new StoredFleet(bump(s.state(), clock.instant()), intents))) {
                return true;
            }
        }
    }

    // ---------------------------------------------------------------- release

    /** What plan-only runs have already planned to release, so later changes of one run see it. */
    private static final class Planned {
        private final Set<String> ids = new java.util.HashSet<>();
        private final Map<String, Integer> nonSpotByService = new java.util.HashMap<>();
    }

    /** How many instances a scale-in may release now, which ones, and what cut the count. */
    private record ReleaseChoice(int wanted, List<Instance> chosen, List<HardCaps.Limit> limits, double unitPrice) {
    }

    private ChangeOutcome planRelease(StoredFleet s, ProvisionalFleetState plan, ProvisionalChange change,
            HardCaps caps, List<Offer> offers, Instant now, Planned planned) {
        ReleaseChoice r = chooseRelease(s, plan, change, caps, offers, now, planned);
        Optional<ChangeOutcome> none = nothingToRelease(change, r);
        if (none.isPresent()) {
            return none.get();
        }
        List<String> ids = r.chosen().stream().map(Instance::id).toList();
        planned.ids.addAll(ids);
        if (change.purchaseOption() != PurchaseOption.SPOT) {
            planned.nonSpotByService.merge(change.service(), ids.size(), Integer::sum);
        }
        return new ChangeOutcome.PlannedRelease(change.id(), change.service(), change.instanceType(), change.region(),
                change.purchaseOption(), ids, ids.size() * r.unitPrice(), r.limits());
    }

    private static Optional<ChangeOutcome> nothingToRelease(ProvisionalChange change, ReleaseChoice r) {
        if (r.wanted() <= 0) {
            return Optional.of(new ChangeOutcome.AlreadySatisfied(change.id(),
                    "the change's instances are already released or on their way out"));
        }
        if (r.chosen().isEmpty() && !r.limits().isEmpty()) {
            return Optional.of(new ChangeOutcome.Capped(change.id(), r.wanted(), r.limits()));
        }
        if (r.chosen().isEmpty()) {
            return Optional.of(new ChangeOutcome.Skipped(change.id(), String.format(Locale.ROOT,
                    "no active %s %s instance in %s of service %s carries the fleet's tag; nothing to release",
                    change.purchaseOption().jsonName(), change.instanceType(), change.region(), change.service())));
        }
        return Optional.empty();
    }

    private ChangeOutcome release(ProvisionalFleetState plan, ProvisionalChange change, HardCaps effective,
            List<Offer> offers) {
        String fleetId = plan.fleet().fleetId();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            checkpoint.accept(Step.BEFORE_INTENT);
            Instant now = clock.instant();
            StoredFleet s = store.read(fleetId);
            ReleaseChoice r = chooseRelease(s, plan, change, effective, offers, now, new Planned());
            Optional<ChangeOutcome> none = nothingToRelease(change, r);
            if (none.isPresent()) {
                return none.get();
            }
            List<String> ids = r.chosen().stream().map(Instance::id).toList();
            long seq = s.intents().stream().filter(i -> i.changeId().equals(change.id())
                    && i.kind() == ProvisioningIntent.Kind.RELEASE && i.status() == ProvisioningIntent.Status.DONE)
                    .count();
            String key = IdempotencyKeys.derive("fp-rel", fleetId, plan.basis().fleetVersion(),
                    plan.basis().predictedTimestamp(), change.id(), seq, ids);
            ProvisioningIntent intent = new ProvisioningIntent(
                    String.format(Locale.ROOT, "rl-%d-%s", s.version() + 1, key.substring(7, 15)), change.id(), key,
                    change.service(), tier(plan, change.service()), change.instanceType(), change.region(),
                    change.purchaseOption(), ids.size(), ids.size(), r.unitPrice(), now,
                    ProvisioningIntent.Status.OPEN, ids, ProvisioningIntent.Kind.RELEASE);
            if (!write(s, intent, now)) {
                continue;
            }
            inFlight.add(intent.id());
            try {
                return releaseNow(fleetId, change, intent, r.limits());
            } finally {
                inFlight.remove(intent.id());
            }
        }
        throw new IllegalStateException("change " + change.id() + " did not settle in " + MAX_ROUNDS + " rounds");
    }

    private ChangeOutcome releaseNow(String fleetId, ProvisionalChange change, ProvisioningIntent intent,
            List<HardCaps.Limit> limits) {
        checkpoint.accept(Step.AFTER_INTENT);
        try {
            cloud.release(ReleaseRequest.of(intent.idempotencyKey(), intent.instanceIds()));
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.TIMED_OUT) {
                LOG.warn("fleet {}: release for change {} timed out; intent {} left for reconcile", fleetId,
                        change.id(), intent.id());
            } else {
                settle(fleetId, intent.id(), ProvisioningIntent.Status.FAILED);
                LOG.warn("fleet {}: release for change {} failed: {}", fleetId, change.id(), e.getMessage());
            }
            return new ChangeOutcome.Failed(change.id(), e.kind(), e.getMessage());
        }
        checkpoint.accept(Step.AFTER_RELEASE);
        long version = commitRelease(fleetId, intent.id());
        checkpoint.accept(Step.AFTER_COMMIT);
        LOG.debug("fleet {}: change {} released {} x {} in {} ({})", fleetId, change.id(), intent.count(),
                intent.instanceType(), intent.region(), intent.instanceIds());
        return new ChangeOutcome.Released(change.id(), change.service(), intent.instanceType(), intent.region(),
                intent.purchaseOption(), intent.instanceIds(), intent.count() * intent.pricePerHour(), limits, version);
    }

    /**
     * Completes an open release found by reconcile: committed if its instances have ended (or the cloud
     * no longer knows them), else released again under the same key first.
     */
    private boolean finishRelease(String fleetId, ProvisioningIntent intent) {
        Set<String> ids = Set.copyOf(intent.instanceIds());
        boolean running = cloud.describe(DescribeRequest.all().withInstanceIds(ids)).instances().stream()
                .anyMatch(i -> i.state().active());
        if (running) {
            try {
                cloud.release(ReleaseRequest.of(intent.idempotencyKey(), ids));
            } catch (CloudException e) {
                LOG.warn("fleet {}: release intent {} found open, releasing again failed ({}); left for the next "
                        + "reconcile", fleetId, intent.id(), e.getMessage());
                return false;
            }
        }
        commitRelease(fleetId, intent.id());
        LOG.warn("fleet {}: release intent {} found open; {} instances {}", fleetId, intent.id(), ids.size(),
                running ? "released again under its key" : "had ended");
        return true;
    }

    /**
     * Takes released instances out of the state and out of the intents that launched them, and marks
     * the release done; idempotent per intent.
     */
    private long commitRelease(String fleetId, String intentId) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            ProvisioningIntent intent = s.intent(intentId).orElseThrow(() -> new IllegalStateException(
                    "intent " + intentId + " of fleet " + fleetId + " vanished from the store"));
            if (intent.status() != ProvisioningIntent.Status.OPEN) {
                return s.version();
            }
            Set<String> gone = Set.copyOf(intent.instanceIds());
            FleetState state = adjust(s.state(), intent.service(), intent.slaTier(), intent.instanceType(),
                    intent.region(), intent.purchaseOption(), null, null, -intent.count());
            List<ProvisioningIntent> intents = new ArrayList<>();
            for (ProvisioningIntent i : s.intents()) {
                if (i.id().equals(intentId)) {
                    intents.add(i.settle(ProvisioningIntent.Status.DONE, i.instanceIds()));
                } else if (i.kind() == ProvisioningIntent.Kind.LAUNCH && i.status() == ProvisioningIntent.Status.DONE
                        && i.instanceIds().stream().anyMatch(gone::contains)) {
                    intents.add(i.settle(ProvisioningIntent.Status.DONE,
                            i.instanceIds().stream().filter(id -> !gone.contains(id)).toList()));
                } else {
                    intents.add(i);
                }
            }
            StoredFleet next = new StoredFleet(bump(state, clock.instant()), intents);
            if (store.compareAndSet(s.version(), next)) {
                return next.version();
            }
        }
    }

    /** The instances open releases name. */
    private static Set<String> releasing(StoredFleet s) {
        Set<String> ids = new java.util.HashSet<>();
        s.intents().stream().filter(i -> i.kind() == ProvisioningIntent.Kind.RELEASE
                && i.status() == ProvisioningIntent.Status.OPEN).forEach(i -> ids.addAll(i.instanceIds()));
        return ids;
    }

    /**
     * How many of a scale-in's instances are neither released nor on their way out, cut by the caps and
     * the on-demand base, and which instances they are.
     */
    private ReleaseChoice chooseRelease(StoredFleet s, ProvisionalFleetState plan, ProvisionalChange change,
            HardCaps caps, List<Offer> offers, Instant now, Planned planned) {
        PurchaseOption option = change.purchaseOption();
        double unit = CostGate.offer(offers, change.instanceType(), change.region())
                .map(o -> CostGate.price(o, option)).orElse(0.0);
        long planCount = count(plan.fleet(), change.service(), change.instanceType(), change.region(), option);
        long stateCount = count(s.state(), change.service(), change.instanceType(), change.region(), option);
        long leaving = s.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN
                && i.kind() == ProvisioningIntent.Kind.RELEASE && inGroup(i, change))
                .mapToLong(ProvisioningIntent::releasing).sum();
        // The group's target is what the plan saw minus the change; what is already gone or leaving counts.
        long byGroup = stateCount - leaving - Math.max(0, planCount - change.count());
        long byChange = change.count() - s.intents().stream().filter(i -> i.changeId().equals(change.id())
                && i.kind() == ProvisioningIntent.Kind.RELEASE).mapToLong(ProvisioningIntent::covering).sum();
        int wanted = (int) Math.max(0, Math.min(byGroup, byChange));
        if (wanted == 0) {
            return new ReleaseChoice(0, List.of(), List.of(), unit);
        }
        Map<HardCaps.Limit, Boolean> hit = new EnumMap<>(HardCaps.Limit.class);
        long allowed = wanted;
        if (allowed > caps.maxInstancesPerCall()) {
            allowed = caps.maxInstancesPerCall();
            hit.put(HardCaps.Limit.PER_CALL, true);
        }
        Instant windowStart = now.minus(caps.window());
        long inWindow = planned.ids.size() + s.intents().stream().filter(i -> i.createdAt().isAfter(windowStart))
                .mapToLong(ProvisioningIntent::releasing).sum();
        long windowRoom = Math.max(0, caps.maxReleasesPerWindow() - inWindow);
        if (allowed > windowRoom) {
            allowed = windowRoom;
            hit.put(HardCaps.Limit.RELEASES_PER_WINDOW, true);
        }
        int base = policies == null || policies.effectivePolicy(change.service()) == null ? 0
                : policies.effectivePolicy(change.service()).minOnDemandCount();
        if (option != PurchaseOption.SPOT && base > 0) {
            long onDemand = s.state().services().stream().filter(v -> v.name().equals(change.service()))
                    .flatMap(v -> v.instanceGroups().stream()).filter(g -> g.purchaseOption() != PurchaseOption.SPOT)
                    .mapToLong(InstanceGroup::count).sum();
            long onDemandLeaving = s.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN
                    && i.service().equals(change.service()) && i.purchaseOption() != PurchaseOption.SPOT)
                    .mapToLong(ProvisioningIntent::releasing).sum();
            long baseRoom = Math.max(0, onDemand - onDemandLeaving
                    - planned.nonSpotByService.getOrDefault(change.service(), 0) - base);
            if (allowed > baseRoom) {
                allowed = baseRoom;
                hit.put(HardCaps.Limit.ON_DEMAND_BASE, true);
            }
        }
        List<Instance> candidates = candidates(s, plan.fleet().fleetId(), change, planned.ids);
        if (candidates.size() < allowed) {
            LOG.debug("fleet {}: change {} may release {} but finds {} active instances of its group", plan.fleet()
                    .fleetId(), change.id(), allowed, candidates.size());
        }
        List<Instance> chosen = candidates.subList(0, (int) Math.min(allowed, candidates.size()));
        return new ReleaseChoice(wanted, List.copyOf(chosen), List.copyOf(hit.keySet()), unit);
    }

    private static boolean inGroup(ProvisioningIntent i, ProvisionalChange change) {
        return i.service().equals(change.service()) && i.instanceType().equals(change.instanceType())
                && i.region().equals(change.region()) && i.purchaseOption() == change.purchaseOption();
    }

    /** Booting first, then running; newest launch first within each; the id breaks ties. */
    static final java.util.Comparator<Instance> RELEASE_ORDER = java.util.Comparator
            .comparing((Instance i) -> i.state() == InstanceState.PENDING ? 0 : 1)
            .thenComparing(Instance::launchedAt, java.util.Comparator.reverseOrder())
            .thenComparing(Instance::id, java.util.Comparator.reverseOrder());

    /**
     * The active instances of a scale-in's group, in the order they are released: those the group's done
     * launches recorded and those the cloud shows with the fleet's and the service's tags, less the ones
     * an open release names, another group's launch recorded, or this run already chose.
     */
    private List<Instance> candidates(StoredFleet s, String fleetId, ProvisionalChange change, Set<String> taken) {
        Set<String> recorded = new java.util.TreeSet<>();
        Set<String> otherGroups = new java.util.HashSet<>();
        for (ProvisioningIntent i : s.intents()) {
            if (i.kind() == ProvisioningIntent.Kind.LAUNCH && i.status() == ProvisioningIntent.Status.DONE) {
                (inGroup(i, change) ? recorded : otherGroups).addAll(i.instanceIds());
            }
        }
        Map<String, Instance> found = new TreeMap<>();
        Map<String, String> tags = Map.of(TAG_FLEET, fleetId, TAG_SERVICE, change.service());
        cloud.describe(DescribeRequest.active().withTags(tags)).instances().forEach(i -> found.put(i.id(), i));
        if (!recorded.isEmpty()) {
            cloud.describe(DescribeRequest.active().withInstanceIds(recorded)).instances()
                    .forEach(i -> found.put(i.id(), i));
        }
        Set<String> excluded = releasing(s);
        excluded.addAll(otherGroups);
        excluded.addAll(taken);
        return found.values().stream()
                .filter(i -> i.state().active() && !excluded.contains(i.id()))
                .filter(i -> i.instanceType().equals(change.instanceType()) && i.region().equals(change.region())
                        && i.purchaseOption() == spiOption(change.purchaseOption()))
                .sorted(RELEASE_ORDER).toList();
    }

    /** How many of a change's instances are neither in the fleet nor on their way. */
    static int wanted(StoredFleet s, ProvisionalFleetState plan, ProvisionalChange change) {
        PurchaseOption option = change.purchaseOption();
        long planCount = count(plan.fleet(), change.service(), change.instanceType(), change.region(), option);
        long stateCount = count(s.state(), change.service(), change.instanceType(), change.region(), option);
        long open = s.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN
                && i.service().equals(change.service()) && i.instanceType().equals(change.instanceType())
                && i.region().equals(change.region()) && i.purchaseOption() == option)
                .mapToLong(ProvisioningIntent::launching).sum();
        long byGroup = planCount + change.count() - stateCount - open;
        long byChange = change.count() - s.intents().stream().filter(i -> i.changeId().equals(change.id())
                && i.kind() == ProvisioningIntent.Kind.LAUNCH).mapToLong(ProvisioningIntent::covering).sum();
        return (int) Math.max(0, Math.min(byGroup, byChange));
    }

    private static long count(FleetState state, String service, String type, String region, PurchaseOption option) {
        return state.services().stream().filter(s -> s.name().equals(service))
                .flatMap(s -> s.instanceGroups().stream())
                .filter(g -> g.instanceType().equals(type) && g.region().equals(region) && g.purchaseOption() == option)
                .mapToLong(InstanceGroup::count).sum();
    }

    /** How many instances the caps allow, and which caps cut the request. */
    record Allowance(int count, List<HardCaps.Limit> limits) {
    }

    static Allowance allowance(StoredFleet s, int wanted, double unitPrice, HardCaps caps, List<Offer> offers,
            Instant now, int extraInstances, double extraCost) {
        Map<HardCaps.Limit, Boolean> hit = new EnumMap<>(HardCaps.Limit.class);
        long allowed = wanted;
        if (allowed > caps.maxInstancesPerCall()) {
            allowed = caps.maxInstancesPerCall();
            hit.put(HardCaps.Limit.PER_CALL, true);
        }
        Instant windowStart = now.minus(caps.window());
        long inWindow = extraInstances + s.intents().stream().filter(i -> i.createdAt().isAfter(windowStart))
                .mapToLong(ProvisioningIntent::launching).sum();
        long windowRoom = Math.max(0, caps.maxInstancesPerWindow() - inWindow);
        if (allowed > windowRoom) {
            allowed = windowRoom;
            hit.put(HardCaps.Limit.PER_WINDOW, true);
        }
        long open = s.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN)
                .mapToLong(ProvisioningIntent::launching).sum();
        long fleetInstances = extraInstances + open + s.state().services().stream()
                .flatMap(v -> v.instanceGroups().stream()).mapToLong(InstanceGroup::count).sum();
        long fleetRoom = Math.max(0, caps.maxFleetInstances() - fleetInstances);
        if (allowed > fleetRoom) {
            allowed = fleetRoom;
            hit.put(HardCaps.Limit.FLEET_INSTANCES, true);
        }
        double cost = extraCost + fleetCostPerHour(s, offers);
        if (unitPrice > 0) {
            long costRoom = (long) Math.max(0, Math.floor((caps.maxFleetCostPerHour() - cost) / unitPrice + 1e-9));
            if (allowed > costRoom) {
                allowed = costRoom;
                hit.put(HardCaps.Limit.FLEET_COST, true);
            }
        }
        return new Allowance((int) allowed, List.copyOf(hit.keySet()));
    }

    /** The fleet's cost per hour at current prices, with open intents at the price they were written with. */
    static double fleetCostPerHour(StoredFleet s, List<Offer> offers) {
        double cost = 0;
        for (ServiceState service : s.state().services()) {
            for (InstanceGroup g : service.instanceGroups()) {
                if (g.count() > 0) {
                    cost += g.count() * CostGate.offer(offers, g.instanceType(), g.region())
                            .map(o -> CostGate.price(o, g.purchaseOption())).orElse(0.0);
                }
            }
        }
        for (ProvisioningIntent i : s.intents()) {
            if (i.status() == ProvisioningIntent.Status.OPEN && i.kind() == ProvisioningIntent.Kind.LAUNCH) {
                cost += i.count() * i.pricePerHour();
            }
        }
        return cost;
    }

    /** The offer to launch and how many of it stand for the wanted instances. */
    private record Choice(Offer offer, int count, double unitPrice) {
    }

    private Optional<Choice> choose(ProvisionalFleetState plan, ProvisionalChange change, List<Offer> offers,
            int wanted, Instant now) {
        Optional<Offer> primary = CostGate.offer(offers, change.instanceType(), change.region());
        if (primary.isEmpty() || offers.isEmpty()) {
            // Unknown to the catalogue: let the provider answer (it names the bad field).
            double unit = change.estimatedCostPerHour() / change.count();
            Offer stand = new Offer(change.instanceType(), "unknown", change.region(), 1, 1, 1, 0,
                    Math.max(unit, 1e-9), java.util.OptionalDouble.empty(), 0, Duration.ofMinutes(1));
            return Optional.of(new Choice(stand, wanted, unit));
        }
        Offer p = primary.get();
        if (available(p, now)) {
            return Optional.of(new Choice(p, wanted, CostGate.price(p, change.purchaseOption())));
        }
        TierPolicy policy = policies == null ? null : policies.effectivePolicy(change.service());
        List<String> families = policy != null && policy.allowedInstanceFamilies() != null
                ? policy.allowedInstanceFamilies() : List.of(p.family());
        List<String> regions = policy != null && policy.allowedRegions() != null
                ? policy.allowedRegions() : List.of(p.region());
        Choice best = null;
        for (Offer o : offers) {
            if (o == p || !families.contains(o.family()) || !regions.contains(o.region()) || !available(o, now)
                    || (change.purchaseOption() == PurchaseOption.SPOT && !o.spotAvailable())) {
                continue;
            }
            double ratio = Math.max((double) p.cpuCores() / o.cpuCores(), p.memoryGiB() / o.memoryGiB());
            int needed = (int) Math.ceil(wanted * ratio - 1e-9);
            double unit = CostGate.price(o, change.purchaseOption());
            if (best == null || needed * unit < best.count() * best.unitPrice()) {
                best = new Choice(o, needed, unit);
            }
        }
        return Optional.ofNullable(best);
    }

    private boolean available(Offer offer, Instant now) {
        Instant until = backedOff.get(offerKey(offer));
        return until == null || !until.isAfter(now);
    }

    private static String offerKey(Offer offer) {
        return offer.region() + "/" + offer.instanceType();
    }

    private List<ProvisioningIntent> prune(List<ProvisioningIntent> intents, Instant now) {
        Instant cutoff = now.minus(intentRetention);
        List<ProvisioningIntent> kept = new ArrayList<>();
        for (ProvisioningIntent i : intents) {
            if (i.status() == ProvisioningIntent.Status.OPEN || !i.createdAt().isBefore(cutoff)) {
                kept.add(i);
            }
        }
        return kept;
    }

    private static FleetState bump(FleetState state, Instant now) {
        Instant asOf = now.isAfter(state.asOf()) ? now : state.asOf();
        return new FleetState(state.schemaVersion(), state.fleetId(), state.version() + 1, asOf, state.services());
    }

    private static String tier(ProvisionalFleetState plan, String service) {
        return plan.fleet().services().stream().filter(s -> s.name().equals(service)).map(ServiceState::slaTier)
                .findFirst().orElse("unknown");
    }

    private List<ResourceAmount> capacityOf(ProvisionalFleetState plan, FleetState state, ProvisioningIntent intent) {
        List<FleetState> sources = plan == null ? List.of(state) : List.of(state, plan.fleet());
        for (FleetState source : sources) {
            for (ServiceState s : source.services()) {
                for (InstanceGroup g : s.instanceGroups()) {
                    if (g.instanceType().equals(intent.instanceType()) && g.region().equals(intent.region())) {
                        return g.capacityPerInstance();
                    }
                }
            }
        }
        Optional<Offer> offer = Optional.empty();
        try {
            offer = CostGate.offer(cloud.offers(), intent.instanceType(), intent.region());
        } catch (CloudException e) {
            LOG.debug("offers unavailable while recording capacity: {}", e.getMessage());
        }
        if (offer.isPresent()) {
            return List.of(ResourceAmount.of(ResourceType.CPU, offer.get().cpuCores(), ResourceUnit.CORES),
                    ResourceAmount.of(ResourceType.MEMORY, offer.get().memoryGiB(), ResourceUnit.GIB));
        }
        return List.of(ResourceAmount.of(ResourceType.CPU, 1, ResourceUnit.CORES));
    }

    /** Adds (or removes, when negative) instances of one group, keeping allocated resources in step. */
    private static FleetState adjust(FleetState state, String service, String tier, String type, String region,
            PurchaseOption option, List<ResourceAmount> capacity, ProvisionalFleetState plan, int delta) {
        List<ServiceState> services = new ArrayList<>(state.services());
        int si = -1;
        for (int k = 0; k < services.size(); k++) {
            if (services.get(k).name().equals(service)) {
                si = k;
            }
        }
        if (si < 0) {
            if (delta <= 0) {
                return state;
            }
            String t = plan == null ? tier : tier(plan, service).equals("unknown") ? tier : tier(plan, service);
            services.add(new ServiceState(service, t, List.of(), List.of()));
            si = services.size() - 1;
        }
        ServiceState s = services.get(si);
        List<InstanceGroup> groups = new ArrayList<>(s.instanceGroups());
        int gi = -1;
        for (int k = 0; k < groups.size(); k++) {
            InstanceGroup g = groups.get(k);
            if (g.instanceType().equals(type) && g.region().equals(region) && g.purchaseOption() == option) {
                gi = k;
            }
        }
        int applied;
        List<ResourceAmount> perInstance;
        if (gi < 0) {
            if (delta <= 0 || capacity == null) {
                return state;
            }
            groups.add(new InstanceGroup(type, region, option, delta, capacity));
            applied = delta;
            perInstance = capacity;
        } else {
            InstanceGroup g = groups.get(gi);
            int count = Math.max(0, g.count() + delta);
            applied = count - g.count();
            perInstance = g.capacityPerInstance();
            groups.set(gi, new InstanceGroup(type, region, option, count, g.capacityPerInstance()));
        }
        Map<ResourceType, Double> allocated = new LinkedHashMap<>();
        for (ResourceAmount a : s.allocatedResources()) {
            allocated.put(a.type(), a.inCanonicalUnit().amount());
        }
        for (ResourceAmount a : perInstance) {
            allocated.merge(a.type(), applied * a.inCanonicalUnit().amount(), Double::sum);
        }
        List<ResourceAmount> amounts = new ArrayList<>();
        for (Map.Entry<ResourceType, Double> e : allocated.entrySet()) {
            ResourceUnit unit = perInstance.stream().filter(a -> a.type() == e.getKey()).findFirst()
                    .map(a -> a.inCanonicalUnit().unit())
                    .orElseGet(() -> s.allocatedResources().stream().filter(a -> a.type() == e.getKey()).findFirst()
                            .orElseThrow().inCanonicalUnit().unit());
            amounts.add(ResourceAmount.of(e.getKey(), Math.max(0, e.getValue()), unit));
        }
        services.set(si, new ServiceState(s.name(), s.slaTier(), groups, amounts));
        return new FleetState(state.schemaVersion(), state.fleetId(), state.version(), state.asOf(), services);
    }

    private static io.fleetpredict.cloud.PurchaseOption spiOption(PurchaseOption option) {
        return option == PurchaseOption.SPOT ? io.fleetpredict.cloud.PurchaseOption.SPOT
                : io.fleetpredict.cloud.PurchaseOption.ON_DEMAND;
    }

    private static PurchaseOption option(io.fleetpredict.cloud.PurchaseOption option) {
        return option == io.fleetpredict.cloud.PurchaseOption.SPOT ? PurchaseOption.SPOT : PurchaseOption.ON_DEMAND;
    }

    /** Builds a {@link PreProvisioner}; not thread-safe. */
    public static final class Builder {
        private final CloudProvider cloud;
        private FleetStateStore store;
        private CostGate gate;
        private HardCaps caps = HardCaps.defaults();
        private Clock clock = Clock.systemUTC();
        private Mode mode = Mode.PLAN_ONLY;
        private SlaPolicies policies;
        private Duration maxProvisioningTime = Duration.ofMinutes(15);
        private Duration intentGrace = Duration.ofMinutes(10);
        private Duration capacityBackoff = Duration.ofMinutes(10);
        private Duration intentRetention = Duration.ofHours(24);
        private Consumer<Step> checkpoint = step -> { };

        private Builder(CloudProvider cloud) {
            this.cloud = cloud;
        }

        /**
         * The fleet state store; required.
         *
         * @param value the store
         * @return this builder
         */
        public Builder store(FleetStateStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /**
         * The cost gate; required.
         *
         * @param value the gate
         * @return this builder
         */
        public Builder gate(CostGate value) {
            this.gate = Objects.requireNonNull(value, "gate");
            return this;
        }

        /**
         * The hard caps.
         *
         * @param value the caps
         * @return this builder
         */
        public Builder caps(HardCaps value) {
            this.caps = Objects.requireNonNull(value, "caps");
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
         * Plan-only (the default) or apply.
         *
         * @param value the mode
         * @return this builder
         */
        public Builder mode(Mode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /**
         * The SLA policies: which families and regions may stand in when an offer has no capacity.
         *
         * @param value the policies
         * @return this builder
         */
        public Builder slaPolicies(SlaPolicies value) {
            this.policies = Objects.requireNonNull(value, "slaPolicies");
            return this;
        }

        /**
         * How long an instance may stay pending before reconcile gives up on it and releases it.
         *
         * @param value positive
         * @return this builder
         */
        public Builder maxProvisioningTime(Duration value) {
            this.maxProvisioningTime = positive(value, "maxProvisioningTime");
            return this;
        }

        /**
         * How old an open intent must be before reconcile settles it; it must exceed the longest a
         * guarded provision can take, so a live caller's intent is never settled under it.
         *
         * @param value positive
         * @return this builder
         */
        public Builder intentGrace(Duration value) {
            this.intentGrace = positive(value, "intentGrace");
            return this;
        }

        /**
         * How long an offer that answered capacity unavailable is passed over.
         *
         * @param value positive
         * @return this builder
         */
        public Builder capacityBackoff(Duration value) {
            this.capacityBackoff = positive(value, "capacityBackoff");
            return this;
        }

        /**
         * How long settled intents are kept (at least the caps' window).
         *
         * @param value positive
         * @return this builder
         */
        public Builder intentRetention(Duration value) {
            this.intentRetention = positive(value, "intentRetention");
            return this;
        }

        Builder checkpoint(Consumer<Step> value) {
            this.checkpoint = Objects.requireNonNull(value, "checkpoint");
            return this;
        }

        /**
         * Builds the pre-provisioner.
         *
         * @return a thread-safe pre-provisioner
         * @throws NullPointerException if the store or the gate is missing
         */
        public PreProvisioner build() {
            return new PreProvisioner(this);
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
