package io.fleetpredict.core.projection;

import io.fleetpredict.core.internal.Hours;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * A list of offers as primitive arrays, with what the planner can work out once for the whole list
 * rather than once per service: family and region ids, each offer's capacity, price and interruption
 * exposure, and the capacity part of offer dominance for each combination of needed resources.
 *
 * <p>Dominance (see {@link CoverProblem#withoutDominated()}) has a part that depends on the service only
 * through which resources it needs and whether its spot share is strictly between 0 and 1 (capacity,
 * purchase option, cores against the share), and a part that depends on its interruption penalty (the
 * expected costs). The first part is computed here, lazily and once per combination, as one bit set of
 * candidate dominators per offer; a service then only compares the costs of the candidates it may use.
 * Thread-safe.
 */
final class OfferCatalogue {

    private static final int MASKS = 1 << ResourceVector.DIMENSIONS;

    final List<CapacityOffer> offers;
    final int size;
    final int words;
    final double[][] capacity;
    final double[] price;
    final double[] interruptionRate;
    final double[] bootHours;
    final boolean[] spot;
    private final int[] family;
    private final int[] region;
    private final Map<String, Integer> familyIds = new HashMap<>();
    private final Map<String, Integer> regionIds = new HashMap<>();
    /** Per need mask and share class, per offer, the offers whose capacity may dominate it. */
    private final AtomicReferenceArray<long[][]> dominators = new AtomicReferenceArray<>(2 * MASKS);

    OfferCatalogue(List<CapacityOffer> offers) {
        this.offers = List.copyOf(offers);
        this.size = this.offers.size();
        this.words = (size + 63) >>> 6;
        this.capacity = new double[size][ResourceVector.DIMENSIONS];
        this.price = new double[size];
        this.interruptionRate = new double[size];
        this.bootHours = new double[size];
        this.spot = new boolean[size];
        this.family = new int[size];
        this.region = new int[size];
        for (int j = 0; j < size; j++) {
            CapacityOffer o = this.offers.get(j);
            for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                capacity[j][r] = o.capacity().get(r);
            }
            price[j] = o.pricePerHour();
            interruptionRate[j] = o.interruptionRatePerHour();
            bootHours[j] = Hours.of(o.bootTime());
            spot[j] = o.purchaseOption().interruptible();
            family[j] = familyIds.computeIfAbsent(o.family(), k -> familyIds.size());
            region[j] = regionIds.computeIfAbsent(o.region(), k -> regionIds.size());
        }
    }

    /**
     * The expected cost per hour of offer {@code j}, evaluated exactly as
     * {@link CapacityOffer#expectedCostPerHour(double)} does, so plan lines agree with it to the bit.
     */
    double expectedCost(int j, double interruptionPenaltyPerHour) {
        return price[j] + interruptionRate[j] * bootHours[j] * (price[j] + interruptionPenaltyPerHour);
    }

    /** The offers in an allowed family and region, as a bit set. */
    long[] allowed(CapacityLimits limits) {
        boolean[] families = names(limits.allowedFamilies(), familyIds);
        boolean[] regions = names(limits.allowedRegions(), regionIds);
        long[] bits = new long[words];
        for (int j = 0; j < size; j++) {
            if ((families == null || families[family[j]]) && (regions == null || regions[region[j]])) {
                bits[j >>> 6] |= 1L << j;
            }
        }
        return bits;
    }

    /** Which of the catalogue's names are allowed, or null if any is (an empty set). */
    private static boolean @Nullable [] names(java.util.Set<String> allowed, Map<String, Integer> ids) {
        if (allowed.isEmpty()) {
            return null;
        }
        boolean[] out = new boolean[ids.size()];
        for (String name : allowed) {
            Integer id = ids.get(name);
            if (id != null) {
                out[id] = true;
            }
        }
        return out;
    }

    /**
     * For each offer j, the offers k that dominate it in everything but cost when the resources in
     * {@code needMask} are needed: k is no more interruptible, provides at least as much of each needed
     * resource and, when {@code shareBinding} (a spot share strictly between 0 and 1), uses no more of
     * the share (a spot k has no more cores than a spot j, an on-demand k no fewer than an on-demand j).
     */
    long[][] dominators(int needMask, boolean shareBinding) {
        int index = needMask * 2 + (shareBinding ? 1 : 0);
        long[][] sets = dominators.get(index);
        if (sets == null) {
            sets = computeDominators(needMask, shareBinding);
            dominators.compareAndSet(index, null, sets);
        }
        return sets;
    }

    private long[][] computeDominators(int needMask, boolean shareBinding) {
        long[][] sets = new long[size][words];
        for (int j = 0; j < size; j++) {
            for (int k = 0; k < size; k++) {
                if (k != j && capacityDominates(k, j, needMask, shareBinding)) {
                    sets[j][k >>> 6] |= 1L << k;
                }
            }
        }
        return sets;
    }

    private boolean capacityDominates(int k, int j, int needMask, boolean shareBinding) {
        if (spot[k] && !spot[j]) {
            return false;
        }
        if (shareBinding && spot[k] == spot[j]
                && (spot[k] ? capacity[k][0] > capacity[j][0] : capacity[k][0] < capacity[j][0])) {
            return false;
        }
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if ((needMask & (1 << r)) != 0 && capacity[k][r] < capacity[j][r]) {
                return false;
            }
        }
        return true;
    }
}
