package io.fleetpredict.core.feedback;

/**
 * What recording one actual found.
 *
 * @param key the series
 * @param error {@code actual - predicted mean}
 * @param scaledError the error divided by the series' MASE scale, or the raw error while no scale is known
 * @param drift whether the drift detector flagged the series at this observation
 */
public record Recorded(AccuracyKey key, double error, double scaledError, boolean drift) {}
