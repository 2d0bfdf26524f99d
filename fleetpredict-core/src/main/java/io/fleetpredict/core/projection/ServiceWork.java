package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.TierPolicy;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Working figures for one service during one projection: filled in by {@link RequirementCalculator},
 * then by {@link ScaleOutPlanner} or {@link ScaleInPolicy}, then by {@link ChangeRanker}. Mutable and
 * confined to the projection that made it.
 */
final class ServiceWork {

    final String name;
    /** The service as it runs, or {@code null} when only the prediction names it. */
    final @Nullable ServiceState state;
    // Set by RequirementCalculator.describe before anything reads them.
    @SuppressWarnings("NullAway.Init")
    String tier;
    @SuppressWarnings("NullAway.Init")
    TierPolicy policy;
    ResourceVector capacity = ResourceVector.ZERO;
    int count;
    int nonSpotCount;
    double spotCores;
    double totalCores;
    boolean forecast;
    boolean upperComplete = true;
    boolean calibrated;
    ResourceVector requirement = ResourceVector.ZERO;
    ResourceVector upper = ResourceVector.ZERO;
    ResourceVector maintenance = ResourceVector.ZERO;
    double @Nullable [] median;
    double @Nullable [] sigma;
    int firstShort = -1;
    int lastShort = -1;
    int baseMissing;
    ServicePlan.@Nullable Planned plan;
    double costPerHour;
    double riskRemoved;
    boolean scaleIn;
    final List<PendingChange> pending = new ArrayList<>();
    final List<ProjectedChange> changes = new ArrayList<>();
    // Set when the service's changes are settled, before its decision is read.
    @SuppressWarnings("NullAway.Init")
    ServiceDecision.Outcome outcome;
    @Nullable String reason;
    /** Why no plan could be made, when the outcome is infeasible. */
    @Nullable InfeasibilityReason infeasibility;

    ServiceWork(String name, @Nullable ServiceState state) {
        this.name = name;
        this.state = state;
    }

    ServiceDecision decision() {
        ServiceDecision.Outcome o = outcome != null ? outcome : ServiceDecision.Outcome.STEADY;
        String r = reason != null ? reason : "capacity covers the requirement";
        return new ServiceDecision(name, tier, policy.weight(), requirement, upper, capacity, maintenance, o, r,
                changes, o == ServiceDecision.Outcome.INFEASIBLE ? infeasibility : null);
    }
}
