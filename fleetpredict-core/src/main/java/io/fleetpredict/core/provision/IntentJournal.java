package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intents of a fleet as the store keeps them: an intent written before its cloud call, then settled
 * with the fleet state edited to match, each as a compare-and-set retried on the fresh state. Also knows
 * which intents a caller of this process is carrying out right now, so that reconcile leaves them be.
 * Thread-safe.
 */
final class IntentJournal {

    private static final Logger LOG = LoggerFactory.getLogger(IntentJournal.class);

    /**
     * The most the clocks of the processes sharing a store are taken to differ by, as the intent grace's
     * margin allows for ({@link PreProvisioner#GRACE_MARGIN}).
     */
    static final Duration CLOCK_SKEW = PreProvisioner.GRACE_MARGIN;

    private final FleetStateStore store;
    private final CloudProvider cloud;
    private final Clock clock;
    private final Duration retention;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param store the fleet state store
     * @param cloud the provider, asked for offers when a launch's capacity per instance is not known
     * @param clock the clock the state's time is taken from
     * @param retention how long settled intents are kept
     */
    IntentJournal(FleetStateStore store, CloudProvider cloud, Clock clock, Duration retention) {
        this.store = store;
        this.cloud = cloud;
        this.clock = clock;
        this.retention = retention;
    }

    /** Writes a new intent (pruning settled old ones) if the state is still at {@code s}'s version. */
    boolean write(StoredFleet s, ProvisioningIntent intent, Instant now) {
        Instant cutoff = now.minus(retention);
        List<ProvisioningIntent> intents = new ArrayList<>();
        for (ProvisioningIntent i : s.intents()) {
            if (kept(i, cutoff)) {
                intents.add(i);
            }
        }
        intents.add(intent);
        return store.compareAndSet(s.version(), new StoredFleet(FleetStateEdits.bump(s.state(), now), intents));
    }

    /**
     * Whether a stored intent outlives a prune at {@code cutoff}: an open one always; a done launch while
     * it holds an instance id, because it is the only record of which instances the state counts, and
     * reconcile takes an instance that ends out of the state only through the launch that holds it; any
     * other once it was written before the cutoff. An emptied launch is pruned by the same rule: it holds
     * nothing reconcile needs, and the caps' window (never longer than the retention) counts it only
     * while it is younger than the window.
     */
    static boolean kept(ProvisioningIntent i, Instant cutoff) {
        return i.status() == ProvisioningIntent.Status.OPEN
                || i.kind() == ProvisioningIntent.Kind.LAUNCH && i.status() == ProvisioningIntent.Status.DONE
                        && !i.instanceIds().isEmpty()
                || !i.createdAt().isBefore(cutoff);
    }

    /**
     * Whether an intent written at {@code createdAt} is dated after {@code now} by more than clocks sharing a
     * store differ: written under a clock that ran ahead and was put back since, so when it was written is not
     * known. Such an intent is not
     * taken for a recent one: reconcile settles it by describe as it does an expired one, and the caps'
     * window does not count it (until the clock reaches its date, when it counts again for a window).
     * Otherwise a clock put back by an hour would hold a failed launch open, and the caps full, for that hour.
     */
    static boolean datedAhead(Instant createdAt, Instant now) {
        return createdAt.isAfter(now.plus(CLOCK_SKEW));
    }

    /** Marks an intent as being carried out by this process; reconcile leaves it be until {@link #finished}. */
    void started(String intentId) {
        inFlight.add(intentId);
    }

    /** Marks an intent as no longer being carried out by this process. */
    void finished(String intentId) {
        inFlight.remove(intentId);
    }

    /** Whether this process is carrying the intent out right now. */
    boolean inFlight(String intentId) {
        return inFlight.contains(intentId);
    }

    /**
     * Counts launched instances into the state and marks the intent done; idempotent per intent.
     *
     * @param plan the plan the launch came from, or null when reconcile adopts it
     * @return the version the intent is done at
     */
    long commitLaunch(String fleetId, String intentId, List<String> ids, @Nullable ProvisionalFleetState plan) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            ProvisioningIntent intent = existing(s, intentId);
            if (intent.status() == ProvisioningIntent.Status.DONE) {
                return s.version();
            }
            Instant now = clock.instant();
            List<ResourceAmount> capacity = capacityOf(plan, s.state(), intent);
            FleetState state = FleetStateEdits.adjust(s.state(), intent.service(), intent.slaTier(),
                    intent.instanceType(), intent.region(), intent.purchaseOption(), capacity, plan, ids.size());
            List<ProvisioningIntent> intents = new ArrayList<>(s.intents());
            intents.replaceAll(i -> i.id().equals(intentId) ? i.settle(ProvisioningIntent.Status.DONE, ids) : i);
            StoredFleet next = new StoredFleet(FleetStateEdits.bump(state, now), intents);
            if (store.compareAndSet(s.version(), next)) {
                return next.version();
            }
        }
    }

    /**
     * Settles an open intent without touching the fleet state.
     *
     * @return false if the intent was no longer open
     */
    boolean settle(String fleetId, String intentId, ProvisioningIntent.Status status) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            Optional<ProvisioningIntent> current = s.intent(intentId);
            if (current.isEmpty() || current.get().status() != ProvisioningIntent.Status.OPEN) {
                return false;
            }
            List<ProvisioningIntent> intents = new ArrayList<>(s.intents());
            intents.replaceAll(i -> i.id().equals(intentId) ? i.settle(status, List.of()) : i);
            if (store.compareAndSet(s.version(),
                    new StoredFleet(FleetStateEdits.bump(s.state(), clock.instant()), intents))) {
                return true;
            }
        }
    }

    /**
     * Takes released instances out of the state and out of the intents that launched them, and marks
     * the release done; idempotent per intent.
     *
     * @return the version the release is done at
     */
    long commitRelease(String fleetId, String intentId) {
        while (true) {
            StoredFleet s = store.read(fleetId);
            ProvisioningIntent intent = existing(s, intentId);
            if (intent.status() != ProvisioningIntent.Status.OPEN) {
                return s.version();
            }
            Set<String> gone = Set.copyOf(intent.instanceIds());
            FleetState state = FleetStateEdits.adjust(s.state(), intent.service(), intent.slaTier(),
                    intent.instanceType(), intent.region(), intent.purchaseOption(), null, null, -intent.count());
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
            StoredFleet next = new StoredFleet(FleetStateEdits.bump(state, clock.instant()), intents);
            if (store.compareAndSet(s.version(), next)) {
                return next.version();
            }
        }
    }

    /** The instances open releases name: they are on their way out, and their release's commit takes them out. */
    static Set<String> releasing(StoredFleet s) {
        Set<String> ids = new HashSet<>();
        s.intents().stream().filter(i -> i.kind() == ProvisioningIntent.Kind.RELEASE
                && i.status() == ProvisioningIntent.Status.OPEN).forEach(i -> ids.addAll(i.instanceIds()));
        return ids;
    }

    private static ProvisioningIntent existing(StoredFleet s, String intentId) {
        return s.intent(intentId).orElseThrow(() -> new IllegalStateException(
                "intent " + intentId + " of fleet " + s.fleetId() + " vanished from the store"));
    }

    private List<ResourceAmount> capacityOf(@Nullable ProvisionalFleetState plan, FleetState state,
            ProvisioningIntent intent) {
        List<FleetState> sources = plan == null ? List.of(state) : List.of(state, plan.fleet());
        return FleetStateEdits.capacityPerInstance(sources, intent.instanceType(), intent.region(), () -> {
            try {
                return CostGate.offer(cloud.offers(), intent.instanceType(), intent.region());
            } catch (CloudException e) {
                LOG.debug("offers unavailable while recording capacity: {}", e.getMessage());
                return Optional.empty();
            }
        });
    }
}
