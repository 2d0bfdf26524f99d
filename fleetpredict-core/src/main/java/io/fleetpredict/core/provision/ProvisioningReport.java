package io.fleetpredict.core.provision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a pre-provisioning run decided and did.
 *
 * @param fleetId the fleet
 * @param mode plan-only or apply
 * @param at when the run started
 * @param decision the cost gate's decision
 * @param outcomes what happened to each approved change, most important first
 * @param reconcile what reconciliation fixed before provisioning; empty in plan-only mode
 * @param capOverride the override in force, if any
 * @param version the fleet state version after the run
 */
public record ProvisioningReport(String fleetId, PreProvisioner.Mode mode, Instant at, GateDecision decision,
        List<ChangeOutcome> outcomes, Optional<ReconcileReport> reconcile, Optional<CapOverride> capOverride,
        long version) {

    /** Copies. */
    public ProvisioningReport {
        Objects.requireNonNull(fleetId, "fleetId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(decision, "decision");
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(reconcile, "reconcile");
        Objects.requireNonNull(capOverride, "capOverride");
    }

    /**
     * The instances launched by this run.
     *
     * @return the provisioned outcomes
     */
    public List<ChangeOutcome.Provisioned> provisioned() {
        return outcomes.stream().filter(ChangeOutcome.Provisioned.class::isInstance)
                .map(ChangeOutcome.Provisioned.class::cast).toList();
    }

    /**
     * The instances released by this run.
     *
     * @return the released outcomes
     */
    public List<ChangeOutcome.Released> released() {
        return outcomes.stream().filter(ChangeOutcome.Released.class::isInstance)
                .map(ChangeOutcome.Released.class::cast).toList();
    }
}
