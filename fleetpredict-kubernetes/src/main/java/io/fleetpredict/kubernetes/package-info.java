/**
 * A {@link io.fleetpredict.cloud.CloudProvider} that adds and removes Kubernetes nodes through
 * <a href="https://karpenter.sh">Karpenter</a> {@code NodeClaim} objects, with the fabric8 client.
 *
 * <p>{@link io.fleetpredict.kubernetes.KarpenterCloud} sells what one {@code NodePool} allows, priced by
 * a price list; {@link io.fleetpredict.kubernetes.KarpenterCloudFactory} makes it available to
 * {@code CloudProviders.load("karpenter", settings)}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.kubernetes;

import org.jspecify.annotations.NullMarked;
