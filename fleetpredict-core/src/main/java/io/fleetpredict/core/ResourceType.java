package io.fleetpredict.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

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
     * Reads a unit symbol as a unit of this type, as documents do: symbols are case-sensitive, and a refusal
     * suggests the symbol meant when only its case is wrong and lists the units this type accepts. Every reader
     * of a unit (documents, file names, CSV columns, options) says it the same way.
     *
     * @param symbol the symbol as written, such as {@code "GiB"}
     * @return the unit
     * @throws IllegalArgumentException when {@code symbol} is no unit ({@code unknown unit "gib" (units are
     *     case-sensitive: did you mean "GiB"?); Memory accepts ...}) or a unit of another type ({@code unit "cores"
     *     is not a unit of Memory; expected one of ...}); the symbol is shown escaped and cut to 60 characters
     */
    public ResourceUnit unit(String symbol) {
        String accepted = units().stream().map(ResourceUnit::symbol).collect(Collectors.joining(", "));
        String shown = printable(symbol.length() <= 60 ? symbol : symbol.substring(0, 57) + "...");
        ResourceUnit unit = ResourceUnit.find(symbol).orElseThrow(() -> {
            String hint = Arrays.stream(ResourceUnit.values()).filter(u -> u.symbol().equalsIgnoreCase(symbol))
                    .findFirst().map(u -> " (units are case-sensitive: did you mean \"" + u.symbol() + "\"?)")
                    .orElse("");
            return new IllegalArgumentException("unknown unit \"" + shown + "\"" + hint + "; " + jsonName()
                    + " accepts " + accepted);
        });
        if (!accepts(unit)) {
            throw new IllegalArgumentException("unit \"" + shown + "\" is not a unit of " + jsonName()
                    + "; expected one of " + accepted);
        }
        return unit;
    }

    /**
     * The text with control, line and paragraph separator and bidirectional formatting characters escaped, as
     * documents show a value; written out here because {@code core.internal}, which has it, depends on this package.
     */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean unsafe = Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
                    || (c >= 0x2066 && c <= 0x2069);
            if (unsafe) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
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
