package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The edits the provisioner makes to a fleet state: instances of one group counted in or out with their
 * allocated resources, the version bumped, and the small look-ups they need. Pure functions of their
 * arguments.
 */
final class FleetStateEdits {

    /** The tier a service is filed under when the plan does not name it. */
    static final String UNKNOWN_TIER = "unknown";

    private FleetStateEdits() {
    }

    /** The state one version on, as of now (never earlier than it already was). */
    static FleetState bump(FleetState state, Instant now) {
        Instant asOf = now.isAfter(state.asOf()) ? now : state.asOf();
        return new FleetState(state.schemaVersion(), state.fleetId(), state.version() + 1, asOf, state.services());
    }

    /** The SLA tier the plan's fleet gives a service, or {@link #UNKNOWN_TIER}. */
    static String tier(ProvisionalFleetState plan, String service) {
        return plan.fleet().services().stream().filter(s -> s.name().equals(service)).map(ServiceState::slaTier)
                .findFirst().orElse(UNKNOWN_TIER);
    }

    /** How many instances of one group (service, type, region, purchase option) a state holds. */
    static long count(FleetState state, String service, String type, String region, PurchaseOption option) {
        return state.services().stream().filter(s -> s.name().equals(service))
                .flatMap(s -> s.instanceGroups().stream())
                .filter(g -> g.instanceType().equals(type) && g.region().equals(region) && g.purchaseOption() == option)
                .mapToLong(InstanceGroup::count).sum();
    }

    /**
     * What one instance of a type in a region provides: as a group of the state (or else of the plan's
     * fleet) records it, else as the offer describes it (asked for only then), else one core.
     */
    static List<ResourceAmount> capacityPerInstance(List<FleetState> sources, String type, String region,
            Supplier<Optional<Offer>> offers) {
        for (FleetState source : sources) {
            for (ServiceState s : source.services()) {
                for (InstanceGroup g : s.instanceGroups()) {
                    if (g.instanceType().equals(type) && g.region().equals(region)) {
                        return g.capacityPerInstance();
                    }
                }
            }
        }
        Optional<Offer> offer = offers.get();
        if (offer.isPresent()) {
            return List.of(ResourceAmount.of(ResourceType.CPU, offer.get().cpuCores(), ResourceUnit.CORES),
                    ResourceAmount.of(ResourceType.MEMORY, offer.get().memoryGiB(), ResourceUnit.GIB));
        }
        return List.of(ResourceAmount.of(ResourceType.CPU, 1, ResourceUnit.CORES));
    }

    /**
     * Adds (or removes, when negative) instances of one group, keeping allocated resources in step. A
     * group or service that does not exist yet is created only when instances are added and the
     * capacity per instance is known; the plan, when given, names a new service's tier.
     */
    static FleetState adjust(FleetState state, String service, String tier, String type, String region,
            PurchaseOption option, @Nullable List<ResourceAmount> capacity, @Nullable ProvisionalFleetState plan,
            int delta) {
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
            String t = plan == null || tier(plan, service).equals(UNKNOWN_TIER) ? tier : tier(plan, service);
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
        services.set(si, new ServiceState(s.name(), s.slaTier(), groups,
                allocated(s.allocatedResources(), perInstance, applied)));
        return new FleetState(state.schemaVersion(), state.fleetId(), state.version(), state.asOf(), services);
    }

    /** A service's allocated resources after {@code applied} instances of {@code perInstance} came or went. */
    private static List<ResourceAmount> allocated(List<ResourceAmount> before, List<ResourceAmount> perInstance,
            int applied) {
        Map<ResourceType, Double> allocated = new LinkedHashMap<>();
        for (ResourceAmount a : before) {
            allocated.put(a.type(), a.inCanonicalUnit().amount());
        }
        for (ResourceAmount a : perInstance) {
            allocated.merge(a.type(), applied * a.inCanonicalUnit().amount(), Double::sum);
        }
        List<ResourceAmount> amounts = new ArrayList<>();
        for (Map.Entry<ResourceType, Double> e : allocated.entrySet()) {
            ResourceUnit unit = perInstance.stream().filter(a -> a.type() == e.getKey()).findFirst()
                    .map(a -> a.inCanonicalUnit().unit())
                    .orElseGet(() -> before.stream().filter(a -> a.type() == e.getKey()).findFirst()
                            .orElseThrow().inCanonicalUnit().unit());
            amounts.add(ResourceAmount.of(e.getKey(), Math.max(0, e.getValue()), unit));
        }
        return amounts;
    }

    /**
     * The option a change's instances are asked for: reserved capacity runs on instances launched on
     * demand and billed under the reservation, which a provider never sells by request.
     */
    static PurchaseOption launchedAs(PurchaseOption option) {
        return option == PurchaseOption.RESERVED ? PurchaseOption.ON_DEMAND : option;
    }
}
