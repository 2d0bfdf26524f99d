package io.fleetpredict.cloud;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Argument checks shared by the records, so every message names the parameter and shows the value. */
final class Checks {

    private Checks() {
    }

    static String nonBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must not be blank, was '%s'", name, value));
        }
        return value;
    }

    static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be positive, was %d", name, value));
        }
        return value;
    }

    static double positive(double value, String name) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s must be finite and positive, was %s", name, value));
        }
        return value;
    }

    static double nonNegative(double value, String name) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s must be finite and non-negative, was %s", name, value));
        }
        return value;
    }

    /**
     * Copies a string map, rejecting null or blank keys and null values; keeps the caller's order. A map
     * this method made is returned as it is: it is immutable and was checked, and records handing their
     * maps on (a provision's tags to each instance it launched) then share one copy instead of holding one
     * each.
     */
    static Map<String, String> stringMap(Map<String, String> map, String name) {
        Objects.requireNonNull(map, name);
        if (map instanceof CheckedMap) {
            return map;
        }
        if (map.isEmpty()) {
            return CheckedMap.EMPTY;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s must not contain a null or blank key, was '%s'", name, key));
            }
            if (value == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s must not contain a null value, key '%s' has one", name, key));
            }
            copy.put(key, value);
        });
        return new CheckedMap(copy);
    }

    /** A checked, immutable string map in its caller's order, so that checking it again can skip the copy. */
    private static final class CheckedMap extends AbstractMap<String, String> {

        static final CheckedMap EMPTY = new CheckedMap(new LinkedHashMap<>());

        private final Map<String, String> entries;

        CheckedMap(LinkedHashMap<String, String> entries) {
            this.entries = Collections.unmodifiableMap(entries);
        }

        @Override
        public Set<Map.Entry<String, String>> entrySet() {
            return entries.entrySet();
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public boolean containsKey(@Nullable Object key) {
            return entries.containsKey(key);
        }

        @Override
        public @Nullable String get(@Nullable Object key) {
            return entries.get(key);
        }
    }

    static Set<String> stringSet(Collection<String> values, String name) {
        Objects.requireNonNull(values, name);
        for (String value : values) {
            if (value == null || value.isBlank()) {
                // The element alone, not the collection: a caller's list may hold millions of ids.
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s must not contain a null or blank element, found '%s' among %d", name, value, values.size()));
            }
        }
        return Set.copyOf(values);
    }

    static <T> List<T> list(List<T> values, String name) {
        Objects.requireNonNull(values, name);
        int index = 0;
        for (T value : values) {
            if (value == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s must not contain null, found one at index %d of %d", name, index, values.size()));
            }
            index++;
        }
        return List.copyOf(values);
    }

    /** The instances copied, when they are exactly the requested ones, each once. */
    static List<Instance> answering(List<Instance> instances, Set<String> requestedIds) {
        List<Instance> copy = list(instances, "instances");
        Set<String> ids = copy.stream().map(Instance::id).collect(Collectors.toSet());
        if (ids.size() != copy.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "instances hold %d ids for %d instances: an id comes twice", ids.size(), copy.size()));
        }
        if (!ids.equals(requestedIds)) {
            // The difference, not the sets: a release may name thousands of ids.
            Set<String> missing = new TreeSet<>(requestedIds);
            missing.removeAll(ids);
            Set<String> unexpected = new TreeSet<>(ids);
            unexpected.removeAll(requestedIds);
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "instances do not match the %d requested ids: missing %d %s, unexpected %d %s",
                    requestedIds.size(), missing.size(), firstFew(missing), unexpected.size(), firstFew(unexpected)));
        }
        return copy;
    }

    /** Up to five elements, enough to find the fault without printing a whole fleet. */
    private static String firstFew(Set<String> values) {
        return values.stream().limit(5).collect(Collectors.joining(", ", "[", values.size() > 5 ? ", ...]" : "]"));
    }
}
