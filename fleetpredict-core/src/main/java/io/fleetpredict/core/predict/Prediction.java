package io.fleetpredict.core.predict;

import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FleetModel} predicts at one time: one predicted fleet state per horizon, the maintenance
 * that takes capacity out during them, the demand events applied and any warnings.
 *
 * @param at the prediction time
 * @param horizons one prediction per configured horizon, in configuration order
 * @param maintenance capacity removed by maintenance overlapping any horizon
 * @param events the demand events applied
 * @param warnings degradations (an event with no learned or declared effect, a demand fit with too little
 *     data, ...), in words
 */
public record Prediction(Instant at, List<HorizonPrediction> horizons, List<CapacityRemoval> maintenance,
        List<AppliedEvent> events, List<String> warnings) {

    /** Validates and copies. */
    public Prediction {
        Objects.requireNonNull(at, "at");
        horizons = List.copyOf(horizons);
        maintenance = List.copyOf(maintenance);
        events = List.copyOf(events);
        warnings = List.copyOf(warnings);
    }

    /**
     * The prediction for one horizon.
     *
     * @param horizon the horizon
     * @return its prediction
     * @throws IllegalArgumentException if the horizon is not configured
     */
    public HorizonPrediction horizon(Horizon horizon) {
        return horizons.stream().filter(h -> h.spec().horizon() == horizon).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("horizon " + horizon.jsonName() + " is not configured"));
    }

    /** @return the predicted fleet state documents, one per horizon */
    public List<PredictedFleetState> states() {
        return horizons.stream().map(HorizonPrediction::state).toList();
    }
}
