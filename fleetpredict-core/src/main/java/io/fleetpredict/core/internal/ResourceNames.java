package io.fleetpredict.core.internal;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The naming convention of resource metrics: {@code <resource>_<unit>}, the resource a {@link ResourceType}
 * name and the unit one of its {@link ResourceUnit} symbols, both case-insensitive ({@code cpu_cores},
 * {@code memory_gib}). Shared by the monitor, which refuses a negative use of a resource, and the loop's
 * metric mapping, which reads such a metric as a service's use and refuses a resource name with an unknown unit.
 */
public final class ResourceNames {

    /**
     * What a name says by the convention.
     *
     * @param type the resource its first part names
     * @param unit the unit, or {@code null} when the rest of the name is not {@code _} and one of the resource's
     *     unit symbols
     */
    public record Named(ResourceType type, @Nullable ResourceUnit unit) {
    }

    private ResourceNames() {
    }

    /**
     * Reads a metric name.
     *
     * @param name a metric name
     * @return the resource and unit it names, or empty when its first part (up to the first {@code '_'},
     *     {@code '.'} or {@code '-'}) names no resource
     */
    public static Optional<Named> of(String name) {
        int cut = 0;
        while (cut < name.length() && "_.-".indexOf(name.charAt(cut)) < 0) {
            cut++;
        }
        Optional<ResourceType> type = ResourceType.find(name.substring(0, cut));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        ResourceType t = type.get();
        String unit = cut < name.length() && name.charAt(cut) == '_' ? name.substring(cut + 1) : null;
        ResourceUnit u = unit == null ? null
                : t.units().stream().filter(x -> x.symbol().equalsIgnoreCase(unit)).findFirst().orElse(null);
        return Optional.of(new Named(t, u));
    }

    /**
     * The names the convention accepts for a resource, for a message.
     *
     * @param type the resource
     * @return such as {@code cpu_cores, cpu_millicores, cpu_vcpu}
     */
    public static String accepted(ResourceType type) {
        String prefix = type.name().toLowerCase(Locale.ROOT) + "_";
        return type.units().stream().map(u -> prefix + u.symbol().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
