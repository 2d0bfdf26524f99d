package io.fleetpredict.core.projection;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import java.util.ArrayList;
import java.util.List;

/** Conversions between document resource amounts and {@link ResourceVector}s in canonical units. */
final class ResourceVectors {

    private static final ResourceType[] TYPES = {
        ResourceType.CPU, ResourceType.MEMORY, ResourceType.BANDWIDTH, ResourceType.STORAGE};
    private static final ResourceUnit[] UNITS = {
        ResourceUnit.CORES, ResourceUnit.GIB, ResourceUnit.GBPS, ResourceUnit.GIB};
    private static final String[] SYMBOLS = {"cores", "GiB", "Gbps", "GiB"};

    private ResourceVectors() {
    }

    static int index(ResourceType type) {
        for (int r = 0; r < TYPES.length; r++) {
            if (TYPES[r] == type) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown resource type " + type);
    }

    static ResourceType type(int index) {
        return TYPES[index];
    }

    static String symbol(int index) {
        return SYMBOLS[index];
    }

    static ResourceVector of(double[] values) {
        return new ResourceVector(values[0], values[1], values[2], values[3]);
    }

    static double[] array(ResourceVector v) {
        return new double[] {v.cpuCores(), v.memoryGiB(), v.bandwidthGbps(), v.storageGiB()};
    }

    /** Sums amounts into a vector in canonical units (cores, GiB, Gbps, GiB). */
    static ResourceVector of(List<ResourceAmount> amounts) {
        double[] v = new double[ResourceVector.DIMENSIONS];
        for (ResourceAmount a : amounts) {
            v[index(a.type())] += a.inCanonicalUnit().amount();
        }
        return of(v);
    }

    /** The non-zero components as document amounts in canonical units. */
    static List<ResourceAmount> amounts(ResourceVector v) {
        List<ResourceAmount> out = new ArrayList<>();
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (v.get(r) > 0) {
                out.add(new ResourceAmount(TYPES[r], v.get(r), UNITS[r]));
            }
        }
        return out;
    }

    static ResourceVector max(ResourceVector a, ResourceVector b) {
        return new ResourceVector(Math.max(a.cpuCores(), b.cpuCores()), Math.max(a.memoryGiB(), b.memoryGiB()),
                Math.max(a.bandwidthGbps(), b.bandwidthGbps()), Math.max(a.storageGiB(), b.storageGiB()));
    }

    static ResourceVector scale(ResourceVector v, double factor) {
        return new ResourceVector(v.cpuCores() * factor, v.memoryGiB() * factor, v.bandwidthGbps() * factor,
                v.storageGiB() * factor);
    }

    /** True if every component of {@code a} is at most the matching component of {@code b}. */
    static boolean fitsWithin(ResourceVector a, ResourceVector b) {
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (a.get(r) > b.get(r)) {
                return false;
            }
        }
        return true;
    }
}
