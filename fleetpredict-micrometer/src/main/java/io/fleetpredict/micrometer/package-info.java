/**
 * The loop's own metrics for a host's Micrometer registry.
 *
 * <p>{@link io.fleetpredict.micrometer.FleetPredictorMetrics} is a {@code MeterBinder}: bind it to the
 * host's registry, run each cycle through it (or hand it each {@code CycleReport}), and optionally route
 * the cloud provider through it for call, retry and throttle counts. Micrometer itself is the host's:
 * this module declares it {@code provided}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.micrometer;

import org.jspecify.annotations.NullMarked;
