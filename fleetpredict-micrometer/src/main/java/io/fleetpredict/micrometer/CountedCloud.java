package io.fleetpredict.micrometer;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A provider that counts its calls for {@link FleetPredictorMetrics}. A retry is recognised as the guard
 * makes it: the same request (records compare by value, idempotency key included) as the operation's last
 * failed one.
 */
final class CountedCloud extends ForwardingCloudProvider {

    private final CloudProvider delegate;
    private final FleetPredictorMetrics metrics;
    private final Map<String, Object> lastFailed = new ConcurrentHashMap<>();

    CountedCloud(CloudProvider delegate, FleetPredictorMetrics metrics) {
        this.delegate = Objects.requireNonNull(delegate, "provider");
        this.metrics = metrics;
    }

    @Override
    protected CloudProvider delegate() {
        return delegate;
    }

    @Override
    public List<Offer> offers() {
        return counted("offers", "offers", super::offers);
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        return counted("provision", request, () -> super.provision(request));
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        ReleaseResult r = counted("release", request, () -> super.release(request));
        metrics.released(r.instances().size());
        return r;
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        DescribeResult r = counted("describe", request, () -> super.describe(request));
        if (request.equals(DescribeRequest.all()) || request.equals(DescribeRequest.active())) {
            metrics.ready((int) r.instances().stream().filter(i -> i.state() == InstanceState.RUNNING).count());
        }
        return r;
    }

    @Override
    public ConfigureResult configure(ConfigureRequest request) {
        return counted("configure", request, () -> super.configure(request));
    }

    private <T> T counted(String operation, Object request, Supplier<T> call) {
        boolean retry = request.equals(lastFailed.get(operation));
        try {
            T result = call.get();
            lastFailed.remove(operation, request);
            metrics.call(operation, Optional.empty(), retry);
            return result;
        } catch (CloudException e) {
            lastFailed.put(operation, request);
            metrics.call(operation, Optional.of(e.kind()), retry);
            throw e;
        }
    }
}
