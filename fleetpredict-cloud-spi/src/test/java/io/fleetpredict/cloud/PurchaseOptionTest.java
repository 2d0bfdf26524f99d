package io.fleetpredict.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PurchaseOptionTest {

    @Test
    void jsonNames_areTheDocumentSpellings() {
        assertEquals("on_demand", PurchaseOption.ON_DEMAND.jsonName());
        assertEquals("spot", PurchaseOption.SPOT.jsonName());
        assertEquals("reserved", PurchaseOption.RESERVED.jsonName());
    }

    @ParameterizedTest
    @EnumSource(PurchaseOption.class)
    void find_readsBackWhatJsonNameWrites(PurchaseOption option) {
        assertEquals(Optional.of(option), PurchaseOption.find(option.jsonName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ON_DEMAND", "Spot", "on-demand", "ondemand", " spot", "spot ", ""})
    void find_anyOtherSpelling_findsNothing(String spelling) {
        assertEquals(Optional.empty(), PurchaseOption.find(spelling));
    }

    @Test
    void onlySpot_isInterruptible() {
        assertTrue(PurchaseOption.SPOT.interruptible());
        assertFalse(PurchaseOption.ON_DEMAND.interruptible());
        assertFalse(PurchaseOption.RESERVED.interruptible());
    }

    @Test
    void provisionRequest_reserved_isRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProvisionRequest(
                "k1", "g.large", "eu", PurchaseOption.RESERVED, 1, Map.of()));
        assertTrue(e.getMessage().startsWith("purchaseOption: reserved"), e.getMessage());
    }

    @Test
    void offerPrice_reserved_isRefused_spotAndOnDemandArePriced() {
        Offer offer = new Offer("g.large", "general", "eu", 2, 8, 0.75, 50, 0.2, OptionalDouble.of(0.07), 0.01,
                Duration.ofMinutes(3));
        assertEquals(0.2, offer.pricePerHour(PurchaseOption.ON_DEMAND), 0);
        assertEquals(0.07, offer.pricePerHour(PurchaseOption.SPOT), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> offer.pricePerHour(PurchaseOption.RESERVED));
        assertTrue(e.getMessage().contains("no reserved price"), e.getMessage());
    }
}
