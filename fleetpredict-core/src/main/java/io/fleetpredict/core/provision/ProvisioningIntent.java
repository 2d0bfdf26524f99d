package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.PurchaseOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A launch the pre-provisioner is about to make, written to the store before the cloud is called,
 * then settled with what happened. An intent that is still {@link Status#OPEN} after a crash is
 * resolved by asking the cloud which instances carry its idempotency key.
 *
 * @param id the intent's id, unique in its fleet
 * @param changeId the provisional change it serves
 * @param idempotencyKey the key the provision is sent with
 * @param service the service the instances serve
 * @param slaTier the service's SLA tier
 * @param instanceType the instance type launched (may differ from the change's when capacity ran out)
 * @param region the region
 * @param purchaseOption how the instances are bought
 * @param count how many instances are requested, positive
 * @param coveredCount how many of the change's instances this launch stands for, positive (equal to
 *     {@code count} unless a substitute offer of another size is used)
 * @param pricePerHour the price of one instance per hour, not negative
 * @param createdAt when the intent was written
 * @param status where the launch stands
 * @param instanceIds the launched instances, empty unless {@link Status#DONE}
 */
public record ProvisioningIntent(
        String id,
        String changeId,
        String idempotencyKey,
        String service,
        String slaTier,
        String instanceType,
        String region,
        PurchaseOption purchaseOption,
        int count,
        int coveredCount,
        double pricePerHour,
        Instant createdAt,
        Status status,
        List<String> instanceIds) {

    /** Where a launch stands. */
    public enum Status {
        /** Written; the cloud may or may not have been called. */
        OPEN,
        /** The cloud launched {@code instanceIds}, now counted in the fleet state. */
        DONE,
        /** The cloud refused the launch; nothing was launched. */
        FAILED,
        /** Found open after a crash with nothing launched under its key; the change is planned again. */
        ABANDONED
    }

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a text is blank, a count is not positive, or the ids do not
     *     fit the status
     */
    public ProvisioningIntent {
        for (String[] t : new String[][] {{"id", id}, {"changeId", changeId}, {"idempotencyKey", idempotencyKey},
                {"service", service}, {"slaTier", slaTier}, {"instanceType", instanceType}, {"region", region}}) {
            if (t[1] == null || t[1].isBlank()) {
                throw new IllegalArgumentException(t[0] + " must not be blank, was '" + t[1] + "'");
            }
        }
        Objects.requireNonNull(purchaseOption, "purchaseOption");
        if (count <= 0 || coveredCount <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "count and coveredCount must be positive, were %d and %d", count, coveredCount));
        }
        if (!(pricePerHour >= 0) || !Double.isFinite(pricePerHour)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pricePerHour must be finite and not negative, was %s", pricePerHour));
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        instanceIds = List.copyOf(instanceIds);
        if (instanceIds.size() > count || (status != Status.DONE && !instanceIds.isEmpty())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "instanceIds holds %d ids for a %s intent of %d", instanceIds.size(), status, count));
        }
    }

    /**
     * This intent with another status and launched instances.
     *
     * @param newStatus the status
     * @param ids the launched instances
     * @return a new intent
     */
    public ProvisioningIntent settle(Status newStatus, List<String> ids) {
        return new ProvisioningIntent(id, changeId, idempotencyKey, service, slaTier, instanceType, region,
                purchaseOption, count, coveredCount, pricePerHour, createdAt, newStatus, ids);
    }

    /**
     * How many of the change's instances this intent accounts for: all it asked for while open, the
     * share launched once done, none once failed or abandoned.
     *
     * @return the covered count
     */
    public int covering() {
        return switch (status) {
            case OPEN -> coveredCount;
            case DONE -> instanceIds.size() == count ? coveredCount
                    : (int) Math.floor((double) instanceIds.size() * coveredCount / count);
            case FAILED, ABANDONED -> 0;
        };
    }

    /**
     * How many instances this intent has launched or may still launch.
     *
     * @return {@code count} while open, the launched count once done, else 0
     */
    public int launching() {
        return switch (status) {
            case OPEN -> count;
            case DONE -> instanceIds.size();
            case FAILED, ABANDONED -> 0;
        };
    }
}
