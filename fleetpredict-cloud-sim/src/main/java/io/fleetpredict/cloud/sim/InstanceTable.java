package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
/**
 * Every instance the simulated cloud ever launched, in launch order, with the ones not known to have ended
 * kept apart so that questions about active instances skip the ended, which pile up. Not thread-safe:
 * {@link SimulatedCloud} calls it under its lock.
 */
final class InstanceTable {

    private final Map<String, SimulatedInstance> instances = new LinkedHashMap<>();
    private final Map<String, SimulatedInstance> live = new LinkedHashMap<>();
    /** The instances each provision's key launched, in launch order: reconciling asks by key, and history piles up. */
    private final Map<String, List<SimulatedInstance>> byKey = new HashMap<>();
    private long nextId = 1;
    /** The latest time the live instances were pruned of the interrupted; null before the first pruning. */
    private @Nullable Instant prunedAt;

    /**
     * Launches one instance of {@code offer} for {@code request} at {@code now}, with a fresh id; {@code readyAt}
     * is {@code now} plus the offer's boot time.
     */
    SimulatedInstance launch(Offer offer, ProvisionRequest request, Instant now, Instant readyAt,
            @Nullable Instant interruptAt) {
        SimulatedInstance instance = new SimulatedInstance(String.format(Locale.ROOT, "i-%012x", nextId++),
                offer, request, now, readyAt, interruptAt);
        instances.put(instance.id(), instance);
        live.put(instance.id(), instance);
        byKey.computeIfAbsent(request.idempotencyKey(), k -> new ArrayList<>(request.count())).add(instance);
        return instance;
    }

    /** Releases an instance at {@code now}. */
    void release(SimulatedInstance instance, Instant now) {
        instance.release(now);
        live.remove(instance.id());
    }

    /** The instance of that id, or null if none was launched. */
    @Nullable SimulatedInstance find(String id) {
        return instances.get(id);
    }

    /** Every instance ever launched, in launch order. */
    Collection<SimulatedInstance> all() {
        return instances.values();
    }

    /**
     * The instances of these ids, in id order.
     *
     * @throws CloudException {@link Kind#INVALID_REQUEST} naming the unknown ids, if any
     */
    List<SimulatedInstance> lookUp(Collection<String> ids) {
        Set<String> unknown = new TreeSet<>();
        List<SimulatedInstance> found = new ArrayList<>(ids.size());
        for (String id : new TreeSet<>(ids)) {
            SimulatedInstance instance = instances.get(id);
            if (instance == null) {
                unknown.add(id);
            } else {
                found.add(instance);
            }
        }
        if (!unknown.isEmpty()) {
            throw new CloudException(Kind.INVALID_REQUEST, "instanceIds holds unknown ids " + unknown);
        }
        return found;
    }

    /** The instances of these ids that exist, in the ids' order. */
    List<SimulatedInstance> known(Collection<String> ids) {
        return ids.stream().map(instances::get).filter(Objects::nonNull).toList();
    }

    /** The instances launched under these keys, grouped by key in the keys' order. */
    List<SimulatedInstance> launchedUnder(Collection<String> keys) {
        List<SimulatedInstance> found = new ArrayList<>();
        for (String key : keys) {
            found.addAll(byKey.getOrDefault(key, List.of()));
        }
        return found;
    }

    /** How many instances active at {@code now} match. */
    long countActive(Instant now, Predicate<SimulatedInstance> which) {
        return liveAt(now).stream().filter(which).count();
    }

    /** The active instances at {@code now}, in launch order; forgets the interrupted as live. */
    List<SimulatedInstance> liveAt(Instant now) {
        if (prunedAt != null && now.isBefore(prunedAt)) {
            // The clock went back past a pruning: an instance forgotten as interrupted then is not yet
            // interrupted now, so the answer must come from every instance, as describe's does.
            return instances.values().stream().filter(i -> i.stateAt(now).active()).toList();
        }
        prunedAt = now;
        List<SimulatedInstance> active = new ArrayList<>(live.size());
        for (var it = live.values().iterator(); it.hasNext(); ) {
            SimulatedInstance instance = it.next();
            if (instance.stateAt(now).active()) {
                active.add(instance);
            } else {
                it.remove();
            }
        }
        return active;
    }
}
