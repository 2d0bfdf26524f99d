package io.fleetpredict.cloud;

import java.util.List;
import java.util.Set;

/**
 * A provider that passes every call to the one {@link #delegate()} returns, for decorators that watch calls
 * (metrics, logging, tracing): override the calls to watch and call {@code super}. Every method of {@link CloudProvider} is forwarded,
 * {@link #configure} included, so a decorator answers exactly as the provider it wraps unless it says
 * otherwise.
 *
 * <p>A decorator that must stand between the host and every call, such as a guard that adds timeouts and
 * retries, should implement {@link CloudProvider} itself instead: a method added to the interface then fails
 * to compile there rather than passing through unguarded.
 */
public abstract class ForwardingCloudProvider implements CloudProvider {

    /** For subclasses. */
    protected ForwardingCloudProvider() {
    }

    /**
     * The provider every call goes to, the same one on every call.
     *
     * @return the wrapped provider
     */
    protected abstract CloudProvider delegate();

    @Override
    public String name() {
        return delegate().name();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate().capabilities();
    }

    @Override
    public List<Offer> offers() {
        return delegate().offers();
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        return delegate().provision(request);
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        return delegate().release(request);
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        return delegate().describe(request);
    }

    @Override
    public ConfigureResult configure(ConfigureRequest request) {
        return delegate().configure(request);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate().name() + "]";
    }
}
