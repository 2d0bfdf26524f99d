package io.fleetpredict.cloud.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.Offer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
/** The checks of the kit's group "Offers". */
interface OfferChecks extends KitGroup {

    @Test
    @DisplayName("are not empty")
    default void notEmpty() {
        assertFalse(provider().offers().isEmpty());
    }

    @Test
    @DisplayName("have positive resources, finite positive prices and a positive boot time")
    default void sane() {
        List<Executable> checks = new ArrayList<>();
        for (Offer offer : provider().offers()) {
            checks.add(() -> assertTrue(offer.cpuCores() > 0 && offer.memoryGiB() > 0 && offer.bandwidthGbps() > 0
                    && offer.storageGiB() >= 0, () -> "resources of " + offer));
            checks.add(() -> assertTrue(Double.isFinite(offer.onDemandPricePerHour())
                    && offer.onDemandPricePerHour() > 0, () -> "on-demand price of " + offer));
            checks.add(() -> assertTrue(Double.isFinite(offer.interruptionRatePerHour())
                    && offer.interruptionRatePerHour() >= 0, () -> "interruption rate of " + offer));
            checks.add(() -> assertTrue(offer.bootTime().compareTo(Duration.ZERO) > 0, () -> "boot time of " + offer));
        }
        assertAll(checks);
    }

    @Test
    @DisplayName("price spot below on-demand wherever spot is offered")
    default void spotBelowOnDemand() {
        List<Executable> checks = new ArrayList<>();
        for (Offer offer : provider().offers()) {
            offer.spotPricePerHour().ifPresent(spot -> checks.add(() -> assertTrue(
                    Double.isFinite(spot) && spot > 0 && spot < offer.onDemandPricePerHour(), () -> "spot price of " + offer)));
        }
        assertAll(checks);
    }

    @Test
    @DisplayName("hold each instance type at most once per region")
    default void unique() {
        Set<String> seen = new HashSet<>();
        for (Offer offer : provider().offers()) {
            assertTrue(seen.add(offer.region() + "/" + offer.instanceType()), () -> "duplicate " + offer);
        }
    }

    @Test
    @DisplayName("carry spot prices exactly when the provider declares spot")
    default void spotMatchesCapability() {
        boolean anySpot = provider().offers().stream().anyMatch(Offer::spotAvailable);
        assertEquals(provider().capabilities().contains(Capability.SPOT), anySpot);
    }
}
