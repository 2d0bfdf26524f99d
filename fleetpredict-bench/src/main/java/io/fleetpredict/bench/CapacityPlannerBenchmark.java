package io.fleetpredict.bench;

import io.fleetpredict.core.projection.CapacityLimits;
import io.fleetpredict.core.projection.CapacityOffer;
import io.fleetpredict.core.projection.CapacityPlan;
import io.fleetpredict.core.projection.CapacityPlanner;
import io.fleetpredict.core.projection.ResourceVector;
import io.fleetpredict.core.projection.ServiceDemand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Measures the time to plan the capacity of a whole fleet: 100, 1,000 or 10,000 services, each with a
 * random four-resource demand and random SLA limits (spot share, on-demand base, allowed families and
 * regions), against 100 or 500 offers (instance types in three families and two regions, each sold on
 * demand and as spot). Inputs are fixed by seed. Each invocation plans every service once and returns
 * the total expected cost per hour.
 *
 * <p>Contenders: {@code CHEAPEST_PER_CORE}, the baseline, buys for each service only the allowed
 * on-demand offer with the lowest price per CPU core, as many as its largest resource needs;
 * {@code GREEDY} is the planner with {@link CapacityPlanner.Strategy#FAST}; {@code PLANNER} is the
 * default planner ({@link CapacityPlanner.Strategy#AUTO}: branch and bound, exact for services left with
 * at most 8 undominated offers, stopped at a proven 1% gap above, 500 nodes a service, services planned
 * on one thread per available processor); {@code PLANNER_SEQUENTIAL} is the same on the calling thread
 * alone (parallelism 1); {@code PLANNER_EXACT} is {@link CapacityPlanner.Strategy#EXACT} (exact for every
 * service, up to 20,000 nodes each); {@code PLANNER_200MS} is the default with a 200 ms time limit a
 * plan. {@code CapacityPlannerQuality} prints the cost, the proven gaps and the CPU time of the same
 * plans.
 *
 * <p>Run with {@code java -jar fleetpredict-bench/target/benchmarks.jar CapacityPlanner} after
 * {@code mvn -pl fleetpredict-bench -am package -DskipTests}; add {@code -f 1 -wi 2 -i 3} for a quick run and {@code -p services=1000 -p offers=100} for one size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CapacityPlannerBenchmark {

    private static final String[] FAMILIES = {"general", "memory", "compute"};
    private static final double[] GIB_PER_CORE = {4, 8, 2};
    private static final String[] REGIONS = {"eu-west", "us-east"};
    private static final int[] CORES = {2, 4, 8, 16, 32, 48, 64};
    private static final Duration TIME_LIMIT = Duration.ofMillis(200);
    private static final int EXACT_NODES = 20_000;
    /** The seed of the benchmarked fleet; other seeds give training fleets for choosing defaults. */
    static final long BENCHMARK_SEED = 20_240_601L;

    /** The ways of planning compared. */
    public enum Contender {
        /** One on-demand offer per service, the cheapest per CPU core. */
        CHEAPEST_PER_CORE,
        /** Greedy cover with local improvement for every service. */
        GREEDY,
        /** The default planner: exact below the size threshold, within a proven 1% above, in parallel. */
        PLANNER,
        /** As {@code PLANNER}, services one after another on the calling thread. */
        PLANNER_SEQUENTIAL,
        /** Exact for every service. */
        PLANNER_EXACT,
        /** As {@code PLANNER}, with a time limit of 200 ms a plan. */
        PLANNER_200MS
    }

    /** The contender measured. */
    @Param
    public Contender contender;

    /** The number of services in the fleet. */
    @Param({"100", "1000", "10000"})
    public int services;

    /** The number of offers on the market. */
    @Param({"100", "500"})
    public int offers;

    /** The seed of the fleet and market; not a JMH parameter, set by {@code CapacityPlannerQuality}. */
    long seed = BENCHMARK_SEED;

    private List<ServiceDemand> demands;
    private List<CapacityOffer> market;
    /** Null for {@code CHEAPEST_PER_CORE}, which plans without one. */
    private @Nullable CapacityPlanner planner;

    /** Builds the seeded fleet and market. */
    @Setup
    public void setUp() {
        Random rnd = new Random(seed);
        market = new ArrayList<>();
        for (int i = 0; market.size() < offers; i++) {
            int f = rnd.nextInt(FAMILIES.length);
            int cores = CORES[rnd.nextInt(CORES.length)];
            double mem = cores * GIB_PER_CORE[f];
            double bw = Math.min(100, cores * (0.3 + 0.5 * rnd.nextDouble()));
            double storage = cores * (10 + 90 * rnd.nextDouble());
            double price = (0.035 * cores + 0.004 * mem + 0.01 * bw + 0.0001 * storage)
                    * (0.85 + 0.3 * rnd.nextDouble());
            String region = REGIONS[rnd.nextInt(REGIONS.length)];
            String type = FAMILIES[f].charAt(0) + "" + i + "." + cores + "x";
            ResourceVector capacity = ResourceVector.of(cores, mem, bw, storage);
            Duration boot = Duration.ofSeconds(60 + rnd.nextInt(300));
            market.add(CapacityOffer.onDemand(type, FAMILIES[f], region, capacity, price, boot));
            if (market.size() < offers) {
                double spotPrice = price * (0.25 + 0.4 * rnd.nextDouble());
                market.add(CapacityOffer.spot(type, FAMILIES[f], region, capacity, spotPrice,
                        0.02 + 0.1 * rnd.nextDouble(), boot));
            }
        }
        demands = new ArrayList<>();
        double[] shares = {0, 0.25, 0.5, 0.75, 1};
        for (int i = 0; i < services; i++) {
            double cpu = 4 + 400 * rnd.nextDouble() * rnd.nextDouble();
            double mem = cpu * (1 + 8 * rnd.nextDouble());
            double bw = cpu * 0.2 * rnd.nextDouble();
            double storage = cpu * 40 * rnd.nextDouble();
            Set<String> families = new HashSet<>();
            if (rnd.nextDouble() < 0.3) {
                families.add(FAMILIES[rnd.nextInt(FAMILIES.length)]);
                families.add(FAMILIES[rnd.nextInt(FAMILIES.length)]);
            }
            Set<String> regions = rnd.nextDouble() < 0.3 ? Set.of(REGIONS[rnd.nextInt(REGIONS.length)]) : Set.of();
            demands.add(ServiceDemand.of("service-" + i, ResourceVector.of(cpu, mem, bw, storage),
                    CapacityLimits.of(shares[rnd.nextInt(shares.length)], rnd.nextInt(4), families, regions),
                    5 * rnd.nextDouble()));
        }
        planner = switch (contender) {
            case GREEDY -> CapacityPlanner.builder().strategy(CapacityPlanner.Strategy.FAST).build();
            case PLANNER -> CapacityPlanner.builder().build();
            case PLANNER_SEQUENTIAL -> CapacityPlanner.builder().parallelism(1).build();
            case PLANNER_EXACT -> CapacityPlanner.builder().strategy(CapacityPlanner.Strategy.EXACT)
                    .nodeLimit(EXACT_NODES).build();
            case PLANNER_200MS -> CapacityPlanner.builder().timeLimit(TIME_LIMIT).build();
            case CHEAPEST_PER_CORE -> null;
        };
    }

    /**
     * Plans every service once.
     *
     * @return the fleet's total expected cost per hour
     */
    @Benchmark
    public double plan() {
        CapacityPlanner p = planner;
        return p == null ? cheapestPerCore() : p.plan(demands, market).totalExpectedCostPerHour();
    }

    /** The whole plan of a planner contender, for {@code CapacityPlannerQuality}. */
    CapacityPlan planOnce() {
        CapacityPlanner p = planner;
        if (p == null) {
            throw new IllegalStateException(contender + " plans without a planner");
        }
        return p.plan(demands, market);
    }

    private double cheapestPerCore() {
        double total = 0;
        for (ServiceDemand d : demands) {
            CapacityOffer best = null;
            for (CapacityOffer o : market) {
                if (o.purchaseOption().interruptible() || !d.limits().allows(o.family(), o.region())) {
                    continue;
                }
                if (best == null || o.pricePerHour() / o.capacity().cpuCores()
                        < best.pricePerHour() / best.capacity().cpuCores()) {
                    best = o;
                }
            }
            if (best == null) {
                continue;
            }
            ResourceVector need = d.required();
            ResourceVector unit = best.capacity();
            double count = Math.max(d.limits().minOnDemandInstances(), Math.ceil(need.cpuCores() / unit.cpuCores()));
            count = Math.max(count, Math.ceil(need.memoryGiB() / unit.memoryGiB()));
            if (unit.bandwidthGbps() > 0) {
                count = Math.max(count, Math.ceil(need.bandwidthGbps() / unit.bandwidthGbps()));
            }
            if (unit.storageGiB() > 0) {
                count = Math.max(count, Math.ceil(need.storageGiB() / unit.storageGiB()));
            }
            total += count * best.pricePerHour();
        }
        return total;
    }
}
