package io.fleetpredict.cloud;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The instances matching a {@link DescribeRequest}, each in its state at {@code asOf}.
 *
 * @param asOf the provider's time when the states were read
 * @param instances the matching instances, ordered by launch time then id
 */
public record DescribeResult(Instant asOf, List<Instance> instances) {

    /**
     * Validates the result and copies its list.
     *
     * @throws IllegalArgumentException if the list holds null
     */
    public DescribeResult {
        Objects.requireNonNull(asOf, "asOf");
        instances = Checks.list(instances, "instances");
    }
}
