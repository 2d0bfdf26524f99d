package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.PlanBasis;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ServiceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small builders of fleet states and plans shared by the provisioning and loop tests. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private Fixtures() {
    }

    public static FleetState emptyFleet(String fleetId, long version, String... servicesAndTiers) {
        List<ServiceState> services = new java.util.ArrayList<>();
        for (int i = 0; i < servicesAndTiers.length; i += 2) {
            services.add(new ServiceState(servicesAndTiers[i], servicesAndTiers[i + 1], List.of(), List.of()));
        }
        return new FleetState(1, fleetId, version, T0, services);
    }

    public static ProvisionalChange change(String id, String service, String type, String region, int count,
            PurchaseOption option, int priority, double costPerHour, Instant neededBy) {
        return new ProvisionalChange(id, service, ChangeAction.SCALE_OUT, type, region, count, option,
                List.of(ResourceAmount.of(ResourceType.CPU, 2.0 * count, ResourceUnit.CORES)), priority,
                "forecast exceeds allocation", costPerHour, costPerHour, neededBy, neededBy.isBefore(T0) ? neededBy : T0,
                ChangeStatus.PROPOSED, null);
    }

    /** A scale-in of {@code count} instances of one group, due now. */
    public static ProvisionalChange scaleIn(String id, String service, String type, int count, PurchaseOption option,
            int priority, Instant now) {
        return new ProvisionalChange(id, service, ChangeAction.SCALE_IN, type, "us-east", count, option,
                List.of(ResourceAmount.of(ResourceType.CPU, 2.0 * count, ResourceUnit.CORES)), priority,
                "upper forecast stays below the capacity left", 0, 0.0, now, now, ChangeStatus.PROPOSED, null);
    }

    public static ProvisionalChange change(String id, String service, int count, int priority) {
        return change(id, service, "m.large", "us-east", count, PurchaseOption.ON_DEMAND, priority, 0.096 * count,
                T0.plusSeconds(3600));
    }

    public static ProvisionalChange change(String id, String service, int count, int priority, PurchaseOption option,
            Instant neededBy) {
        return change(id, service, "m.large", "us-east", count, option, priority, 0.096 * count, neededBy);
    }

    /**
     * A plan of the changes for the fleet; a service of a change that the fleet does not list yet (a new
     * one, as the projection adds for a service only the prediction names) is listed with no instances
     * under the standard tier.
     */
    public static ProvisionalFleetState plan(FleetState fleet, ProvisionalChange... changes) {
        List<ServiceState> services = new java.util.ArrayList<>(fleet.services());
        for (ProvisionalChange c : changes) {
            if (services.stream().noneMatch(s -> s.name().equals(c.service()))) {
                services.add(new ServiceState(c.service(), "standard", List.of(), List.of()));
            }
        }
        FleetState listed = services.size() == fleet.services().size() ? fleet
                : new FleetState(fleet.schemaVersion(), fleet.fleetId(), fleet.version(), fleet.asOf(), services);
        return new ProvisionalFleetState(listed, List.of(changes),
                PlanBasis.of(fleet.asOf().plusSeconds(3600), Horizon.SHORT_TERM, fleet.version()), null);
    }

    public static InstanceGroup group(String type, int count) {
        return new InstanceGroup(type, "us-east", PurchaseOption.ON_DEMAND, count,
                List.of(ResourceAmount.of(ResourceType.CPU, 2, ResourceUnit.CORES)));
    }

    /** Active instances the cloud holds for a fleet, by "service/type/region/option". */
    public static Map<String, Integer> inventory(SimulatedCloud cloud, String fleetId) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Instance i : cloud.describe(DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET, fleetId)))
                .instances()) {
            String option = i.purchaseOption() == PurchaseOption.SPOT ? "spot" : "on_demand";
            counts.merge(i.tags().get(PreProvisioner.TAG_SERVICE) + "/" + i.instanceType() + "/" + i.region() + "/"
                    + option, 1, Integer::sum);
        }
        return counts;
    }

    /** Instances the fleet state counts, by "service/type/region/option", groups of zero left out. */
    public static Map<String, Integer> counted(FleetState state) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ServiceState s : state.services()) {
            for (InstanceGroup g : s.instanceGroups()) {
                if (g.count() > 0) {
                    counts.merge(s.name() + "/" + g.instanceType() + "/" + g.region() + "/"
                            + g.purchaseOption().jsonName(), g.count(), Integer::sum);
                }
            }
        }
        return counts;
    }

    public static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The next version of a stored fleet, holding the given intents. */
    public static StoredFleet next(StoredFleet s, List<ProvisioningIntent> intents) {
        FleetState st = s.state();
        return new StoredFleet(new FleetState(st.schemaVersion(), st.fleetId(), st.version() + 1, st.asOf(),
                st.services()), intents);
    }

    /** An open intent for two on-demand instances of m.large in us-east, for the checkout service. */
    public static ProvisioningIntent intent(String id) {
        return new ProvisioningIntent(id, "c1", "fp-key-" + id, "checkout", "critical", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, 2, 2, 0.096, T0, ProvisioningIntent.Status.OPEN, List.of());
    }
}
