package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.feedback.AuditEntry;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.internal.Decimals;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a plan, as {@link PreProvisioner#run(ProvisionalFleetState)} describes it: the gate, then
 * for each approved change that is due either what would be done (plan-only) or the change carried out
 * through an intent (apply): a launch for a scale-out, a release for a scale-in. Thread-safe.
 */
final class ProvisioningRun {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningRun.class);
    private static final int MAX_ROUNDS = 10_000;

    private final CloudProvider cloud;
    private final FleetStateStore store;
    private final CostGate gate;
    private final HardCaps caps;
    private final Clock clock;
    private final PreProvisioner.Mode mode;
    private final IntentJournal journal;
    private final Reconciler reconciler;
    private final OfferChooser offerChooser;
    private final ReleaseChooser releaseChooser;
    private final Consumer<PreProvisioner.Step> checkpoint;

    /**
     * @param checkpoint told of each step boundary of a launch or release, before the step's next action
     */
    ProvisioningRun(CloudProvider cloud, FleetStateStore store, CostGate gate, HardCaps caps, Clock clock,
            PreProvisioner.Mode mode, IntentJournal journal, Reconciler reconciler, OfferChooser offerChooser,
            ReleaseChooser releaseChooser, Consumer<PreProvisioner.Step> checkpoint) {
        this.cloud = cloud;
        this.store = store;
        this.gate = gate;
        this.caps = caps;
        this.clock = clock;
        this.mode = mode;
        this.journal = journal;
        this.reconciler = reconciler;
        this.offerChooser = offerChooser;
        this.releaseChooser = releaseChooser;
        this.checkpoint = checkpoint;
    }

    /**
     * The gate's decision on a plan as a plan-only run makes it: against the stored fleet, what the plan's
     * scale-outs launched in earlier cycles charged nothing. An apply run reconciles first, and decides on
     * what that settles.
     */
    GateDecision gate(ProvisionalFleetState plan) {
        Instant now = clock.instant();
        StoredFleet stored = read(plan);
        return gate.evaluate(plan, cloud.offers(), now, toLaunch(stored, plan));
    }

    /** The fleet's stored state, refused when it is older than the plan. */
    private StoredFleet read(ProvisionalFleetState plan) {
        String fleetId = plan.fleet().fleetId();
        StoredFleet stored = store.read(fleetId);
        if (stored.version() < plan.basis().fleetVersion()) {
            throw new StateStoreException(StateStoreException.Reason.STALE, fleetId, String.format(Locale.ROOT,
                    "stored version %d is older than version %d the plan was computed from", stored.version(),
                    plan.basis().fleetVersion()), null);
        }
        return stored;
    }

    /**
     * @param audit where a run under an override records it, before it sends anything and when it ends; given
     *     with every override
     */
    ProvisioningReport run(ProvisionalFleetState plan, Optional<CapOverride> override, @Nullable AuditLog audit) {
        Instant now = clock.instant();
        String fleetId = plan.fleet().fleetId();
        StoredFleet stored = read(plan);
        HardCaps effective = override.map(CapOverride::caps).orElse(caps);
        if (override.isPresent()) {
            LOG.warn("fleet {}: hard caps overridden ({}): {} instead of {}", fleetId, override.get().reason(),
                    effective, caps);
        }
        List<Offer> offers = cloud.offers();
        if (mode == PreProvisioner.Mode.PLAN_ONLY) {
            Map<String, Integer> toLaunch = toLaunch(stored, plan);
            GateDecision decision = gate.evaluate(plan, offers, now, toLaunch);
            List<ChangeOutcome> outcomes = notWeighed(plan, toLaunch);
            outcomes.addAll(planOnly(stored, plan, decision, effective, offers, now));
            return new ProvisioningReport(fleetId, mode, now, decision, outcomes, Optional.empty(), override,
                    stored.version());
        }
        // An override lifts the caps only once it is on record: a log that cannot be written stops the run here,
        // before anything is sent.
        String overrideId = fleetId + "@" + now;
        override.ifPresent(o -> Objects.requireNonNull(audit, "audit").append(new AuditEntry(now,
                AuditEntry.AuditEvent.CAPS_OVERRIDDEN, overrideId, o.author(), o.reason(),
                "hard caps of fleet " + fleetId, caps.toString(), o.caps().toString())));
        List<ChangeOutcome> outcomes = new ArrayList<>();
        if (override.isEmpty()) {
            return apply(plan, fleetId, now, effective, offers, override, outcomes);
        }
        ProvisioningReport report;
        try {
            report = apply(plan, fleetId, now, effective, offers, override, outcomes);
        } catch (RuntimeException e) {
            // What the run did before it threw is what the override allowed: on record too, the run's own failure
            // kept first.
            try {
                recordCarriedOut(audit, override.get(), overrideId, fleetId, carriedOut(outcomes) + "; the run "
                        + "ended early: " + e);
            } catch (RuntimeException unwritten) {
                e.addSuppressed(unwritten);
            }
            throw e;
        }
        recordCarriedOut(audit, override.get(), overrideId, fleetId, carriedOut(outcomes));
        return report;
    }

    private void recordCarriedOut(@Nullable AuditLog audit, CapOverride override, String overrideId, String fleetId,
            String done) {
        Objects.requireNonNull(audit, "audit").append(new AuditEntry(clock.instant(),
                AuditEntry.AuditEvent.CAPS_OVERRIDE_CARRIED_OUT, overrideId, override.author(), override.reason(),
                "hard caps of fleet " + fleetId, null, done));
    }

    /** What launches and releases a run's outcomes carried out, for the audit log. */
    private static String carriedOut(List<ChangeOutcome> outcomes) {
        List<String> done = new ArrayList<>();
        for (ChangeOutcome o : outcomes) {
            if (o instanceof ChangeOutcome.Provisioned p) {
                done.add(String.format(Locale.ROOT, "%s launched %d x %s in %s: %s", p.changeId(),
                        p.instanceIds().size(), p.instanceType(), p.region(), String.join(", ", p.instanceIds())));
            } else if (o instanceof ChangeOutcome.Released r) {
                done.add(String.format(Locale.ROOT, "%s released %d x %s in %s: %s", r.changeId(),
                        r.instanceIds().size(), r.instanceType(), r.region(), String.join(", ", r.instanceIds())));
            }
        }
        return done.isEmpty() ? "nothing launched or released" : String.join("; ", done);
    }

    /** An apply run: reconcile, then each approved change that is due, its outcomes added to {@code outcomes}. */
    private ProvisioningReport apply(ProvisionalFleetState plan, String fleetId, Instant now, HardCaps effective,
            List<Offer> offers, Optional<CapOverride> override, List<ChangeOutcome> outcomes) {
        // Reconcile first, so that what counts as launched is what the cloud settled.
        ReconcileReport reconciled = reconciler.reconcile(fleetId);
        Map<String, Integer> toLaunch = toLaunch(store.read(fleetId), plan);
        GateDecision decision = gate.evaluate(plan, offers, now, toLaunch);
        StandInCost standIns = new StandInCost(plan, decision, offers, toLaunch);
        outcomes.addAll(notWeighed(plan, toLaunch));
        for (ProvisionalChange change : decision.approved()) {
            Optional<ChangeOutcome> skip = skipReason(change, now);
            if (skip.isPresent()) {
                outcomes.add(skip.get());
            } else if (change.action() == ChangeAction.SCALE_IN) {
                outcomes.add(throughIntent(fleetId, change, (s, at) -> release(s, at, plan, change, effective, offers)));
            } else {
                outcomes.add(throughIntent(fleetId, change,
                        (s, at) -> launch(s, at, plan, change, effective, offers, standIns)));
            }
        }
        decision.waiting().forEach(change -> outcomes.add(new ChangeOutcome.Waiting(change.id(), change.launchAt())));
        return new ProvisioningReport(fleetId, mode, now, decision, outcomes, Optional.of(reconciled), override,
                store.read(fleetId).version());
    }

    /** What an apply run would do, each change counting what the earlier ones of the run planned. */
    private List<ChangeOutcome> planOnly(StoredFleet stored, ProvisionalFleetState plan, GateDecision decision,
            HardCaps effective, List<Offer> offers, Instant now) {
        List<ChangeOutcome> outcomes = new ArrayList<>();
        int plannedInstances = 0;
        double plannedCost = 0;
        ReleaseChooser.Planned released = new ReleaseChooser.Planned();
        for (ProvisionalChange change : decision.approved()) {
            Optional<ChangeOutcome> skip = skipReason(change, now);
            if (skip.isPresent()) {
                outcomes.add(skip.get());
                continue;
            }
            if (change.action() == ChangeAction.SCALE_IN) {
                ReleaseChooser.ReleaseChoice r = releaseChooser.choose(stored, plan, change, effective, offers, now,
                        released);
                Optional<ChangeOutcome> none = r.nothing(change);
                if (none.isEmpty()) {
                    released.add(change, r.ids());
                }
                outcomes.add(none.orElseGet(() -> new ChangeOutcome.PlannedRelease(change.id(), change.service(),
                        change.instanceType(), change.region(), change.purchaseOption(), r.ids(),
                        r.ids().size() * r.unitPrice(), r.limits())));
                continue;
            }
            int wanted = CapAccounting.wanted(stored, plan, change);
            if (wanted <= 0) {
                outcomes.add(new ChangeOutcome.AlreadySatisfied(change.id(), "capacity already in the fleet or on its way"));
                continue;
            }
            double unit = CostGate.offer(offers, change.instanceType(), change.region())
                    .map(o -> CostGate.price(o, change.purchaseOption()))
                    .orElse(change.estimatedCostPerHour() / change.count());
            CapAccounting.Allowance a = CapAccounting.allowance(stored, wanted, unit, effective, offers, now,
                    plannedInstances, plannedCost);
            if (a.count() == 0) {
                outcomes.add(new ChangeOutcome.Capped(change.id(), wanted, a.limits()));
                continue;
            }
            plannedInstances += a.count();
            plannedCost += a.count() * unit;
            outcomes.add(new ChangeOutcome.Planned(change.id(), change.service(), change.instanceType(),
                    change.region(), change.purchaseOption(), a.count(), a.count() * unit, a.limits()));
        }
        decision.waiting().forEach(change -> outcomes.add(new ChangeOutcome.Waiting(change.id(), change.launchAt())));
        return outcomes;
    }

    /**
     * How many instances the plan's scale-outs that need less than their count still want: those neither in
     * the fleet nor on their way (what a launch would launch), most often fewer because an earlier cycle
     * launched them, in whole (0: a launch would report {@link ChangeOutcome.AlreadySatisfied}) or in part.
     * The gate charges only what is left and weighs their service first.
     */
    private static Map<String, Integer> toLaunch(StoredFleet stored, ProvisionalFleetState plan) {
        Map<String, Integer> left = new TreeMap<>();
        for (ProvisionalChange change : plan.provisionalChanges()) {
            if (change.status() == ChangeStatus.PROPOSED && change.action() == ChangeAction.SCALE_OUT) {
                int wanted = CapAccounting.wanted(stored, plan, change);
                if (wanted < change.count()) {
                    left.put(change.id(), wanted);
                }
            }
        }
        return left;
    }

    /**
     * The outcomes of the proposed changes the gate does not weigh: the scale-outs already carried out, and
     * the replacements, which a run does not carry out.
     */
    private static List<ChangeOutcome> notWeighed(ProvisionalFleetState plan, Map<String, Integer> toLaunch) {
        List<ChangeOutcome> outcomes = new ArrayList<>();
        plan.provisionalChanges().stream().filter(c -> c.status() == ChangeStatus.PROPOSED)
                .sorted(CostGate.PRIORITY_ORDER).forEach(change -> {
                    // toLaunch holds scale-outs only; 0 left is one already carried out.
                    if (toLaunch.getOrDefault(change.id(), -1) == 0) {
                        outcomes.add(new ChangeOutcome.AlreadySatisfied(change.id(),
                                "capacity already in the fleet or on its way"));
                    } else if (change.action() == ChangeAction.REPLACE) {
                        outcomes.add(replaceSkipped(change));
                    }
                });
        return outcomes;
    }

    private static ChangeOutcome replaceSkipped(ProvisionalChange change) {
        // A replace names the capacity to add but not the instances it stands in for.
        return new ChangeOutcome.Skipped(change.id(), "replace names only the new capacity, not what it "
                + "replaces; it is carried out as a scale-out, then a scale-in once the new capacity runs");
    }

    private Optional<ChangeOutcome> skipReason(ProvisionalChange change, Instant now) {
        if (change.action() == ChangeAction.REPLACE) {
            return Optional.of(replaceSkipped(change));
        }
        // Launch in the last cycle that starts before the launch time: the next one would be late.
        if (!gate.due(change, now)) {
            return Optional.of(new ChangeOutcome.Waiting(change.id(), change.launchAt()));
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------ one change through an intent

    /** What one round decides on a fresh read of the state. */
    private sealed interface Attempt {
        /** Nothing (more) to do: the change's outcome. */
        record Done(ChangeOutcome outcome) implements Attempt {
        }

        /** Write the intent, then carry it out; an empty outcome means: decide again on a fresh read. */
        record Intend(ProvisioningIntent intent, Supplier<Optional<ChangeOutcome>> carryOut) implements Attempt {
        }
    }

    /**
     * Carries out one change: each round reads the state, decides, and writes the intent by
     * compare-and-set before the cloud is called; a round that loses the write, or whose call asks for
     * another try, starts over on the fresh state. While the intent is carried out, reconcile leaves it be.
     */
    private ChangeOutcome throughIntent(String fleetId, ProvisionalChange change,
            BiFunction<StoredFleet, Instant, Attempt> decide) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            checkpoint.accept(PreProvisioner.Step.BEFORE_INTENT);
            Instant now = clock.instant();
            StoredFleet s = store.read(fleetId);
            Attempt attempt = decide.apply(s, now);
            if (attempt instanceof Attempt.Done done) {
                return done.outcome();
            }
            Attempt.Intend intend = (Attempt.Intend) attempt;
            ProvisioningIntent intent = intend.intent();
            if (!journal.write(s, intent, now)) {
                continue;
            }
            journal.started(intent.id());
            try {
                Optional<ChangeOutcome> outcome = intend.carryOut().get();
                if (outcome.isPresent()) {
                    return outcome.get();
                }
            } finally {
                journal.finished(intent.id());
            }
        }
        throw new IllegalStateException("change " + change.id() + " did not settle in " + MAX_ROUNDS + " rounds");
    }

    // ------------------------------------------------------------ launch

    private Attempt launch(StoredFleet s, Instant now, ProvisionalFleetState plan, ProvisionalChange change,
            HardCaps effective, List<Offer> offers, StandInCost standIns) {
        String fleetId = plan.fleet().fleetId();
        int wanted = CapAccounting.wanted(s, plan, change);
        if (wanted <= 0) {
            return new Attempt.Done(new ChangeOutcome.AlreadySatisfied(change.id(),
                    "capacity already in the fleet or on its way"));
        }
        Optional<OfferChooser.Choice> choice = offerChooser.choose(change, offers, wanted, now);
        if (choice.isEmpty()) {
            return new Attempt.Done(new ChangeOutcome.Failed(change.id(), CloudException.Kind.CAPACITY_UNAVAILABLE,
                    "no allowed offer for " + change.instanceType() + " in " + change.region()
                            + " has capacity; backed off until later"));
        }
        OfferChooser.Choice c = choice.get();
        Optional<String> overThreshold = standIns.refusal(change, c, wanted, now);
        if (overThreshold.isPresent()) {
            LOG.warn("fleet {}: change {}: {}", fleetId, change.id(), overThreshold.get());
            return new Attempt.Done(new ChangeOutcome.Failed(change.id(), CloudException.Kind.CAPACITY_UNAVAILABLE,
                    overThreshold.get()));
        }
        CapAccounting.Allowance a = CapAccounting.allowance(s, c.count(), c.unitPrice(), effective, offers, now, 0, 0);
        if (a.count() == 0) {
            LOG.debug("fleet {}: change {} capped by {}", fleetId, change.id(), a.limits());
            return new Attempt.Done(new ChangeOutcome.Capped(change.id(), wanted, a.limits()));
        }
        int count = a.count();
        int covered = count == c.count() ? wanted : Math.max(1, (int) Math.floor((double) count * wanted / c.count()));
        long seq = s.intents().stream().filter(i -> i.changeId().equals(change.id())
                && i.status() == ProvisioningIntent.Status.DONE).count();
        String key = IdempotencyKeys.derive("fp", fleetId, plan.basis().fleetVersion(),
                plan.basis().predictedTimestamp(), change.id(), seq, c.offer().instanceType(),
                c.offer().region(), change.purchaseOption().jsonName(), count);
        ProvisioningIntent intent = new ProvisioningIntent(
                String.format(Locale.ROOT, "in-%d-%s", s.version() + 1, key.substring(3, 11)), change.id(), key,
                change.service(), FleetStateEdits.tier(plan, change.service()), c.offer().instanceType(),
                c.offer().region(), change.purchaseOption(), count, covered, c.unitPrice(), now,
                ProvisioningIntent.Status.OPEN, List.of());
        return new Attempt.Intend(intent, () -> provision(plan, change, intent, c.offer(), a.limits(), now));
    }

    /**
     * Holds a stand-in offer to the cost gate's thresholds. The gate approved a change at its own offer's
     * price; a stand-in launched when that offer has no capacity may cost more. What it adds is put on the
     * change's estimate and the gate asked again about the changes it approved in this run (with the extra
     * cost of the stand-ins chosen before): a stand-in that would take them over a threshold is not launched.
     */
    private final class StandInCost {
        private final ProvisionalFleetState plan;
        private final List<ProvisionalChange> approved;
        private final List<Offer> offers;
        private final Map<String, Integer> toLaunch;
        /** The extra cost per hour of the stand-in chosen for each change, by change id. */
        private final Map<String, Double> extra = new TreeMap<>();

        StandInCost(ProvisionalFleetState plan, GateDecision decision, List<Offer> offers,
                Map<String, Integer> toLaunch) {
            this.plan = plan;
            this.approved = decision.approved();
            this.offers = offers;
            this.toLaunch = toLaunch;
        }

        /** Why the chosen offer may not be launched for the change, or empty when it may. */
        Optional<String> refusal(ProvisionalChange change, OfferChooser.Choice c, int wanted, Instant now) {
            if (c.offer().instanceType().equals(change.instanceType()) && c.offer().region().equals(change.region())) {
                return Optional.empty();
            }
            double approvedCost = CostGate.costPerHour(change, offers);
            double standIn = c.count() * c.unitPrice();
            double more = standIn - wanted * approvedCost / change.count();
            if (!(more > 0)) {
                extra.remove(change.id());
                return Optional.empty();
            }
            Map<String, Double> tried = new TreeMap<>(extra);
            tried.put(change.id(), more);
            List<ProvisionalChange> repriced = new ArrayList<>();
            for (ProvisionalChange a : approved) {
                Double added = tried.get(a.id());
                // The gate charges a line launched in part for what it has left, a share of its estimate: the
                // whole of what the stand-in adds goes on that share.
                int left = toLaunch.getOrDefault(a.id(), a.count());
                repriced.add(added == null || left <= 0 ? a
                        : withEstimate(a, CostGate.costPerHour(a, offers) + added * a.count() / left));
            }
            GateDecision again = gate.evaluate(new ProvisionalFleetState(plan.fleet(), repriced, plan.basis(),
                    plan.overridesApplied()), offers, now, toLaunch);
            if (again instanceof GateDecision.OverThreshold over) {
                return Optional.of(String.format(Locale.ROOT, "%s in %s has no capacity, and the stand-in, %d x %s in %s "
                        + "at %s per hour where the gate approved %s for the change, would take the changes approved "
                        + "in this run to %s per hour (%s per cycle), over the cost gate's threshold of %s per hour "
                        + "(%s per cycle); not launched", change.instanceType(), change.region(), c.count(),
                        c.offer().instanceType(), c.offer().region(), Decimals.text(standIn),
                        Decimals.text(approvedCost), Decimals.text(over.costPerHour()),
                        Decimals.text(over.costPerCycle()), amount(over.maxCostPerHour()),
                        amount(over.maxCostPerCycle())));
            }
            extra.put(change.id(), more);
            return Optional.empty();
        }
    }

    /** A change as it is, but estimated at {@code costPerHour}. */
    private static ProvisionalChange withEstimate(ProvisionalChange c, double costPerHour) {
        return new ProvisionalChange(c.id(), c.service(), c.action(), c.instanceType(), c.region(), c.count(),
                c.purchaseOption(), c.resourceDelta(), c.priority(), c.slaReason(), costPerHour, c.estimatedTotalCost(),
                c.neededBy(), c.launchAt(), c.status(), c.deferredReason(), c.leadTimeGivenUp());
    }

    private static String amount(double value) {
        return Double.isInfinite(value) ? "no limit" : Decimals.text(value);
    }

    /** Provisions, configures and commits a written launch intent; empty when the offer had no capacity. */
    private Optional<ChangeOutcome> provision(ProvisionalFleetState plan, ProvisionalChange change,
            ProvisioningIntent intent, Offer offer, List<HardCaps.Limit> limits, Instant now) {
        String fleetId = plan.fleet().fleetId();
        checkpoint.accept(PreProvisioner.Step.AFTER_INTENT);
        Map<String, String> tags = new TreeMap<>();
        tags.put(PreProvisioner.TAG_FLEET, fleetId);
        tags.put(PreProvisioner.TAG_SERVICE, change.service());
        tags.put(PreProvisioner.TAG_CHANGE, change.id());
        ProvisionResult result;
        try {
            result = cloud.provision(new ProvisionRequest(intent.idempotencyKey(), intent.instanceType(),
                    intent.region(), FleetStateEdits.launchedAs(intent.purchaseOption()), intent.count(), tags));
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.TIMED_OUT) {
                // The outcome is unknown: the intent stays open for reconcile to settle by describe.
                LOG.warn("fleet {}: provision for change {} timed out; intent {} left for reconcile", fleetId,
                        change.id(), intent.id());
                return Optional.of(new ChangeOutcome.Failed(change.id(), e.kind(), failure(e)));
            }
            journal.settle(fleetId, intent.id(), ProvisioningIntent.Status.FAILED);
            if (e.kind() == CloudException.Kind.CAPACITY_UNAVAILABLE) {
                offerChooser.backOff(offer, now);
                LOG.warn("fleet {}: {} in {} has no capacity; backed off for {}, trying the next cheapest offer",
                        fleetId, offer.instanceType(), offer.region(), offerChooser.backoff());
                return Optional.empty();
            }
            LOG.warn("fleet {}: provision for change {} failed: {}", fleetId, change.id(), e.getMessage());
            return Optional.of(new ChangeOutcome.Failed(change.id(), e.kind(), failure(e)));
        }
        checkpoint.accept(PreProvisioner.Step.AFTER_PROVISION);
        configure(plan, change, result);
        checkpoint.accept(PreProvisioner.Step.AFTER_CONFIGURE);
        List<String> ids = result.instances().stream().map(Instance::id).toList();
        long version;
        try {
            version = journal.commitLaunch(fleetId, intent.id(), ids, plan);
        } catch (StateStoreException e) {
            // The instances run and are billed while the run stops here: a host that only logs the exception
            // must still learn what was launched, and that it is neither lost nor launched again.
            throw e.after(String.format(Locale.ROOT, "change %s launched %d x %s %s in %s for service %s (%s), "
                    + "but the store could not count them; intent %s stays open, so the next cycle launches "
                    + "nothing more for it and its reconcile adopts them", change.id(), ids.size(),
                    intent.instanceType(), intent.purchaseOption().jsonName(), intent.region(), change.service(),
                    String.join(", ", ids), intent.id()));
        }
        checkpoint.accept(PreProvisioner.Step.AFTER_COMMIT);
        if (result.partial()) {
            LOG.warn("fleet {}: change {} partly fulfilled, {} of {} launched; the rest is left to the next cycle",
                    fleetId, change.id(), ids.size(), intent.count());
        }
        LOG.debug("fleet {}: change {} launched {} x {} in {} ({})", fleetId, change.id(), ids.size(),
                intent.instanceType(), intent.region(), ids);
        return Optional.of(new ChangeOutcome.Provisioned(change.id(), change.service(), intent.instanceType(),
                intent.region(), intent.purchaseOption(), intent.count(), ids, ids.size() * intent.pricePerHour(),
                result.partial(), limits, version));
    }

    private void configure(ProvisionalFleetState plan, ProvisionalChange change, ProvisionResult result) {
        if (!cloud.capabilities().contains(Capability.CONFIGURE)) {
            return;
        }
        Set<String> ids = new TreeSet<>();
        result.instances().stream().filter(i -> i.state().active()).forEach(i -> ids.add(i.id()));
        if (ids.isEmpty()) {
            return;
        }
        Map<String, String> settings = new TreeMap<>();
        settings.put("fleetpredict.fleet", plan.fleet().fleetId());
        settings.put("fleetpredict.service", change.service());
        settings.put("fleetpredict.sla-tier", FleetStateEdits.tier(plan, change.service()));
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

    // ------------------------------------------------------------ release

    private Attempt release(StoredFleet s, Instant now, ProvisionalFleetState plan, ProvisionalChange change,
            HardCaps effective, List<Offer> offers) {
        String fleetId = plan.fleet().fleetId();
        ReleaseChooser.ReleaseChoice r = releaseChooser.choose(s, plan, change, effective, offers, now,
                new ReleaseChooser.Planned());
        Optional<ChangeOutcome> none = r.nothing(change);
        if (none.isPresent()) {
            return new Attempt.Done(none.get());
        }
        List<String> ids = r.ids();
        long seq = s.intents().stream().filter(i -> i.changeId().equals(change.id())
                && i.kind() == ProvisioningIntent.Kind.RELEASE && i.status() == ProvisioningIntent.Status.DONE)
                .count();
        String key = IdempotencyKeys.derive("fp-rel", fleetId, plan.basis().fleetVersion(),
                plan.basis().predictedTimestamp(), change.id(), seq, ids);
        ProvisioningIntent intent = new ProvisioningIntent(
                String.format(Locale.ROOT, "rl-%d-%s", s.version() + 1, key.substring(7, 15)), change.id(), key,
                change.service(), FleetStateEdits.tier(plan, change.service()), change.instanceType(),
                change.region(), change.purchaseOption(), ids.size(), ids.size(), r.unitPrice(), now,
                ProvisioningIntent.Status.OPEN, ids, ProvisioningIntent.Kind.RELEASE);
        return new Attempt.Intend(intent, () -> Optional.of(releaseNow(fleetId, change, intent, r.limits())));
    }

    /** Releases and commits a written release intent. */
    private ChangeOutcome releaseNow(String fleetId, ProvisionalChange change, ProvisioningIntent intent,
            List<HardCaps.Limit> limits) {
        checkpoint.accept(PreProvisioner.Step.AFTER_INTENT);
        try {
            cloud.release(ReleaseRequest.of(intent.idempotencyKey(), intent.instanceIds()));
        } catch (CloudException e) {
            if (e.kind() == CloudException.Kind.TIMED_OUT) {
                LOG.warn("fleet {}: release for change {} timed out; intent {} left for reconcile", fleetId,
                        change.id(), intent.id());
            } else {
                journal.settle(fleetId, intent.id(), ProvisioningIntent.Status.FAILED);
                LOG.warn("fleet {}: release for change {} failed: {}", fleetId, change.id(), e.getMessage());
            }
            return new ChangeOutcome.Failed(change.id(), e.kind(), failure(e));
        }
        checkpoint.accept(PreProvisioner.Step.AFTER_RELEASE);
        long version;
        try {
            version = journal.commitRelease(fleetId, intent.id());
        } catch (StateStoreException e) {
            throw e.after(String.format(Locale.ROOT, "change %s released %d x %s %s in %s of service %s (%s), "
                    + "but the store could not count it; intent %s stays open and the next cycle's reconcile "
                    + "settles it", change.id(), intent.count(), intent.instanceType(),
                    intent.purchaseOption().jsonName(), intent.region(), change.service(),
                    String.join(", ", intent.instanceIds()), intent.id()));
        }
        checkpoint.accept(PreProvisioner.Step.AFTER_COMMIT);
        LOG.debug("fleet {}: change {} released {} x {} in {} ({})", fleetId, change.id(), intent.count(),
                intent.instanceType(), intent.region(), intent.instanceIds());
        return new ChangeOutcome.Released(change.id(), change.service(), intent.instanceType(), intent.region(),
                intent.purchaseOption(), intent.instanceIds(), intent.count() * intent.pricePerHour(), limits, version);
    }

    /** What a failed call reports: the provider's message, or its kind when it gave none. */
    private static String failure(CloudException e) {
        String message = e.getMessage();
        return message != null ? message : e.kind().name().toLowerCase(Locale.ROOT);
    }
}
