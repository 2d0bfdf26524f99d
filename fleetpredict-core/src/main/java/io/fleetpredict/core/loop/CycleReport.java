package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.provision.ProvisioningReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one cycle decided and did.
 *
 * @param cycle the cycle's sequence number in this predictor, from 1
 * @param at when the cycle started
 * @param elapsed how long it took on the clock
 * @param predictions the predict step's output
 * @param plan the project step's output
 * @param provisioning the gate's decision and what was provisioned
 * @param feedback the feedback step's notes
 */
public record CycleReport(long cycle, Instant at, Duration elapsed, List<PredictedFleetState> predictions,
        ProvisionalFleetState plan, ProvisioningReport provisioning, List<String> feedback) {

    /** Copies. */
    public CycleReport {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(elapsed, "elapsed");
        predictions = List.copyOf(predictions);
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(provisioning, "provisioning");
        feedback = List.copyOf(feedback);
    }
}
