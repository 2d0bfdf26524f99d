package io.fleetpredict.core.feedback;

import java.util.Locale;
import java.util.Objects;

/**
 * An expert's request to provision now, whatever the prediction says.
 *
 * @param id the request identifier, recorded in the audit log
 * @param service the service to add capacity to
 * @param instanceType the instance type to launch
 * @param count how many instances, at least 1
 * @param author who asked
 * @param reason why
 * @param exceedCostThreshold whether the request may pass the cost threshold (hard caps still apply)
 */
public record ForcedProvisioning(String id, String service, String instanceType, int count, String author,
        String reason, boolean exceedCostThreshold) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when a text is blank or the count below 1
     */
    public ForcedProvisioning {
        for (String[] named : new String[][] {{"id", id}, {"service", service}, {"instanceType", instanceType},
                {"author", author}, {"reason", reason}}) {
            Objects.requireNonNull(named[1], named[0]);
            if (named[1].isBlank()) {
                throw new IllegalArgumentException(named[0] + ": must not be blank");
            }
        }
        if (count < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "count: must be at least 1, was %d", count));
        }
    }
}
