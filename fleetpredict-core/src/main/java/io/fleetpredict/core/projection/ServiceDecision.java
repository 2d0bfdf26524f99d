package io.fleetpredict.core.projection;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the projection decided for one service, with the numbers it decided on. All resource vectors
 * are in canonical units (cores, GiB, Gbps, GiB).
 *
 * @param service the service
 * @param tier the SLA tier whose policy applied
 * @param weight the effective SLA weight
 * @param requirement the largest requirement over the predicted steps: the forecast at the SLA's
 *     quantile times one plus the headroom, plus capacity removed by maintenance
 * @param upperRequirement the same at the upper quantile (at least the 99th percentile), over the
 *     steps inside the scale-in window; what a scale-in must stay clear of
 * @param capacity what the service's instance groups provide now
 * @param maintenanceRemoved the largest capacity maintenance removes in any step
 * @param outcome what was decided
 * @param reason a sentence with the numbers behind the outcome
 * @param changes the changes written to the document for this service (proposed or deferred)
 * @param infeasibility why no plan could be made when the outcome is {@link Outcome#INFEASIBLE}
 *     ({@link InfeasibilityReason#NEED_TOO_LARGE} says the requirement itself is beyond any fleet), else
 *     {@code null}
 */
public record ServiceDecision(String service, String tier, double weight, ResourceVector requirement,
        ResourceVector upperRequirement, ResourceVector capacity, ResourceVector maintenanceRemoved,
        Outcome outcome, String reason, List<ProjectedChange> changes, @Nullable InfeasibilityReason infeasibility) {

    /** What was decided for a service. */
    public enum Outcome {
        /** Capacity stays as it is: it covers the requirement, or a scale-in is held back for stability. */
        STEADY,
        /** Instances are added (proposed). */
        SCALE_OUT,
        /** Instances are removed (proposed). */
        SCALE_IN,
        /** A change is needed but deferred: over the budget or the change limit per cycle. */
        DEFERRED,
        /** No plan meets the service's SLA limits with the offers at hand; nothing is written. */
        INFEASIBLE,
        /** The prediction has no requirement for the service; nothing is changed. */
        NO_FORECAST
    }

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if a component other than {@code infeasibility} is null
     * @throws IllegalArgumentException if an infeasible outcome has no {@code infeasibility}, or another has one
     */
    public ServiceDecision {
        for (Object o : new Object[] {service, tier, requirement, upperRequirement, capacity, maintenanceRemoved,
                outcome, reason}) {
            if (o == null) {
                throw new NullPointerException("a component of the decision for " + service + " is null");
            }
        }
        changes = List.copyOf(changes);
        if ((outcome == Outcome.INFEASIBLE) != (infeasibility != null)) {
            throw new IllegalArgumentException("infeasibility of " + service + ": must be given exactly when the"
                    + " outcome is INFEASIBLE, was " + infeasibility + " for " + outcome);
        }
    }
}
