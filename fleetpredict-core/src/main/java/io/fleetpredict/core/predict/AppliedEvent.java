package io.fleetpredict.core.predict;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.event.EventEffect;
import io.fleetpredict.core.event.TimeWindow;
import java.util.List;
import java.util.Objects;

/**
 * A demand event (campaign or news) that shaped a prediction, on one service.
 *
 * @param eventId the event's id
 * @param eventKey the recurring type the event belongs to: {@code type:name}, such as
 *     {@code "campaign:Spring sale"}
 * @param horizon the horizon whose forecasts it shaped
 * @param service the service it was applied to
 * @param window when it runs
 * @param effects the multiplier applied to each series forecast for the service (one per activity metric
 *     on the activity path, one for the usage on the direct path), learned or declared; empty for an
 *     additive uplift
 * @param additiveUplift the declared resources added on top of the service's forecast; empty for a
 *     multiplier
 */
public record AppliedEvent(String eventId, String eventKey, Horizon horizon, String service, TimeWindow window,
        List<EventEffect> effects, List<ResourceAmount> additiveUplift) {

    /** Validates and copies. */
    public AppliedEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventKey, "eventKey");
        Objects.requireNonNull(horizon, "horizon");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(window, "window");
        effects = List.copyOf(effects);
        additiveUplift = List.copyOf(additiveUplift);
    }
}
