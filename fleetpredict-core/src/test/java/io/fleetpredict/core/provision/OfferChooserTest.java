package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Which offer a scale-out launches, and how many of it, each choice worked out by hand. */
class OfferChooserTest {

    private static final Duration BACKOFF = Duration.ofMinutes(10);

    private static Offer offer(String type, String family, String region, int cores, double memoryGiB,
            double onDemand, Double spot) {
        return new Offer(type, family, region, cores, memoryGiB, 10, 0, onDemand,
                spot == null ? OptionalDouble.empty() : OptionalDouble.of(spot), spot == null ? 0 : 0.01,
                Duration.ofMinutes(1));
    }

    private static final Offer LARGE = offer("m.large", "m", "us-east", 2, 8, 0.1, 0.03);
    /** Twice the size: half as many, at 0.19 (0.07 spot). */
    private static final Offer XLARGE = offer("m.xlarge", "m", "us-east", 4, 16, 0.19, 0.07);
    /** Half the size, no spot: twice as many at 0.06. */
    private static final Offer SMALL = offer("m.small", "m", "us-east", 1, 4, 0.06, null);
    /** As many cores but half the memory: twice as many (memory decides) at 0.05; another family. */
    private static final Offer COMPUTE = offer("c.large", "c", "us-east", 2, 4, 0.05, null);
    /** The same type in another region at 0.08. */
    private static final Offer WEST = offer("m.large", "m", "eu-west", 2, 8, 0.08, 0.02);
    private static final List<Offer> OFFERS = List.of(LARGE, XLARGE, SMALL, COMPUTE, WEST);

    private static io.fleetpredict.core.document.ProvisionalChange change(String type, PurchaseOption option,
            int count, double costPerHour) {
        return Fixtures.change("c", "checkout", type, "us-east", count, option, 1, costPerHour, T0);
    }

    private static SlaPolicies policies(List<String> families, List<String> regions) {
        return new SlaPolicies(1, "t", Map.of("t", new TierPolicy(1, 0.9, 0, 1, 0, families, regions,
                Duration.ZERO, Duration.ofHours(1), Duration.ZERO)), List.of());
    }

    @Test
    void choose_primaryAvailable_theChangesOwnOfferAtItsOptionsPrice() {
        OfferChooser chooser = new OfferChooser(null, BACKOFF);
        OfferChooser.Choice onDemand = chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5,
                T0).orElseThrow();
        assertSame(LARGE, onDemand.offer());
        assertEquals(5, onDemand.count());
        assertEquals(0.1, onDemand.unitPrice(), 0);
        assertEquals(0.03, chooser.choose(change("m.large", PurchaseOption.SPOT, 5, 0.15), OFFERS, 3, T0)
                .orElseThrow().unitPrice(), 0);
    }

    @Test
    void choose_primaryBackedOff_cheapestStandInOfTheSameFamilyAndRegion() {
        OfferChooser chooser = new OfferChooser(null, BACKOFF);
        chooser.backOff(LARGE, T0);
        // 5 wanted: XLARGE ceil(2.5) = 3 x 0.19 = 0.57 beats SMALL 10 x 0.06 = 0.60; COMPUTE (0.50) and
        // WEST (0.40) are cheaper but of another family or region, which no policy allows.
        OfferChooser.Choice c = chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5,
                T0.plusSeconds(60)).orElseThrow();
        assertSame(XLARGE, c.offer());
        assertEquals(3, c.count());
        assertEquals(0.19, c.unitPrice(), 0);
        // 4 wanted: exactly 2 of XLARGE (0.38), not 3.
        assertEquals(2, chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 4, 0.4), OFFERS, 4, T0)
                .orElseThrow().count());
    }

    @Test
    void choose_standInsBackedOffToo_nextCheapestThenNone() {
        OfferChooser chooser = new OfferChooser(null, BACKOFF);
        chooser.backOff(LARGE, T0);
        chooser.backOff(XLARGE, T0);
        OfferChooser.Choice c = chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5, T0)
                .orElseThrow();
        assertSame(SMALL, c.offer());
        assertEquals(10, c.count());
        assertEquals(0.06, c.unitPrice(), 0);
        chooser.backOff(SMALL, T0);
        assertTrue(chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5, T0).isEmpty());
    }

    @Test
    void choose_spotChange_standInMustSellSpot() {
        OfferChooser chooser = new OfferChooser(null, BACKOFF);
        chooser.backOff(LARGE, T0);
        chooser.backOff(XLARGE, T0);
        // SMALL sells no spot: nothing else of the family in the region does.
        assertTrue(chooser.choose(change("m.large", PurchaseOption.SPOT, 5, 0.15), OFFERS, 5, T0).isEmpty());
        OfferChooser fresh = new OfferChooser(null, BACKOFF);
        fresh.backOff(LARGE, T0);
        OfferChooser.Choice c = fresh.choose(change("m.large", PurchaseOption.SPOT, 5, 0.15), OFFERS, 5, T0)
                .orElseThrow();
        assertSame(XLARGE, c.offer());
        assertEquals(0.07, c.unitPrice(), 0);
    }

    @Test
    void choose_policyAllowsOtherFamiliesAndRegions_cheapestOfThemAll() {
        OfferChooser chooser = new OfferChooser(policies(List.of("m", "c"), List.of("us-east", "eu-west")), BACKOFF);
        chooser.backOff(LARGE, T0);
        // WEST: 5 x 0.08 = 0.40 beats COMPUTE 10 x 0.05 = 0.50 and XLARGE 0.57.
        assertSame(WEST, chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5, T0)
                .orElseThrow().offer());
        chooser.backOff(WEST, T0);
        OfferChooser.Choice c = chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5, T0)
                .orElseThrow();
        assertSame(COMPUTE, c.offer());
        assertEquals(10, c.count(), "half the memory per instance: twice as many");
        OfferChooser onlyC = new OfferChooser(policies(List.of("c"), List.of("us-east")), BACKOFF);
        onlyC.backOff(LARGE, T0);
        assertSame(COMPUTE, onlyC.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5, T0)
                .orElseThrow().offer());
    }

    @Test
    void choose_equalCost_theFirstOfferedWins() {
        Offer twin = offer("m.twin", "m", "us-east", 2, 8, 0.12, null);
        Offer other = offer("m.other", "m", "us-east", 2, 8, 0.12, null);
        OfferChooser chooser = new OfferChooser(null, BACKOFF);
        chooser.backOff(LARGE, T0);
        assertSame(twin, chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 2, 0.2),
                List.of(LARGE, twin, other), 2, T0).orElseThrow().offer());
        assertSame(other, chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 2, 0.2),
                List.of(LARGE, other, twin), 2, T0).orElseThrow().offer());
    }

    @Test
    void backOff_endsExactlyAfterTheBackoffAndOnlyForThatTypeInThatRegion() {
        OfferChooser chooser = new OfferChooser(null, BACKOFF);
        assertEquals(BACKOFF, chooser.backoff());
        chooser.backOff(WEST, T0);
        assertSame(LARGE, chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5, T0)
                .orElseThrow().offer(), "the same type in another region is another offer");
        chooser.backOff(LARGE, T0);
        assertSame(XLARGE, chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5,
                T0.plus(BACKOFF).minusNanos(1)).orElseThrow().offer());
        assertSame(LARGE, chooser.choose(change("m.large", PurchaseOption.ON_DEMAND, 5, 0.5), OFFERS, 5,
                T0.plus(BACKOFF)).orElseThrow().offer());
    }

    @Test
    void choose_typeNotOffered_standInAtTheChangesOwnPriceSoTheProviderNamesTheField() {
        OfferChooser chooser = new OfferChooser(null, BACKOFF);
        OfferChooser.Choice c = chooser.choose(change("q.odd", PurchaseOption.ON_DEMAND, 4, 0.6), OFFERS, 3, T0)
                .orElseThrow();
        assertEquals("q.odd", c.offer().instanceType());
        assertEquals("us-east", c.offer().region());
        assertEquals(3, c.count());
        assertEquals(0.15, c.unitPrice(), 1e-12);
        assertEquals(0.15, c.offer().onDemandPricePerHour(), 1e-12);
        OfferChooser.Choice free = chooser.choose(change("q.odd", PurchaseOption.ON_DEMAND, 4, 0), List.of(), 4, T0)
                .orElseThrow();
        assertEquals(0, free.unitPrice(), 0);
        assertEquals(1e-9, free.offer().onDemandPricePerHour(), 0, "an offer needs a positive price");
    }
}
