package io.fleetpredict.core.loop;

import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What capacity each service had ready, and when: the instances the cloud reported for the fleet, each
 * serving from its {@code readyAt} until the first observation that no longer lists it as active. The
 * near-term forecast asks it, for a step that has closed, for how much of the step demand stood above
 * the ready capacity: the loop's own measure of the SLA it is held to.
 *
 * <p>Not thread-safe: the predictor observes and queries it under its cycle lock.
 */
final class ReadyCapacity {

    /** How long ended instances are remembered: longer than any step the forecast scores. */
    private static final Duration MEMORY = Duration.ofDays(2);

    /** One instance's service time and capacity per resource, in canonical units. */
    private static final class Serving {
        final Instant readyAt;
        final Map<ResourceType, Double> capacity;
        Instant endedAt;

        Serving(Instant readyAt, Map<ResourceType, Double> capacity) {
            this.readyAt = readyAt;
            this.capacity = capacity;
        }
    }

    private final Map<String, Map<String, Serving>> byService = new HashMap<>();
    private boolean observed;

    /**
     * Records the instances active at {@code now}; instances seen before and missing now ended at {@code now}.
     *
     * @param now when the cloud answered
     * @param active the active instances of the fleet
     * @param serviceOf the service an instance serves, or {@code null} when it serves none of the fleet's
     * @param offers the offers, for each instance's capacity
     */
    void observe(Instant now, List<Instance> active, java.util.function.Function<Instance, String> serviceOf,
            List<Offer> offers) {
        observed = true;
        Set<String> seen = new HashSet<>();
        for (Instance i : active) {
            String service = serviceOf.apply(i);
            if (service == null) {
                continue;
            }
            seen.add(i.id());
            byService.computeIfAbsent(service, s -> new HashMap<>())
                    .computeIfAbsent(i.id(), id -> new Serving(i.readyAt(), capacity(i, offers)));
        }
        Instant forget = now.minus(MEMORY);
        for (Map<String, Serving> instances : byService.values()) {
            for (Iterator<Map.Entry<String, Serving>> it = instances.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Serving> e = it.next();
                Serving s = e.getValue();
                if (s.endedAt == null && !seen.contains(e.getKey())) {
                    s.endedAt = now;
                }
                if (s.endedAt != null && s.endedAt.isBefore(forget)) {
                    it.remove();
                }
            }
        }
    }

    /** @return whether the cloud has been observed at least once */
    boolean observed() {
        return observed;
    }

    /**
     * The share of {@code [from, to)} in which the demand of some resource stood above the service's ready
     * capacity of it; demand is taken as uniform over the span.
     *
     * @param demand the service's demand per resource over the span, in canonical units
     * @return a share in [0, 1]
     */
    double shortShare(String service, Map<ResourceType, Double> demand, Instant from, Instant to) {
        Map<String, Serving> instances = byService.getOrDefault(service, Map.of());
        TreeSet<Instant> cuts = new TreeSet<>();
        cuts.add(from);
        cuts.add(to);
        for (Serving s : instances.values()) {
            if (s.readyAt.isAfter(from) && s.readyAt.isBefore(to)) {
                cuts.add(s.readyAt);
            }
            if (s.endedAt != null && s.endedAt.isAfter(from) && s.endedAt.isBefore(to)) {
                cuts.add(s.endedAt);
            }
        }
        double total = Duration.between(from, to).toNanos();
        double shortNanos = 0;
        List<Instant> points = new ArrayList<>(cuts);
        for (int k = 0; k + 1 < points.size(); k++) {
            Instant a = points.get(k);
            Map<ResourceType, Double> ready = new EnumMap<>(ResourceType.class);
            for (Serving s : instances.values()) {
                if (!s.readyAt.isAfter(a) && (s.endedAt == null || s.endedAt.isAfter(a))) {
                    s.capacity.forEach((type, v) -> ready.merge(type, v, Double::sum));
                }
            }
            for (Map.Entry<ResourceType, Double> d : demand.entrySet()) {
                if (d.getValue() > ready.getOrDefault(d.getKey(), 0.0) * (1 + 1e-9)) {
                    shortNanos += Duration.between(a, points.get(k + 1)).toNanos();
                    break;
                }
            }
        }
        return total > 0 ? Math.min(1, shortNanos / total) : 0;
    }

    private static Map<ResourceType, Double> capacity(Instance i, List<Offer> offers) {
        Map<ResourceType, Double> c = new EnumMap<>(ResourceType.class);
        for (Offer o : offers) {
            if (o.instanceType().equals(i.instanceType()) && o.region().equals(i.region())) {
                c.put(ResourceType.CPU, (double) o.cpuCores());
                c.put(ResourceType.MEMORY, o.memoryGiB());
                c.put(ResourceType.BANDWIDTH, o.bandwidthGbps());
                c.put(ResourceType.STORAGE, o.storageGiB());
                break;
            }
        }
        return c;
    }
}
