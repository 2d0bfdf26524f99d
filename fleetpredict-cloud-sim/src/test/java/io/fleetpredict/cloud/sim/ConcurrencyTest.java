package io.fleetpredict.cloud.sim;

import static io.fleetpredict.cloud.sim.TestOffers.A_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.T0;
import static io.fleetpredict.cloud.sim.TestOffers.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int KEYS = 50;

    @Test
    void provision_manyThreadsDistinctAndSharedKeys_launchesEachKeyOnce() throws Exception {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = TestOffers.cloud(clock).defaultQuota(10_000).defaultCapacity(10_000).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<String, ProvisionResult>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    Map<String, ProvisionResult> seen = new HashMap<>();
                    for (int k = 0; k < KEYS; k++) {
                        String own = "own-" + thread + "-" + k;
                        seen.put(own, cloud.provision(request(own, A_SMALL, PurchaseOption.ON_DEMAND, 1)));
                        String shared = "shared-" + k;
                        seen.put(shared, cloud.provision(request(shared, A_SMALL, PurchaseOption.SPOT, 2)));
                        cloud.describe(DescribeRequest.active());
                    }
                    return seen;
                }));
            }
            start.countDown();
            Map<String, Set<ProvisionResult>> resultsByKey = new HashMap<>();
            for (Future<Map<String, ProvisionResult>> future : futures) {
                future.get(60, TimeUnit.SECONDS).forEach(
                        (key, result) -> resultsByKey.computeIfAbsent(key, x -> new HashSet<>()).add(result));
            }
            // Every thread saw one and the same result per shared key.
            resultsByKey.forEach((key, results) -> assertEquals(1, results.size(), key));

            List<Instance> all = cloud.describe(DescribeRequest.all()).instances();
            int expected = THREADS * KEYS + KEYS * 2;
            assertEquals(expected, all.size());
            assertEquals(expected, all.stream().map(Instance::id).distinct().count());
        } finally {
            pool.shutdownNow();
        }
    }
}
