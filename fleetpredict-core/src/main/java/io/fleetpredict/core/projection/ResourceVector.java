package io.fleetpredict.core.projection;

import java.util.Locale;

/**
 * An amount of each of the four resources a service consumes.
 *
 * @param cpuCores CPU in cores, finite and non-negative
 * @param memoryGiB memory in GiB, finite and non-negative
 * @param bandwidthGbps network bandwidth in Gbps, finite and non-negative
 * @param storageGiB storage in GiB, finite and non-negative
 */
public record ResourceVector(double cpuCores, double memoryGiB, double bandwidthGbps, double storageGiB) {

    /** Nothing of any resource. */
    public static final ResourceVector ZERO = new ResourceVector(0, 0, 0, 0);

    /** The number of resources in a vector. */
    static final int DIMENSIONS = 4;

    /**
     * Validates the amounts.
     *
     * @throws IllegalArgumentException if an amount is negative, NaN or infinite
     */
    public ResourceVector {
        check("cpuCores", cpuCores);
        check("memoryGiB", memoryGiB);
        check("bandwidthGbps", bandwidthGbps);
        check("storageGiB", storageGiB);
    }

    /**
     * Creates a vector.
     *
     * @param cpuCores CPU in cores
     * @param memoryGiB memory in GiB
     * @param bandwidthGbps network bandwidth in Gbps
     * @param storageGiB storage in GiB
     * @return the vector
     */
    public static ResourceVector of(double cpuCores, double memoryGiB, double bandwidthGbps, double storageGiB) {
        return new ResourceVector(cpuCores, memoryGiB, bandwidthGbps, storageGiB);
    }

    /**
     * Returns the sum of this vector and another.
     *
     * @param other the vector to add
     * @return the sum
     */
    public ResourceVector plus(ResourceVector other) {
        return new ResourceVector(cpuCores + other.cpuCores, memoryGiB + other.memoryGiB,
                bandwidthGbps + other.bandwidthGbps, storageGiB + other.storageGiB);
    }

    /**
     * Returns this vector scaled by a count.
     *
     * @param count a non-negative multiplier
     * @return the scaled vector
     */
    public ResourceVector times(int count) {
        if (count < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "count must be >= 0, was %d", count));
        }
        return new ResourceVector(cpuCores * count, memoryGiB * count, bandwidthGbps * count, storageGiB * count);
    }

    /**
     * Returns what remains of this vector after another is taken from it, never below zero.
     *
     * @param other the vector to take away
     * @return the non-negative remainder, resource by resource
     */
    public ResourceVector minusClamped(ResourceVector other) {
        return new ResourceVector(Math.max(0, cpuCores - other.cpuCores), Math.max(0, memoryGiB - other.memoryGiB),
                Math.max(0, bandwidthGbps - other.bandwidthGbps), Math.max(0, storageGiB - other.storageGiB));
    }

    /**
     * Tells whether every resource is zero.
     *
     * @return true if nothing of any resource is held
     */
    public boolean isZero() {
        return cpuCores == 0 && memoryGiB == 0 && bandwidthGbps == 0 && storageGiB == 0;
    }

    /** Resource {@code index} in the order cpu, memory, bandwidth, storage. */
    double get(int index) {
        switch (index) {
            case 0: return cpuCores;
            case 1: return memoryGiB;
            case 2: return bandwidthGbps;
            case 3: return storageGiB;
            default: throw new IndexOutOfBoundsException(index);
        }
    }

    /** The name of resource {@code index}, for messages. */
    static String name(int index) {
        switch (index) {
            case 0: return "cpuCores";
            case 1: return "memoryGiB";
            case 2: return "bandwidthGbps";
            case 3: return "storageGiB";
            default: throw new IndexOutOfBoundsException(index);
        }
    }

    private static void check(String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s must be finite and >= 0, was %s", name, value));
        }
    }
}
