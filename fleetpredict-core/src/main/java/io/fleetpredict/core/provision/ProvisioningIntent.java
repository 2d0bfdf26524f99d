package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.internal.Checks;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A launch or a release the pre-provisioner is about to make, written to the store before the cloud is
 * called, then settled with what happened. An open launch found after a crash is resolved by asking the
 * cloud which instances carry its idempotency key; an open release, by asking the cloud in what state
 * the instances it names are (committed if they ended, released again under the same key if not).
 *
 * @param id the intent's id, unique in its fleet
 * @param changeId the provisional change it serves
 * @param idempotencyKey the key the provision (or release) is sent with
 * @param service the service the instances serve
 * @param slaTier the service's SLA tier
 * @param instanceType the instance type launched (may differ from the change's when capacity ran out)
 * @param region the region
 * @param purchaseOption how the instances are bought
 * @param count how many instances are launched or released, positive
 * @param coveredCount how many of the change's instances this intent stands for, positive (equal to
 *     {@code count} unless a substitute offer of another size is launched)
 * @param pricePerHour the price of one instance per hour (for a release, what each one stops costing),
 *     not negative
 * @param createdAt when the intent was written, from years 0000 to 9999 as in a document
 *     ({@code Documents.EARLIEST_INSTANT} to {@code Documents.LATEST_INSTANT}): the store writes it beside the
 *     fleet state, and reads no other
 * @param status where the launch stands
 * @param instanceIds for a launch, the launched instances the state still counts (each leaves once it has
 *     ended), empty unless {@link Status#DONE}; a done launch holding any is kept in the store however
 *     old it is; for a release, the instances chosen to be released, exactly {@code count} of them from
 *     the start
 * @param kind whether the intent launches or releases instances
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
        List<String> instanceIds,
        Kind kind) {

    /** What an intent does to the fleet. */
    public enum Kind {
        /** Launches instances; the kind of every intent stored before releases existed. */
        LAUNCH,
        /** Releases the instances it names. */
        RELEASE
    }

    /** Where a launch or a release stands. */
    public enum Status {
        /** Written; the cloud may or may not have been called. */
        OPEN,
        /**
         * A launch: the cloud launched {@code instanceIds}, now counted in the fleet state. A release:
         * the instances ended and are no longer counted.
         */
        DONE,
        /** The cloud refused the call; nothing was launched or released. */
        FAILED,
        /** A launch found open after a crash with nothing launched under its key; the change is planned again. */
        ABANDONED
    }

    /**
     * A launch intent.
     *
     * @param id the intent's id
     * @param changeId the provisional change it serves
     * @param idempotencyKey the key the provision is sent with
     * @param service the service
     * @param slaTier the service's SLA tier
     * @param instanceType the instance type launched
     * @param region the region
     * @param purchaseOption how the instances are bought
     * @param count how many instances are requested
     * @param coveredCount how many of the change's instances the launch stands for
     * @param pricePerHour the price of one instance per hour
     * @param createdAt when the intent was written
     * @param status where the launch stands
     * @param instanceIds the launched instances, empty unless done
     */
    public ProvisioningIntent(String id, String changeId, String idempotencyKey, String service, String slaTier,
            String instanceType, String region, PurchaseOption purchaseOption, int count, int coveredCount,
            double pricePerHour, Instant createdAt, Status status, List<String> instanceIds) {
        this(id, changeId, idempotencyKey, service, slaTier, instanceType, region, purchaseOption, count,
                coveredCount, pricePerHour, createdAt, status, instanceIds, Kind.LAUNCH);
    }

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a text is blank, a count is not positive, {@code createdAt} lies
     *     outside years 0000 to 9999, or the ids do not fit the status
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
        Checks.documentInstant("createdAt", createdAt);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(kind, "kind");
        instanceIds = List.copyOf(instanceIds);
        if (kind == Kind.RELEASE) {
            if (instanceIds.size() != count || count != coveredCount || Set.copyOf(instanceIds).size() != count
                    || status == Status.ABANDONED) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "a %s release intent of %d (covering %d) must name %d distinct instances, named %s", status,
                        count, coveredCount, count, instanceIds));
            }
        } else if (instanceIds.size() > count || (status != Status.DONE && !instanceIds.isEmpty())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "instanceIds holds %d ids for a %s intent of %d", instanceIds.size(), status, count));
        }
    }

    /**
     * This intent with another status and instances (a release keeps the instances it names).
     *
     * @param newStatus the status
     * @param ids the launched instances; ignored for a release
     * @return a new intent
     */
    public ProvisioningIntent settle(Status newStatus, List<String> ids) {
        return new ProvisioningIntent(id, changeId, idempotencyKey, service, slaTier, instanceType, region,
                purchaseOption, count, coveredCount, pricePerHour, createdAt, newStatus,
                kind == Kind.RELEASE ? instanceIds : ids, kind);
    }

    /**
     * How many of the change's instances this intent accounts for: all it asked for while open, the
     * share launched (or the instances released) once done, none once failed or abandoned.
     *
     * @return the covered count
     */
    public int covering() {
        if (kind == Kind.RELEASE) {
            return status == Status.OPEN || status == Status.DONE ? count : 0;
        }
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
     * @return for a launch, {@code count} while open, the launched count once done, else 0; 0 for a release
     */
    public int launching() {
        if (kind == Kind.RELEASE) {
            return 0;
        }
        return switch (status) {
            case OPEN -> count;
            case DONE -> instanceIds.size();
            case FAILED, ABANDONED -> 0;
        };
    }

    /**
     * How many instances this intent has released or may still release.
     *
     * @return for a release, {@code count} while open or once done, else 0; 0 for a launch
     */
    public int releasing() {
        return kind == Kind.RELEASE && (status == Status.OPEN || status == Status.DONE) ? count : 0;
    }
}
