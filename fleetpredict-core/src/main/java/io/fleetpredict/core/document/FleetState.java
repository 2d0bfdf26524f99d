package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a fleet runs now: its services, their instance groups and allocated resources.
 *
 * <p>{@code version} increases by one with every committed change, so a store can refuse a write
 * based on a stale version (optimistic concurrency).
 *
 * @param schemaVersion the {@code schema_version}, or {@code null} when absent
 * @param fleetId the fleet, a plain name ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}), since it names the fleet's
 *     directory in a state store
 * @param version the monotonic version, not negative
 * @param asOf when this state was observed or committed
 * @param services the services, unique by name (may be empty)
 */
public record FleetState(
        @Nullable Integer schemaVersion, String fleetId, long version, Instant asOf, List<ServiceState> services)
        implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a rule in the class description is broken
     */
    public FleetState {
        Documents.checkSchemaVersion(schemaVersion);
        Checks.fleetId("fleetId", fleetId);
        Checks.nonNegative("version", version);
        Checks.documentInstant("asOf", asOf);
        services = Checks.list("services", services);
        Checks.unique("services", services, ServiceState::name);
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.FLEET_STATE;
    }
}
