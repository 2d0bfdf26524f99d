package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated cloud that does NOT de-duplicate releases: every release call reaches the simulator under
 * a fresh key, so a caller that sent a second release for the same need would really release twice.
 * Every release call is recorded with the key the caller sent.
 */
final class ReleasingCloud implements CloudProvider {

    /** One release call as the caller sent it. */
    record Call(String idempotencyKey, Set<String> instanceIds) {
    }

    private final SimulatedCloud delegate;
    private final AtomicLong calls = new AtomicLong();
    private final ConcurrentLinkedQueue<Call> releases = new ConcurrentLinkedQueue<>();

    ReleasingCloud(SimulatedCloud delegate) {
        this.delegate = delegate;
    }

    SimulatedCloud sim() {
        return delegate;
    }

    List<Call> releases() {
        return List.copyOf(releases);
    }

    /** Instances named by release calls sent under more than one key: released twice for one need. */
    Set<String> releasedUnderTwoKeys() {
        Map<String, String> keyOf = new HashMap<>();
        Set<String> twice = new HashSet<>();
        for (Call c : releases) {
            for (String id : c.instanceIds()) {
                String first = keyOf.putIfAbsent(id, c.idempotencyKey());
                if (first != null && !first.equals(c.idempotencyKey())) {
                    twice.add(id);
                }
            }
        }
        return twice;
    }

    @Override
    public String name() {
        return "releasing-sim";
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public List<Offer> offers() {
        return delegate.offers();
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        return delegate.provision(request);
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        releases.add(new Call(request.idempotencyKey(), request.instanceIds()));
        ReleaseResult result = delegate.release(ReleaseRequest.of(request.idempotencyKey() + "#" + calls.incrementAndGet(),
                request.instanceIds()));
        return new ReleaseResult(request, result.instances());
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        return delegate.describe(request);
    }

    @Override
    public ConfigureResult configure(ConfigureRequest request) {
        return delegate.configure(request);
    }
}
