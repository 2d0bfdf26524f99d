/**
 * Projection: from a predicted fleet state to the capacity the fleet must acquire.
 *
 * <p>The entry point for capacity is {@link io.fleetpredict.core.projection.CapacityPlanner}: given
 * each service's uncovered resource delta ({@link io.fleetpredict.core.projection.ServiceDemand}),
 * the offers on the market ({@link io.fleetpredict.core.projection.CapacityOffer}) and capacity
 * already owned or reserved ({@link io.fleetpredict.core.projection.ExistingCapacity}), it returns
 * the cheapest expected set of instances that covers CPU, memory, bandwidth and storage together
 * within each service's {@link io.fleetpredict.core.projection.CapacityLimits}.
 *
 * <p>The entry point for a whole fleet is {@link io.fleetpredict.core.projection.ProjectionEngine}: it
 * turns predicted fleet states, the current fleet state, SLA policies and maintenance windows into a
 * {@link io.fleetpredict.core.projection.Projection} holding the provisional fleet state document.
 * {@link io.fleetpredict.core.projection.CapacityOffers} converts an instance catalogue or a cloud
 * provider's offers into capacity offers; {@link io.fleetpredict.core.projection.SlaDefaults} holds the
 * documented default tiers.
 *
 * <p>Every parameter and return value in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.fleetpredict.core.projection;

import org.jspecify.annotations.NullMarked;
