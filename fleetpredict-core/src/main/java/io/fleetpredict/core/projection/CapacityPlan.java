package io.fleetpredict.core.projection;

import java.util.List;

/**
 * The capacity plan for a set of services: one outcome per service, in the order they were given.
 *
 * @param services the outcome for each service
 */
public record CapacityPlan(List<ServicePlan> services) {

    /**
     * Copies the outcomes.
     *
     * @throws NullPointerException if the list or an element is null
     */
    public CapacityPlan {
        services = List.copyOf(services);
    }

    /**
     * Returns the expected cost per hour of every service that could be planned.
     *
     * @return the sum over planned services
     */
    public double totalExpectedCostPerHour() {
        double total = 0;
        for (ServicePlan plan : services) {
            if (plan instanceof ServicePlan.Planned) {
                total += ((ServicePlan.Planned) plan).expectedCostPerHour();
            }
        }
        return total;
    }

    /**
     * Returns the services that could not be planned.
     *
     * @return the infeasible outcomes, in order
     */
    public List<ServicePlan.Infeasible> infeasible() {
        return services.stream().filter(ServicePlan.Infeasible.class::isInstance)
                .map(ServicePlan.Infeasible.class::cast).toList();
    }

    /**
     * Returns the services that could be planned.
     *
     * @return the planned outcomes, in order
     */
    public List<ServicePlan.Planned> planned() {
        return services.stream().filter(ServicePlan.Planned.class::isInstance)
                .map(ServicePlan.Planned.class::cast).toList();
    }
}
