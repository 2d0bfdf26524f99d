package io.fleetpredict.cloud;

import java.util.Map;
import java.util.Objects;

/**
 * A request to launch {@code count} instances of one offer.
 *
 * <p>The idempotency key names this request for good: a provider that receives the same key again
 * with an equal request returns the original result without launching anything; with a different
 * request it refuses with {@link CloudException.Kind#INVALID_REQUEST}.
 *
 * @param idempotencyKey a caller-chosen key, unique per distinct request, not blank
 * @param instanceType the instance type of the offer to launch
 * @param region the region of the offer to launch
 * @param purchaseOption on-demand or spot; reserved capacity is not launched by request
 * @param count how many instances to launch, positive
 * @param tags labels to attach to every launched instance, such as {@code service=checkout}
 */
public record ProvisionRequest(
        String idempotencyKey,
        String instanceType,
        String region,
        PurchaseOption purchaseOption,
        int count,
        Map<String, String> tags) {

    /**
     * Validates the request and copies its tags.
     *
     * @throws IllegalArgumentException if a name is blank, {@code count} is not positive, a tag
     *     key is blank, or the option is {@link PurchaseOption#RESERVED}
     */
    public ProvisionRequest {
        Checks.nonBlank(idempotencyKey, "idempotencyKey");
        Checks.nonBlank(instanceType, "instanceType");
        Checks.nonBlank(region, "region");
        Objects.requireNonNull(purchaseOption, "purchaseOption");
        if (purchaseOption == PurchaseOption.RESERVED) {
            throw new IllegalArgumentException("purchaseOption: reserved capacity is committed in advance, not launched"
                    + " by request; ask for on_demand or spot");
        }
        Checks.positive(count, "count");
        tags = Checks.stringMap(tags, "tags");
    }
}
