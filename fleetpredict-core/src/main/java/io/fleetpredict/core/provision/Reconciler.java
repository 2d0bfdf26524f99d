package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.core.document.FleetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private final CloudProvider cloud;
    private final FleetStateStore store;
    private final IntentJournal journal;
    private final Clock clock;
    private final Duration intentGrace;
    private final Duration maxProvisioningTime;

    /**
     * @param intentGrace how old an open intent must be before it is settled here
     * @param maxProvisioningTime how long an instance may stay pending before it is given up
     */
    Reconciler(CloudProvider cloud, FleetStateStore store, IntentJournal journal, Clock clock, Duration intentGrace,
            Duration maxProvisioningTime) {
        this.cloud = cloud;
        this.store = store;
        this.journal = journal;
        this.clock = clock;
        this.intentGrace = intentGrace;
        this.maxProvisioningTime = maxProvisioningTime;
    }

    ReconcileReport reconcile(String fleetId) {
        Instant now = clock.instant();
        StoredFleet stored = store.read(fleetId);
        List<String> adopted = new ArrayList<>();
        List<String> abandoned = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (ProvisioningIntent intent : stored.intents()) {
            if (intent.status() != ProvisioningIntent.Status.OPEN || journal.inFlight(intent.id())
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
        List<String> ended = syncEnded(fleetId);
        return new ReconcileReport(fleetId, adopted, abandoned, givenUp, ended, store.read(fleetId).version(),
                released);
    }

    /** Releases the fleet's instances pending longer than the maximum provisioning time that no open intent owns. */
    private List<String> giveUpStuck(String fleetId, Instant now) {
        StoredFleet stored = store.read(fleetId);
        Set<String> openKeys = ConcurrentHashMap.newKeySet();
        stored.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN)
                .forEach(i -> openKeys.add(i.idempotencyKey()));
        List<Instance> stuck = cloud.describe(DescribeRequest.all()
                .withTags(Map.of(PreProvisioner.TAG_FLEET, fleetId))
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
            Set<String> ids = new TreeSet<>();
            s.intents().stream().filter(i -> i.kind() == ProvisioningIntent.Kind.LAUNCH
                    && i.status() == ProvisioningIntent.Status.DONE).forEach(i -> ids.addAll(i.instanceIds()));
            // An open release owns its instances: its commit takes them out of the state, once.
            ids.removeAll(IntentJournal.releasing(s));
            if (ids.isEmpty()) {
                return List.of();
            }
            Set<String> ended = new TreeSet<>();
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
                    state = FleetStateEdits.adjust(state, i.service(), i.slaTier(), i.instanceType(), i.region(),
                            i.purchaseOption(), null, null, -gone);
                    intents.add(i.settle(ProvisioningIntent.Status.DONE, kept));
                } else {
                    intents.add(i);
                }
            }
            if (store.compareAndSet(s.version(),
                    new StoredFleet(FleetStateEdits.bump(state, clock.instant()), intents))) {
                LOG.info("fleet {}: {} instances ended and were taken out of the state: {}", fleetId, ended.size(),
                        ended);
                return List.copyOf(ended);
            }
        }
    }

    /**
     * Completes an open release: committed if its instances have ended (or the cloud no longer knows
     * them), else released again under the same key first.
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
        journal.commitRelease(fleetId, intent.id());
        LOG.warn("fleet {}: release intent {} found open; {} instances {}", fleetId, intent.id(), ids.size(),
                running ? "released again under its key" : "had ended");
        return true;
    }
}
