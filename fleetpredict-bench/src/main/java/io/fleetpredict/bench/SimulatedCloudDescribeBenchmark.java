package io.fleetpredict.bench;

import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time for one {@code describe} of the simulated cloud holding a large fleet and its history, as the
 * library's loop asks it every cycle of a replay. The cloud first launches {@code fleet} instances in
 * provisions of 100 tagged as the loop tags them, a minute apart, configures each provision, and launches and
 * releases four times as many before them, so ended instances outnumber the running ones as they do after
 * a few days of a replay; the clock then stands past every boot. Contenders: the active instances of the
 * fleet by tag (what the loop's ready capacity and the replay's scoring ask), the instances of one
 * provision's key (what reconciling an open launch asks), and, as the baseline, every instance ever
 * launched, which walks the whole history. The seed fixes which provision's key is asked.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar SimulatedCloudDescribe} (add {@code -prof gc}
 * for the allocation rate).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class SimulatedCloudDescribeBenchmark {

    /** What describe is asked for. */
    public enum Contender {
        /** Every instance ever launched: the baseline. */
        ALL,
        /** The fleet's active instances, by tag. */
        ACTIVE_BY_TAG,
        /** The instances one provision launched, by its key. */
        ONE_KEY
    }

    private static final long SEED = 20_260_112L;
    private static final int BATCH = 100;

    /** The query under test. */
    @Param
    public Contender contender;

    /** The active instances. */
    @Param({"1000", "10000", "100000"})
    public int fleet;

    private SimulatedCloud cloud;
    private DescribeRequest request;

    /** Builds the cloud: four times the fleet launched and released, then the fleet launched and configured. */
    @Setup
    public void setUp() {
        MutableClock clock = MutableClock.at(Instant.parse("2014-07-01T00:00:00Z"));
        Offer offer = new Offer("replay.instance", "replay", "replay-1", 1, 1, 1, 0, 0.096, OptionalDouble.empty(), 0,
                Duration.ofMinutes(5));
        cloud = SimulatedCloud.builder().clock(clock).catalogue(List.of(offer)).defaultQuota(Integer.MAX_VALUE)
                .defaultCapacity(Integer.MAX_VALUE).build();
        List<String> keys = new ArrayList<>();
        int batches = 5 * fleet / BATCH;
        for (int b = 0; b < batches; b++) {
            String key = "launch-" + b;
            keys.add(key);
            Set<String> ids = new HashSet<>();
            cloud.provision(new ProvisionRequest(key, offer.instanceType(), offer.region(), PurchaseOption.ON_DEMAND,
                    BATCH, Map.of("fleetpredict.fleet", "replay", "fleetpredict.service", "web", "fleetpredict.change",
                    "change-" + b))).instances().forEach(i -> ids.add(i.id()));
            cloud.configure(new ConfigureRequest("configure-" + b, ids, Map.of("pool", "web")));
            if (b < batches - fleet / BATCH) {
                cloud.release(new ReleaseRequest("release-" + b, ids));
            }
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofMinutes(10));
        String asked = keys.get(new Random(SEED).nextInt(keys.size()));
        request = switch (contender) {
            case ALL -> DescribeRequest.all();
            case ACTIVE_BY_TAG -> DescribeRequest.active().withTags(Map.of("fleetpredict.fleet", "replay"));
            case ONE_KEY -> DescribeRequest.all().withIdempotencyKey(asked);
        };
    }

    /**
     * Describes.
     *
     * @return the answer, so the work is not eliminated
     */
    @Benchmark
    public DescribeResult describe() {
        return cloud.describe(request);
    }
}
