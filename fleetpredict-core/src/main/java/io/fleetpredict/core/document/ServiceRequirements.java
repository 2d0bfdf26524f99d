package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.util.List;

/**
 * The predicted requirements of one service, part of a predicted fleet state's breakdown.
 *
 * @param service the service name
 * @param resourceRequirements its requirements, at most one per resource type
 */
public record ServiceRequirements(String service, List<ResourceRequirement> resourceRequirements) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when the name is blank or a resource type repeats
     */
    public ServiceRequirements {
        Checks.text("service", service);
        resourceRequirements = Checks.list("resourceRequirements", resourceRequirements);
        Checks.unique("resourceRequirements", resourceRequirements, ResourceRequirement::resourceType);
    }
}
