package io.fleetpredict.cloud.sim;

import static io.fleetpredict.cloud.sim.TestOffers.A_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.T0;
import static io.fleetpredict.cloud.sim.TestOffers.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.SimulatedCloud.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultInjectionTest {

    private final MutableClock clock = MutableClock.at(T0);

    private static Kind kindOf(Runnable call) {
        return assertThrows(CloudException.class, call::run).kind();
    }

    private static Set<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void failNext_provision_failsThatManyCallsAndLaunchesNothing(Kind kind) {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        cloud.failNext(Operation.PROVISION, 2, kind);
        ProvisionRequest request = request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1);
        assertEquals(kind, kindOf(() -> cloud.provision(request)));
        // Other operations are unaffected by the provision faults.
        assertTrue(cloud.describe(DescribeRequest.all()).instances().isEmpty());
        assertEquals(kind, kindOf(() -> cloud.provision(request)));
        assertTrue(cloud.describe(DescribeRequest.all()).instances().isEmpty());
        assertEquals(1, cloud.provision(request).fulfilled());
    }

    @Test
    void failNext_queuedKinds_failInOrderForEachOperation() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        cloud.failNext(Operation.DESCRIBE, 1, Kind.THROTTLED);
        cloud.failNext(Operation.DESCRIBE, 1, Kind.UNAUTHORIZED);
        cloud.failNext(Operation.OFFERS, 1, Kind.TRANSIENT);
        assertEquals(Kind.THROTTLED, kindOf(() -> cloud.describe(DescribeRequest.all())));
        assertEquals(Kind.UNAUTHORIZED, kindOf(() -> cloud.describe(DescribeRequest.all())));
        assertTrue(cloud.describe(DescribeRequest.all()).instances().isEmpty());
        assertEquals(Kind.TRANSIENT, kindOf(cloud::offers));
        assertEquals(3, cloud.offers().size());
    }

    @Test
    void failNext_release_releasesNothing() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        Set<String> ids = ids(cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances());
        cloud.failNext(Operation.RELEASE, 1, Kind.TRANSIENT);
        assertEquals(Kind.TRANSIENT, kindOf(() -> cloud.release(ReleaseRequest.of("r", ids))));
        assertEquals(1, cloud.describe(DescribeRequest.active()).instances().size());
        cloud.release(ReleaseRequest.of("r", ids));
        assertTrue(cloud.describe(DescribeRequest.active()).instances().isEmpty());
    }

    @Test
    void failNext_badCount_isRejected() {
        SimulatedCloud cloud = TestOffers.cloud(clock).build();
        assertThrows(IllegalArgumentException.class, () -> cloud.failNext(Operation.PROVISION, 0, Kind.TRANSIENT));
    }

    @Test
    void throttle_tokenBucket_refillsFromClockUpToBurst() {
        // 2 calls a second, bursts of 3: a token every 500 ms.
        SimulatedCloud cloud = TestOffers.cloud(clock).throttle(2, 3).build();
        for (int i = 0; i < 3; i++) {
            cloud.describe(DescribeRequest.all());
        }
        assertEquals(Kind.THROTTLED, kindOf(() -> cloud.describe(DescribeRequest.all())));
        clock.advance(Duration.ofMillis(499));
        assertEquals(Kind.THROTTLED, kindOf(() -> cloud.describe(DescribeRequest.all())));
        clock.advance(Duration.ofMillis(1));
        cloud.describe(DescribeRequest.all());
        assertEquals(Kind.THROTTLED, kindOf(() -> cloud.describe(DescribeRequest.all())));
        // An hour refills the bucket only up to its size.
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            cloud.describe(DescribeRequest.all());
        }
        assertEquals(Kind.THROTTLED, kindOf(() -> cloud.describe(DescribeRequest.all())));
    }

    /** A clock moved on by more than 292 years (nanoseconds of a long) refills the bucket, as any long wait does. */
    @Test
    void throttle_clockJumpsThreeCenturies_bucketRefilledAndCallsServed() {
        SimulatedCloud cloud = TestOffers.cloud(clock).throttle(1, 2).build();
        cloud.describe(DescribeRequest.all());
        cloud.describe(DescribeRequest.all());
        assertEquals(Kind.THROTTLED, kindOf(() -> cloud.describe(DescribeRequest.all())));

        clock.advance(Duration.ofDays(300L * 366));

        cloud.describe(DescribeRequest.all());
        cloud.describe(DescribeRequest.all());
        assertEquals(Kind.THROTTLED, kindOf(() -> cloud.describe(DescribeRequest.all())));
    }

    @Test
    void throttle_throttledProvision_launchesNothingAndKeepsKeyFree() {
        SimulatedCloud cloud = TestOffers.cloud(clock).throttle(1, 1).build();
        cloud.offers();
        ProvisionRequest request = request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1);
        assertEquals(Kind.THROTTLED, kindOf(() -> cloud.provision(request)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, cloud.provision(request).fulfilled());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, cloud.describe(DescribeRequest.all()).instances().size());
    }

    @Test
    void timeoutAfterApply_certain_appliesThenThrowsAndDescribeReconciles() {
        SimulatedCloud cloud = TestOffers.cloud(clock).timeoutAfterApplyProbability(1).build();
        ProvisionRequest request = request("k", A_SMALL, PurchaseOption.ON_DEMAND, 3);
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(request));
        assertEquals(Kind.TIMED_OUT, e.kind());
        assertTrue(e.retryable());
        List<Instance> launched = cloud.describe(DescribeRequest.all().withIdempotencyKey("k")).instances();
        assertEquals(3, launched.size());
        assertEquals(request.tags(), launched.get(0).tags());
        // A retry with the same key times out again but launches nothing more.
        assertEquals(Kind.TIMED_OUT, kindOf(() -> cloud.provision(request)));
        assertEquals(3, cloud.describe(DescribeRequest.all()).instances().size());
    }

    @Test
    void timeoutAfterApply_retriedWithSameKey_neverLaunchesTwice() {
        SimulatedCloud cloud = TestOffers.cloud(clock).seed(42).timeoutAfterApplyProbability(0.5).build();
        int timeouts = 0;
        for (int k = 0; k < 30; k++) {
            ProvisionRequest request = request("k" + k, A_SMALL, PurchaseOption.ON_DEMAND, 2);
            ProvisionResult result = null;
            for (int attempt = 0; attempt < 64 && result == null; attempt++) {
                try {
                    result = cloud.provision(request);
                } catch (CloudException e) {
                    assertEquals(Kind.TIMED_OUT, e.kind());
                    timeouts++;
                }
            }
            assertTrue(result != null, "no success in 64 attempts for key k" + k);
            assertEquals(ids(result.instances()),
                    ids(cloud.describe(DescribeRequest.all().withIdempotencyKey("k" + k)).instances()));
        }
        assertEquals(60, cloud.describe(DescribeRequest.all()).instances().size());
        assertTrue(timeouts > 0, "no timeout happened, so the retry path went untested");
    }

    @Test
    void timeoutAfterApply_frequency_isNearConfiguredProbability() {
        SimulatedCloud cloud = TestOffers.cloud(clock).seed(5).timeoutAfterApplyProbability(0.3)
                .defaultQuota(2000).defaultCapacity(2000).build();
        int timeouts = 0;
        int calls = 1000;
        for (int k = 0; k < calls; k++) {
            try {
                cloud.provision(request("k" + k, A_SMALL, PurchaseOption.ON_DEMAND, 1));
            } catch (CloudException e) {
                timeouts++;
            }
        }
        // Binomial(1000, 0.3): mean 300, sd 14.5; 60 is about 4 sd. Every call was applied.
        assertEquals(300, timeouts, 60);
        assertEquals(calls, cloud.describe(DescribeRequest.all()).instances().size());
    }

    /**
     * Each seed its own timeouts: a sweep over seeds sees as many fault patterns. Seeds 0 and 2 differ in one
     * bit; the chance that 64 calls at a probability of one half time out alike under both is 2^-64.
     */
    @Test
    void timeoutAfterApply_seedsDifferingInOneBit_timeOutDifferentCalls() {
        List<Boolean> zero = timeouts(0);
        List<Boolean> two = timeouts(2);
        assertNotEquals(zero, two, "the same 64 outcomes under seeds 0 and 2: " + zero);
    }

    private List<Boolean> timeouts(long seed) {
        SimulatedCloud cloud = TestOffers.cloud(clock).seed(seed).timeoutAfterApplyProbability(0.5).build();
        List<Boolean> timedOut = new ArrayList<>();
        for (int k = 0; k < 64; k++) {
            try {
                cloud.provision(request("k" + k, A_SMALL, PurchaseOption.ON_DEMAND, 1));
                timedOut.add(false);
            } catch (CloudException e) {
                timedOut.add(true);
            }
        }
        return timedOut;
    }
}
