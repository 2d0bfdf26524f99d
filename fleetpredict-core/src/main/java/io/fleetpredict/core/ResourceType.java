package io.fleetpredict.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of resource a fleet consumes.
 *
 * <p>Documents name a resource type case-insensitively ({@code "CPU"}, {@code "Memory"},
 * {@code "memory"} are all accepted); they are written back with {@link #jsonName()}.
 */
public enum ResourceType {
    /** Processor capacity, canonical unit {@link ResourceUnit#CORES}. */
    CPU("CPU", ResourceUnit.CORES),
    /** Main memory, canonical unit {@link ResourceUnit#GIB}. */
    MEMORY("Memory", ResourceUnit.GIB),
    /** Network throughput, canonical unit {@link ResourceUnit#GBPS}. */
    BANDWIDTH("Bandwidth", ResourceUnit.GBPS),
    /** Persistent storage, canonical unit {@link ResourceUnit#GIB}. */
    STORAGE("Storage", ResourceUnit.GIB);

    private final String jsonName;
    private final ResourceUnit canonicalUnit;

    ResourceType(String jsonName, ResourceUnit canonicalUnit) {
        this.jsonName = jsonName;
        this.canonicalUnit = canonicalUnit;
    }

    /**
     * Returns the spelling written into documents.
     *
     * @return {@code "CPU"}, {@code "Memory"}, {@code "Bandwidth"} or {@code "Storage"}
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Returns the unit every amount of this type can be converted to for comparison and arithmetic.
     *
     * @return cores for CPU, GiB for memory and storage, Gbps for bandwidth
     */
    public ResourceUnit canonicalUnit() {
        return canonicalUnit;
    }

    /**
     * Returns the units an amount of this type may be expressed in.
     *
     * @return the accepted units, in declaration order
     */
    public List<ResourceUnit> units() {
        return Arrays.stream(ResourceUnit.values()).filter(u -> u.dimension() == canonicalUnit.dimension()).toList();
    }

    /**
     * Returns whether {@code unit} measures this resource type.
     *
     * @param unit a unit
     * @return {@code true} when an amount of this type may be expressed in {@code unit}
     */
    public boolean accepts(ResourceUnit unit) {
        return unit.dimension() == canonicalUnit.dimension();
    }

    /**
     * Finds a resource type by name, ignoring case.
     *
     * @param name a name such as {@code "cpu"} or {@code "Memory"}
     * @return the type, or empty when the name is not a resource type
     */
    public static Optional<ResourceType> find(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.name().equals(upper)).findFirst();
    }
}
