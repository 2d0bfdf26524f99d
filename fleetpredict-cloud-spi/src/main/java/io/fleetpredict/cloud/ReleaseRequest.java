package io.fleetpredict.cloud;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A request to release (terminate) instances.
 *
 * @param idempotencyKey a caller-chosen key, unique per distinct request, not blank
 * @param instanceIds the instances to release, at least one
 */
public record ReleaseRequest(String idempotencyKey, Set<String> instanceIds) {

    /**
     * Validates the request and copies its ids.
     *
     * @throws IllegalArgumentException if the key is blank or the ids are empty or contain a blank
     */
    public ReleaseRequest {
        Checks.nonBlank(idempotencyKey, "idempotencyKey");
        instanceIds = Checks.stringSet(instanceIds, "instanceIds");
        if (instanceIds.isEmpty()) {
            throw new IllegalArgumentException("instanceIds must not be empty");
        }
    }

    /**
     * Creates a request from any collection of ids.
     *
     * @param idempotencyKey a caller-chosen key
     * @param instanceIds the instances to release
     * @return the request
     */
    public static ReleaseRequest of(String idempotencyKey, Collection<String> instanceIds) {
        Objects.requireNonNull(instanceIds, "instanceIds");
        // A copy that admits null, so the constructor names a null id instead of Set.copyOf failing bare.
        return new ReleaseRequest(idempotencyKey, new HashSet<>(instanceIds));
    }
}
