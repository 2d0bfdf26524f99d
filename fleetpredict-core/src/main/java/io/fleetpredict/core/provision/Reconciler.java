package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.internal.ActiveFleetSnapshot;
import io.fleetpredict.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles what a crash or a lost answer left open, and keeps the fleet state equal to what runs: see
 * {@link PreProvisioner#reconcile(String)}. Thread-safe.
 */
final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** The change id of the launch intents orphans are adopted into: no plan's change. */
    static final String ORPHANS_CHANGE_ID = "fp-orphans";

    /** A {@link GuardedCloud}: each describe answers only the instances its request matches. */
    private final GuardedCloud cloud;
    private final FleetStateStore store;
    private final IntentJournal journal;
    private final Clock clock;
    private final Duration intentGrace;
    private final Duration maxProvisioningTime;
    private final Duration intentRetention;
    /**
     * Fleets whose orphans were looked for since this reconciler was made. Orphans come only from states an
     * earlier version wrote (this one keeps a launch while it holds an instance, see {@link IntentJournal}),
     * so one look per fleet and process finds them all; a state that counts instances launched otherwise
     * would cost a describe of the whole fleet every cycle.
     */
    private final Set<String> orphansLookedFor = ConcurrentHashMap.newKeySet();

    /**
     * @param intentGrace how old an open intent must be before it is settled here
     * @param maxProvisioningTime how long an instance may stay pending after it was due ready before it is given up
     * @param intentRetention how long settled intents are kept; an instance launched longer ago may be
     *     one whose launch intent an earlier version pruned
     */
    Reconciler(GuardedCloud cloud, FleetStateStore store, IntentJournal journal, Clock clock, Duration intentGrace,
            Duration maxProvisioningTime, Duration intentRetention) {
        this.cloud = cloud;
        this.store = store;
        this.journal = journal;
        this.clock = clock;
        this.intentGrace = intentGrace;
        this.maxProvisioningTime = maxProvisioningTime;
        this.intentRetention = intentRetention;
    }

    ReconcileReport reconcile(String fleetId) {
        Instant now = clock.instant();
        StoredFleet stored = store.read(fleetId);
        List<String> adopted = new ArrayList<>();
        List<String> abandoned = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (ProvisioningIntent intent : stored.intents()) {
            if (intent.status() != ProvisioningIntent.Status.OPEN || journal.inFlight(intent.id())
                    || young(intent.createdAt(), now)) {
                continue;
            }
            if (IntentJournal.datedAhead(intent.createdAt(), now)) {
                LOG.warn("fleet {}: open intent {} is dated {}, after now ({}): written under a clock since put back; "
                        + "settled by describe as an expired one", fleetId, intent.id(), intent.createdAt(), now);
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
                if (journal.settle(fleetId, intent.id(), ProvisioningIntent.Status.ABANDONED)) {
                    abandoned.add(intent.id());
                    LOG.debug("fleet {}: intent {} abandoned, nothing was launched under {}", fleetId, intent.id(),
                            intent.idempotencyKey());
                }
            } else {
                journal.commitLaunch(fleetId, intent.id(), found.stream().map(Instance::id).toList(), null);
                adopted.add(intent.id());
                LOG.warn("fleet {}: intent {} found open; adopted {} instances launched under {}", fleetId,
                        intent.id(), found.size(), intent.idempotencyKey());
            }
        }
        List<String> givenUp = giveUpStuck(fleetId, now);
        Ended ended = syncEnded(fleetId, now);
        List<String> orphans = List.of();
        if (!orphansLookedFor.contains(fleetId)) {
            orphans = adoptOrphans(fleetId, now);
            orphansLookedFor.add(fleetId);
        }
        return new ReconcileReport(fleetId, adopted, abandoned, givenUp, ended.ended(), store.read(fleetId).version(),
                released, ended.vanished(), orphans);
    }

    /**
     * Whether an intent written at {@code createdAt} (an open one, or the launch that recorded an instance) is
     * within its grace and left be: written less than the grace ago, and not dated ahead of the clock
     * ({@link IntentJournal#datedAhead}), whose age is not known and is not taken as recent.
     */
    private boolean young(Instant createdAt, Instant now) {
        return createdAt.plus(intentGrace).isAfter(now) && !IntentJournal.datedAhead(createdAt, now);
    }

    /** A group of the fleet state: the instances of one service, type, region and purchase option. */
    private record Group(String service, String instanceType, String region, PurchaseOption purchaseOption) {
        static Group of(ProvisioningIntent i) {
            return new Group(i.service(), i.instanceType(), i.region(), i.purchaseOption());
        }
    }

    /**
     * Adopts the fleet's orphans: active instances with the fleet's and a service's tags, launched more
     * than the intent retention ago, that no done launch holds and no launch intent's key launched, and
     * that a group of the state counts beyond the instances its done launches hold. Earlier versions
     * pruned done launches a retention after they were written, however many of their instances
     * still ran; the state kept counting those instances but no intent held them, so their end was never
     * seen. Each is held again by a done launch intent of its group, written with the state's counts
     * unchanged (they already include it), so that its end is seen like any other. A group adopts at most
     * as many instances as its count exceeds what its done launches hold, so nothing is counted twice
     * (instances a hand-written state counts were launched otherwise and carry no tag), and a second
     * reconcile adopts nothing.
     */
    private List<String> adoptOrphans(String fleetId, Instant now) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            Map<Group, Long> untracked = new HashMap<>();
            Map<String, String> tiers = new HashMap<>();
            for (ServiceState v : s.state().services()) {
                tiers.put(v.name(), v.slaTier());
                for (InstanceGroup g : v.instanceGroups()) {
                    untracked.merge(new Group(v.name(), g.instanceType(), g.region(), g.purchaseOption()),
                            (long) g.count(), Long::sum);
                }
            }
            Set<String> held = new HashSet<>(IntentJournal.releasing(s));
            Set<String> launchKeys = new HashSet<>();
            for (ProvisioningIntent i : s.intents()) {
                if (i.kind() == ProvisioningIntent.Kind.LAUNCH) {
                    launchKeys.add(i.idempotencyKey());
                    if (i.status() == ProvisioningIntent.Status.DONE) {
                        held.addAll(i.instanceIds());
                        untracked.merge(Group.of(i), (long) -i.instanceIds().size(), Long::sum);
                    }
                }
            }
            if (untracked.values().stream().noneMatch(n -> n > 0)) {
                return List.of();
            }
            Instant launchedBefore = now.minus(intentRetention);
            List<Instance> found = cloud.describe(PreProvisioner.activeFleet(fleetId)).instances().stream()
                    .filter(i -> i.tags().containsKey(PreProvisioner.TAG_SERVICE))
                    .filter(i -> !held.contains(i.id()) && !launchKeys.contains(i.idempotencyKey()))
                    .filter(i -> i.launchedAt().isBefore(launchedBefore))
                    .sorted(Comparator.comparing(Instance::launchedAt).thenComparing(Instance::id)).toList();
            Map<Group, List<Instance>> adopt = new LinkedHashMap<>();
            for (Instance i : found) {
                // Reserved capacity runs on instances launched on demand (see FleetStateEdits.launchedAs).
                List<PurchaseOption> options = i.purchaseOption() == PurchaseOption.ON_DEMAND
                        ? List.of(PurchaseOption.ON_DEMAND, PurchaseOption.RESERVED) : List.of(i.purchaseOption());
                for (PurchaseOption option : options) {
                    Group g = new Group(i.tags().getOrDefault(PreProvisioner.TAG_SERVICE, ""), i.instanceType(),
                            i.region(), option);
                    if (untracked.getOrDefault(g, 0L) > 0) {
                        untracked.merge(g, -1L, Long::sum);
                        adopt.computeIfAbsent(g, k -> new ArrayList<>()).add(i);
                        break;
                    }
                }
            }
            if (adopt.isEmpty()) {
                return List.of();
            }
            List<ProvisioningIntent> intents = new ArrayList<>(s.intents());
            List<String> adopted = new ArrayList<>();
            adopt.forEach((g, instances) -> {
                List<String> ids = instances.stream().map(Instance::id).toList();
                String key = IdempotencyKeys.derive("fp-orphans", fleetId, ids);
                // Written as of its newest instance's launch, over a retention ago: the caps' window never
                // counts it, and reconcile treats its instances as long launched. A launch the provider dates
                // before year 0000 is written as of then, the earliest instant an intent holds, which serves alike.
                Instant newest = instances.get(instances.size() - 1).launchedAt();
                Instant launched = newest.isBefore(Checks.EARLIEST_DOCUMENT_INSTANT)
                        ? Checks.EARLIEST_DOCUMENT_INSTANT : newest;
                intents.add(new ProvisioningIntent(
                        String.format(Locale.ROOT, "or-%d-%s", s.version() + 1, key.substring(11, 19)),
                        ORPHANS_CHANGE_ID, key, g.service(), tiers.getOrDefault(g.service(),
                                FleetStateEdits.UNKNOWN_TIER), g.instanceType(), g.region(), g.purchaseOption(),
                        ids.size(), ids.size(), instances.get(0).pricePerHour(), launched,
                        ProvisioningIntent.Status.DONE, ids));
                adopted.addAll(ids);
            });
            if (store.compareAndSet(s.version(),
                    new StoredFleet(FleetStateEdits.bump(s.state(), clock.instant()), intents))) {
                LOG.warn("fleet {}: {} running instances the state counts were held by no intent (their launch "
                        + "intents pruned by an earlier version); adopted, counts unchanged: {}", fleetId,
                        adopted.size(), adopted);
                return List.copyOf(adopted);
            }
        }
    }

    /**
     * Releases the fleet's instances that no open intent owns and that are still pending longer than the maximum
     * provisioning time after the cloud expected them ready ({@link Instance#readyAt()}, their launch plus their
     * offer's boot time): an instance whose boot is longer than that time is not stuck while it boots.
     */
    private List<String> giveUpStuck(String fleetId, Instant now) {
        StoredFleet stored = store.read(fleetId);
        Set<String> openKeys = ConcurrentHashMap.newKeySet();
        stored.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN)
                .forEach(i -> openKeys.add(i.idempotencyKey()));
        List<Instance> stuck = cloud.describe(DescribeRequest.all()
                .withTags(Map.of(PreProvisioner.TAG_FLEET, fleetId))
                .withStates(Set.of(InstanceState.PENDING))).instances().stream()
                .filter(i -> !openKeys.contains(i.idempotencyKey()))
                .filter(i -> Duration.between(i.readyAt(), now).compareTo(maxProvisioningTime) > 0).toList();
        if (stuck.isEmpty()) {
            return List.of();
        }
        List<String> ids = stuck.stream().map(Instance::id).sorted().toList();
        try {
            cloud.release(ReleaseRequest.of(IdempotencyKeys.derive("fp-giveup", fleetId, ids), ids));
        } catch (CloudException e) {
            // Not fatal to the reconcile: ended instances must still leave the state, and the run it opens
            // must still provision. The instances stay pending past the limit, so the next reconcile tries again.
            LOG.warn("fleet {}: releasing {} instances not ready {} after they were due failed ({}); left for the next "
                    + "reconcile: {}", fleetId, ids.size(), maxProvisioningTime, e.getMessage(), ids);
            return List.of();
        }
        LOG.warn("fleet {}: released {} instances not ready {} after they were due: {}", fleetId, ids.size(),
                maxProvisioningTime, ids);
        return ids;
    }

    /** What {@link #syncEnded} took out of the state: ids the cloud showed ended, and ids it no longer shows. */
    private record Ended(List<String> ended, List<String> vanished) {
        static final Ended NONE = new Ended(List.of(), List.of());
    }

    /**
     * Takes instances that have ended (interrupted spot, released by give-up or by hand) out of the
     * state and out of their intents, so the state stays equal to what runs and the change can be
     * provisioned again. An instance the cloud no longer lists at all has ended too: a provider keeps an
     * ended instance only for a retention (EC2 about an hour), so one that ended unseen is simply gone.
     */
    private Ended syncEnded(String fleetId, Instant now) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            // Each id with the time its launch intent was written (the later one, should two hold it). That is
            // the one time an intent keeps, just before its provision was sent; there is no commit time. The
            // provision answered, and the commit followed, within the longest a guarded provision takes,
            // which intentGrace must exceed (see the builder), and an intent reconcile adopted holds only ids
            // describe listed. So an id missing once createdAt + intentGrace has passed is not one that a
            // describe lagging the launch (EC2's, right after RunInstances) has yet to show: it has ended.
            Map<String, Instant> launched = new TreeMap<>();
            s.intents().stream().filter(i -> i.kind() == ProvisioningIntent.Kind.LAUNCH
                    && i.status() == ProvisioningIntent.Status.DONE)
                    .forEach(i -> i.instanceIds().forEach(id -> launched.merge(id, i.createdAt(),
                            (a, b) -> a.isAfter(b) ? a : b)));
            // An open release owns its instances: its commit takes them out of the state, once.
            launched.keySet().removeAll(IntentJournal.releasing(s));
            if (launched.isEmpty()) {
                return Ended.NONE;
            }
            // The fleet's active instances, in the describe the loop's ready capacity takes too (within a cycle
            // the loop describes its whole active fleet once): an id among them is running. Only the others are
            // described by id, to tell one that ended from one the cloud no longer lists.
            Set<String> unseen = new HashSet<>(launched.keySet());
            for (Instance i : ActiveFleetSnapshot.describe(cloud, PreProvisioner.activeFleet(fleetId))) {
                unseen.remove(i.id());
            }
            Set<String> listed = new HashSet<>();
            Set<String> ended = new TreeSet<>();
            if (!unseen.isEmpty()) {
                for (Instance i : cloud.describe(DescribeRequest.all().withInstanceIds(unseen)).instances()) {
                    listed.add(i.id());
                    if (!i.state().active()) {
                        ended.add(i.id());
                    }
                }
            }
            Set<String> vanished = new TreeSet<>();
            List<String> young = new ArrayList<>();
            launched.forEach((id, createdAt) -> {
                if (unseen.contains(id) && !listed.contains(id)) {
                    (young(createdAt, now) ? young : vanished).add(id);
                }
            });
            if (!young.isEmpty()) {
                LOG.debug("fleet {}: {} instances launched within {} not listed by the cloud yet, kept: {}", fleetId,
                        young.size(), intentGrace, young);
            }
            if (ended.isEmpty() && vanished.isEmpty()) {
                return Ended.NONE;
            }
            Set<String> out = new HashSet<>(ended);
            out.addAll(vanished);
            FleetState state = s.state();
            List<ProvisioningIntent> intents = new ArrayList<>();
            for (ProvisioningIntent i : s.intents()) {
                if (i.status() != ProvisioningIntent.Status.DONE || i.kind() != ProvisioningIntent.Kind.LAUNCH) {
                    intents.add(i);
                    continue;
                }
                List<String> kept = i.instanceIds().stream().filter(id -> !out.contains(id)).toList();
                int gone = i.instanceIds().size() - kept.size();
                if (gone > 0) {
                    state = FleetStateEdits.adjust(state, i.service(), i.slaTier(), i.instanceType(), i.region(),
                            i.purchaseOption(), null, null, -gone);
                    intents.add(i.settle(ProvisioningIntent.Status.DONE, kept));
                } else {
                    intents.add(i);
                }
            }
            if (store.compareAndSet(s.version(),
                    new StoredFleet(FleetStateEdits.bump(state, clock.instant()), intents))) {
                if (!ended.isEmpty()) {
                    LOG.info("fleet {}: {} instances ended and were taken out of the state: {}", fleetId,
                            ended.size(), ended);
                }
                if (!vanished.isEmpty()) {
                    LOG.info("fleet {}: {} instances no longer known to the cloud, launched more than {} ago, "
                            + "ended and were taken out of the state: {}", fleetId, vanished.size(), intentGrace,
                            vanished);
                }
                return new Ended(List.copyOf(ended), List.copyOf(vanished));
            }
        }
    }

    /**
     * Completes an open release: committed if its instances have ended (or the cloud no longer knows
     * them), else released again first: under the same key when the cloud still lists every instance, so
     * a release that was applied is answered as it was; under a key derived from it and the instances
     * still running when some are no longer listed, because a release naming an id the cloud has
     * forgotten is refused ({@code INVALID_REQUEST}) every time it is sent.
     */
    private boolean finishRelease(String fleetId, ProvisioningIntent intent) {
        Set<String> ids = Set.copyOf(intent.instanceIds());
        List<Instance> listed = cloud.describe(DescribeRequest.all().withInstanceIds(ids)).instances();
        boolean allListed = listed.size() == ids.size();
        Set<String> running = new TreeSet<>();
        listed.stream().filter(i -> i.state().active()).forEach(i -> running.add(i.id()));
        if (!running.isEmpty()) {
            ReleaseRequest again = allListed ? ReleaseRequest.of(intent.idempotencyKey(), ids)
                    : ReleaseRequest.of(IdempotencyKeys.derive("fp-rel-rest", intent.idempotencyKey(), running),
                            running);
            try {
                cloud.release(again);
            } catch (CloudException e) {
                LOG.warn("fleet {}: release intent {} found open, releasing again failed ({}); left for the next "
                        + "reconcile", fleetId, intent.id(), e.getMessage());
                return false;
            }
        }
        journal.commitRelease(fleetId, intent.id());
        LOG.warn("fleet {}: release intent {} found open; {} instances {}", fleetId, intent.id(), ids.size(),
                running.isEmpty() ? "had ended" : allListed ? "released again under its key"
                        : String.format(Locale.ROOT, "had ended, %s no longer known to the cloud; %s released again",
                                ids.size() - listed.size(), running));
        return true;
    }
}
