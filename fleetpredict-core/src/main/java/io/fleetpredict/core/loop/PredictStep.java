package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.PredictedFleetState;
import java.time.Instant;
import java.util.List;

/** The predict step of a cycle: the fleet's predicted state per horizon, from the monitor and the models. */
@FunctionalInterface
public interface PredictStep {

    /**
     * Predicts the fleet's needs.
     *
     * @param now the cycle's time
     * @return one predicted fleet state per horizon, possibly empty
     */
    List<PredictedFleetState> predict(Instant now);
}
