package io.fleetpredict.core.loop;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.internal.ActiveFleetSnapshot;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What capacity each service had ready, and when: the instances the cloud reported for the fleet, each
 * serving from its {@code readyAt} until the first observation that no longer lists it as active. The
 * near-term forecast asks it, for a step that has closed, for how much of the step demand stood above
 * the ready capacity: the loop's own measure of the SLA it is held to.
 *
 * <p>An instance's {@code readyAt} is the cloud's latest answer: the SPI's "when it became, or is expected to
 * become, {@code RUNNING}" may be an estimate while the instance boots, and a provider may correct it once it
 * knows (Karpenter's reports when the node came up), so a later observation that gives another time moves the
 * instance's capacity change to it. One thing an answer cannot undo: an instance reported {@code RUNNING} by an
 * observation was ready by then, so a later answer does not put its {@code readyAt} after that observation.
 *
 * <p>Kept as changes of ready capacity in time, per service; questions come in time order, so the changes
 * before the latest question are folded into a running total and forgotten.
 *
 * <p>Not thread-safe: the predictor observes and queries it under its cycle lock.
 */
final class ReadyCapacity {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyCapacity.class);
    private static final int TYPES = ResourceType.values().length;

    /**
     * An instance as last seen active: {@code readyAt} as the cloud last gave it, though not after
     * {@code runningBy}, the first observation that saw it {@code RUNNING} ({@code null} before one did).
     */
    private record Serving(String service, Instant readyAt, double[] capacity, @Nullable Instant runningBy) {

        /** The same instance as an observation at {@code now} reports it; this one if nothing changed. */
        Serving seen(Instance i, Instant now) {
            Instant running = runningBy != null || i.state() != InstanceState.RUNNING ? runningBy : now;
            Instant ready = running != null && i.readyAt().isAfter(running) ? running : i.readyAt();
            return ready.equals(readyAt) && running == runningBy ? this : new Serving(service, ready, capacity, running);
        }
    }

    /** One service's ready capacity: the total up to {@code at}, and the changes after it. */
    private static final class Timeline {
        final double[] total = new double[TYPES];
        Instant at = Instant.MIN;
        final TreeMap<Instant, double[]> changes = new TreeMap<>();

        void change(Instant t, double[] capacity, double sign) {
            double[] into = t.isAfter(at) ? changes.computeIfAbsent(t, k -> new double[TYPES]) : total;
            boolean none = true;
            for (int r = 0; r < TYPES; r++) {
                into[r] += sign * capacity[r];
                none &= into[r] == 0;
            }
            if (none && into != total) {
                // A change moved away leaves nothing at its old time, so an estimate corrected each cycle leaves
                // no trail of empty changes.
                changes.remove(t);
            }
        }

        /**
         * Moves a change of {@code capacity} from {@code from} to {@code to}. A side already folded into the total
         * (at or before the latest question's start) is taken from, or added to, the total instead, so the next
         * questions see the change moved; the questions answered stay as they were answered, as the near-term
         * forecast has already learnt from them.
         */
        void move(Instant from, Instant to, double[] capacity) {
            change(from, capacity, -1);
            change(to, capacity, 1);
        }

        void advance(Instant to) {
            while (!changes.isEmpty() && !changes.firstKey().isAfter(to)) {
                double[] d = changes.pollFirstEntry().getValue();
                for (int r = 0; r < TYPES; r++) {
                    total[r] += d[r];
                }
            }
            at = to.isAfter(at) ? to : at;
        }
    }

    private final Map<String, Serving> active = new HashMap<>();
    private final Map<String, Timeline> timelines = new HashMap<>();
    private boolean observed;

    /**
     * Records which of the fleet's instances are active: those given, when the cycle knows them (its one
     * describe of the active fleet, with its own launches and releases since: see {@link ActiveFleetSnapshot}),
     * else as the cloud answers now; a cloud that cannot answer leaves the record as it was (the near-term
     * target then waits for the next answer), with a warning.
     *
     * @param now when the cloud is asked
     * @param cloud the fleet's cloud
     * @param fleetId the fleet whose instances count
     * @param known the fleet's active instances as the cycle knows them, if it does
     */
    void observe(Instant now, CloudProvider cloud, String fleetId, Optional<List<Instance>> known) {
        try {
            List<Instance> active = known.orElseGet(() -> cloud.describe(PreProvisioner.activeFleet(fleetId)).instances());
            observe(now, active, i -> i.tags().get(PreProvisioner.TAG_SERVICE), cloud::offers);
        } catch (CloudException e) {
            LOG.warn("fleet {}: cannot see the instances that serve, the near-term target waits: {}", fleetId,
                    e.getMessage());
        }
    }

    /**
     * Records the instances active at {@code now}; instances seen before and missing now ended at {@code now}
     * (or never served, when they had not become ready).
     *
     * @param now when the cloud answered
     * @param instances the active instances of the fleet
     * @param serviceOf the service an instance serves, or {@code null} when it serves none of the fleet's
     * @param offers the offers, for each new instance's capacity; asked only when an instance is new
     */
    void observe(Instant now, List<Instance> instances, Function<Instance, String> serviceOf,
            Supplier<List<Offer>> offers) {
        observed = true;
        Set<String> seen = new HashSet<>();
        List<Offer> known = null;
        for (Instance i : instances) {
            seen.add(i.id());
            Serving was = active.get(i.id());
            if (was != null) {
                Serving s = was.seen(i, now);
                if (!s.readyAt().equals(was.readyAt())) {
                    timeline(s.service()).move(was.readyAt(), s.readyAt(), s.capacity());
                }
                if (s != was) {
                    active.put(i.id(), s);
                }
                continue;
            }
            String service = serviceOf.apply(i);
            if (service == null) {
                continue;
            }
            known = known == null ? offers.get() : known;
            Serving s = new Serving(service, i.readyAt(), capacity(i, known), null).seen(i, now);
            active.put(i.id(), s);
            timeline(service).change(s.readyAt(), s.capacity(), 1);
        }
        for (Iterator<Map.Entry<String, Serving>> it = active.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Serving> e = it.next();
            if (!seen.contains(e.getKey())) {
                Serving s = e.getValue();
                timeline(s.service()).change(s.readyAt().isAfter(now) ? s.readyAt() : now, s.capacity(), -1);
                it.remove();
            }
        }
    }

    private Timeline timeline(String service) {
        return timelines.computeIfAbsent(service, k -> new Timeline());
    }

    /** @return whether the cloud has been observed at least once */
    boolean observed() {
        return observed;
    }

    /**
     * The share of {@code [from, to)} in which the demand of some resource stood above the service's ready
     * capacity of it; demand is taken as uniform over the span. Calls come in time order.
     *
     * @param demand the service's demand per resource over the span, in canonical units
     * @return a share in [0, 1]
     */
    double shortShare(String service, Map<ResourceType, Double> demand, Instant from, Instant to) {
        Timeline t = timeline(service);
        t.advance(from);
        double[] ready = t.total.clone();
        long total = to.toEpochMilli() - from.toEpochMilli();
        long shortMillis = 0;
        Instant a = from;
        NavigableMap<Instant, double[]> inside = t.changes.subMap(from, false, to, false);
        for (Map.Entry<Instant, double[]> c : inside.entrySet()) {
            if (isShort(demand, ready)) {
                shortMillis += c.getKey().toEpochMilli() - a.toEpochMilli();
            }
            for (int r = 0; r < TYPES; r++) {
                ready[r] += c.getValue()[r];
            }
            a = c.getKey();
        }
        if (isShort(demand, ready)) {
            shortMillis += to.toEpochMilli() - a.toEpochMilli();
        }
        return total > 0 ? Math.min(1, (double) shortMillis / total) : 0;
    }

    private static boolean isShort(Map<ResourceType, Double> demand, double[] ready) {
        for (Map.Entry<ResourceType, Double> d : demand.entrySet()) {
            if (d.getValue() > ready[d.getKey().ordinal()] * (1 + 1e-9) + 1e-12) {
                return true;
            }
        }
        return false;
    }

    private static double[] capacity(Instance i, List<Offer> offers) {
        double[] c = new double[TYPES];
        for (Offer o : offers) {
            if (o.instanceType().equals(i.instanceType()) && o.region().equals(i.region())) {
                c[ResourceType.CPU.ordinal()] = o.cpuCores();
                c[ResourceType.MEMORY.ordinal()] = o.memoryGiB();
                c[ResourceType.BANDWIDTH.ordinal()] = o.bandwidthGbps();
                c[ResourceType.STORAGE.ordinal()] = o.storageGiB();
                break;
            }
        }
        return c;
    }
}
