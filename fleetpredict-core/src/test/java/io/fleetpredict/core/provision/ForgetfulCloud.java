package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The simulated cloud, except that it stops listing instances it is told to forget, as real providers
 * forget ended instances after a retention, or lists a launch only after a while, as a describe that lags
 * a launch does. An instance it does not list is unknown to it: a release or a configure naming it is
 * refused with {@code INVALID_REQUEST}, as the SPI says of an unknown id.
 */
public final class ForgetfulCloud extends ForwardingCloudProvider {

    private final SimulatedCloud sim;
    private final Clock clock;
    private final Map<String, Instant> hiddenUntil = new ConcurrentHashMap<>();
    private final Queue<DescribeRequest> describes = new ConcurrentLinkedQueue<>();
    private volatile boolean unfiltered;

    /**
     * @param sim the cloud that holds the instances
     * @param clock the clock a lagging listing is timed by
     */
    public ForgetfulCloud(SimulatedCloud sim, Clock clock) {
        this.sim = sim;
        this.clock = clock;
    }

    @Override
    protected CloudProvider delegate() {
        return sim;
    }

    /** Stops listing the instances for good. */
    public void forget(String... ids) {
        for (String id : ids) {
            hiddenUntil.put(id, Instant.MAX);
        }
    }

    /** Lists the instance only from {@code until} on, as a describe lagging its launch does. */
    public void hideUntil(String id, Instant until) {
        hiddenUntil.put(id, until);
    }

    /**
     * From now on answers every describe with every instance it lists, whatever the request's filters: a
     * provider that lists more than it was asked for must not make the caller act on instances it did not ask
     * about.
     */
    public void ignoreFilters() {
        unfiltered = true;
    }

    private boolean hidden(String id) {
        Instant until = hiddenUntil.get(id);
        return until != null && clock.instant().isBefore(until);
    }

    /** The describe requests asked so far, oldest first. */
    public List<DescribeRequest> describes() {
        return List.copyOf(describes);
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        describes.add(request);
        DescribeResult all = super.describe(unfiltered ? DescribeRequest.all() : request);
        return new DescribeResult(all.asOf(), all.instances().stream().filter(i -> !hidden(i.id())).toList());
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        refuseUnknown(request.instanceIds());
        return super.release(request);
    }

    @Override
    public ConfigureResult configure(ConfigureRequest request) {
        refuseUnknown(request.instanceIds());
        return super.configure(request);
    }

    private void refuseUnknown(Set<String> ids) {
        for (String id : ids) {
            if (hidden(id)) {
                throw new CloudException(CloudException.Kind.INVALID_REQUEST, "unknown instance id " + id);
            }
        }
    }
}
