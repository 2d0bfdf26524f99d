package io.fleetpredict.core.document;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.internal.Checks;
import java.util.List;

/**
 * One service of a fleet state: its SLA tier, its instances and the resources allocated to it.
 *
 * @param name the service name, unique in the fleet
 * @param slaTier the SLA tier name, for example {@code "critical"}
 * @param instanceGroups the instance groups serving it (may be empty)
 * @param allocatedResources the resources allocated to it, at most one amount per resource type
 */
public record ServiceState(
        String name, String slaTier, List<InstanceGroup> instanceGroups, List<ResourceAmount> allocatedResources) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a text is blank or a resource type repeats
     */
    public ServiceState {
        Checks.text("name", name);
        Checks.text("slaTier", slaTier);
        instanceGroups = Checks.list("instanceGroups", instanceGroups);
        allocatedResources = Checks.amounts("allocatedResources", allocatedResources);
    }
}
