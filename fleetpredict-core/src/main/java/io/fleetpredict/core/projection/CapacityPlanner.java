package io.fleetpredict.core.projection;

import io.fleetpredict.core.internal.Nanos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans cost-optimal capacity for a set of services.
 *
 * <p>For each service, in the order given (put the highest SLA priority first), idle
 * {@link ExistingCapacity} in an allowed family and region is reused first, one instance at a time,
 * taking the one that covers the largest fraction of the remaining need (ties to the lower marginal
 * price), and then enough of it to meet the on-demand base. What is still missing is bought at the
 * lowest expected cost (see {@link CapacityOffer#expectedCostPerHour(double)}) within the service's
 * {@link CapacityLimits}. Once idle capacity is shared out, services are independent, so purchases are
 * planned per service, on as many threads as {@link Builder#parallelism(int)} allows (by default one per
 * available processor); without a time limit the plan does not depend on the parallelism.
 *
 * <p>Purchases are an integer program over the allowed offers. Offers that another offer dominates for
 * this service are removed first (the part of that test that does not depend on the service's costs is
 * worked out once per offer list and kept while the same offers are planned with). Services whose
 * programs are the same are solved once per plan: the same need left after reuse and on-demand base,
 * the same offers allowed (however the families and regions are spelled), the same spot share, and the
 * same interruption penalty and reused cores where these can change the program. Programs are solved by branch and bound over warm-started linear relaxations: exactly
 * when at most {@link Builder#exactOfferLimit(int)} undominated offers remain (or the strategy is
 * {@link Strategy#EXACT}), otherwise until the plan is proven within the
 * {@link Builder#relativeGap(double) relative gap} of the optimum. The search also stops at the
 * {@link Builder#nodeLimit(int) node limit} and at the {@link Builder#timeLimit(Duration) time limit},
 * after which the remaining services get the linear relaxation rounded down and completed greedily.
 * {@link Strategy#FAST} uses a greedy cover with local improvement instead. Every plan carries the gap
 * it is proven to be within ({@link ServicePlan.Planned#provenGap()}): from the search's open nodes, or
 * from the linear relaxation. Either way every plan respects every limit.
 * Instances are immutable and thread-safe.
 */
public final class CapacityPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(CapacityPlanner.class);

    /** Which purchase solver to use. */
    public enum Strategy {
        /**
         * Branch and bound: exact for programs of up to {@link Builder#exactOfferLimit(int)} offers, to
         * the {@link Builder#relativeGap(double) relative gap} above.
         */
        AUTO,
        /** Always exact branch and bound (bounded by the node and time limits). */
        EXACT,
        /** Always the greedy cover with local improvement: no search, a bound from the linear relaxation. */
        FAST
    }

    private final Strategy strategy;
    private final int exactOfferLimit;
    private final int parallelism;
    private final @Nullable Duration timeLimit;
    private final GreedyCoverSolver greedy = new GreedyCoverSolver();
    private final BranchAndBoundSolver exact;
    private final BranchAndBoundSolver withinGap;
    /** The catalogue of the offers last planned with, reused while they do not change. */
    private final AtomicReference<OfferCatalogue> catalogue = new AtomicReference<>();
    /** The threads services are planned on when the parallelism is above 1; made on first use. */
    private final AtomicReference<ForkJoinPool> pool = new AtomicReference<>();

    private CapacityPlanner(Builder b) {
        this.strategy = b.strategy;
        this.exactOfferLimit = b.exactOfferLimit;
        this.parallelism = b.parallelism;
        this.timeLimit = b.timeLimit;
        this.exact = new BranchAndBoundSolver(b.nodeLimit, BranchAndBoundSolver.EXACT_GAP);
        this.withinGap = new BranchAndBoundSolver(b.nodeLimit, b.relativeGap);
    }

    /**
     * Returns a builder with the defaults: {@link Strategy#AUTO}, exact up to 8 undominated offers and
     * within 1% of the optimum above, 500 nodes a service, no time limit, one thread per available
     * processor.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Plans capacity with no idle capacity to reuse.
     *
     * @param demands the services' demands, with distinct names
     * @param offers the offers on the market
     * @return one outcome per demand, in order
     */
    public CapacityPlan plan(List<ServiceDemand> demands, List<CapacityOffer> offers) {
        return plan(demands, offers, List.of());
    }

    /**
     * Plans capacity.
     *
     * @param demands the services' demands, with distinct names, highest priority first
     * @param offers the offers on the market
     * @param existing idle owned or reserved capacity, reused before anything is bought
     * @return one outcome per demand, in order
     * @throws IllegalArgumentException if two demands name the same service, or if what a service would buy costs
     *     more per hour than a double holds (prices near the largest double), naming the service and the offer
     */
    public CapacityPlan plan(List<ServiceDemand> demands, List<CapacityOffer> offers, List<ExistingCapacity> existing) {
        List<ServiceDemand> demandList = List.copyOf(demands);
        List<CapacityOffer> offerList = List.copyOf(offers);
        List<ExistingCapacity> idlePool = List.copyOf(existing);
        Set<String> names = new HashSet<>();
        for (ServiceDemand d : demandList) {
            if (!names.add(d.service())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "demands must name distinct services, %s appears twice", d.service()));
            }
        }
        Budget budget = new Budget(timeLimit, demandList.size(), parallelism);
        OfferCatalogue offerTable = catalogueOf(offerList);
        Map<CapacityLimits, long[]> allowed = new HashMap<>();
        int[] idle = idlePool.stream().mapToInt(ExistingCapacity::count).toArray();
        List<List<PlanLine.Reuse>> reuses = new ArrayList<>(demandList.size());
        for (ServiceDemand d : demandList) {
            reuses.add(IdleReuse.take(d, idlePool, idle));
            allowed.computeIfAbsent(d.limits(), offerTable::allowed);
        }
        Map<Shape, FutureTask<Solved>> solved = new ConcurrentHashMap<>();
        ServicePlan[] outcomes = new ServicePlan[demandList.size()];
        Purchases purchases = new Purchases(0, outcomes.length, demandList.size(), i -> {
            ServiceDemand d = demandList.get(i);
            outcomes[i] = purchase(d, offerTable, Objects.requireNonNull(allowed.get(d.limits())), reuses.get(i), solved,
                    budget);
        });
        if (parallelism > 1 && demandList.size() > 1) {
            workers().invoke(purchases);
        } else {
            purchases.compute();
        }
        return new CapacityPlan(Arrays.asList(outcomes));
    }

    /** The pool of {@link #parallelism} threads, made on first use; its idle threads end by themselves. */
    private ForkJoinPool workers() {
        ForkJoinPool current = pool.get();
        if (current == null) {
            pool.compareAndSet(null, new ForkJoinPool(parallelism));
            current = Objects.requireNonNull(pool.get());
        }
        return current;
    }

    /** The catalogue of these offers: the last one if the offers are the same, else a new one. */
    private OfferCatalogue catalogueOf(List<CapacityOffer> offers) {
        OfferCatalogue last = catalogue.get();
        if (last != null && last.offers.equals(offers)) {
            return last;
        }
        OfferCatalogue fresh = new OfferCatalogue(offers);
        catalogue.set(fresh);
        return fresh;
    }

    /**
     * What makes two services' purchase programs the same: the need left, the on-demand base left, the
     * allowed offers, the spot share, the reused cores against the share (only while the share binds,
     * strictly between 0 and 1) and the interruption penalty (only if spot may be bought: on-demand
     * offers are never interrupted).
     */
    record Shape(ResourceVector missing, int baseMissing, double maxSpotShare, double spotSlackCores,
            double penalty, BitSet allowed) {

        /**
         * The program's shape. The spot-share row's slack is the room the cores not bought leave in the share:
         * {@code s} times the reused and in-service non-spot cores, less {@code 1 - s} times the spot cores in
         * service.
         * A service whose cores in service are already over the share buys no spot (a share of 0 with no
         * slack): what it buys brings the share down, and it is not made to buy more than it needs to undo it.
         */
        static Shape of(ResourceVector missing, int baseMissing, double maxSpotShare, double reusedCores,
                double spotInService, double nonSpotInService, double penalty, long[] allowed) {
            boolean shareBinds = maxSpotShare > 0 && maxSpotShare < 1;
            double slack = shareBinds ? maxSpotShare * (reusedCores + nonSpotInService)
                    - (1 - maxSpotShare) * spotInService : 0;
            if (slack < -CoverProblem.TOLERANCE * (reusedCores + nonSpotInService + spotInService)) {
                return new Shape(missing, baseMissing, 0, 0, 0, BitSet.valueOf(allowed));
            }
            return new Shape(missing, baseMissing, maxSpotShare, Math.max(0, slack),
                    maxSpotShare > 0 ? penalty : 0, BitSet.valueOf(allowed));
        }
    }

    /** A purchase program and its solution (null if no solver was run), and the solver's method. */
    private record Solved(CoverProblem problem, @Nullable CoverSolution solution, @Nullable SolverMethod method) {
    }

    private ServicePlan purchase(ServiceDemand d, OfferCatalogue offers, long[] allowed,
            List<PlanLine.Reuse> reused, Map<Shape, FutureTask<Solved>> solved, Budget budget) {
        ResourceVector reusedCapacity = ResourceVector.ZERO;
        int reusedCount = 0;
        double reusedCost = 0;
        for (PlanLine.Reuse line : reused) {
            reusedCapacity = reusedCapacity.plus(line.capacity());
            reusedCount += line.count();
            reusedCost += line.expectedCostPerHour();
        }
        ResourceVector missing = d.required().minusClamped(reusedCapacity);
        CapacityLimits limits = d.limits();
        int baseMissing = Math.max(0, limits.minOnDemandInstances() - reusedCount);
        if (missing.isZero() && baseMissing == 0) {
            budget.done();
            return new ServicePlan.Planned(d.service(), new ArrayList<>(reused), reusedCost,
                    SolverMethod.EXISTING_ONLY, true, 0);
        }
        Shape shape = Shape.of(missing, baseMissing, limits.maxSpotShare(), reusedCapacity.cpuCores(),
                d.spotCoresInService(), d.nonSpotCoresInService(), d.interruptionPenaltyPerHour(), allowed);
        Solved outcome = solvedOnce(shape, solved, offers, allowed, budget);
        budget.done();
        CoverProblem problem = outcome.problem();
        ServicePlan.Infeasible obvious = ObviousInfeasibility.of(d, allowed, problem, offers);
        if (obvious != null) {
            return obvious;
        }
        // Not obviously infeasible, so a solver ran.
        CoverSolution solution = Objects.requireNonNull(outcome.solution());
        SolverMethod method = Objects.requireNonNull(outcome.method());
        if (solution.status() == CoverSolution.Status.INFEASIBLE) {
            return new ServicePlan.Infeasible(d.service(), InfeasibilityReason.CONSTRAINTS_CONTRADICT,
                    String.format(Locale.ROOT, "no integer plan meets the limits of %s: %s", d.service(), limits));
        }
        List<PlanLine> lines = new ArrayList<>(reused);
        int[] counts = solution.counts();
        double total = reusedCost;
        for (int j = 0; j < counts.length; j++) {
            if (counts[j] > 0) {
                CapacityOffer offer = offers.offers.get(problem.offerIds[j]);
                double lineCost = problem.cost[j] * counts[j];
                if (!Double.isFinite(lineCost) || !Double.isFinite(total + lineCost)) {
                    // Prices near the largest double: a plan's cost is not a number to weigh or to write.
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: %d x %s in %s at %s per hour cost more per hour than a double holds; the offers'"
                                    + " prices are too large to plan with", d.service(), counts[j],
                            offer.instanceType(), offer.region(), offer.pricePerHour()));
                }
                lines.add(new PlanLine.Purchase(offer, counts[j], lineCost));
                total += lineCost;
            }
        }
        boolean optimal = solution.status() == CoverSolution.Status.OPTIMAL;
        double gap = optimal || total <= 0 ? 0
                : Math.min(1, Math.max(0, (total - reusedCost - solution.lowerBound()) / total));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} undominated offers, {} chose {} lines at {}/h (optimal: {}, proven gap {})",
                    d.service(), problem.columns, method, lines.size(), total, optimal, gap);
        }
        return new ServicePlan.Planned(d.service(), lines, total, method, optimal, gap);
    }

    /**
     * The solution of this shape's program: solved here if no other service of the plan has the same
     * shape, else the other's (waiting for it if it is being solved on another thread).
     */
    private Solved solvedOnce(Shape shape, Map<Shape, FutureTask<Solved>> solved, OfferCatalogue offers,
            long[] allowed, Budget budget) {
        FutureTask<Solved> mine = new FutureTask<>(() -> solve(shape, offers, allowed, budget));
        FutureTask<Solved> first = solved.putIfAbsent(shape, mine);
        if (first == null) {
            mine.run();
            first = mine;
        }
        try {
            return first.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another thread planned the same program", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Builds and solves one purchase program: by branch and bound while the time lasts (exactly up to the
     * exact size, to the relative gap above it), each service getting at most twice its fair share of
     * what is left; past the time limit by rounding the linear relaxation down and completing it
     * greedily; with {@link Strategy#FAST} by the greedy cover, bounded by the linear relaxation.
     */
    private Solved solve(Shape shape, OfferCatalogue offers, long[] allowed, Budget budget) {
        CoverProblem problem = CoverProblem.of(offers, allowed, shape.missing(), shape.baseMissing(),
                shape.maxSpotShare(), shape.spotSlackCores(), shape.penalty());
        if (ObviousInfeasibility.reason(problem, shape.maxSpotShare()) != null) {
            return new Solved(problem, null, null);
        }
        if (strategy != Strategy.FAST) {
            BranchAndBoundSolver solver = strategy == Strategy.EXACT || problem.columns <= exactOfferLimit
                    ? exact : withinGap;
            long serviceDeadline = budget.serviceDeadline();
            if (serviceDeadline != Budget.EXPIRED) {
                return new Solved(problem, solver.solve(problem, serviceDeadline), solver.method());
            }
            return new Solved(problem, solver.solve(problem, serviceDeadline, 1), SolverMethod.GREEDY_COVER);
        }
        CoverSolution solution = greedy.solve(problem, budget.deadline);
        if (solution.status() != CoverSolution.Status.INFEASIBLE) {
            solution = solution.withLowerBound(BranchAndBoundSolver.rootBound(problem));
        }
        return new Solved(problem, solution, greedy.method());
    }

    /** The time one plan may spend searching, shared out among its services as they come. */
    private static final class Budget {
        static final long EXPIRED = Long.MIN_VALUE;
        /**
         * The furthest deadline, about 73 years on: far enough to be no limit, near enough that deadlines
         * compared as differences of {@link System#nanoTime()} never wrap.
         */
        private static final long LONGEST_NANOS = Long.MAX_VALUE / 4;
        final long deadline;
        private final boolean limited;
        private final int workers;
        private final AtomicInteger remaining;

        Budget(@Nullable Duration limit, int services, int workers) {
            long now = System.nanoTime();
            this.limited = limit != null;
            this.deadline = now + (limit != null ? Nanos.atMost(limit, LONGEST_NANOS) : LONGEST_NANOS);
            this.workers = workers;
            this.remaining = new AtomicInteger(services);
        }

        /** When this service's search must stop: no later than twice its share of the time left, or EXPIRED. */
        long serviceDeadline() {
            if (!limited) {
                return deadline;
            }
            long now = System.nanoTime();
            long left = deadline - now;
            if (left <= 0) {
                return EXPIRED;
            }
            // In double: twice a long time left times the workers can exceed a long; the cast saturates.
            long share = (long) (2.0 * left * workers / Math.max(1, remaining.get()));
            return now + Math.min(left, share);
        }

        void done() {
            remaining.decrementAndGet();
        }
    }

    /** Builds a {@link CapacityPlanner}. */
    public static final class Builder {

        private Strategy strategy = Strategy.AUTO;
        private int exactOfferLimit = 8;
        private int nodeLimit = 500;
        private double relativeGap = 0.01;
        private @Nullable Duration timeLimit;
        private int parallelism = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /**
         * Sets which purchase solver to use.
         *
         * @param strategy the strategy
         * @return this builder
         */
        public Builder strategy(Strategy strategy) {
            if (strategy == null) {
                throw new NullPointerException("strategy");
            }
            this.strategy = strategy;
            return this;
        }

        /**
         * Sets the largest number of undominated offers for which {@link Strategy#AUTO} solves exactly;
         * above it the search stops at the relative gap.
         *
         * @param exactOfferLimit a non-negative number of offers
         * @return this builder
         */
        public Builder exactOfferLimit(int exactOfferLimit) {
            if (exactOfferLimit < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "exactOfferLimit must be >= 0, was %d", exactOfferLimit));
            }
            this.exactOfferLimit = exactOfferLimit;
            return this;
        }

        /**
         * Sets how many linear relaxations branch and bound may solve per service before it returns the
         * best plan found, marked not proven optimal, with the gap it is proven within. The default, 500,
         * was chosen on the seeded training fleet of {@code CapacityPlannerBenchmark} (1,000 services
         * against 100 offers, seed 7): the fleet's proven gap was 0.90% at 200 nodes, 0.78% at 500, 0.71%
         * at 1,000 and 0.69% at 2,000, and 500 is the smallest of these below the 0.82% that 1,000 nodes
         * gave before branching learned from pseudo-costs. Raise it (with {@link Strategy#EXACT}) for
         * proofs of optimality on hard programs.
         *
         * @param nodeLimit a positive number of nodes
         * @return this builder
         */
        public Builder nodeLimit(int nodeLimit) {
            if (nodeLimit <= 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "nodeLimit must be > 0, was %d", nodeLimit));
            }
            this.nodeLimit = nodeLimit;
            return this;
        }

        /**
         * Sets the relative gap at which {@link Strategy#AUTO} stops searching a program larger than the
         * exact size: once no open node can hold a plan cheaper than the best found by more than this
         * fraction of its cost. The default, 0.01, accepts a plan proven within 1% of the optimum; 0 asks
         * for the optimum itself.
         *
         * @param relativeGap a fraction in [0, 1)
         * @return this builder
         */
        public Builder relativeGap(double relativeGap) {
            if (!(relativeGap >= 0 && relativeGap < 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "relativeGap must be in [0, 1), was %s", relativeGap));
            }
            this.relativeGap = relativeGap;
            return this;
        }

        /**
         * Sets how long one {@link CapacityPlanner#plan} may search: a service whose branch and bound is
         * running when the time is up keeps the best plan found, and the services after it get the
         * greedy cover; each plan says the gap it is proven within. Reusing idle capacity, the greedy
         * covers and building the plan are not limited, so a plan can take somewhat longer. A limit of more
         * than about 73 years counts as 73 years.
         *
         * @param timeLimit a positive duration
         * @return this builder
         */
        public Builder timeLimit(Duration timeLimit) {
            if (timeLimit == null) {
                throw new NullPointerException("timeLimit");
            }
            if (timeLimit.isZero() || timeLimit.isNegative()) {
                throw new IllegalArgumentException("timeLimit must be positive, was " + timeLimit);
            }
            this.timeLimit = timeLimit;
            return this;
        }

        /**
         * Sets how many threads plan the services of one plan: 1 plans them one after another on the
         * calling thread; above 1, on a pool of that many threads owned by the planner (the calling thread
         * waits). Without a {@link #timeLimit(Duration) time limit} the plan is the same at every
         * parallelism; with one, what each service gets depends on how the time was spent. Default: the
         * number of available processors.
         *
         * @param parallelism a positive number of threads
         * @return this builder
         */
        public Builder parallelism(int parallelism) {
            if (parallelism <= 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "parallelism must be > 0, was %d", parallelism));
            }
            this.parallelism = parallelism;
            return this;
        }

        /**
         * Builds the planner.
         *
         * @return an immutable, thread-safe planner
         */
        public CapacityPlanner build() {
            return new CapacityPlanner(this);
        }
    }
}
