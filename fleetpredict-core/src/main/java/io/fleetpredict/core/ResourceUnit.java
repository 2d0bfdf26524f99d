package io.fleetpredict.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * A unit a resource amount is expressed in.
 *
 * <p>Symbols are matched <em>case-sensitively</em>: in data sizes and rates case carries meaning
 * ({@code MB} is a megabyte, {@code Mb} a megabit; {@code mb} would be a guess), so a document must
 * spell the unit exactly as {@link #symbol()} does. Decimal units use powers of 1000
 * ({@code 1 GB = 10^9 bytes}), binary units powers of 1024 ({@code 1 GiB = 2^30 bytes}); bandwidth
 * is in bits per second ({@code 1 Gbps = 1000 Mbps}). A vCPU counts as one core.
 */
public enum ResourceUnit {
    /** Processor cores (canonical for CPU). */
    CORES("cores", Dimension.CPU, 1.0),
    /** Thousandths of a core. */
    MILLICORES("millicores", Dimension.CPU, 1.0e-3),
    /** Virtual CPUs, counted as one core each. */
    VCPU("vcpu", Dimension.CPU, 1.0),
    /** Megabytes, 10^6 bytes. */
    MB("MB", Dimension.BYTES, 1.0e6 / 1073741824.0),
    /** Gigabytes, 10^9 bytes. */
    GB("GB", Dimension.BYTES, 1.0e9 / 1073741824.0),
    /** Terabytes, 10^12 bytes. */
    TB("TB", Dimension.BYTES, 1.0e12 / 1073741824.0),
    /** Mebibytes, 2^20 bytes. */
    MIB("MiB", Dimension.BYTES, 1.0 / 1024.0),
    /** Gibibytes, 2^30 bytes (canonical for memory and storage). */
    GIB("GiB", Dimension.BYTES, 1.0),
    /** Tebibytes, 2^40 bytes. */
    TIB("TiB", Dimension.BYTES, 1024.0),
    /** Megabits per second, 10^6 bit/s. */
    MBPS("Mbps", Dimension.BITS_PER_SECOND, 1.0e-3),
    /** Gigabits per second, 10^9 bit/s (canonical for bandwidth). */
    GBPS("Gbps", Dimension.BITS_PER_SECOND, 1.0);

    /** What a unit measures; units convert only within one dimension. */
    enum Dimension { CPU, BYTES, BITS_PER_SECOND }

    private final String symbol;
    private final Dimension dimension;
    private final double canonicalPerUnit;

    ResourceUnit(String symbol, Dimension dimension, double canonicalPerUnit) {
        this.symbol = symbol;
        this.dimension = dimension;
        this.canonicalPerUnit = canonicalPerUnit;
    }

    /**
     * Returns the symbol used in documents.
     *
     * @return for example {@code "cores"}, {@code "GiB"} or {@code "Gbps"}
     */
    public String symbol() {
        return symbol;
    }

    Dimension dimension() {
        return dimension;
    }

    /**
     * Converts an amount in this unit to another unit of the same resource.
     *
     * @param amount the amount in this unit
     * @param target the unit to convert to
     * @return the amount expressed in {@code target}
     * @throws IllegalArgumentException when {@code target} measures a different resource
     */
    public double convert(double amount, ResourceUnit target) {
        if (target.dimension != dimension) {
            throw new IllegalArgumentException(
                    "target: cannot convert " + symbol + " to " + target.symbol);
        }
        if (target == this) {
            return amount;
        }
        return amount * canonicalPerUnit / target.canonicalPerUnit;
    }

    /**
     * Finds a unit by its exact, case-sensitive symbol.
     *
     * @param symbol a symbol such as {@code "GB"}
     * @return the unit, or empty when no unit has exactly this symbol
     */
    public static Optional<ResourceUnit> find(String symbol) {
        return Arrays.stream(values()).filter(u -> u.symbol.equals(symbol)).findFirst();
    }
}
