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
 * @param fleet the current fleet state the changes apply to
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
     * @throws IllegalArgumentException when ids repeat or the basis names another fleet version
     */
    public ProvisionalFleetState {
        Objects.requireNonNull(fleet, "fleet");
        provisionalChanges = Checks.list("provisionalChanges", provisionalChanges);
        Checks.unique("provisionalChanges", provisionalChanges, ProvisionalChange::id);
        Objects.requireNonNull(basis, "basis");
        overridesApplied = Checks.optionalList("overridesApplied", overridesApplied);
        if (basis.fleetVersion() != fleet.version()) {
            throw new IllegalArgumentException(Checks.fmt(
                    "basis.fleetVersion: %d does not match the fleet version %d", basis.fleetVersion(), fleet.version()));
        }
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.PROVISIONAL_FLEET_STATE;
    }
}
