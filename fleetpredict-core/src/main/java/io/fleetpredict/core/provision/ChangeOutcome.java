package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What happened to one approved change in a provisioning run. */
public sealed interface ChangeOutcome {

    /**
     * The change this is about.
     *
     * @return the change id
     */
    String changeId();

    /**
     * Plan-only mode: what would be launched; nothing was.
     *
     * @param changeId the change
     * @param service the service
     * @param instanceType the instance type
     * @param region the region
     * @param purchaseOption how the instances would be bought
     * @param count how many would be launched after the caps
     * @param costPerHour their cost per hour
     * @param limitedBy the caps that reduced the count (empty if none)
     */
    record Planned(String changeId, String service, String instanceType, String region, PurchaseOption purchaseOption,
            int count, double costPerHour, List<HardCaps.Limit> limitedBy) implements ChangeOutcome {
        /** Copies. */
        public Planned {
            Objects.requireNonNull(changeId, "changeId");
            limitedBy = List.copyOf(limitedBy);
        }
    }

    /**
     * Instances were launched and the fleet state committed.
     *
     * @param changeId the change
     * @param service the service
     * @param instanceType the instance type launched (another than planned if capacity ran out)
     * @param region the region
     * @param purchaseOption how they are bought
     * @param requested how many were requested after the caps
     * @param instanceIds the launched instances
     * @param costPerHour their cost per hour
     * @param partial whether fewer were launched than requested; the rest is left to the next cycle
     * @param limitedBy the caps that reduced the request (empty if none)
     * @param committedVersion the fleet state version that records them
     */
    record Provisioned(String changeId, String service, String instanceType, String region,
            PurchaseOption purchaseOption, int requested, List<String> instanceIds, double costPerHour, boolean partial,
            List<HardCaps.Limit> limitedBy, long committedVersion) implements ChangeOutcome {
        /** Copies. */
        public Provisioned {
            Objects.requireNonNull(changeId, "changeId");
            instanceIds = List.copyOf(instanceIds);
            limitedBy = List.copyOf(limitedBy);
        }
    }

    /**
     * Plan-only mode: what a scale-in would release; nothing was.
     *
     * @param changeId the change
     * @param service the service
     * @param instanceType the instance type
     * @param region the region
     * @param purchaseOption how the instances are bought
     * @param instanceIds the instances that would be released, in the order they are chosen (booting
     *     ones first, newest first, then the newest ready ones)
     * @param savingPerHour what they cost per hour, saved once released
     * @param limitedBy the caps (or the on-demand base) that reduced the count (empty if none)
     */
    record PlannedRelease(String changeId, String service, String instanceType, String region,
            PurchaseOption purchaseOption, List<String> instanceIds, double savingPerHour,
            List<HardCaps.Limit> limitedBy) implements ChangeOutcome {
        /** Copies. */
        public PlannedRelease {
            Objects.requireNonNull(changeId, "changeId");
            instanceIds = List.copyOf(instanceIds);
            limitedBy = List.copyOf(limitedBy);
        }
    }

    /**
     * Instances were released and the fleet state committed without them.
     *
     * @param changeId the scale-in change
     * @param service the service
     * @param instanceType the instance type released
     * @param region the region
     * @param purchaseOption how they were bought
     * @param instanceIds the released instances, in the order they were chosen
     * @param savingPerHour what they cost per hour, no longer paid
     * @param limitedBy the caps (or the on-demand base) that reduced the release (empty if none); the rest
     *     is left to the next cycle
     * @param committedVersion the fleet state version that no longer counts them
     */
    record Released(String changeId, String service, String instanceType, String region,
            PurchaseOption purchaseOption, List<String> instanceIds, double savingPerHour,
            List<HardCaps.Limit> limitedBy, long committedVersion) implements ChangeOutcome {
        /** Copies. */
        public Released {
            Objects.requireNonNull(changeId, "changeId");
            instanceIds = List.copyOf(instanceIds);
            limitedBy = List.copyOf(limitedBy);
        }
    }

    /**
     * Not yet: the change's launch time is after the next cycle, so launching now would pay for capacity
     * before it is needed. A later run with the plan (or its successor) carries it out.
     *
     * @param changeId the change
     * @param launchAt when the change is to start
     */
    record Waiting(String changeId, Instant launchAt) implements ChangeOutcome {
        /** Validates. */
        public Waiting {
            Objects.requireNonNull(changeId, "changeId");
            Objects.requireNonNull(launchAt, "launchAt");
        }
    }

    /**
     * Nothing to launch or release: the change's capacity is already in the fleet or on its way (for a
     * scale-in, already released or on its way out).
     *
     * @param changeId the change
     * @param reason why, in words
     */
    record AlreadySatisfied(String changeId, String reason) implements ChangeOutcome {
        /** Validates. */
        public AlreadySatisfied {
            Objects.requireNonNull(changeId, "changeId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Nothing launched or released because a hard cap (or, for a release, the on-demand base) is reached.
     *
     * @param changeId the change
     * @param wanted how many instances the change still needed
     * @param limitedBy the caps that are reached
     */
    record Capped(String changeId, int wanted, List<HardCaps.Limit> limitedBy) implements ChangeOutcome {
        /** Copies. */
        public Capped {
            Objects.requireNonNull(changeId, "changeId");
            limitedBy = List.copyOf(limitedBy);
        }
    }

    /**
     * The change is not carried out by this run (a replacement, or a scale-in with nothing to release).
     *
     * @param changeId the change
     * @param reason why, in words
     */
    record Skipped(String changeId, String reason) implements ChangeOutcome {
        /** Validates. */
        public Skipped {
            Objects.requireNonNull(changeId, "changeId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The cloud refused or did not answer; what is known is in the store for the next cycle.
     *
     * @param changeId the change
     * @param kind the failure's kind
     * @param message the failure, in words
     */
    record Failed(String changeId, CloudException.Kind kind, String message) implements ChangeOutcome {
        /** Validates. */
        public Failed {
            Objects.requireNonNull(changeId, "changeId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }
}
