package io.fleetpredict.core.monitor;

import io.fleetpredict.core.internal.Checks;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of a monitored metric: a name and the service it belongs to, or the whole fleet.
 *
 * <p>Activity metrics are usually fleet-wide ({@code MetricKey.fleet("transactions")}); resource
 * usage is usually per service ({@code MetricKey.of("cpu_cores", "checkout")}). Names and services
 * use letters, digits, {@code '_'}, {@code '.'} and {@code '-'}, and are case-sensitive.
 *
 * @param name the metric name, such as {@code sessions} or {@code memory_gib}
 * @param service the service the metric belongs to, or the empty string for a fleet-wide metric
 */
public record MetricKey(String name, String service) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if the name is empty or either component has a character
     *     outside letters, digits, {@code '_'}, {@code '.'} and {@code '-'}
     */
    public MetricKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "name must be letters, digits, '_', '.' or '-', was \"%s\"", Checks.printable(name)));
        }
        if (!service.isEmpty() && !NAME.matcher(service).matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "service must be empty or letters, digits, '_', '.' or '-', was \"%s\"", Checks.printable(service)));
        }
    }

    /**
     * A fleet-wide metric.
     *
     * @param name the metric name
     * @return the key
     */
    public static MetricKey fleet(String name) {
        return new MetricKey(name, "");
    }

    /**
     * A metric of one service.
     *
     * @param name the metric name
     * @param service the service, non-empty
     * @return the key
     * @throws IllegalArgumentException if the service is empty
     */
    public static MetricKey of(String name, String service) {
        Objects.requireNonNull(service, "service");
        if (service.isEmpty()) {
            throw new IllegalArgumentException("service must be non-empty; use MetricKey.fleet for a fleet-wide metric");
        }
        return new MetricKey(name, service);
    }

    /** @return whether this metric covers the whole fleet rather than one service */
    public boolean isFleetWide() {
        return service.isEmpty();
    }

    /** @return {@code name} for a fleet-wide metric, {@code name{service=svc}} otherwise */
    @Override
    public String toString() {
        return service.isEmpty() ? name : name + "{service=" + service + "}";
    }
}
