package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A provider whose provision and describe never return and ignore interruption, as a blocking read without a
 * time limit does: the guard leaves a bounded number of threads in it, and never has two attempts under one
 * idempotency key in it at once.
 */
class HangingProviderTest {

    private static final Duration TIMEOUT = Duration.ofMillis(50);

    private final SimulatedCloud sim = SimulatedCloud.builder()
            .clock(MutableClock.at(Instant.parse("2025-03-01T12:00:00Z"))).seed(1).build();
    private final AtomicInteger provisionsInside = new AtomicInteger();
    private final AtomicInteger describesInside = new AtomicInteger();
    private final AtomicInteger mostUnderOneKey = new AtomicInteger();
    private final Map<String, AtomicInteger> underKey = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean released;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final CloudProvider hung = new ForwardingCloudProvider() {
        @Override
        protected CloudProvider delegate() {
            return sim;
        }

        @Override
        public ProvisionResult provision(ProvisionRequest request) {
            int same = underKey.computeIfAbsent(request.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
            mostUnderOneKey.accumulateAndGet(same, Math::max);
            provisionsInside.incrementAndGet();
            try {
                hang();
            } finally {
                provisionsInside.decrementAndGet();
                underKey.get(request.idempotencyKey()).decrementAndGet();
            }
            return sim.provision(request);
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            describesInside.incrementAndGet();
            try {
                hang();
            } finally {
                describesInside.decrementAndGet();
            }
            return sim.describe(request);
        }
    };

    /** Blocks until the test ends, whatever interrupts it. */
    private void hang() {
        while (!released) {
            LockSupport.parkNanos(5_000_000L);
        }
    }

    @AfterEach
    void release() throws InterruptedException {
        released = true;
        executor.shutdown();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    private GuardedCloud guard(int maxStuckCalls) {
        return GuardedCloud.builder(hung).callTimeout(TIMEOUT).maxAttempts(5).sleeper(d -> { })
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).executor(executor).maxStuckCalls(maxStuckCalls)
                .seed(1).build();
    }

    private ProvisionRequest request(String key) {
        return new ProvisionRequest(key, sim.offers().get(0).instanceType(), sim.offers().get(0).region(),
                PurchaseOption.ON_DEMAND, 1, Map.of());
    }

    @Test
    void timedOutProvisionStillRunning_notSentAgainUnderItsKey_callEndsTimedOut() {
        GuardedCloud g = guard(100);
        CloudException e = assertThrows(CloudException.class, () -> g.provision(request("key-1")));
        assertEquals(Kind.TIMED_OUT, e.kind());
        assertTrue(e.getMessage().contains("still running in the provider, not sent again under the same "
                + "idempotency key"), e.getMessage());
        assertEquals(1, provisionsInside.get(), "one attempt sent, the others held back while it runs");
        assertEquals(1, mostUnderOneKey.get());
    }

    @Test
    void providerThatNeverReturns_threadsLeftInItBoundedByMaxStuckCalls() {
        GuardedCloud g = guard(4);
        for (int i = 0; i < 20; i++) {
            String key = "key-" + i;
            CloudException e = assertThrows(CloudException.class, () -> g.provision(request(key)));
            assertTrue(e.kind() == Kind.TIMED_OUT || e.kind() == Kind.TRANSIENT, e.toString());
            assertTrue(provisionsInside.get() + describesInside.get() <= 4,
                    "after call " + i + ": " + provisionsInside.get() + " provisions and " + describesInside.get()
                            + " describes still in the provider");
        }
        assertEquals(4, g.stuckCalls());
        assertEquals(1, mostUnderOneKey.get());
        CloudException refused = assertThrows(CloudException.class, () -> g.describe(DescribeRequest.all()));
        assertTrue(refused.getMessage().contains("still running after timing out"), refused.getMessage());
    }

    @Test
    void stuckCallsThatReturn_countedNoMore() throws InterruptedException {
        GuardedCloud g = guard(4);
        assertThrows(CloudException.class, () -> g.provision(request("key-1")));
        assertTrue(g.stuckCalls() > 0);
        released = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (g.stuckCalls() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, g.stuckCalls());
    }
}
