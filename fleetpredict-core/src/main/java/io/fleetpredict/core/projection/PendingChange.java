package io.fleetpredict.core.projection;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ChangeAction;
import java.time.Duration;
import java.time.Instant;

/**
 * A change before it gets its id, priority and status. {@code leadTimeGivenUp} is how much of the tier's lead
 * time {@code neededBy} could not keep before the demand, because the plan is made later than that.
 */
record PendingChange(ChangeAction action, String instanceType, String region, int count,
        PurchaseOption option, ResourceVector delta, double costPerHour,
        Instant neededBy, Instant launchAt, double totalCost, double savingPerHour, Duration boot,
        Duration leadTimeGivenUp) {
}
