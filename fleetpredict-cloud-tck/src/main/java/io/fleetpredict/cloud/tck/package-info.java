/**
 * The compatibility kit a host runs against its own {@link io.fleetpredict.cloud.CloudProvider}:
 * subclass {@link io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit} in a test and return the
 * provider.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.cloud.tck;

import org.jspecify.annotations.NullMarked;
