package io.fleetpredict.cloud;

import java.util.List;
import java.util.Set;

/**
 * A cloud the fleet runs on: what it sells, and how to launch, release, inspect and configure
 * instances.
 *
 * <p>What an implementer must guarantee (the compatibility kit in {@code fleetpredict-cloud-tck}
 * checks it):
 * <ul>
 *   <li><b>Thread safety.</b> Every method may be called from many threads at once.</li>
 *   <li><b>Idempotency.</b> Every mutation carries an idempotency key. The same key with an equal
 *       request returns the original result and changes nothing (no second launch, no second
 *       release); the same key with a different request fails with
 *       {@link CloudException.Kind#INVALID_REQUEST}. A request that failed with any kind other
 *       than {@link CloudException.Kind#TIMED_OUT} was not applied and does not consume its key.</li>
 *   <li><b>Reconciliation.</b> {@link #describe} shows every instance a provision launched, with
 *       that provision's idempotency key and tags, even when the provision's result never reached
 *       the caller: for as long as it is active or {@link InstanceState#TERMINATING}, and, once it has
 *       ended, for at least a retention the provider documents (EC2 lists a terminated instance for
 *       about an hour; the simulated cloud, by default, for ever). An instance
 *       the provider no longer shows has ended, and its id is then unknown. The library treats it so:
 *       once the launch is older than the grace it gives a describe that lags a launch (the
 *       pre-provisioner's {@code intentGrace}, 10 minutes by default), an instance it counts and the
 *       provider no longer shows is taken out of the fleet state as an ended one is. A provider must
 *       show a launch within that grace.</li>
 *   <li><b>Partial fulfilment is a result.</b> When capacity allows some but not all requested
 *       instances and the provider declares {@link Capability#PARTIAL_FULFILMENT}, the provision
 *       succeeds with {@link ProvisionResult#partial()}; when nothing can be launched it throws
 *       {@link CloudException.Kind#CAPACITY_UNAVAILABLE}.</li>
 *   <li><b>Typed failures.</b> Every failure is a {@link CloudException} whose kind says whether a
 *       retry can help; an unknown instance type or region, or an unknown instance id, is
 *       {@link CloudException.Kind#INVALID_REQUEST} (an instance past its retention included).</li>
 *   <li><b>Giving up when interrupted.</b> A call whose thread is interrupted ends promptly: it throws a
 *       {@link CloudException} ({@link CloudException.Kind#TIMED_OUT} when a mutation may have been applied, as
 *       for any failure), or returns an answer it already has. The library relies on it for its time limits:
 *       its guard interrupts an attempt that did not answer in time and counts it as stuck, holding a thread,
 *       until it ends, and while a few such attempts run it starts no new one, so a provider that ignores the
 *       interrupt leaves the loop without a cloud. Every wait without a time limit of its own (a socket read, a
 *       lock, a pause between retries of its own) must end on the interrupt; an {@link InterruptedException}
 *       caught ends the call, with the thread's interrupt status set again, and is never swallowed to wait
 *       on. An interrupted call leaves the provider fit for the next calls.</li>
 *   <li><b>An answer to every call.</b> No method returns {@code null}, and a mutation's result answers
 *       the request it was given ({@code result.request()} equals it). The library treats any other answer
 *       as the provider failing: a {@link CloudException} naming the provider and the call, with a
 *       mutation's effect read from {@link #describe}.</li>
 * </ul>
 */
public interface CloudProvider {

    /**
     * The provider's name, as used by {@link CloudProviders#load}.
     *
     * @return a short, stable name such as {@code sim}
     */
    String name();

    /**
     * The optional abilities this provider has; constant for the provider's life.
     *
     * @return the declared capabilities
     * @throws CloudException if the provider asks the cloud for them and cannot, or promptly when the calling
     *     thread is interrupted while it asks
     */
    Set<Capability> capabilities();

    /**
     * What the provider sells now, with current prices.
     *
     * @return the offers, non-empty, at most one per instance type and region
     * @throws CloudException if the offers cannot be read, or promptly when the calling thread is interrupted
     */
    List<Offer> offers();

    /**
     * Launches instances of one offer.
     *
     * @param request what to launch, under an idempotency key
     * @return the launched instances, possibly fewer than requested (see {@link ProvisionResult})
     * @throws CloudException {@link CloudException.Kind#INVALID_REQUEST} for an unknown offer, a spot
     *     request on an offer without spot, or a reused key; {@link CloudException.Kind#QUOTA_EXCEEDED}
     *     or {@link CloudException.Kind#CAPACITY_UNAVAILABLE} when nothing may be launched; any other
     *     kind for provider failures; promptly when the calling thread is interrupted,
     *     {@link CloudException.Kind#TIMED_OUT} if the launch may have begun
     */
    ProvisionResult provision(ProvisionRequest request);

    /**
     * Releases instances; they stop costing once released.
     *
     * @param request which instances to release, under an idempotency key
     * @return every requested instance in its state after the release
     * @throws CloudException {@link CloudException.Kind#INVALID_REQUEST} if an id is unknown (then
     *     nothing is released) or the key is reused for a different request; any other kind for
     *     provider failures; promptly when the calling thread is interrupted,
     *     {@link CloudException.Kind#TIMED_OUT} if the release may have begun
     */
    ReleaseResult release(ReleaseRequest request);

    /**
     * Reports instances matching a filter, in their current states.
     *
     * @param request the filter
     * @return the matching instances
     * @throws CloudException if the instances cannot be read, or promptly when the calling thread is interrupted
     */
    DescribeResult describe(DescribeRequest request);

    /**
     * Applies settings to instances. Only providers declaring {@link Capability#CONFIGURE} support it.
     *
     * @param request which instances and which settings, under an idempotency key
     * @return every requested instance with the settings applied
     * @throws CloudException {@link CloudException.Kind#INVALID_REQUEST} if an id is unknown or no
     *     longer active (then nothing is configured) or the key is reused for a different request;
     *     promptly when the calling thread is interrupted, {@link CloudException.Kind#TIMED_OUT} if the
     *     settings may have begun to be applied
     * @throws UnsupportedOperationException if the provider does not declare {@link Capability#CONFIGURE}
     */
    default ConfigureResult configure(ConfigureRequest request) {
        throw new UnsupportedOperationException(name() + " does not support configure");
    }
}
