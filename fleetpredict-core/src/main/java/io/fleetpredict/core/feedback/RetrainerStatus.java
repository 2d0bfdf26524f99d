package io.fleetpredict.core.feedback;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Retrainer} predicts with and what it last did.
 *
 * @param model the description of the model predicting now
 * @param reactiveOnly whether that is the reactive-only fallback
 * @param lastGood the description of the model kept to fall back to, or {@code null} when there is none
 * @param retraining whether a retrain is running
 * @param lastRetrainAt when the last retrain finished, or {@code null} before the first
 * @param recentOutcomes the latest outcomes, oldest first, at most 32
 */
public record RetrainerStatus(String model, boolean reactiveOnly, String lastGood, boolean retraining,
        Instant lastRetrainAt, List<RetrainOutcome> recentOutcomes) {
    /** Validates and copies. */
    public RetrainerStatus {
        Objects.requireNonNull(model, "model");
        recentOutcomes = List.copyOf(recentOutcomes);
    }
}
