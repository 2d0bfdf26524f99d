package io.fleetpredict.core.document;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.internal.Checks;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The resources a fleet is predicted to need at a time: the seed document, with optional extensions.
 *
 * <p>The minimal form is {@code {"timestamp": "2024-10-27T10:00:00Z", "resource_requirements":
 * [{"resource_type": "CPU", "quantity": 100, "units": "cores"}]}}. Every other component is optional
 * and {@code null} when absent from the JSON; absent fields stay absent when written back.
 *
 * @param schemaVersion the {@code schema_version}, or {@code null} when absent
 * @param fleetId the fleet, a plain name as in {@link FleetState}, or {@code null}
 * @param timestamp the time the prediction is for
 * @param horizon the horizon, or {@code null}
 * @param validFrom start of validity, or {@code null}
 * @param validUntil end of validity, or {@code null}; not before {@code validFrom}
 * @param resourceRequirements the fleet's requirements, not empty, at most one per resource type
 * @param services the per-service breakdown, or {@code null}
 * @param model the model that produced the prediction, or {@code null}
 * @param overridesApplied expert overrides applied (may be empty), or {@code null}
 */
public record PredictedFleetState(
        @Nullable Integer schemaVersion,
        @Nullable String fleetId,
        Instant timestamp,
        @Nullable Horizon horizon,
        @Nullable Instant validFrom,
        @Nullable Instant validUntil,
        List<ResourceRequirement> resourceRequirements,
        @Nullable List<ServiceRequirements> services,
        @Nullable ModelInfo model,
        @Nullable List<OverrideApplied> overridesApplied)
        implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a rule in the class description is broken
     */
    public PredictedFleetState {
        Documents.checkSchemaVersion(schemaVersion);
        Checks.optionalFleetId("fleetId", fleetId);
        Checks.documentInstant("timestamp", timestamp);
        Checks.optionalDocumentInstant("validFrom", validFrom);
        Checks.optionalDocumentInstant("validUntil", validUntil);
        Checks.notAfter("validFrom", validFrom, "validUntil", validUntil);
        resourceRequirements = Checks.nonEmptyList("resourceRequirements", resourceRequirements);
        Checks.unique("resourceRequirements", resourceRequirements, ResourceRequirement::resourceType);
        services = Checks.optionalList("services", services);
        if (services != null) {
            Checks.unique("services", services, ServiceRequirements::service);
        }
        overridesApplied = Checks.optionalList("overridesApplied", overridesApplied);
    }

    /**
     * Creates the seed form: a timestamp and requirements without quantiles.
     *
     * @param timestamp the time the prediction is for
     * @param requirements the amounts needed, at most one per resource type
     * @return the predicted state with every optional field absent
     */
    public static PredictedFleetState of(Instant timestamp, List<ResourceAmount> requirements) {
        return new PredictedFleetState(null, null, timestamp, null, null, null,
                requirements.stream().map(ResourceRequirement::of).toList(), null, null, null);
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.PREDICTED_FLEET_STATE;
    }
}
