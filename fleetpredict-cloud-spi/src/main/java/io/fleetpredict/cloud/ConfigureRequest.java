package io.fleetpredict.cloud;

import java.util.Map;
import java.util.Set;

/**
 * A request to apply settings to instances, such as a service's runtime parameters.
 *
 * <p>Settings are merged into each instance's {@link Instance#configuration()}: a key given here
 * replaces the same key, other keys stay.
 *
 * @param idempotencyKey a caller-chosen key, unique per distinct request, not blank
 * @param instanceIds the instances to configure, at least one
 * @param settings the settings to apply, at least one
 */
public record ConfigureRequest(String idempotencyKey, Set<String> instanceIds, Map<String, String> settings) {

    /**
     * Validates the request and copies its collections.
     *
     * @throws IllegalArgumentException if the key is blank, or the ids or settings are empty or hold
     *     a blank key
     */
    public ConfigureRequest {
        Checks.nonBlank(idempotencyKey, "idempotencyKey");
        instanceIds = Checks.stringSet(instanceIds, "instanceIds");
        if (instanceIds.isEmpty()) {
            throw new IllegalArgumentException("instanceIds must not be empty");
        }
        settings = Checks.stringMap(settings, "settings");
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("settings must not be empty");
        }
    }
}
