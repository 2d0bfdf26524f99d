package io.fleetpredict.core.document;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One planned change to a fleet, with why, when and at what cost.
 *
 * <p>Resource deltas are magnitudes (not negative); the action says whether they are added
 * ({@code scale_out}) or removed ({@code scale_in}).
 *
 * @param id the change identifier, unique in its document
 * @param service the service it changes
 * @param action what it does
 * @param instanceType the instance type launched or removed
 * @param region the region
 * @param count how many instances, at least 1
 * @param purchaseOption how the instances are paid for
 * @param resourceDelta the resources added or removed, at most one amount per resource type
 * @param priority the priority, 1 is the most important
 * @param slaReason why the SLA calls for the change
 * @param estimatedCostPerHour the estimated cost per hour, not negative
 * @param estimatedTotalCost the estimated cost over the change's window (the cost per hour times the hours
 *     from {@code launchAt} to the end of the capacity's need), not negative; {@code null} when not
 *     recorded (documents written before the field existed)
 * @param neededBy when the capacity must be serving
 * @param launchAt when to start it, not after {@code neededBy}
 * @param status proposed or deferred
 * @param deferredReason why it is deferred: present exactly when {@code status} is deferred, else {@code null}
 * @param leadTimeGivenUp how much of its SLA tier's lead time {@code neededBy} does not keep before the
 *     demand: the part a plan made less than the lead time before the demand could not keep, plus what a
 *     deferral the cost gate recommended gave up when it was taken
 *     ({@link io.fleetpredict.core.provision.Recommendation.Defer#applyTo}); zero for a change planned a lead
 *     time ahead. The gate never recommends giving up more than the tier's lead time in all, so a change
 *     deferred once, or planned too late to keep any lead time, is not deferred.
 */
public record ProvisionalChange(
        String id,
        String service,
        ChangeAction action,
        String instanceType,
        String region,
        int count,
        PurchaseOption purchaseOption,
        List<ResourceAmount> resourceDelta,
        int priority,
        String slaReason,
        double estimatedCostPerHour,
        @Nullable Double estimatedTotalCost,
        Instant neededBy,
        Instant launchAt,
        ChangeStatus status,
        @Nullable String deferredReason,
        Duration leadTimeGivenUp) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a rule in the class description is broken
     */
    public ProvisionalChange {
        Checks.text("id", id);
        Checks.text("service", service);
        Objects.requireNonNull(action, "action");
        Checks.text("instanceType", instanceType);
        Checks.text("region", region);
        Checks.atLeast("count", count, 1);
        Objects.requireNonNull(purchaseOption, "purchaseOption");
        resourceDelta = Checks.amounts("resourceDelta", resourceDelta);
        Checks.atLeast("priority", priority, 1);
        Checks.text("slaReason", slaReason);
        Checks.nonNegative("estimatedCostPerHour", estimatedCostPerHour);
        if (estimatedTotalCost != null) {
            Checks.nonNegative("estimatedTotalCost", estimatedTotalCost);
        }
        Checks.documentInstant("neededBy", neededBy);
        Checks.documentInstant("launchAt", launchAt);
        Checks.notAfter("launchAt", launchAt, "neededBy", neededBy);
        Objects.requireNonNull(status, "status");
        Checks.optionalText("deferredReason", deferredReason);
        if ((status == ChangeStatus.DEFERRED) != (deferredReason != null)) {
            throw new IllegalArgumentException(status == ChangeStatus.DEFERRED
                    ? "deferredReason: required when status is deferred"
                    : "deferredReason: only allowed when status is deferred");
        }
        Checks.nonNegative("leadTimeGivenUp", leadTimeGivenUp);
    }

    /**
     * A change as planned, with no lead time given up.
     *
     * @throws IllegalArgumentException when a rule in the class description is broken
     */
    public ProvisionalChange(String id, String service, ChangeAction action, String instanceType, String region,
            int count, PurchaseOption purchaseOption, List<ResourceAmount> resourceDelta, int priority,
            String slaReason, double estimatedCostPerHour, @Nullable Double estimatedTotalCost, Instant neededBy,
            Instant launchAt, ChangeStatus status, @Nullable String deferredReason) {
        this(id, service, action, instanceType, region, count, purchaseOption, resourceDelta, priority, slaReason,
                estimatedCostPerHour, estimatedTotalCost, neededBy, launchAt, status, deferredReason, Duration.ZERO);
    }
}
