package io.fleetpredict.cloud.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import java.util.Comparator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Spot instances (capability SPOT)". */
interface SpotChecks extends KitGroup {

    @BeforeEach
    default void requireSpot() {
        assumeTrue(provider().capabilities().contains(Capability.SPOT), "the provider does not declare SPOT");
    }

    @Test
    @DisplayName("launch at the offer's spot price")
    default void launchAtSpotPrice() {
        Offer offer = provider().offers().stream().filter(Offer::spotAvailable)
                .min(Comparator.comparingDouble(o -> o.spotPricePerHour().getAsDouble())).orElseThrow();
        ProvisionResult result = provider().provision(request(offer, PurchaseOption.SPOT, 1, "tck"));
        Instance instance = result.instances().get(0);
        assertEquals(PurchaseOption.SPOT, instance.purchaseOption());
        assertEquals(offer.spotPricePerHour().getAsDouble(), instance.pricePerHour(), 1e-12);
    }
}
