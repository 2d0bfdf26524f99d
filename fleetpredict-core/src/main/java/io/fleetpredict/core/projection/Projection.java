package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.ProvisionalFleetState;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The result of one projection cycle.
 *
 * @param document the provisional fleet state: the current fleet plus the proposed and deferred changes
 * @param decisions one decision per service, in the order of the fleet state, then services only predicted
 * @param nextState the stability state to pass to the next cycle
 */
public record Projection(ProvisionalFleetState document, List<ServiceDecision> decisions, ProjectionState nextState) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if a component is null
     */
    public Projection {
        if (document == null) {
            throw new NullPointerException("document");
        }
        if (nextState == null) {
            throw new NullPointerException("nextState");
        }
        decisions = List.copyOf(decisions);
    }

    /**
     * Returns the decision for a service.
     *
     * @param service the service name
     * @return its decision, or empty when the service was neither in the fleet nor predicted
     */
    public Optional<ServiceDecision> decision(String service) {
        return decisions.stream().filter(d -> d.service().equals(service)).findFirst();
    }

    /**
     * Returns every change with its figures, in priority order.
     *
     * @return the changes of all decisions
     */
    public List<ProjectedChange> changes() {
        return decisions.stream().flatMap(d -> d.changes().stream())
                .sorted(Comparator.comparingInt((ProjectedChange c) -> c.change().priority())
                        .thenComparing(c -> c.change().id()))
                .toList();
    }
}
