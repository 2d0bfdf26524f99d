package io.fleetpredict.cloud.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Invalid requests". */
interface InvalidRequestChecks extends KitGroup {

    @Test
    @DisplayName("fail with INVALID_REQUEST for an unknown instance type")
    default void unknownInstanceType() {
        Offer offer = offer();
        assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider().provision(new ProvisionRequest(
                key("provision"), "tck-no-such-type", offer.region(), PurchaseOption.ON_DEMAND, 1, tags("tck"))));
    }

    @Test
    @DisplayName("fail with INVALID_REQUEST for an unknown region")
    default void unknownRegion() {
        Offer offer = offer();
        assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider().provision(new ProvisionRequest(
                key("provision"), offer.instanceType(), "tck-no-such-region", PurchaseOption.ON_DEMAND, 1, tags("tck"))));
    }

    @Test
    @DisplayName("cannot even be built with a zero count")
    default void zeroCount() {
        Offer offer = offer();
        assertThrows(IllegalArgumentException.class, () -> new ProvisionRequest(key("provision"),
                offer.instanceType(), offer.region(), PurchaseOption.ON_DEMAND, 0, tags("tck")));
    }

    @Test
    @DisplayName("fail with INVALID_REQUEST when releasing only unknown ids")
    default void releaseUnknown() {
        assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider().release(
                ReleaseRequest.of(key("release"), Set.of("tck-no-such-instance-" + runId()))));
    }

    @Test
    @DisplayName("fail with INVALID_REQUEST for spot on an offer without a spot price")
    default void spotWithoutSpotPrice() {
        java.util.Optional<Offer> found = provider().offers().stream().filter(o -> !o.spotAvailable()).findFirst();
        assumeTrue(found.isPresent(), "every offer has a spot price");
        Offer noSpot = found.get();
        assertFailsWith(CloudException.Kind.INVALID_REQUEST,
                () -> provider().provision(request(noSpot, PurchaseOption.SPOT, 1, "tck")));
    }

    @Test
    @DisplayName("do not consume the idempotency key")
    default void keyNotConsumed() {
        Offer offer = offer();
        String key = key("provision");
        assertProviderThrows(CloudException.class, () -> provider().provision(new ProvisionRequest(
                key, "tck-no-such-type", offer.region(), PurchaseOption.ON_DEMAND, 1, tags("tck"))));
        ProvisionResult result = provider().provision(new ProvisionRequest(
                key, offer.instanceType(), offer.region(), PurchaseOption.ON_DEMAND, 1, tags("tck")));
        assertEquals(key, result.instances().get(0).idempotencyKey());
    }
}
