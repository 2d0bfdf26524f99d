/**
 * The service-provider interface a host implements to reach its cloud.
 *
 * <p>A host implements {@link io.fleetpredict.cloud.CloudProvider} and, optionally, a
 * {@link io.fleetpredict.cloud.CloudProviderFactory} registered for {@link java.util.ServiceLoader} so
 * that {@link io.fleetpredict.cloud.CloudProviders#load} can find it by name. Everything that crosses
 * the boundary is an immutable record that validates itself on construction; every failure is a
 * {@link io.fleetpredict.cloud.CloudException} with a {@link io.fleetpredict.cloud.CloudException.Kind}.
 * A record copies the maps it is given, except a map another record of this package holds: that one is
 * immutable and checked already, and is shared (a provision's tags by every instance it launched).
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.cloud;

import org.jspecify.annotations.NullMarked;
