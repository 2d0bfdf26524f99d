package io.fleetpredict.core.predict;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The history a prediction is fitted on: per service, the use of each resource (CPU cores in use, memory,
 * ...) and any activity metrics (transactions, sessions, ...) that may drive it.
 *
 * <p>Immutable. Every series has the same step and lies on one time grid; series may end at different
 * times. Activity series typically come from an {@code ActivityMonitor} ({@code monitor.series(metric).series()}).
 */
public final class FleetHistory {

    private final Map<String, Map<ResourceType, Usage>> usage;
    private final Map<String, Map<String, TimeSeries>> activity;
    private final Duration step;

    /** A usage series with its unit. */
    record Usage(ResourceUnit unit, TimeSeries series) {
    }

    private FleetHistory(Map<String, Map<ResourceType, Usage>> usage, Map<String, Map<String, TimeSeries>> activity,
            Duration step) {
        this.usage = usage;
        this.activity = activity;
        this.step = step;
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the services, in the order they were first given */
    public Set<String> services() {
        return Collections.unmodifiableSet(usage.keySet());
    }

    /** @return the step every series shares */
    public Duration step() {
        return step;
    }

    /**
     * The resource use of one service.
     *
     * @param service a service of this history
     * @return its usage series by resource type
     * @throws IllegalArgumentException if the service is unknown
     */
    public Map<ResourceType, TimeSeries> usage(String service) {
        Map<ResourceType, TimeSeries> out = new EnumMap<>(ResourceType.class);
        known(service).forEach((t, u) -> out.put(t, u.series()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The unit a usage series is measured in.
     *
     * @param service a service of this history
     * @param type a resource type the service has a usage series for
     * @return the unit
     * @throws IllegalArgumentException if the service or the series is unknown
     */
    public ResourceUnit unit(String service, ResourceType type) {
        Usage u = known(service).get(type);
        if (u == null) {
            throw unknownMetric(service, type.jsonName());
        }
        return u.unit();
    }

    /**
     * The activity metrics of one service.
     *
     * @param service a service of this history
     * @return its activity series by metric name; empty when it has none
     * @throws IllegalArgumentException if the service is unknown
     */
    public Map<String, TimeSeries> activity(String service) {
        known(service);
        return Collections.unmodifiableMap(activity.getOrDefault(service, Map.of()));
    }

    /** @return the latest end of any series: the time just after its last value */
    public Instant end() {
        Instant end = Instant.MIN;
        for (Map<ResourceType, Usage> m : usage.values()) {
            for (Usage u : m.values()) {
                end = u.series().end().isAfter(end) ? u.series().end() : end;
            }
        }
        for (Map<String, TimeSeries> m : activity.values()) {
            for (TimeSeries s : m.values()) {
                end = s.end().isAfter(end) ? s.end() : end;
            }
        }
        return end;
    }

    /**
     * The part of the history strictly before an instant.
     *
     * @param at the prediction time
     * @return every series cut to its values before {@code at}
     * @throws IllegalArgumentException if a series has no value before {@code at}
     */
    public FleetHistory before(Instant at) {
        Builder b = builder();
        usage.forEach((service, m) -> m.forEach((type, u) ->
                b.usage(service, type, u.unit(), cut(u.series(), at, service + "." + type.jsonName()))));
        activity.forEach((service, m) -> m.forEach((name, s) ->
                b.activity(service, name, cut(s, at, service + ".activity." + name))));
        return b.build();
    }

    /**
     * This history followed by new observations.
     *
     * @param next observations continuing some or all of the series of this history, each starting exactly
     *     where the series ends
     * @return the longer history
     * @throws IllegalArgumentException if {@code next} holds a service or metric this history does not, a
     *     different unit or step, or a series that starts before this one ends (time going backwards) or
     *     after (a gap)
     */
    public FleetHistory append(FleetHistory next) {
        if (!next.step.equals(step)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "new observations have step %s, the history has %s", next.step, step));
        }
        Map<String, Map<ResourceType, Usage>> u = copyUsage();
        Map<String, Map<String, TimeSeries>> a = copyActivity();
        next.usage.forEach((service, m) -> m.forEach((type, nu) -> {
            Usage old = known(service).get(type);
            if (old == null) {
                throw unknownMetric(service, type.jsonName());
            }
            if (old.unit() != nu.unit()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s.%s: new observations are in %s, the history in %s",
                        service, type.jsonName(), nu.unit().symbol(), old.unit().symbol()));
            }
            Objects.requireNonNull(u.get(service)).put(type, new Usage(old.unit(), continued(old.series(), nu.series(),
                    service + "." + type.jsonName())));
        }));
        next.activity.forEach((service, m) -> m.forEach((name, s) -> {
            TimeSeries old = activity(service).get(name);
            if (old == null) {
                throw unknownMetric(service, "activity." + name);
            }
            Objects.requireNonNull(a.get(service)).put(name, continued(old, s, service + ".activity." + name));
        }));
        return new FleetHistory(u, a, step);
    }

    private static TimeSeries continued(TimeSeries old, TimeSeries next, String name) {
        if (next.start().isBefore(old.end())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: time goes backwards: new observations start at %s, before the history's next step %s",
                    name, next.start(), old.end()));
        }
        if (next.start().isAfter(old.end())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: new observations start at %s, leaving a gap after the history's last step (next due %s)",
                    name, next.start(), old.end()));
        }
        return old.append(next);
    }

    private static TimeSeries cut(TimeSeries s, Instant at, String name) {
        if (!s.start().isBefore(at)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s has no value before %s (it starts at %s)", name, at, s.start()));
        }
        long n = Duration.between(s.start(), at).dividedBy(s.step());
        boolean exact = s.step().multipliedBy(n).equals(Duration.between(s.start(), at));
        int keep = (int) Math.min(s.size(), exact ? n : n + 1);
        return s.head(keep);
    }

    private Map<ResourceType, Usage> known(String service) {
        Objects.requireNonNull(service, "service");
        Map<ResourceType, Usage> m = usage.get(service);
        if (m == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "unknown service '%s'; the history has %s", service, usage.keySet()));
        }
        return m;
    }

    private IllegalArgumentException unknownMetric(String service, String metric) {
        Map<String, Object> known = new LinkedHashMap<>();
        usage.getOrDefault(service, Map.of()).keySet().forEach(t -> known.put(t.jsonName(), t));
        activity.getOrDefault(service, Map.of()).keySet().forEach(n -> known.put("activity." + n, n));
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "unknown metric '%s' of service '%s'; the history has %s", metric, service, known.keySet()));
    }

    private Map<String, Map<ResourceType, Usage>> copyUsage() {
        Map<String, Map<ResourceType, Usage>> out = new LinkedHashMap<>();
        usage.forEach((k, v) -> out.put(k, new EnumMap<>(v)));
        return out;
    }

    private Map<String, Map<String, TimeSeries>> copyActivity() {
        Map<String, Map<String, TimeSeries>> out = new LinkedHashMap<>();
        usage.keySet().forEach(k -> out.put(k, new LinkedHashMap<>(activity.getOrDefault(k, Map.of()))));
        return out;
    }

    /** Collects the series of a {@link FleetHistory}. */
    public static final class Builder {
        private final Map<String, Map<ResourceType, Usage>> usage = new LinkedHashMap<>();
        private final Map<String, Map<String, TimeSeries>> activity = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds the use of one resource by one service.
         *
         * @param service the service name, not blank
         * @param type the resource
         * @param unit the unit of the values; must measure {@code type}
         * @param series the values
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or holds a control, line separator or bidirectional
         *     formatting character, the unit does not measure the type, a value is
         *     negative (the message names the series, index and time), or the series was already given
         */
        public Builder usage(String service, ResourceType type, ResourceUnit unit, TimeSeries series) {
            name("service", service);
            Objects.requireNonNull(series, "series");
            if (!type.accepts(unit)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s.%s: unit %s does not measure %s", service, type.jsonName(), unit.symbol(), type.jsonName()));
            }
            for (int i = 0; i < series.size(); i++) {
                if (series.get(i) < 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s.%s: the value at index %d (%s) is %s; the use of a resource cannot be negative", service,
                            type.jsonName(), i, series.start().plus(series.step().multipliedBy(i)), series.get(i)));
                }
            }
            Map<ResourceType, Usage> m = usage.computeIfAbsent(service, k -> new EnumMap<>(ResourceType.class));
            if (m.putIfAbsent(type, new Usage(unit, series)) != null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s.%s is given twice", service, type.jsonName()));
            }
            return this;
        }

        /**
         * Adds the use of one resource by one service from raw values.
         *
         * @param service the service name, not blank
         * @param type the resource
         * @param unit the unit of the values
         * @param start the time of the first value
         * @param step the time between values
         * @param values the observations, all finite and not negative
         * @return this builder
         * @throws IllegalArgumentException if a value is NaN or infinite (the message names the series, index
         *     and time), or as {@link #usage(String, ResourceType, ResourceUnit, TimeSeries)}
         */
        public Builder usage(String service, ResourceType type, ResourceUnit unit, Instant start, Duration step,
                double... values) {
            return usage(service, type, unit, series(service + "." + type.jsonName(), start, step, values));
        }

        /**
         * Adds an activity metric of one service.
         *
         * @param service the service name, not blank
         * @param metric the metric name, not blank, such as {@code "transactions"}
         * @param series the values
         * @return this builder
         * @throws IllegalArgumentException if a name is blank or holds a control, line separator or bidirectional
         *     formatting character, or the series was already given
         */
        public Builder activity(String service, String metric, TimeSeries series) {
            name("service", service);
            name("metric", metric);
            Objects.requireNonNull(series, "series");
            if (activity.computeIfAbsent(service, k -> new LinkedHashMap<>()).putIfAbsent(metric, series) != null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s.activity.%s is given twice", service, metric));
            }
            return this;
        }

        /**
         * Adds an activity metric of one service from raw values.
         *
         * @param service the service name
         * @param metric the metric name
         * @param start the time of the first value
         * @param step the time between values
         * @param values the observations, all finite
         * @return this builder
         * @throws IllegalArgumentException if a value is NaN or infinite, or as
         *     {@link #activity(String, String, TimeSeries)}
         */
        public Builder activity(String service, String metric, Instant start, Duration step, double... values) {
            return activity(service, metric, series(service + ".activity." + metric, start, step, values));
        }

        /**
         * Builds the history.
         *
         * @return the history
         * @throws IllegalArgumentException if there is no usage series, a service has activity but no usage,
         *     or the series differ in step or grid
         */
        public FleetHistory build() {
            if (usage.isEmpty()) {
                throw new IllegalArgumentException("the history has no resource usage series");
            }
            for (String s : activity.keySet()) {
                if (!usage.containsKey(s)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "service '%s' has activity metrics but no resource usage", s));
                }
            }
            TimeSeries first = usage.values().iterator().next().values().iterator().next().series();
            Map<String, Map<ResourceType, Usage>> u = new LinkedHashMap<>();
            Map<String, Map<String, TimeSeries>> a = new LinkedHashMap<>();
            usage.forEach((service, m) -> {
                m.forEach((type, us) -> grid(first, us.series(), service + "." + type.jsonName()));
                u.put(service, new EnumMap<>(m));
            });
            activity.forEach((service, m) -> {
                m.forEach((name, s) -> grid(first, s, service + ".activity." + name));
                a.put(service, new LinkedHashMap<>(m));
            });
            return new FleetHistory(u, a, first.step());
        }

        private static void grid(TimeSeries ref, TimeSeries s, String name) {
            if (!s.step().equals(ref.step())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s has step %s, other series have %s", name, s.step(), ref.step()));
            }
            Duration offset = Duration.between(ref.start(), s.start());
            if (!ref.step().multipliedBy(offset.dividedBy(ref.step())).equals(offset)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s starts at %s, off the %s grid of the other series (which start at %s)",
                        name, s.start(), ref.step(), ref.start()));
            }
            if (s.isEmpty()) {
                throw new IllegalArgumentException(name + " is empty");
            }
        }

        private static TimeSeries series(String name, Instant start, Duration step, double[] values) {
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: the value at index %d (%s) is %s; every value must be finite",
                            name, i, start.plus(step.multipliedBy(i)), values[i]));
                }
            }
            return TimeSeries.of(start, step, values);
        }

        private static void name(String what, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank, was '" + value + "'");
            }
            // Names reach messages and log lines: a line break in one could forge a line.
            Checks.name(what, value);
        }
    }
}
