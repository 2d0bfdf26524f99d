package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One launched instance. Its state is a function of the clock: PENDING until its boot time has
 * passed, then RUNNING, until it is released (TERMINATED) or, for spot, its pre-drawn interruption
 * time passes first (INTERRUPTED). Mutated only under the cloud's lock.
 */
final class SimulatedInstance {

    private final String id;
    /** Launch order, from 1: the order the cloud sums costs in. */
    private final long sequence;
    private final Offer offer;
    private final ProvisionRequest request;
    private final Instant launchedAt;
    private final Instant readyAt;
    /** When the provider takes a spot instance back; {@code null} for never. */
    private final @Nullable Instant interruptAt;
    private final double pricePerHour;
    /**
     * The settings applied so far. Immutable: a snapshot's own copy once one was taken, so that the snapshots
     * of an instance, and the instances configured alike, share one map rather than holding one each.
     */
    private Map<String, String> configuration = Map.of();
    private @Nullable Instant releasedAt;
    /** The last snapshot; it stands while the state and configuration stay as they were. */
    private @Nullable Instance snapshot;
    /** Whether the cloud has forgotten this instance, its end being older than the retention. */
    private boolean forgotten;
    /**
     * The remembered mutations whose results hold this instance, with an ended retention only: each is
     * forgotten when its last instance is.
     */
    private List<IdempotencyKeys.Use> uses = List.of();

    /**
     * A fresh instance; {@code readyAt} is {@code launchedAt} plus the offer's boot time, given so that the
     * instances of one provision share it.
     */
    SimulatedInstance(String id, long sequence, Offer offer, ProvisionRequest request, Instant launchedAt,
            Instant readyAt, @Nullable Instant interruptAt) {
        this.id = id;
        this.sequence = sequence;
        this.offer = offer;
        this.request = request;
        this.launchedAt = launchedAt;
        this.readyAt = readyAt;
        this.interruptAt = interruptAt;
        this.pricePerHour = offer.pricePerHour(request.purchaseOption());
    }

    String id() {
        return id;
    }

    long sequence() {
        return sequence;
    }

    Offer offer() {
        return offer;
    }

    /** The release time, or null if never released while active. */
    @Nullable Instant releasedAt() {
        return releasedAt;
    }

    /** The pre-drawn interruption time, or null for never. */
    @Nullable Instant interruptAt() {
        return interruptAt;
    }

    boolean forgotten() {
        return forgotten;
    }

    /** Marks the instance forgotten and hands back the mutations that held it. */
    List<IdempotencyKeys.Use> forget() {
        forgotten = true;
        List<IdempotencyKeys.Use> held = uses;
        uses = List.of();
        return held;
    }

    /** Notes that a remembered mutation's result holds this instance. */
    void heldBy(IdempotencyKeys.Use use) {
        if (uses.isEmpty()) {
            uses = new ArrayList<>(2);
        }
        uses.add(use);
    }

    InstanceState stateAt(Instant now) {
        if (releasedAt != null) {
            return InstanceState.TERMINATED;
        }
        if (interruptAt != null && !now.isBefore(interruptAt)) {
            return InstanceState.INTERRUPTED;
        }
        return now.isBefore(readyAt) ? InstanceState.PENDING : InstanceState.RUNNING;
    }

    /**
     * Releases the instance if it is still active; an ended instance keeps its end.
     *
     * @return whether this call ended it
     */
    boolean release(Instant now) {
        if (stateAt(now).active()) {
            releasedAt = now;
            return true;
        }
        return false;
    }

    void configure(Map<String, String> settings) {
        if (configuration.isEmpty()) {
            configuration = settings;
        } else {
            Map<String, String> merged = new LinkedHashMap<>(configuration);
            merged.putAll(settings);
            configuration = merged;
        }
        snapshot = null;
    }

    /** The cost from launch until release, interruption or {@code now}, whichever comes first. */
    double accruedCostAt(Instant now) {
        Instant end = now;
        if (releasedAt != null && releasedAt.isBefore(end)) {
            end = releasedAt;
        }
        if (interruptAt != null && interruptAt.isBefore(end)) {
            end = interruptAt;
        }
        if (!end.isAfter(launchedAt)) {
            return 0;
        }
        // Seconds and nanoseconds apart: toNanos() overflows once an instance has run about 292 years.
        Duration lived = Duration.between(launchedAt, end);
        return pricePerHour * (lived.getSeconds() + lived.getNano() / 1e9) / 3600;
    }

    Instance snapshotAt(Instant now) {
        InstanceState state = stateAt(now);
        if (snapshot == null || snapshot.state() != state) {
            snapshot = snapshotAs(state, configuration);
            configuration = snapshot.configuration();
        }
        return snapshot;
    }

    /** The snapshot of this instance in {@code state} with {@code settings}: all else in it is fixed at launch. */
    Instance snapshotAs(InstanceState state, Map<String, String> settings) {
        return new Instance(id, offer.instanceType(), offer.region(), request.purchaseOption(), state, launchedAt,
                readyAt, request.idempotencyKey(), request.tags(), settings, pricePerHour);
    }

    Instant launchedAt() {
        return launchedAt;
    }
}
