/**
 * Trace replay: a demand trace walked forward step by step, with the library's own loop
 * ({@link io.fleetpredict.replay.FleetLoop}, a real {@code FleetPredictor} against the simulated cloud on a
 * virtual clock) beside reference policies (static capacity, reactive target tracking), each deciding from
 * the past only and paying for what it runs, scored on cost and SLA-violation minutes.
 *
 * <p>{@link io.fleetpredict.replay.Replay} is the engine; {@link io.fleetpredict.replay.Policies} makes the
 * policies it compares; {@link io.fleetpredict.replay.ProvisioningPolicy} is the role a custom policy
 * implements.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.replay;

import org.jspecify.annotations.NullMarked;
