package io.fleetpredict.core.feedback;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Horizon;
import java.io.Serializable;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What accuracy is tracked per: a service (or the whole fleet), a resource and a horizon.
 *
 * <p>Serializable, so that a {@link TooManySeriesException} keeps the series it names when it is serialized; as a
 * record it is read back through its constructor, which checks it again.
 *
 * @param service the service, or {@code null} for the fleet-level requirement
 * @param resource the resource type
 * @param horizon the horizon the predictions were made for
 */
public record AccuracyKey(@Nullable String service, ResourceType resource, Horizon horizon) implements Serializable {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the service name is blank
     */
    public AccuracyKey {
        if (service != null && service.isBlank()) {
            throw new IllegalArgumentException("service: must not be blank, was \"" + service + "\"");
        }
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(horizon, "horizon");
    }

    /**
     * Creates a fleet-level key.
     *
     * @param resource the resource type
     * @param horizon the horizon
     * @return the key with no service
     */
    public static AccuracyKey fleet(ResourceType resource, Horizon horizon) {
        return new AccuracyKey(null, resource, horizon);
    }

    @Override
    public String toString() {
        return (service == null ? "fleet" : service) + "/" + resource.jsonName() + "/" + horizon.jsonName();
    }
}
