package io.fleetpredict.cloud.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Idempotent mutations". */
interface IdempotencyChecks extends KitGroup {

    @Test
    @DisplayName("return the same result for the same key and request, launching only once")
    default void sameKeySameRequest() {
        ProvisionRequest request = onDemand(2);
        ProvisionResult first = provider().provision(request);
        ProvisionResult second = provider().provision(request);
        assertEquals(first, second);
        awaitExactly(launchedBy(request.idempotencyKey()), ids(first.instances()));
    }

    @Test
    @DisplayName("refuse the same key with a different request as INVALID_REQUEST, launching nothing more")
    default void sameKeyDifferentRequest() {
        ProvisionRequest request = onDemand(1);
        ProvisionResult first = provider().provision(request);
        ProvisionRequest different = new ProvisionRequest(request.idempotencyKey(), request.instanceType(),
                request.region(), request.purchaseOption(), 2, request.tags());
        assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider().provision(different));
        awaitExactly(launchedBy(request.idempotencyKey()), ids(first.instances()));
    }

    @Test
    @DisplayName("launch only once when the same request races on many threads")
    default void concurrentSameKey() throws Exception {
        ProvisionRequest request = onDemand(1);
        Set<ProvisionResult> distinct = new HashSet<>(onThreads(8, 1, t -> () -> provider().provision(request)));
        assertEquals(1, distinct.size());
        awaitExactly(launchedBy(request.idempotencyKey()), ids(distinct.iterator().next().instances()));
    }

    @Test
    @DisplayName("return the same release result for the same key and request")
    default void releaseReplay() {
        ProvisionResult launched = provider().provision(onDemand(1));
        ReleaseRequest release = ReleaseRequest.of(key("release"), ids(launched.instances()));
        ReleaseResult first = provider().release(release);
        assertEquals(first, provider().release(release));
    }
}
