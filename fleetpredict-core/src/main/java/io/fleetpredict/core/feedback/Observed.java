package io.fleetpredict.core.feedback;

/**
 * What a {@link Retrainer} made of one observation.
 *
 * @param oneStepError the observation minus the one-step forecast made before it, or {@code NaN} when there
 *     was none (right after a fallback)
 * @param drift whether the drift detector flagged the champion at this observation
 * @param retrainStarted whether a retrain was started (by drift or by the schedule)
 */
public record Observed(double oneStepError, boolean drift, boolean retrainStarted) {}
