package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Known events (campaigns, news, maintenance) that change demand or capacity.
 *
 * @param schemaVersion the {@code schema_version}, or {@code null} when absent
 * @param events the events, unique by id (may be empty)
 */
public record EventFeed(@Nullable Integer schemaVersion, List<FleetEvent> events) implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when ids repeat
     */
    public EventFeed {
        Documents.checkSchemaVersion(schemaVersion);
        events = Checks.list("events", events);
        Checks.unique("events", events, FleetEvent::id);
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.EVENT_FEED;
    }
}
