package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fleet state plus the changes planned to meet a prediction, and what they were computed from.
 *
 * <p>In JSON the fleet state's fields sit at the top level next to {@code provisional_changes},
 * {@code basis} and the optional {@code overrides_applied}.
 *
 * @param fleet the current fleet state the changes apply to; every change is for one of its services (a
 *     service only the prediction names is listed with no instance groups)
 * @param provisionalChanges the planned changes, unique by id (may be empty)
 * @param basis what the plan was computed from; its fleet version must equal {@code fleet.version()}
 * @param overridesApplied the expert overrides recorded in the predicted fleet states the plan used (may be
 *     empty), or {@code null} when not recorded (documents written before the field existed)
 */
public record ProvisionalFleetState(FleetState fleet, List<ProvisionalChange> provisionalChanges, PlanBasis basis,
        @Nullable List<OverrideApplied> overridesApplied) implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when ids repeat, a change is for a service the fleet does not list
     *     (naming the change and the service), or the basis names another fleet version
     */
    public ProvisionalFleetState {
        Objects.requireNonNull(fleet, "fleet");
        provisionalChanges = Checks.list("provisionalChanges", provisionalChanges);
        Checks.unique("provisionalChanges", provisionalChanges, ProvisionalChange::id);
        Objects.requireNonNull(basis, "basis");
        overridesApplied = Checks.optionalList("overridesApplied", overridesApplied);
        for (int i = 0; i < provisionalChanges.size(); i++) {
            ProvisionalChange change = provisionalChanges.get(i);
            if (fleet.services().stream().noneMatch(s -> s.name().equals(change.service()))) {
                throw new IllegalArgumentException("provisionalChanges[" + i + "]: " + unknownService(change, fleet));
            }
        }
        if (basis.fleetVersion() != fleet.version()) {
            throw new IllegalArgumentException(Checks.fmt(
                    "basis.fleetVersion: %d does not match the fleet version %d", basis.fleetVersion(), fleet.version()));
        }
    }

    /** Why a change for a service the fleet does not hold is refused, naming the change and the service. */
    static String unknownService(ProvisionalChange change, FleetState fleet) {
        List<String> names = fleet.services().stream().map(ServiceState::name).toList();
        return Checks.fmt("change %s is for service \"%s\", which is not a service of the fleet (its services: %s); "
                + "a plan for a service only the prediction names lists it in the fleet with no instance groups",
                change.id(), change.service(), names.isEmpty() ? "none" : String.join(", ", names));
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.PROVISIONAL_FLEET_STATE;
    }
}
