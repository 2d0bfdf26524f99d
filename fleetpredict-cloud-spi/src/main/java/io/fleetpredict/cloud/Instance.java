package io.fleetpredict.cloud;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One launched instance, as a provider reports it at a moment.
 *
 * <p>An implementer must report the idempotency key of the provision that launched the instance and
 * exactly the tags it was launched with, for the instance's whole life including after it ended,
 * so a caller that lost a provision's result (a timeout, a crash) can find what it launched.
 *
 * <p>{@code readyAt} may differ from one report of the instance to the next: while it boots it is an
 * expectation (a boot that runs late moves it), and once it has become {@link InstanceState#RUNNING} the time
 * it did, which a provider may correct when it learns it. The library takes the latest report; an instance
 * reported {@code RUNNING} was ready by the time of that report, whatever a later one says.
 *
 * @param id the provider's identifier, unique among all instances the provider ever launched
 * @param instanceType the type it was launched as
 * @param region the region it runs in
 * @param purchaseOption how it is bought
 * @param state its state at the moment it was reported
 * @param launchedAt when it was launched (and started costing)
 * @param readyAt when it became, or is expected to become, {@link InstanceState#RUNNING}; not before
 *     {@code launchedAt}
 * @param idempotencyKey the idempotency key of the {@link ProvisionRequest} that launched it
 * @param tags the tags it was launched with
 * @param configuration the settings applied to it by {@link CloudProvider#configure}, empty if none
 * @param pricePerHour the price it bills per hour while active, finite and positive
 */
public record Instance(
        String id,
        String instanceType,
        String region,
        PurchaseOption purchaseOption,
        InstanceState state,
        Instant launchedAt,
        Instant readyAt,
        String idempotencyKey,
        Map<String, String> tags,
        Map<String, String> configuration,
        double pricePerHour) {

    /**
     * Validates the instance and copies its maps (a map another record holds is shared, not copied).
     *
     * @throws IllegalArgumentException if a name is blank, {@code readyAt} is before
     *     {@code launchedAt}, or the price is not finite and positive
     */
    public Instance {
        Checks.nonBlank(id, "id");
        Checks.nonBlank(instanceType, "instanceType");
        Checks.nonBlank(region, "region");
        Objects.requireNonNull(purchaseOption, "purchaseOption");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(launchedAt, "launchedAt");
        Objects.requireNonNull(readyAt, "readyAt");
        if (readyAt.isBefore(launchedAt)) {
            throw new IllegalArgumentException("readyAt " + readyAt + " is before launchedAt " + launchedAt);
        }
        Checks.nonBlank(idempotencyKey, "idempotencyKey");
        tags = Checks.stringMap(tags, "tags");
        configuration = Checks.stringMap(configuration, "configuration");
        Checks.positive(pricePerHour, "pricePerHour");
    }
}
