package io.fleetpredict.cloud;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a provision launched.
 *
 * <p>A partial fulfilment (fewer instances than requested, because capacity ran short) is a result,
 * not an error: {@link #partial()} says so and {@link #fulfilled()} says how many. A provision that
 * launches nothing throws instead. The instances are reported as they were when the provision
 * returned; a replay of the same request returns this same result, and current states come from
 * {@link CloudProvider#describe}.
 *
 * @param request the request this answers
 * @param instances the launched instances, at least one and at most {@code request.count()}, each
 *     matching the request's type, region, purchase option, idempotency key and tags
 */
public record ProvisionResult(ProvisionRequest request, List<Instance> instances) {

    /**
     * Validates that the instances answer the request.
     *
     * @throws IllegalArgumentException if there are no instances, more than requested, duplicate
     *     ids, or an instance that does not match the request
     */
    public ProvisionResult {
        Objects.requireNonNull(request, "request");
        instances = Checks.list(instances, "instances");
        if (instances.isEmpty() || instances.size() > request.count()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "instances must hold 1 to %d instances, held %d", request.count(), instances.size()));
        }
        Set<String> ids = new HashSet<>();
        for (Instance instance : instances) {
            if (!ids.add(instance.id())) {
                throw new IllegalArgumentException("instances holds id " + instance.id() + " twice");
            }
            boolean matches = instance.instanceType().equals(request.instanceType())
                    && instance.region().equals(request.region())
                    && instance.purchaseOption() == request.purchaseOption()
                    && instance.idempotencyKey().equals(request.idempotencyKey())
                    && instance.tags().equals(request.tags());
            if (!matches) {
                throw new IllegalArgumentException("instance " + instance + " does not match request " + request);
            }
        }
    }

    /**
     * How many instances were launched.
     *
     * @return the number of instances, between 1 and {@code request().count()}
     */
    public int fulfilled() {
        return instances.size();
    }

    /**
     * Whether fewer instances were launched than requested.
     *
     * @return {@code true} if {@link #fulfilled()} is below {@code request().count()}
     */
    public boolean partial() {
        return instances.size() < request.count();
    }
}
