package io.fleetpredict.cloud;

import java.util.List;
import java.util.Objects;

/**
 * What a release did: every requested instance, in its state after the release.
 *
 * <p>Each instance is no longer {@linkplain InstanceState#active() active}: {@link InstanceState#TERMINATING}
 * or {@link InstanceState#TERMINATED}, or {@link InstanceState#INTERRUPTED} if the provider had
 * already taken it back. Releasing an instance that has already ended is not an error.
 *
 * @param request the request this answers
 * @param instances exactly the requested instances
 */
public record ReleaseResult(ReleaseRequest request, List<Instance> instances) {

    /**
     * Validates that the instances answer the request.
     *
     * @throws IllegalArgumentException if the instance ids differ from the requested ids or an
     *     instance is still active
     */
    public ReleaseResult {
        Objects.requireNonNull(request, "request");
        instances = Checks.answering(instances, request.instanceIds());
        for (Instance instance : instances) {
            if (instance.state().active()) {
                throw new IllegalArgumentException("released instance " + instance.id() + " is still " + instance.state());
            }
        }
    }
}
