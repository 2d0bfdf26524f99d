package io.fleetpredict.core.predict;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.PredictedFleetState;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The prediction for one horizon: the predicted fleet state document and the forecasts behind it.
 *
 * @param spec the horizon's settings
 * @param state the document
 * @param forecasts the step-by-step forecast of each service and resource
 */
public record HorizonPrediction(HorizonSpec spec, PredictedFleetState state, List<ServiceForecast> forecasts) {

    /** Validates and copies. */
    public HorizonPrediction {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        forecasts = List.copyOf(forecasts);
    }

    /**
     * The forecast of one resource of one service.
     *
     * @param service the service
     * @param type the resource
     * @return the forecast
     * @throws IllegalArgumentException if the service has no such resource in the history
     */
    public ServiceForecast forecast(String service, ResourceType type) {
        Optional<ServiceForecast> f = forecasts.stream()
                .filter(x -> x.service().equals(service) && x.resourceType() == type).findFirst();
        return f.orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT,
                "unknown metric '%s' of service '%s' in the %s prediction",
                type.jsonName(), service, spec.horizon().jsonName())));
    }
}
