package io.fleetpredict.bench;

import io.fleetpredict.core.projection.CapacityPlan;
import io.fleetpredict.core.projection.ServicePlan;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The quality beside {@link CapacityPlannerBenchmark}'s times: for each planner contender on the same
 * seeded fleet and market, the fleet's expected cost per hour, the proven lower bound on what any plan
 * could cost (the sum over services of cost times one minus the proven gap), the fleet's proven gap,
 * how many services were proven optimal, the largest gap of one service, and the median wall and CPU
 * time of five plans after two warm-up plans. The CPU time is that of the planning threads, the calling thread's
 * and the planner's pool's ({@code ForkJoinPool-*} threads), which the machine's load changes much less
 * than the wall time.
 *
 * <p>Run: {@code java -cp fleetpredict-bench/target/benchmarks.jar io.fleetpredict.bench.CapacityPlannerQuality
 * 1000 100} (services, offers, and optionally the seed of the fleet, the benchmark's by default, and a comma-separated list of
 * contenders, all by default).
 */
public final class CapacityPlannerQuality {

    private static final int MEASURED = 5;

    private CapacityPlannerQuality() {
    }

    /** The CPU time so far of the calling thread and of every fork-join pool thread, by thread id. */
    static Map<Long, Long> planningThreadsCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        long self = Thread.currentThread().getId();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadId() == self || info.getThreadName().startsWith("ForkJoinPool-"))) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                }
            }
        }
        return cpu;
    }

    /**
     * Prints one line per planner contender.
     *
     * @param args the number of services and of offers, optionally the seed and the contenders
     */
    public static void main(String[] args) {
        int services = Integer.parseInt(args[0]);
        int offers = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : CapacityPlannerBenchmark.BENCHMARK_SEED;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%d services x %d offers, seed %d%n", services, offers, seed);
        System.out.printf(Locale.ROOT, "%-24s %12s %12s %9s %9s %9s %10s %10s%n", "contender", "cost/h",
                "bound/h", "fleet gap", "optimal", "max gap", "wall ms", "cpu ms");
        for (CapacityPlannerBenchmark.Contender c : CapacityPlannerBenchmark.Contender.values()) {
            if (c == CapacityPlannerBenchmark.Contender.CHEAPEST_PER_CORE
                    || args.length > 3 && !java.util.List.of(args[3].split(",")).contains(c.name())) {
                continue;
            }
            CapacityPlannerBenchmark bench = new CapacityPlannerBenchmark();
            bench.contender = c;
            bench.services = services;
            bench.offers = offers;
            bench.seed = seed;
            bench.setUp();
            bench.planOnce();
            CapacityPlan plan = bench.planOnce();
            long[] walls = new long[MEASURED];
            long[] cpus = new long[MEASURED];
            for (int m = 0; m < MEASURED; m++) {
                Map<Long, Long> before = planningThreadsCpu(threads);
                long start = System.nanoTime();
                plan = bench.planOnce();
                walls[m] = System.nanoTime() - start;
                for (Map.Entry<Long, Long> e : planningThreadsCpu(threads).entrySet()) {
                    cpus[m] += e.getValue() - before.getOrDefault(e.getKey(), 0L);
                }
            }
            Arrays.sort(walls);
            Arrays.sort(cpus);
            long wall = walls[MEASURED / 2];
            long cpu = cpus[MEASURED / 2];
            double bound = 0;
            int optimal = 0;
            double maxGap = 0;
            for (ServicePlan.Planned p : plan.planned()) {
                bound += p.expectedCostPerHour() * (1 - p.provenGap());
                optimal += p.provenOptimal() ? 1 : 0;
                maxGap = Math.max(maxGap, p.provenGap());
            }
            double cost = plan.totalExpectedCostPerHour();
            System.out.printf(Locale.ROOT, "%-24s %12.4f %12.4f %8.3f%% %9d %8.2f%% %10.1f %10.1f%n", c, cost, bound,
                    100 * (1 - bound / cost), optimal, 100 * maxGap, wall / 1e6, cpu / 1e6);
        }
    }
}
