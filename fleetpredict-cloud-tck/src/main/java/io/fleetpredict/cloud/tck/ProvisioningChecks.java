package io.fleetpredict.cloud.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Provisioning". */
interface ProvisioningChecks extends KitGroup {

    @Test
    @DisplayName("launches instances that match the request, its key and its tags")
    default void matchesRequest() {
        Offer offer = offer();
        ProvisionRequest request = request(offer, PurchaseOption.ON_DEMAND, 2, "web");
        ProvisionResult result = provider().provision(request);
        assertEquals(request, result.request());
        assertTrue(result.fulfilled() >= 1 && result.fulfilled() <= 2);
        if (!provider().capabilities().contains(Capability.PARTIAL_FULFILMENT)) {
            assertFalse(result.partial(), "partial result without PARTIAL_FULFILMENT");
        }
        for (Instance instance : result.instances()) {
            assertAll(
                    () -> assertEquals(offer.instanceType(), instance.instanceType()),
                    () -> assertEquals(offer.region(), instance.region()),
                    () -> assertEquals(PurchaseOption.ON_DEMAND, instance.purchaseOption()),
                    () -> assertEquals(request.idempotencyKey(), instance.idempotencyKey()),
                    () -> assertEquals(request.tags(), instance.tags()),
                    () -> assertTrue(instance.state().active(), "state " + instance.state()),
                    () -> assertEquals(offer.onDemandPricePerHour(), instance.pricePerHour(), 1e-12));
        }
    }

    @Test
    @DisplayName("gives every launched instance its own id")
    default void distinctIds() {
        ProvisionResult first = provider().provision(onDemand(2));
        ProvisionResult second = provider().provision(onDemand(1));
        Set<String> ids = new HashSet<>(ids(first.instances()));
        ids.addAll(ids(second.instances()));
        assertEquals(first.fulfilled() + second.fulfilled(), ids.size());
    }

    @Test
    @DisplayName("brings instances to running once their boot time has passed")
    default void bootsToRunning() {
        Offer offer = offer();
        ProvisionResult result = provider().provision(request(offer, PurchaseOption.ON_DEMAND, 1, "tck"));
        Instance launched = result.instances().get(0);
        advanceTime(Duration.between(launched.launchedAt(), launched.readyAt()).plus(offer.bootTime()));
        awaitExactly(launchedBy(result.request().idempotencyKey()), Set.of(launched.id()),
                now -> now.get(0).state() == InstanceState.RUNNING ? Optional.empty()
                        : Optional.of("describe showed " + launched.id() + " as " + now.get(0).state() + ", not RUNNING"));
    }
}
