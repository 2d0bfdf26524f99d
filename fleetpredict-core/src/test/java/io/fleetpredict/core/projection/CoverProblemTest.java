package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The covering program the solvers share: which offers it keeps (dominated ones out, the first of a tie
 * in), its orders and its feasibility test at the limits, against figures worked out by hand.
 */
class CoverProblemTest {

    /**
     * The catalogue test's six offers (on demand m.large 2 cores 8 GiB, c.xlarge 4 and 4, spot m.large 2 and 8,
     * spot m.2xlarge 4 and 16, on demand m.large 2 and 8, spot c.large 2 and 8). Expected costs per hour at a
     * penalty of 0: 0.10, 0.20, 0.03 + 0.5 x 0.1 x 0.03 = 0.0315,
     * 0.05 + 0.2 x 0.2 x 0.05 = 0.052, 0.09, 0.025 + 0.5 x 1.5 x 0.025 = 0.04375.
     */
    private static final List<CapacityOffer> OFFERS = OfferCatalogueTest.OFFERS;

    private static CoverProblem program(List<CapacityOffer> offers, ResourceVector need, int minNonSpot,
            double maxSpotShare, double slack) {
        OfferCatalogue c = new OfferCatalogue(offers);
        return CoverProblem.of(c, c.allowed(CapacityLimits.unconstrained()), need, minNonSpot, maxSpotShare, slack, 0);
    }

    @Test
    void of_keepsTheOffersNoCheaperOneDominates() {
        CoverProblem p = program(OFFERS, ResourceVector.of(4, 0, 0, 0), 0, 1, 0);
        // CPU only: 4 (0.09) dominates 0 (0.10, the same cores); 2 (0.0315) dominates 5 (0.04375). 1 and 3 have
        // the most cores of their option; nothing cheaper has as many.
        assertArrayEquals(new int[] {1, 2, 3, 4}, p.offerIds);
        assertArrayEquals(new double[] {0.2, 0.0315, 0.052, 0.09}, p.cost, 1e-12);
        assertArrayEquals(new boolean[] {false, true, true, false}, p.spot);
        assertArrayEquals(new double[] {4, 0, 0, 0}, p.need);
        assertEquals(4, p.columns);
    }

    @Test
    void of_noSpotShare_leavesSpotOffersOut() {
        CoverProblem p = program(OFFERS, ResourceVector.of(4, 0, 0, 0), 0, 0, 0);
        assertArrayEquals(new int[] {1, 4}, p.offerIds);
        assertFalse(p.spot[0] || p.spot[1]);
    }

    @Test
    void of_memoryNeeded_anOfferShortOfItDominatesNothing() {
        CoverProblem p = program(OFFERS, ResourceVector.of(4, 16, 0, 0), 0, 1, 0);
        // With memory needed 1 (4 GiB) no longer dominates the 8-GiB offers, but no cheaper offer has its
        // 4 cores and 4 GiB: all of 1..4 stay, 0 and 5 still go.
        assertArrayEquals(new int[] {1, 2, 3, 4}, p.offerIds);
        CoverProblem memoryOnly = program(OFFERS, ResourceVector.of(0, 16, 0, 0), 0, 1, 0);
        // Memory only: 1 (4 GiB at 0.20) is dominated by the cheaper on-demand 8-GiB offers, 3 (16 GiB) by
        // none; 2 and 4 are the cheapest 8-GiB offers of their option.
        assertArrayEquals(new int[] {2, 3, 4}, memoryOnly.offerIds);
    }

    @Test
    void of_equalOffers_theFirstIsKept() {
        List<CapacityOffer> twins = List.of(
                CapacityOffer.onDemand("a", "m", "eu", ResourceVector.of(2, 8, 0, 0), 0.1, Duration.ZERO),
                CapacityOffer.onDemand("b", "m", "us", ResourceVector.of(2, 8, 0, 0), 0.1, Duration.ZERO),
                CapacityOffer.onDemand("c", "m", "us", ResourceVector.of(1, 8, 0, 0), 0.1, Duration.ZERO));
        CoverProblem p = program(twins, ResourceVector.of(2, 0, 0, 0), 0, 1, 0);
        // a and b dominate each other at the same cost: a stays; both dominate c.
        assertArrayEquals(new int[] {0}, p.offerIds);
    }

    @Test
    void orders_dearestFirstAndCheapestOnDemandCoresFirst() {
        CoverProblem p = program(OFFERS, ResourceVector.of(4, 0, 0, 0), 0, 1, 0);
        // Columns: 0 = offer 1 (0.20), 1 = offer 2 (0.0315, spot), 2 = offer 3 (0.052, spot), 3 = offer 4 (0.09).
        assertArrayEquals(new int[] {0, 3, 2, 1}, p.dearestFirst());
        // On demand per core: offer 4 0.045, offer 1 0.05.
        assertArrayEquals(new int[] {3, 0}, p.cheapestCoresFirst(5));
        assertArrayEquals(new int[] {3}, p.cheapestCoresFirst(1));
        assertArrayEquals(new int[] {3, 0}, p.cheapestCoresFirst(2));
        CoverProblem fresh = program(OFFERS, ResourceVector.of(4, 0, 0, 0), 0, 1, 0);
        assertArrayEquals(new int[] {3}, fresh.cheapestCoresFirst(1));
        assertArrayEquals(new int[] {3, 0}, fresh.cheapestCoresFirst(2), "a longer list than the one kept is made anew");
        CoverProblem reversed = p.restrictedTo(new int[] {3, 1});
        assertArrayEquals(new int[] {4, 2}, reversed.offerIds);
        assertArrayEquals(new double[] {0.09, 0.0315}, reversed.cost, 1e-12);
        assertArrayEquals(new boolean[] {false, true}, reversed.spot);
        assertEquals(2, reversed.columns);
    }

    @Test
    void spotShareCoefficient_spotUsesItsShareOnDemandFreesSome() {
        CoverProblem p = program(OFFERS, ResourceVector.of(4, 0, 0, 0), 0, 0.25, 0);
        // Binding share: offer 3 (spot, 4 cores) is kept, 2 (spot, 2 cores) too; columns 1, 2, 3, 4.
        assertArrayEquals(new int[] {1, 2, 3, 4}, p.offerIds);
        assertEquals(-0.25 * 4, p.spotShareCoefficient(0), 1e-15);
        assertEquals(0.75 * 2, p.spotShareCoefficient(1), 1e-15);
        assertEquals(0.75 * 4, p.spotShareCoefficient(2), 1e-15);
    }

    @Test
    void feasible_atTheLimits() {
        CoverProblem p = program(OFFERS, ResourceVector.of(4, 0, 0, 0), 1, 0.5, 0);
        // Columns: offer 1 (on demand 4), 2 (spot 2), 3 (spot 4), 4 (on demand 2).
        assertTrue(p.feasible(new int[] {1, 0, 0, 0}));
        assertTrue(p.feasible(new int[] {0, 0, 0, 2}));
        assertFalse(p.feasible(new int[] {0, 0, 0, 1}), "2 of 4 cores");
        assertFalse(p.feasible(new int[] {0, 2, 0, 0}), "no on-demand instance for a base of 1");
        // 2 spot cores and 2 on demand: exactly half, the share's limit.
        assertTrue(p.feasible(new int[] {0, 1, 0, 1}));
        assertFalse(p.feasible(new int[] {0, 0, 1, 1}), "4 spot cores of 6");
        assertFalse(p.feasible(new int[] {2, -1, 0, 0}), "a negative count");
        assertEquals(0.2 + 0.09 * 2, p.cost(new int[] {1, 0, 0, 2}), 1e-12);
        assertEquals(8, p.provided(new int[] {1, 0, 0, 2}, 0), 0);
        assertEquals(4 + 16, p.provided(new int[] {1, 0, 0, 2}, 1), 0);
        // Spot cores beyond the share are admitted up to the slack: 4 spot cores and 2 on demand use
        // 0.5 x 4 - 0.5 x 2 = 1 core of it.
        CoverProblem slack = program(OFFERS, ResourceVector.of(4, 0, 0, 0), 1, 0.5, 1);
        assertTrue(slack.feasible(new int[] {0, 0, 1, 1}));
        assertTrue(CoverProblem.covers(4 * (1 - 1e-10), 4));
        assertFalse(CoverProblem.covers(4 * (1 - 1e-8), 4));
    }

    @Test
    void trivial_onlyWithoutNeedAndWithoutBase() {
        assertTrue(program(OFFERS, ResourceVector.ZERO, 0, 1, 0).trivial());
        assertFalse(program(OFFERS, ResourceVector.ZERO, 1, 1, 0).trivial());
        assertFalse(program(OFFERS, ResourceVector.of(0, 0, 0, 1), 0, 1, 0).trivial());
        assertTrue(program(OFFERS, ResourceVector.ZERO, 0, 1, 0).hasNonSpotColumn());
    }

    @Test
    void covers_isInclusiveAtTheRelativeTolerance() {
        double need = 6;
        double limit = need * (1 - CoverProblem.TOLERANCE);
        assertTrue(CoverProblem.covers(limit, need), "exactly the tolerance short");
        assertFalse(CoverProblem.covers(Math.nextDown(limit), need));
        assertTrue(CoverProblem.covers(need, need));
    }

    @Test
    void spotShareHolds_withinTheToleranceOfAllCoresAndTheSlack() {
        // Share 0.5, 4 spot and 2 on-demand cores: 0.5 x 4 - 0.5 x 2 = 1 core of the share used. The tolerance
        // is 1e-9 of the spot, on-demand and slack cores together, here 1e-9 x (4 + 2 + slack) = about 7e-9.
        assertTrue(program(OFFERS, ResourceVector.of(4, 0, 0, 0), 0, 0.5, 1).spotShareHolds(4, 2));
        assertTrue(program(OFFERS, ResourceVector.of(4, 0, 0, 0), 0, 0.5, 1 - 6e-9).spotShareHolds(4, 2),
                "6e-9 over, within 7e-9");
        assertFalse(program(OFFERS, ResourceVector.of(4, 0, 0, 0), 0, 0.5, 1 - 8e-9).spotShareHolds(4, 2),
                "8e-9 over, beyond 7e-9");
        // Nothing at all respects any share, even without slack: 0 <= 0.
        CoverProblem none = program(OFFERS, ResourceVector.ZERO, 0, 0.5, 0);
        assertTrue(none.spotShareHolds(0, 0));
        assertTrue(none.feasible(new int[none.columns]), "nothing to buy and nothing bought");
    }

    /**
     * A catalogue of two 64-bit words of offers exactly, with few distinct capacities and prices so that ties
     * are common: the program keeps exactly the offers the class's definition of dominance keeps, checked
     * pair by pair. Offer k dominates offer j when k is at most as dear, has at least as much of each needed
     * resource, and uses no more of the on-demand base (a spot offer never replaces an on-demand one) nor,
     * when the share binds (strictly between 0 and 1), of the spot share (a spot offer with more cores than a
     * spot j uses more of it, an on-demand offer with fewer cores than an on-demand j frees less of it); of
     * offers that dominate each other only the first stays. Without a spot share no spot offer is kept.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void of_catalogueOfTwoWords_keepsExactlyTheUndominatedOffers(long seed) {
        Random random = new Random(seed);
        List<CapacityOffer> offers = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            ResourceVector capacity = ResourceVector.of(1 << random.nextInt(3), 4 << random.nextInt(3), 0, 0);
            double price = 0.1 * (1 + random.nextInt(4));
            offers.add(random.nextInt(3) == 0
                    ? CapacityOffer.spot("s" + i, "m", "eu", capacity, price, 0, Duration.ZERO)
                    : CapacityOffer.onDemand("o" + i, "m", "eu", capacity, price, Duration.ZERO));
        }
        for (double share : new double[] {1, 0.5, 0}) {
            boolean binds = share > 0 && share < 1;
            List<Integer> candidates = IntStream.range(0, offers.size())
                    .filter(j -> share > 0 || !offers.get(j).purchaseOption().interruptible()).boxed().toList();
            for (ResourceVector need : List.of(ResourceVector.of(8, 0, 0, 0), ResourceVector.of(8, 16, 0, 0),
                    ResourceVector.of(0, 16, 0, 0))) {
                CoverProblem p = program(offers, need, 0, share, 0);
                int[] expected = candidates.stream().mapToInt(Integer::intValue)
                        .filter(j -> candidates.stream().noneMatch(k -> k != j
                                && dominates(offers.get(k), offers.get(j), need, binds)
                                && !(k > j && dominates(offers.get(j), offers.get(k), need, binds))))
                        .toArray();
                assertArrayEquals(expected, p.offerIds, () -> "share " + share + ", need " + need);
                for (int c = 0; c < p.columns; c++) {
                    assertEquals(offers.get(p.offerIds[c]).pricePerHour(), p.cost[c], 0);
                }
            }
        }
    }

    @Test
    void cheapestCoresFirst_ordersByCostPerCoreNotByCost() {
        // 1 core at 0.10 is 0.10 a core; 4 cores at 0.20 only 0.05 a core, though it costs more per instance.
        List<CapacityOffer> offers = List.of(
                CapacityOffer.onDemand("small", "m", "eu", ResourceVector.of(1, 16, 0, 0), 0.1, Duration.ZERO),
                CapacityOffer.onDemand("large", "m", "eu", ResourceVector.of(4, 4, 0, 0), 0.2, Duration.ZERO));
        CoverProblem p = program(offers, ResourceVector.of(4, 16, 0, 0), 0, 1, 0);
        assertArrayEquals(new int[] {0, 1}, p.offerIds);
        assertArrayEquals(new int[] {1, 0}, p.cheapestCoresFirst(2));
    }

    private static boolean dominates(CapacityOffer k, CapacityOffer j, ResourceVector need, boolean shareBinds) {
        boolean spotK = k.purchaseOption().interruptible();
        boolean spotJ = j.purchaseOption().interruptible();
        double coresK = k.capacity().cpuCores();
        double coresJ = j.capacity().cpuCores();
        if (k.pricePerHour() > j.pricePerHour() || spotK && !spotJ) {
            return false;
        }
        if (shareBinds && spotK == spotJ && (spotK ? coresK > coresJ : coresK < coresJ)) {
            return false;
        }
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (need.get(r) > 0 && k.capacity().get(r) < j.capacity().get(r)) {
                return false;
            }
        }
        return true;
    }
}
