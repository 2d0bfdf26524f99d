package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import java.util.List;
import java.util.Set;

/**
 * A cloud whose instances can be made to stay pending: while {@link #stuck} is set, every instance the
 * delegate shows running is shown still pending (its expected ready time unchanged, so past it), as an
 * instance that never finishes booting is; unset, the delegate is shown as it is.
 */
public final class NeverReadyCloud extends ForwardingCloudProvider {
    private final CloudProvider delegate;
    private volatile boolean stuck;

    /** @param delegate the cloud whose instances are shown */
    public NeverReadyCloud(CloudProvider delegate) {
        this.delegate = delegate;
    }

    /** Sets whether running instances are shown pending. */
    public NeverReadyCloud stuck(boolean value) {
        stuck = value;
        return this;
    }

    @Override
    protected CloudProvider delegate() {
        return delegate;
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        if (!stuck) {
            return delegate.describe(request);
        }
        // Asked for every state, then filtered as shown: a running instance shown pending matches PENDING.
        DescribeResult all = delegate.describe(new DescribeRequest(request.tags(), Set.of(), request.idempotencyKeys(),
                request.instanceIds()));
        List<Instance> shown = all.instances().stream().map(NeverReadyCloud::pending).filter(request::matches).toList();
        return new DescribeResult(all.asOf(), shown);
    }

    private static Instance pending(Instance i) {
        return i.state() != InstanceState.RUNNING ? i : new Instance(i.id(), i.instanceType(), i.region(),
                i.purchaseOption(), InstanceState.PENDING, i.launchedAt(), i.readyAt(), i.idempotencyKey(), i.tags(),
                i.configuration(), i.pricePerHour());
    }
}
