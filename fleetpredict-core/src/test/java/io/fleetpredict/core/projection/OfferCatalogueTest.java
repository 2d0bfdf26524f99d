package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The offer catalogue's arrays, allowed sets and capacity-dominance sets, against sets worked out by hand
 * from the rule in its Javadoc (k dominates j when it is no more interruptible, provides at least as much
 * of each needed resource and, under a binding spot share, uses no more of it).
 */
class OfferCatalogueTest {

    /** Index: option, cores, GiB, family, region. */
    static final List<CapacityOffer> OFFERS = List.of(
            CapacityOffer.onDemand("m.large", "m", "eu", ResourceVector.of(2, 8, 0, 0), 0.1, Duration.ZERO), // 0
            CapacityOffer.onDemand("c.xlarge", "c", "eu", ResourceVector.of(4, 4, 0, 0), 0.2, Duration.ZERO), // 1
            CapacityOffer.spot("m.large", "m", "eu", ResourceVector.of(2, 8, 0, 0), 0.03, 0.5,
                    Duration.ofMinutes(6)), // 2
            CapacityOffer.spot("m.2xlarge", "m", "us", ResourceVector.of(4, 16, 0, 0), 0.05, 0.2,
                    Duration.ofMinutes(12)), // 3
            CapacityOffer.onDemand("m.large", "m", "us", ResourceVector.of(2, 8, 0, 0), 0.09, Duration.ZERO), // 4
            CapacityOffer.spot("c.large", "c", "us", ResourceVector.of(2, 8, 0, 0), 0.025, 0.5,
                    Duration.ofMinutes(90))); // 5

    private static final int CPU = 1;
    private static final int CPU_AND_MEMORY = 3;

    private static List<List<Integer>> sets(long[][] bits) {
        List<List<Integer>> out = new ArrayList<>();
        for (long[] set : bits) {
            List<Integer> members = new ArrayList<>();
            for (int k = 0; k < set.length * 64; k++) {
                if ((set[k >>> 6] & (1L << k)) != 0) {
                    members.add(k);
                }
            }
            out.add(members);
        }
        return out;
    }

    @Test
    void dominators_cpuOnly_largerOrEqualCoresNoMoreInterruptible() {
        OfferCatalogue c = new OfferCatalogue(OFFERS);
        // 0 (on demand, 2 cores): 1 (4 cores) and 4 (2 cores, a tie dominates); no spot offer.
        // 2 and 5 (spot, 2 cores): every other offer has at least 2 cores. 3 (spot, 4): only 1 (on demand, 4).
        assertEquals(List.of(List.of(1, 4), List.of(), List.of(0, 1, 3, 4, 5), List.of(1), List.of(0, 1),
                List.of(0, 1, 2, 3, 4)), sets(c.dominators(CPU, false)));
    }

    @Test
    void dominators_cpuAndMemory_eachNeededResourceCounts() {
        OfferCatalogue c = new OfferCatalogue(OFFERS);
        // 1 has 4 GiB: it no longer dominates the 8-GiB offers; nothing dominates 3 (4 cores, 16 GiB).
        assertEquals(List.of(List.of(4), List.of(), List.of(0, 3, 4, 5), List.of(), List.of(0),
                List.of(0, 2, 3, 4)), sets(c.dominators(CPU_AND_MEMORY, false)));
    }

    @Test
    void dominators_bindingSpotShare_aSpotOfferWithMoreCoresNoLongerDominatesASpotOne() {
        OfferCatalogue c = new OfferCatalogue(OFFERS);
        // Under a binding share a spot k must have no more cores than a spot j (3 has 4, the others 2),
        // an on-demand k no fewer than an on-demand j (0 and 4 tie, so they still dominate each other).
        assertEquals(List.of(List.of(1, 4), List.of(), List.of(0, 1, 4, 5), List.of(1), List.of(0, 1),
                List.of(0, 1, 2, 4)), sets(c.dominators(CPU, true)));
        assertEquals(List.of(List.of(4), List.of(), List.of(0, 4, 5), List.of(), List.of(0),
                List.of(0, 2, 4)), sets(c.dominators(CPU_AND_MEMORY, true)));
    }

    @Test
    void dominators_nothingNeeded_onlyTheOptionAndABindingShareCount() {
        OfferCatalogue c = new OfferCatalogue(OFFERS);
        // Only an on-demand base wanted: any on-demand offer dominates another, any offer a spot one.
        assertEquals(List.of(List.of(1, 4), List.of(0, 4), List.of(0, 1, 3, 4, 5), List.of(0, 1, 2, 4, 5),
                List.of(0, 1), List.of(0, 1, 2, 3, 4)), sets(c.dominators(0, false)));
        // Under a binding share an on-demand k needs at least j's cores, a spot k at most j's.
        assertEquals(List.of(List.of(1, 4), List.of(), List.of(0, 1, 4, 5), List.of(0, 1, 2, 4, 5),
                List.of(0, 1), List.of(0, 1, 2, 4)), sets(c.dominators(0, true)));
    }

    @Test
    void dominators_computedOncePerCombination_andEachCombinationItsOwn() {
        OfferCatalogue c = new OfferCatalogue(OFFERS);
        long[][] cpu = c.dominators(CPU, false);
        long[][] cpuBinding = c.dominators(CPU, true);
        long[][] both = c.dominators(CPU_AND_MEMORY, false);
        assertSame(cpu, c.dominators(CPU, false));
        assertSame(cpuBinding, c.dominators(CPU, true));
        assertSame(both, c.dominators(CPU_AND_MEMORY, false));
        assertEquals(List.of(0, 1, 3, 4, 5), sets(cpu).get(2));
        assertEquals(List.of(0, 1, 4, 5), sets(cpuBinding).get(2));
        assertEquals(List.of(0, 3, 4, 5), sets(both).get(2));
    }

    @Test
    void allowed_byFamilyAndRegion_anEmptySetAllowsAllAndUnknownNamesNothing() {
        OfferCatalogue c = new OfferCatalogue(OFFERS);
        assertArrayEquals(new long[] {0b111111}, c.allowed(CapacityLimits.unconstrained()));
        assertArrayEquals(new long[] {0b100010}, c.allowed(CapacityLimits.of(1, 0, Set.of("c"), Set.of())));
        assertArrayEquals(new long[] {0b111000}, c.allowed(CapacityLimits.of(1, 0, Set.of(), Set.of("us"))));
        assertArrayEquals(new long[] {0b000101},
                c.allowed(CapacityLimits.of(1, 0, Set.of("m", "x"), Set.of("eu"))));
        assertArrayEquals(new long[] {0}, c.allowed(CapacityLimits.of(1, 0, Set.of("x"), Set.of())));
    }

    @Test
    void expectedCost_sameAsTheOffersToTheBit_andByHand() {
        OfferCatalogue c = new OfferCatalogue(OFFERS);
        for (int j = 0; j < OFFERS.size(); j++) {
            assertEquals(OFFERS.get(j).expectedCostPerHour(2), c.expectedCost(j, 2), 0, "offer " + j);
            assertEquals(OFFERS.get(j).pricePerHour(), c.price[j], 0);
            assertEquals(OFFERS.get(j).purchaseOption().interruptible(), c.spot[j]);
        }
        // 0.03 + 0.5 x 0.1 h x (0.03 + 2); 0.025 + 0.5 x 1.5 h x (0.025 + 2).
        assertEquals(0.1315, c.expectedCost(2, 2), 1e-12);
        assertEquals(1.54375, c.expectedCost(5, 2), 1e-12);
        assertEquals(0.2, c.bootHours[3], 1e-15);
        assertArrayEquals(new double[] {4, 16, 0, 0}, c.capacity[3]);
    }

    @Test
    void expectedCost_bootOfThreeHundredYears_sameAsTheOfferAndByHand() {
        // More nanoseconds than a long holds: 300 x 365 days is 2,628,000 hours.
        CapacityOffer slow = CapacityOffer.spot("s.large", "s", "eu", ResourceVector.of(2, 8, 0, 0), 0.03, 0.5,
                Duration.ofDays(300L * 365));
        OfferCatalogue c = new OfferCatalogue(List.of(slow));
        assertEquals(slow.expectedCostPerHour(2), c.expectedCost(0, 2), 0);
        assertEquals(0.03 + 0.5 * 2_628_000 * 2.03, c.expectedCost(0, 2), 1e-6);
    }

    @Test
    void manyOffers_setsSpanMoreThanOneWord() {
        // 70 on-demand offers, offer i with i + 1 cores: under CPU, j is dominated by every k > j.
        List<CapacityOffer> offers = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            offers.add(CapacityOffer.onDemand("t" + i, "f", "r", ResourceVector.of(i + 1, 0, 0, 0), 1, Duration.ZERO));
        }
        OfferCatalogue c = new OfferCatalogue(offers);
        assertEquals(2, c.words);
        long[][] d = c.dominators(CPU, false);
        assertArrayEquals(new long[] {-2L, 0b111111}, d[0]);
        assertArrayEquals(new long[] {0, 0b111110}, d[64]);
        assertArrayEquals(new long[] {0, 0}, d[69]);
        assertArrayEquals(new long[] {-1L, 0b111111}, c.allowed(CapacityLimits.unconstrained()));
    }
}
