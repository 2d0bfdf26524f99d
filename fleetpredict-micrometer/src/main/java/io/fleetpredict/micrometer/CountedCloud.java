package io.fleetpredict.micrometer;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.core.provision.PreProvisioner;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A provider that counts its calls for {@link FleetPredictorMetrics}. A retry is recognised as the guard
 * makes it: the same request (records compare by value, idempotency key included) as the operation's last
 * failed one. A call that throws something other than a {@link CloudException}, or answers null, is counted
 * as an {@code error} and passed on as it is: the guard above turns it into a {@code CloudException}.
 * Counting never throws (a registry's failure is logged by {@link FleetPredictorMetrics}), so each call
 * returns the delegate's own answer or throws its own exception.
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
        if (r != null) {
            metrics.released(r.instances().stream().map(Instance::id).toList());
        }
        return r;
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        DescribeResult r = counted("describe", request, () -> super.describe(request));
        if (r != null && seesEveryRunningInstance(request)) {
            String fleet = metrics.fleetId();
            metrics.running(r.instances().stream().filter(i -> i.state() == InstanceState.RUNNING
                    && fleet.equals(i.tags().get(PreProvisioner.TAG_FLEET))).map(Instance::id).toList());
        }
        return r;
    }

    /**
     * Whether a describe's answer holds every running instance of the fleet: no ids or keys asked for, running
     * among the states, and no tag but the fleet's. The loop makes one such describe each cycle (the fleet's
     * active instances), so the ready gauge follows the loop without a call of its own.
     */
    private boolean seesEveryRunningInstance(DescribeRequest request) {
        return request.instanceIds().isEmpty() && request.idempotencyKeys().isEmpty()
                && (request.states().isEmpty() || request.states().contains(InstanceState.RUNNING))
                && (request.tags().isEmpty()
                        || request.tags().equals(Map.of(PreProvisioner.TAG_FLEET, metrics.fleetId())));
    }

    @Override
    public ConfigureResult configure(ConfigureRequest request) {
        return counted("configure", request, () -> super.configure(request));
    }

    private <T> T counted(String operation, Object request, Supplier<T> call) {
        boolean retry = request.equals(lastFailed.get(operation));
        T result;
        try {
            result = call.get();
        } catch (CloudException e) {
            failed(operation, request, FleetPredictorMetrics.lower(e.kind()), retry);
            throw e;
        } catch (RuntimeException e) {
            failed(operation, request, FleetPredictorMetrics.ERROR, retry);
            throw e;
        }
        // A null answer breaks the provider's contract; the guard names it, the count must not call it ok.
        boolean answered = result != null;
        if (answered) {
            lastFailed.remove(operation, request);
        } else {
            lastFailed.put(operation, request);
        }
        metrics.call(operation, answered ? "ok" : FleetPredictorMetrics.ERROR, retry);
        return result;
    }

    private void failed(String operation, Object request, String outcome, boolean retry) {
        lastFailed.put(operation, request);
        metrics.call(operation, outcome, retry);
    }
}
