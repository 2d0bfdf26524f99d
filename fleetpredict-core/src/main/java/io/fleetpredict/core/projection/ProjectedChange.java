package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.ProvisionalChange;
import java.time.Duration;
import java.util.Locale;

/**
 * A change of the provisional document with the figures the document does not carry.
 *
 * @param change the change as written in the provisional fleet state
 * @param estimatedTotalCost the estimated cost per hour times the hours from {@code launch_at} to the
 *     end of the last predicted step that needs the capacity; 0 for a scale-in
 * @param savingPerHour what a scale-in saves per hour at the catalogue price; 0 for a scale-out, for reserved
 *     instances (prepaid, so releasing them saves nothing) and for instances the catalogue has no price for
 *     (their saving is unknown, and the change's reason says so)
 * @param bootTime how long the instance type takes to boot; zero for idle capacity put to use
 */
public record ProjectedChange(ProvisionalChange change, double estimatedTotalCost, double savingPerHour,
        Duration bootTime) {

    /**
     * Validates the figures.
     *
     * @throws IllegalArgumentException if a figure is negative or not finite
     * @throws NullPointerException if the change or boot time is null
     */
    public ProjectedChange {
        if (change == null) {
            throw new NullPointerException("change");
        }
        if (bootTime == null) {
            throw new NullPointerException("bootTime");
        }
        if (!Double.isFinite(estimatedTotalCost) || estimatedTotalCost < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "estimatedTotalCost must be finite and >= 0, was %s", estimatedTotalCost));
        }
        if (!Double.isFinite(savingPerHour) || savingPerHour < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "savingPerHour must be finite and >= 0, was %s", savingPerHour));
        }
    }
}
