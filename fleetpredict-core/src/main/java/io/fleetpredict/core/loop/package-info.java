/**
 * The loop a scheduler runs: {@link io.fleetpredict.core.loop.FleetPredictor}, built once, whose
 * {@code cycle()} runs predict, project, gate, provision and feedback and returns a
 * {@link io.fleetpredict.core.loop.CycleReport}.
 *
 * <p>The steps are small interfaces ({@link io.fleetpredict.core.loop.PredictStep},
 * {@link io.fleetpredict.core.loop.ProjectStep}, {@link io.fleetpredict.core.loop.FeedbackStep}) so that a
 * custom engine is one lambda; the library's engines are adapted to them here:
 * {@link io.fleetpredict.core.loop.OnlinePredictStep} (an activity monitor and a predictor: fit once, update
 * online, refit on a schedule or on drift), {@link io.fleetpredict.core.loop.StatefulProjectStep} (a
 * projection engine with its stability state kept between cycles) and
 * {@link io.fleetpredict.core.loop.AccuracyFeedbackStep} (accuracy and drift tracking that triggers the
 * refits). {@link io.fleetpredict.core.loop.MetricMapping} says which monitor metrics are resource use and
 * which are activity. The package sits above the engines' packages (monitor, predict, projection,
 * feedback, provision), none of which depends on it.
 *
 * <p>With a monitor, capacity follows the near-term forecast at the monitor's own step, sized by each
 * service's SLA target ({@code max_violation_share}): after every cycle the predictor records which of the
 * fleet's instances run and since when they are ready (in apply mode from the describe of the active fleet
 * the cycle's reconcile made, with the cycle's own launches and releases since, so that a cycle describes its
 * whole active fleet once; otherwise from a describe of its own), and the forecast's level moves with the share
 * of each closed step in which demand stood above that ready capacity. The fleet model's medium and long
 * terms are published beside it and do not move capacity. The projection buys what only a launch made now
 * serves in time, and the pre-provisioner launches and releases through the cloud.
 *
 * <p>Every parameter and return value in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.fleetpredict.core.loop;

import org.jspecify.annotations.NullMarked;
