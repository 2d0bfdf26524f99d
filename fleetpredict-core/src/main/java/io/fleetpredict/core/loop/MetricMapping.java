package io.fleetpredict.core.loop;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.internal.ResourceNames;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.GapFill;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MonitoredSeries;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.forecast.TimeSeries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * How the metrics of an {@link ActivityMonitor} become a {@link FleetHistory}: which metrics are a service's
 * use of a resource and which are activity that may drive it.
 *
 * <p>By convention ({@link #conventions()}):
 * <ul>
 * <li>a metric of a service named {@code <resource>_<unit>}, where the resource is a {@link ResourceType}
 * name and the unit one of its {@link ResourceUnit} symbols, both case-insensitive ({@code cpu_cores},
 * {@code cpu_millicores}, {@code memory_gib}, {@code memory_gb}, {@code bandwidth_gbps},
 * {@code storage_tib}, ...), is that service's use of the resource in that unit;</li>
 * <li>any other metric of a service ({@code MetricKey.of("transactions", "checkout")}) is an activity
 * metric of that service, under its name;</li>
 * <li>a fleet-wide metric ({@code MetricKey.fleet("sessions")}) is an activity metric of every service
 * that has a usage metric.</li>
 * </ul>
 * The builder overrides the convention metric by metric. A metric with no closed bucket yet is left out.
 *
 * <p>Immutable and thread-safe.
 */
public final class MetricMapping {

    /** What one metric is for: a service's use of a resource, activity, or nothing. */
    private sealed interface Role {
    }

    /** A service's use of a resource, measured in {@code unit}. */
    private record Usage(String service, ResourceType type, ResourceUnit unit) implements Role {
    }

    /** Activity of one service, or of every service that has a usage metric when {@code service} is null. */
    private record Activity(@Nullable String service, String name) implements Role {
    }

    /** A metric left out of the history. */
    private enum Ignored implements Role {
        INSTANCE
    }

    /** A metric's role with its series. */
    private record Mapped(Role role, TimeSeries series) {
    }

    private final Map<MetricKey, Role> explicit;

    private MetricMapping(Map<MetricKey, Role> explicit) {
        this.explicit = Map.copyOf(explicit);
    }

    /** @return the mapping by name conventions alone */
    public static MetricMapping conventions() {
        return new MetricMapping(Map.of());
    }

    /** @return a builder whose metrics not given explicitly follow the conventions */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The resource a metric name stands for by convention.
     *
     * @param name a metric name such as {@code cpu_cores}
     * @return the resource and unit, or empty when the name follows no resource convention
     */
    static Optional<Map.Entry<ResourceType, ResourceUnit>> resourceOf(String name) {
        return ResourceNames.of(name).flatMap(n -> Optional.ofNullable(n.unit()).map(u -> Map.entry(n.type(), u)));
    }

    /**
     * Refuses a metric of a service whose name starts with a resource but whose unit is not one of the
     * resource's: the conventions would read a misspelt usage ({@code cpu_core}, {@code memory_gigs}) as
     * activity, and the loop would wait for a usage that never comes. A metric mapped explicitly is the
     * host's to name.
     *
     * @param metrics the monitor's metrics
     * @throws IllegalArgumentException naming the metric and the names accepted for its resource
     */
    void checkNames(Collection<MetricKey> metrics) {
        for (MetricKey key : metrics) {
            if (explicit.containsKey(key) || key.isFleetWide()) {
                continue;
            }
            ResourceNames.of(key.name()).filter(n -> n.unit() == null).ifPresent(n -> {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "metric %s starts with the resource %s but does not name one of its units: name it %s "
                                + "(units %s), or map it with MetricMapping.builder()", key, n.type().jsonName(),
                        ResourceNames.accepted(n.type()),
                        n.type().units().stream().map(ResourceUnit::symbol).collect(Collectors.joining(", "))));
            });
        }
    }

    /**
     * Refuses a metric the history reads whose gap policy is {@link GapFill#REJECT}: under it one bucket that
     * closed without an observation makes every read of the metric's series fail until that bucket leaves the
     * monitor's retention (a week by default), and a loop must forecast through an exporter's silence. A metric
     * the mapping ignores is never read, so its policy does not matter.
     *
     * @param monitor the monitor whose metrics the history is read from
     * @throws IllegalArgumentException naming the metric and the policies that work
     */
    void checkGapFills(ActivityMonitor monitor) {
        for (MetricKey key : monitor.metrics()) {
            if (role(key) != Ignored.INSTANCE && monitor.gapFill(key) == GapFill.REJECT) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "metric %s has the gap policy REJECT, which the loop cannot forecast through: one bucket "
                                + "closed without an observation would make every read of its series fail until "
                                + "that bucket leaves the monitor's retention (%s); register it with "
                                + "GapFill.PREVIOUS or GapFill.LINEAR (a gauge) or GapFill.ZERO (a counter), or "
                                + "leave it out with MetricMapping.builder().ignore(...)",
                        key, monitor.retention()));
            }
        }
    }

    /**
     * Whether a metric is mapped explicitly to a service's use of a resource, which the monitor cannot tell
     * from its name.
     *
     * @param key the metric
     * @return true if the builder mapped it to a usage
     */
    boolean explicitUsage(MetricKey key) {
        return explicit.get(key) instanceof Usage;
    }

    /**
     * Whether any of the metrics is a service's use of a resource.
     *
     * @param metrics the monitor's metrics
     * @return true if one maps to a usage
     */
    boolean anyUsage(Collection<MetricKey> metrics) {
        return metrics.stream().anyMatch(key -> role(key) instanceof Usage);
    }

    /**
     * The services some of the metrics are the use of a resource of, whether or not they have data yet.
     *
     * @param metrics the monitor's metrics
     * @return the services, in the metrics' order
     */
    Set<String> services(Collection<MetricKey> metrics) {
        Set<String> out = new LinkedHashSet<>();
        for (MetricKey key : metrics) {
            if (role(key) instanceof Usage u) {
                out.add(u.service());
            }
        }
        return out;
    }

    /**
     * The metric that is a service's use of a resource, among the given ones.
     *
     * @param metrics the monitor's metrics
     * @param service the service
     * @param type the resource
     * @return the metric, or empty when none of them is that use
     */
    Optional<MetricKey> usageMetric(Collection<MetricKey> metrics, String service, ResourceType type) {
        return metrics.stream()
                .filter(key -> role(key) instanceof Usage u && u.service().equals(service) && u.type() == type)
                .findFirst();
    }

    private Role role(MetricKey key) {
        Role r = explicit.get(key);
        if (r != null) {
            return r;
        }
        if (key.isFleetWide()) {
            return new Activity(null, key.name());
        }
        return resourceOf(key.name()).<Role>map(e -> new Usage(key.service(), e.getKey(), e.getValue()))
                .orElse(new Activity(key.service(), key.name()));
    }

    /**
     * The history held by a monitor now: every closed bucket it retains, gaps filled by each metric's policy.
     *
     * @param monitor the monitor
     * @return the history, or empty when no usage metric has a closed bucket yet
     * @throws IllegalArgumentException if two metrics map to the same series
     */
    public Optional<FleetHistory> history(ActivityMonitor monitor) {
        Objects.requireNonNull(monitor, "monitor");
        return history(series(monitor));
    }

    /**
     * The series of every metric of the monitor that goes into the history (all but those ignored), with their
     * gaps, read once so that the history and what is said of its gaps come from the same buckets.
     *
     * @param monitor the monitor
     * @return the series by metric, in the monitor's order
     */
    Map<MetricKey, MonitoredSeries> series(ActivityMonitor monitor) {
        Map<MetricKey, MonitoredSeries> out = new LinkedHashMap<>();
        for (MetricKey key : monitor.metrics()) {
            if (role(key) != Ignored.INSTANCE) {
                out.put(key, monitor.series(key));
            }
        }
        return out;
    }

    /**
     * {@link #history(ActivityMonitor)} from series already read by {@link #series(ActivityMonitor)}.
     *
     * @param read the series by metric
     * @return the history, or empty when no usage metric has a closed bucket yet
     */
    Optional<FleetHistory> history(Map<MetricKey, MonitoredSeries> read) {
        List<Mapped> mapped = new ArrayList<>();
        for (Map.Entry<MetricKey, MonitoredSeries> e : read.entrySet()) {
            Role r = role(e.getKey());
            TimeSeries s = e.getValue().series();
            if (r != Ignored.INSTANCE && !s.isEmpty()) {
                mapped.add(new Mapped(r, s));
            }
        }
        Set<String> services = new LinkedHashSet<>();
        mapped.forEach(m -> {
            if (m.role() instanceof Usage u) {
                services.add(u.service());
            }
        });
        if (services.isEmpty()) {
            return Optional.empty();
        }
        FleetHistory.Builder b = FleetHistory.builder();
        for (Mapped m : mapped) {
            if (m.role() instanceof Usage u) {
                b.usage(u.service(), u.type(), u.unit(), m.series());
            } else if (m.role() instanceof Activity a) {
                String service = a.service();
                if (service == null) {
                    services.forEach(s -> b.activity(s, a.name(), m.series()));
                } else if (services.contains(service)) {
                    b.activity(service, a.name(), m.series());
                }
            }
        }
        return Optional.of(b.build());
    }

    /** Overrides the conventions metric by metric; not thread-safe. */
    public static final class Builder {
        private final Map<MetricKey, Role> explicit = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Maps a metric to a service's use of a resource.
         *
         * @param metric the metric
         * @param service the service, not blank
         * @param type the resource
         * @param unit the unit of the metric's values, one of the resource's
         * @return this builder
         * @throws IllegalArgumentException if the unit does not measure the resource or the service is blank
         */
        public Builder usage(MetricKey metric, String service, ResourceType type, ResourceUnit unit) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(unit, "unit");
            if (!type.accepts(unit)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "unit %s does not measure %s", unit.symbol(), type.jsonName()));
            }
            return put(metric, new Usage(notBlank(service), type, unit));
        }

        /**
         * Maps a metric to an activity metric of one service.
         *
         * @param metric the metric
         * @param service the service, not blank
         * @param name the activity's name in the history, not blank
         * @return this builder
         */
        public Builder activity(MetricKey metric, String service, String name) {
            return put(metric, new Activity(notBlank(service), notBlank(name)));
        }

        /**
         * Leaves a metric out of the history.
         *
         * @param metric the metric
         * @return this builder
         */
        public Builder ignore(MetricKey metric) {
            return put(metric, Ignored.INSTANCE);
        }

        private Builder put(MetricKey metric, Role role) {
            Objects.requireNonNull(metric, "metric");
            if (explicit.putIfAbsent(metric, role) != null) {
                throw new IllegalArgumentException("metric " + metric + " is mapped twice");
            }
            return this;
        }

        private static String notBlank(@Nullable String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + value + "'");
            }
            return value;
        }

        /** @return the mapping */
        public MetricMapping build() {
            return new MetricMapping(explicit);
        }
    }

    @Override
    public String toString() {
        return "MetricMapping" + (explicit.isEmpty() ? "[conventions]" : List.copyOf(explicit.keySet()));
    }
}
