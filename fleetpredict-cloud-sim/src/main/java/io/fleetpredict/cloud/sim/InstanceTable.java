package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
/**
 * The instances the simulated cloud remembers, in launch order, with the ones not known to have ended kept
 * apart so that questions about active instances skip the ended, which pile up. Every instance ever launched,
 * or, with an ended retention, every instance active or ended at most the retention ago: the ended wait in
 * two queues ordered by their end (released by release time; spot instances never released by interruption
 * time), and each call drains the heads whose end has fallen out of the retention, so forgetting costs a
 * logarithmic step per instance, once, and never a scan. Not thread-safe: {@link SimulatedCloud} calls it
 * under its lock.
 */
final class InstanceTable {

    private static final Comparator<SimulatedInstance> BY_RELEASE = Comparator
            .comparing((SimulatedInstance i) -> Objects.requireNonNull(i.releasedAt()))
            .thenComparingLong(SimulatedInstance::sequence);
    private static final Comparator<SimulatedInstance> BY_INTERRUPTION = Comparator
            .comparing((SimulatedInstance i) -> Objects.requireNonNull(i.interruptAt()))
            .thenComparingLong(SimulatedInstance::sequence);

    private final Map<String, SimulatedInstance> instances = new LinkedHashMap<>();
    private final Map<String, SimulatedInstance> live = new LinkedHashMap<>();
    /**
     * The instances each provision's key launched, in launch order, forgotten ones included until the last is
     * forgotten: reconciling asks by key, and history piles up.
     */
    private final Map<String, List<SimulatedInstance>> byKey = new HashMap<>();
    /** How long an ended instance is remembered; null for ever. */
    private final @Nullable Duration endedRetention;
    /** With a retention: the released instances, by release time. */
    private final PriorityQueue<SimulatedInstance> released = new PriorityQueue<>(BY_RELEASE);
    /** With a retention: the spot instances with an interruption time that were not released first, by that time. */
    private final TreeSet<SimulatedInstance> interruptible = new TreeSet<>(BY_INTERRUPTION);
    private final ForgottenCosts forgottenCosts = new ForgottenCosts();
    private long nextId = 1;
    /** The latest time the live instances were pruned of the interrupted; null before the first pruning. */
    private @Nullable Instant prunedAt;

    /** A table remembering ended instances for {@code endedRetention}, or for ever if null. */
    InstanceTable(@Nullable Duration endedRetention) {
        this.endedRetention = endedRetention;
    }

    /**
     * Launches one instance of {@code offer} for {@code request} at {@code now}, with a fresh id; {@code readyAt}
     * is {@code now} plus the offer's boot time.
     */
    SimulatedInstance launch(Offer offer, ProvisionRequest request, Instant now, Instant readyAt,
            @Nullable Instant interruptAt) {
        long sequence = nextId++;
        SimulatedInstance instance = new SimulatedInstance(String.format(Locale.ROOT, "i-%012x", sequence), sequence,
                offer, request, now, readyAt, interruptAt);
        instances.put(instance.id(), instance);
        live.put(instance.id(), instance);
        byKey.computeIfAbsent(request.idempotencyKey(), k -> new ArrayList<>(request.count())).add(instance);
        if (endedRetention != null && interruptAt != null) {
            interruptible.add(instance);
        }
        return instance;
    }

    /** Releases an instance at {@code now}. */
    void release(SimulatedInstance instance, Instant now) {
        if (instance.release(now) && endedRetention != null) {
            if (instance.interruptAt() != null) {
                interruptible.remove(instance);
            }
            released.add(instance);
        }
        live.remove(instance.id());
    }

    /**
     * Forgets every instance that ended more than the retention before {@code now}, with its index entries.
     *
     * @param keysForgotten receives the key of each remembered mutation whose last instance this forgot
     */
    void forgetEnded(Instant now, List<String> keysForgotten) {
        if (endedRetention == null) {
            return;
        }
        Instant cutoff;
        try {
            cutoff = now.minus(endedRetention);
        } catch (DateTimeException e) {
            return; // the retention reaches back before the earliest instant: nothing ended that long ago
        }
        while (!released.isEmpty() && Objects.requireNonNull(released.peek().releasedAt()).isBefore(cutoff)) {
            forget(released.poll(), now, keysForgotten);
        }
        while (!interruptible.isEmpty() && Objects.requireNonNull(interruptible.first().interruptAt()).isBefore(cutoff)) {
            forget(interruptible.pollFirst(), now, keysForgotten);
        }
    }

    private void forget(SimulatedInstance instance, Instant now, List<String> keysForgotten) {
        instances.remove(instance.id());
        live.remove(instance.id());
        // It ended before now, so its cost is final: what every later sum would have added for it.
        forgottenCosts.add(instance.sequence(), instance.accruedCostAt(now));
        for (IdempotencyKeys.Use use : instance.forget()) {
            if (use.forgetOne()) {
                byKey.remove(use.key());
                keysForgotten.add(use.key());
            }
        }
    }

    /** The instance of that id, or null if none was launched or it is forgotten. */
    @Nullable SimulatedInstance find(String id) {
        return instances.get(id);
    }

    /** Every instance remembered, in launch order. */
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
            throw new CloudException(Kind.INVALID_REQUEST, "instanceIds holds unknown ids " + unknown
                    + (endedRetention == null ? "" : " (never launched, or ended more than " + endedRetention
                            + " ago and forgotten)"));
        }
        return found;
    }

    /** The instances of these ids that are remembered, in the ids' order. */
    List<SimulatedInstance> known(Collection<String> ids) {
        return ids.stream().map(instances::get).filter(Objects::nonNull).toList();
    }

    /** The remembered instances launched under these keys, grouped by key in the keys' order. */
    List<SimulatedInstance> launchedUnder(Collection<String> keys) {
        List<SimulatedInstance> found = new ArrayList<>();
        for (String key : keys) {
            for (SimulatedInstance instance : byKey.getOrDefault(key, List.of())) {
                if (!instance.forgotten()) {
                    found.add(instance);
                }
            }
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

    /**
     * The cost of every instance ever launched, forgotten or not, from launch until release, interruption or
     * {@code now}, added up in launch order.
     */
    double accruedCostAt(Instant now) {
        double total = forgottenCosts.folded();
        long next = forgottenCosts.foldedThrough() + 1;
        for (SimulatedInstance instance : instances.values()) {
            // Every instance launched between two remembered ones is forgotten, its cost waiting in order.
            for (; next < instance.sequence(); next++) {
                total += forgottenCosts.costOf(next);
            }
            total += instance.accruedCostAt(now);
            next = instance.sequence() + 1;
        }
        for (long last = forgottenCosts.lastWaiting(); next <= last; next++) {
            total += forgottenCosts.costOf(next);
        }
        return total;
    }

    /** How many entries each part of the table holds; for tests of what forgetting frees. */
    SimulatedCloud.Footprint footprint(int keys) {
        int launches = 0;
        for (List<SimulatedInstance> launched : byKey.values()) {
            launches += launched.size();
        }
        return new SimulatedCloud.Footprint(instances.size(), live.size(), launches, keys,
                released.size() + interruptible.size(), forgottenCosts.waiting());
    }
}
