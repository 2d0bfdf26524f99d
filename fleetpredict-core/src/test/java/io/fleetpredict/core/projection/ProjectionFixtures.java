package io.fleetpredict.core.projection;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.CatalogueOffer;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.DocumentKind;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.SchemaCheck;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.document.ServiceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small fleets, catalogues and predictions for projection tests, a schema check and a change applier. */
final class ProjectionFixtures {

    static final Instant T0 = Instant.parse("2024-11-29T17:30:00Z");


    private ProjectionFixtures() {
    }

    static CatalogueOffer offer(String type, String family, String region, double cores, double memoryGiB,
            double onDemand, Double spot, double rate, Duration boot) {
        return new CatalogueOffer(type, family, region, cores, memoryGiB, 12.5, 0, onDemand, spot, rate, boot);
    }

    /** Two instance types of the example catalogue (docs/examples/instance-catalogue.json). */
    static InstanceCatalogue catalogue() {
        return new InstanceCatalogue(1, List.of(
                offer("m6i.2xlarge", "m6i", "eu-west-1", 8, 32, 0.428, 0.1573, 0.004, Duration.ofSeconds(90)),
                offer("c6i.2xlarge", "c6i", "eu-west-1", 8, 16, 0.386, 0.131, 0.006, Duration.ofSeconds(80))));
    }

    static List<ResourceAmount> perInstance(double cores, double memoryGiB) {
        return List.of(ResourceAmount.of(ResourceType.CPU, cores, ResourceUnit.CORES),
                ResourceAmount.of(ResourceType.MEMORY, memoryGiB, ResourceUnit.GIB));
    }

    static InstanceGroup group(String type, PurchaseOption option, int count, double cores, double memoryGiB) {
        return new InstanceGroup(type, "eu-west-1", option, count, perInstance(cores, memoryGiB));
    }

    static ServiceState service(String name, String tier, InstanceGroup... groups) {
        return new ServiceState(name, tier, List.of(groups), List.of());
    }

    static FleetState fleet(long version, Instant asOf, ServiceState... services) {
        return new FleetState(1, "shop-eu", version, asOf, List.of(services));
    }

    static ResourceRequirement cpu(double p50, double p90, double p99) {
        return new ResourceRequirement(ResourceType.CPU, p50, ResourceUnit.CORES, p50, p90, p99);
    }

    static ResourceRequirement memory(double gib) {
        return new ResourceRequirement(ResourceType.MEMORY, gib, ResourceUnit.GIB, null, null, null);
    }

    /** A prediction valid from {@code from} for {@code length}, with a per-service breakdown. */
    static PredictedFleetState predicted(Instant from, Duration length, Map<String, List<ResourceRequirement>> perService) {
        List<ServiceRequirements> services = new ArrayList<>();
        double cores = 0;
        for (Map.Entry<String, List<ResourceRequirement>> e : perService.entrySet()) {
            services.add(new ServiceRequirements(e.getKey(), e.getValue()));
            for (ResourceRequirement r : e.getValue()) {
                if (r.resourceType() == ResourceType.CPU) {
                    cores += r.quantity();
                }
            }
        }
        return new PredictedFleetState(1, "shop-eu", from.plus(length.dividedBy(2)), null, from, from.plus(length),
                List.of(new ResourceRequirement(ResourceType.CPU, cores, ResourceUnit.CORES, null, null, null)),
                services, null, null);
    }

    /** The fleet after the proposed changes of a projection were carried out. */
    static FleetState apply(FleetState fleet, List<ProvisionalChange> changes, Instant at) {
        List<ServiceState> services = new ArrayList<>(fleet.services());
        for (ProvisionalChange c : changes) {
            if (c.status() != ChangeStatus.PROPOSED) {
                continue;
            }
            int si = -1;
            for (int i = 0; i < services.size(); i++) {
                if (services.get(i).name().equals(c.service())) {
                    si = i;
                }
            }
            ServiceState s = si >= 0 ? services.get(si) : new ServiceState(c.service(), "standard", List.of(), List.of());
            List<InstanceGroup> groups = new ArrayList<>(s.instanceGroups());
            int gi = -1;
            for (int i = 0; i < groups.size(); i++) {
                InstanceGroup g = groups.get(i);
                if (g.instanceType().equals(c.instanceType()) && g.region().equals(c.region())
                        && g.purchaseOption() == c.purchaseOption()) {
                    gi = i;
                }
            }
            int sign = c.action() == ChangeAction.SCALE_OUT ? 1 : -1;
            if (gi >= 0) {
                InstanceGroup g = groups.get(gi);
                groups.set(gi, new InstanceGroup(g.instanceType(), g.region(), g.purchaseOption(),
                        g.count() + sign * c.count(), g.capacityPerInstance()));
            } else if (sign > 0) {
                List<ResourceAmount> per = c.resourceDelta().stream()
                        .map(a -> ResourceAmount.of(a.type(), a.amount() / c.count(), a.unit())).toList();
                groups.add(new InstanceGroup(c.instanceType(), c.region(), c.purchaseOption(), c.count(), per));
            } else {
                throw new AssertionError("scale-in of a group the fleet does not have: " + c);
            }
            ServiceState updated = new ServiceState(s.name(), s.slaTier(), groups, s.allocatedResources());
            if (si >= 0) {
                services.set(si, updated);
            } else {
                services.add(updated);
            }
        }
        return new FleetState(fleet.schemaVersion(), fleet.fleetId(), fleet.version() + 1, at, services);
    }

    /** Violations of docs/schemas/provisional-fleet-state.schema.json; empty when the JSON validates. */
    static Set<String> provisionalSchemaErrors(String json) {
        return SchemaCheck.errors(DocumentKind.PROVISIONAL_FLEET_STATE, json);
    }

    static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/schemas"))) {
                return dir.resolve("docs");
            }
        }
        throw new IllegalStateException("no docs/schemas above " + Path.of("").toAbsolutePath());
    }
}
