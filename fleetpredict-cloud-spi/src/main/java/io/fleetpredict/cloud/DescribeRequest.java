package io.fleetpredict.cloud;

import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A filter over the instances a provider has launched. Every constraint must hold for an instance to
 * match; an empty constraint matches everything.
 *
 * <p>An implementer must include ended instances ({@link InstanceState#TERMINATED},
 * {@link InstanceState#INTERRUPTED}) when the filter asks for them, for at least the retention it
 * documents and at least as long as their idempotency keys are remembered, so a caller can reconcile
 * after a timeout or a crash; an instance past that retention may match nothing, and a caller takes it
 * as ended (see the reconciliation guarantee of {@link CloudProvider}).
 *
 * @param tags tags an instance must carry with these exact values
 * @param states states an instance must be in; empty for any
 * @param idempotencyKeys provision keys an instance must have been launched with; empty for any
 * @param instanceIds ids an instance must have; empty for any
 */
public record DescribeRequest(
        Map<String, String> tags,
        Set<InstanceState> states,
        Set<String> idempotencyKeys,
        Set<String> instanceIds) {

    /**
     * Validates the filter and copies its collections.
     *
     * @throws IllegalArgumentException if a tag key, key or id is blank, or a state is null
     */
    public DescribeRequest {
        tags = Checks.stringMap(tags, "tags");
        Objects.requireNonNull(states, "states");
        // Iterated, not contains(null): the immutable sets of Set.of refuse to be asked about null.
        for (InstanceState state : states) {
            if (state == null) {
                throw new IllegalArgumentException("states must not contain null, was " + states);
            }
        }
        states = states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
        idempotencyKeys = Checks.stringSet(idempotencyKeys, "idempotencyKeys");
        instanceIds = Checks.stringSet(instanceIds, "instanceIds");
    }

    /**
     * A filter that matches every instance the provider remembers: the active and terminating ones, and
     * the ended ones still within its retention.
     *
     * @return the filter
     */
    public static DescribeRequest all() {
        return new DescribeRequest(Map.of(), Set.of(), Set.of(), Set.of());
    }

    /**
     * A filter that matches {@linkplain InstanceState#active() active} instances.
     *
     * @return the filter
     */
    public static DescribeRequest active() {
        return all().withStates(Set.of(InstanceState.PENDING, InstanceState.RUNNING));
    }

    /**
     * This filter, also requiring the given tags.
     *
     * @param required tags an instance must carry
     * @return a new filter
     */
    public DescribeRequest withTags(Map<String, String> required) {
        return new DescribeRequest(required, states, idempotencyKeys, instanceIds);
    }

    /**
     * This filter, restricted to the given states.
     *
     * @param required states to match; empty for any
     * @return a new filter
     */
    public DescribeRequest withStates(Set<InstanceState> required) {
        return new DescribeRequest(tags, required, idempotencyKeys, instanceIds);
    }

    /**
     * This filter, restricted to instances launched with the given provision key.
     *
     * @param idempotencyKey the key of a {@link ProvisionRequest}
     * @return a new filter
     */
    public DescribeRequest withIdempotencyKey(String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return new DescribeRequest(tags, states, Set.of(idempotencyKey), instanceIds);
    }

    /**
     * This filter, restricted to the given ids.
     *
     * @param ids ids to match; empty for any
     * @return a new filter
     */
    public DescribeRequest withInstanceIds(Set<String> ids) {
        return new DescribeRequest(tags, states, idempotencyKeys, ids);
    }

    /**
     * Whether an instance passes this filter; implementers may use it to apply the filter.
     *
     * @param instance the instance, in its current state
     * @return {@code true} if every constraint holds
     */
    public boolean matches(Instance instance) {
        Objects.requireNonNull(instance, "instance");
        return instance.tags().entrySet().containsAll(tags.entrySet())
                && (states.isEmpty() || states.contains(instance.state()))
                && (idempotencyKeys.isEmpty() || idempotencyKeys.contains(instance.idempotencyKey()))
                && (instanceIds.isEmpty() || instanceIds.contains(instance.id()));
    }
}
