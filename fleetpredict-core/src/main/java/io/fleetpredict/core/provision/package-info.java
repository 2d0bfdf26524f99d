/**
 * Pre-provisioning: the cost gate, safe provisioning through the cloud SPI, hard caps, and the fleet
 * state store that never loses an update.
 *
 * <p>{@link io.fleetpredict.core.provision.PreProvisioner} takes a provisional fleet state, asks the
 * {@link io.fleetpredict.core.provision.CostGate} whether its cost is acceptable, and (in
 * {@linkplain io.fleetpredict.core.provision.PreProvisioner.Mode#APPLY apply} mode only) launches the
 * approved scale-outs and releases the approved scale-ins through a
 * {@link io.fleetpredict.core.provision.GuardedCloud}, writing an intent to the
 * {@link io.fleetpredict.core.provision.FleetStateStore} before every launch or release and committing
 * the new fleet state after it. The scheduler's entry point that runs predict, project, gate,
 * provision and feedback in one cycle is {@code io.fleetpredict.core.loop.FleetPredictor}.
 *
 * <p>Every parameter and return value in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.fleetpredict.core.provision;

import org.jspecify.annotations.NullMarked;
