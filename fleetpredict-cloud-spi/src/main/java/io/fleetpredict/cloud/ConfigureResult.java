package io.fleetpredict.cloud;

import java.util.List;
import java.util.Objects;

/**
 * What a configure did: every requested instance, with the settings applied.
 *
 * @param request the request this answers
 * @param instances exactly the requested instances, each holding every requested setting
 */
public record ConfigureResult(ConfigureRequest request, List<Instance> instances) {

    /**
     * Validates that the instances answer the request.
     *
     * @throws IllegalArgumentException if the instance ids differ from the requested ids or an
     *     instance lacks a requested setting
     */
    public ConfigureResult {
        Objects.requireNonNull(request, "request");
        instances = Checks.answering(instances, request.instanceIds());
        for (Instance instance : instances) {
            if (!instance.configuration().entrySet().containsAll(request.settings().entrySet())) {
                throw new IllegalArgumentException("instance " + instance.id() + " lacks requested settings " + request.settings());
            }
        }
    }
}
