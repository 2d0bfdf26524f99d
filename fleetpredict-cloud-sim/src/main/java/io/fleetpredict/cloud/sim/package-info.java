/**
 * fleetpredict cloud-sim.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.cloud.sim;

import org.jspecify.annotations.NullMarked;
