/**
 * Trace replay: a demand trace walked forward step by step, with provisioning policies deciding
 * capacity from the past only and paying for it, scored on cost and SLA-violation minutes.
 *
 * <p>{@link io.fleetpredict.core.replay.Replay} is the engine; {@link io.fleetpredict.core.replay.Policies}
 * makes the policies it compares (static, reactive target tracking, predictive with the bucketed
 * {@link io.fleetpredict.core.replay.TraceForecast}, short-horizon with the step-resolution
 * {@link io.fleetpredict.core.replay.StepForecast}, and hybrids);
 * {@link io.fleetpredict.core.replay.ProvisioningPolicy} is the role a custom policy implements.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
package io.fleetpredict.core.replay;
