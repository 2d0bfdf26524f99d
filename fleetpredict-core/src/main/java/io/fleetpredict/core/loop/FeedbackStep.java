package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.provision.ProvisioningReport;
import java.time.Instant;
import java.util.List;

/** The feedback step of a cycle: compares what was predicted with what happened, and says what it did. */
@FunctionalInterface
public interface FeedbackStep {

    /**
     * Runs the feedback.
     *
     * @param now the cycle's time
     * @param predictions this cycle's predictions
     * @param provisioning what this cycle provisioned
     * @return notes for the report (drift found, models retrained), possibly empty
     */
    List<String> feedback(Instant now, List<PredictedFleetState> predictions, ProvisioningReport provisioning);
}
