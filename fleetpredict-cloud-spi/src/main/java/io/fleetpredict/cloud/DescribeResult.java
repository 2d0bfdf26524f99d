package io.fleetpredict.cloud;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The instances matching a {@link DescribeRequest}, each in its state at {@code asOf}.
 *
 * @param asOf the provider's time when the states were read
 * @param instances the matching instances, each once, ordered by launch time then id
 */
public record DescribeResult(Instant asOf, List<Instance> instances) {

    /**
     * Validates the result and copies its list.
     *
     * @throws IllegalArgumentException if the list holds null or one instance id twice
     */
    public DescribeResult {
        Objects.requireNonNull(asOf, "asOf");
        instances = Checks.list(instances, "instances");
        // Each instance once: a caller counts what describe shows, and a listing read twice would double it.
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < instances.size(); i++) {
            String id = instances.get(i).id();
            if (!seen.add(id)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "instances holds id '%s' twice, again at index %d", id, i));
            }
        }
    }
}
