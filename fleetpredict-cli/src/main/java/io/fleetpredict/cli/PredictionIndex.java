package io.fleetpredict.cli;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The requirement each actual is scored against, looked up by the actual's timestamp, service and resource type
 * in a hash map built once from the predicted fleet states, so a row costs the same however many services they
 * hold.
 *
 * <p>The rule: a prediction is for its document's timestamp exactly; a row of the fleet ({@code service} null)
 * takes the document's fleet-level requirement of its resource type, any other row the requirement of the
 * service of that name. When several documents are for the same timestamp, the first given that holds the
 * requirement wins. The horizon is the document's, short-term when it names none.
 */
final class PredictionIndex {

    /** A requirement and the horizon of the document it came from. */
    record Match(ResourceRequirement requirement, Horizon horizon) {}

    private record Key(Instant time, @Nullable String service, ResourceType type) {}

    private final Map<Key, Match> matches;

    private PredictionIndex(Map<Key, Match> matches) {
        this.matches = matches;
    }

    /** Indexes {@code documents}, earlier ones winning a timestamp, service and resource type they share. */
    static PredictionIndex of(List<PredictedFleetState> documents) {
        Map<Key, Match> matches = new HashMap<>();
        for (PredictedFleetState d : documents) {
            Horizon horizon = d.horizon() == null ? Horizon.SHORT_TERM : d.horizon();
            put(matches, d.timestamp(), null, d.resourceRequirements(), horizon);
            if (d.services() != null) {
                for (ServiceRequirements s : d.services()) {
                    put(matches, d.timestamp(), s.service(), s.resourceRequirements(), horizon);
                }
            }
        }
        return new PredictionIndex(matches);
    }

    private static void put(Map<Key, Match> matches, Instant time, @Nullable String service,
            List<ResourceRequirement> requirements, Horizon horizon) {
        for (ResourceRequirement r : requirements) {
            // A document names a service and a resource type once, so only an earlier document is ever kept here.
            matches.putIfAbsent(new Key(time, service, r.resourceType()), new Match(r, horizon));
        }
    }

    /** The requirement predicted for {@code service} ({@code null}: the fleet) and {@code type} at {@code time}. */
    Optional<Match> find(Instant time, @Nullable String service, ResourceType type) {
        return Optional.ofNullable(matches.get(new Key(time, service, type)));
    }
}
