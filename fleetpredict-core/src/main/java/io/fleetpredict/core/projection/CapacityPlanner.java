package io.fleetpredict.core.projection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
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
 * planned per service, in parallel when {@link Builder#parallel(boolean)} is set.
 *
 * <p>Purchases are an integer program over the allowed offers. Offers that another offer dominates for
 * this service are removed first; if at most {@link Builder#exactOfferLimit(int)} remain (or the
 * strategy is {@link Strategy#EXACT}) it is solved exactly by branch and bound, otherwise by a greedy
 * cover with local improvement, which on random test instances stays within a few percent of the
 * optimum (see the tests for the measured gap). Either way every plan respects every limit. Instances
 * are immutable and thread-safe.
 */
public final class CapacityPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(CapacityPlanner.class);

    /** Which purchase solver to use. */
    public enum Strategy {
        /** Exact for small programs, greedy above {@link Builder#exactOfferLimit(int)} offers. */
        AUTO,
        /** Always branch and bound (bounded by the node limit). */
        EXACT,
        /** Always the greedy cover. */
        FAST
    }

    private final Strategy strategy;
    private final int exactOfferLimit;
    private final boolean parallel;
    private final GreedyCoverSolver greedy = new GreedyCoverSolver();
    private final BranchAndBoundSolver exact;

    private CapacityPlanner(Builder b) {
        this.strategy = b.strategy;
        this.exactOfferLimit = b.exactOfferLimit;
        this.parallel = b.parallel;
        this.exact = new BranchAndBoundSolver(b.nodeLimit, greedy);
    }

    /**
     * Returns a builder with the defaults: {@link Strategy#AUTO}, exact up to 8 offers, 20,000 nodes,
     * sequential.
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
     * @throws IllegalArgumentException if two demands name the same service
     */
    public CapacityPlan plan(List<ServiceDemand> demands, List<CapacityOffer> offers, List<ExistingCapacity> existing) {
        List<ServiceDemand> demandList = List.copyOf(demands);
        List<CapacityOffer> offerList = List.copyOf(offers);
        List<ExistingCapacity> pool = List.copyOf(existing);
        Set<String> names = new HashSet<>();
        for (ServiceDemand d : demandList) {
            if (!names.add(d.service())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "demands must name distinct services, %s appears twice", d.service()));
            }
        }
        int[] idle = pool.stream().mapToInt(ExistingCapacity::count).toArray();
        List<List<PlanLine.Reuse>> reuses = new ArrayList<>(demandList.size());
        for (ServiceDemand d : demandList) {
            reuses.add(reuse(d, pool, idle));
        }
        IntStream indices = IntStream.range(0, demandList.size());
        if (parallel) {
            indices = indices.parallel();
        }
        List<ServicePlan> outcomes = indices
                .mapToObj(i -> purchase(demandList.get(i), offerList, reuses.get(i)))
                .toList();
        return new CapacityPlan(outcomes);
    }

    /** Takes idle instances for one service from the pool, decrementing {@code idle}. */
    private static List<PlanLine.Reuse> reuse(ServiceDemand d, List<ExistingCapacity> pool, int[] idle) {
        int[] taken = new int[pool.size()];
        ResourceVector missing = d.required();
        int nonInterruptible = 0;
        while (true) {
            int chosen = -1;
            double bestGain = 0;
            for (int i = 0; i < pool.size(); i++) {
                ExistingCapacity e = pool.get(i);
                if (idle[i] == 0 || !d.limits().allows(e.family(), e.region())) {
                    continue;
                }
                double gain = 0;
                for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                    double m = missing.get(r);
                    if (m > 0) {
                        gain += Math.min(e.capacity().get(r), m) / m;
                    }
                }
                boolean forBase = nonInterruptible < d.limits().minOnDemandInstances();
                if (gain == 0 && !forBase) {
                    continue;
                }
                if (chosen < 0 || gain > bestGain
                        || gain == bestGain && e.marginalPricePerHour() < pool.get(chosen).marginalPricePerHour()) {
                    chosen = i;
                    bestGain = gain;
                }
            }
            if (chosen < 0) {
                break;
            }
            idle[chosen]--;
            taken[chosen]++;
            nonInterruptible++;
            missing = missing.minusClamped(pool.get(chosen).capacity());
        }
        List<PlanLine.Reuse> lines = new ArrayList<>();
        for (int i = 0; i < taken.length; i++) {
            if (taken[i] > 0) {
                ExistingCapacity e = pool.get(i);
                lines.add(new PlanLine.Reuse(e, taken[i], e.marginalPricePerHour() * taken[i]));
            }
        }
        return lines;
    }

    private ServicePlan purchase(ServiceDemand d, List<CapacityOffer> offers, List<PlanLine.Reuse> reused) {
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
            return new ServicePlan.Planned(d.service(), new ArrayList<>(reused), reusedCost,
                    SolverMethod.EXISTING_ONLY, true);
        }
        List<CapacityOffer> allowed = offers.stream().filter(o -> limits.allows(o.family(), o.region())).toList();
        double slack = limits.maxSpotShare() * reusedCapacity.cpuCores();
        CoverProblem problem = CoverProblem.of(allowed, missing, baseMissing, limits.maxSpotShare(), slack,
                d.interruptionPenaltyPerHour());
        ServicePlan.Infeasible obvious = obviousInfeasibility(d, allowed, problem, offers.size());
        if (obvious != null) {
            return obvious;
        }
        CoverProblem reduced = problem.withoutDominated();
        CapacitySolver solver = strategy == Strategy.FAST
                || strategy == Strategy.AUTO && reduced.columns > exactOfferLimit ? greedy : exact;
        CoverSolution solution = solver.solve(reduced);
        if (solution.status() == CoverSolution.Status.INFEASIBLE) {
            return new ServicePlan.Infeasible(d.service(), InfeasibilityReason.CONSTRAINTS_CONTRADICT,
                    String.format(Locale.ROOT, "no integer plan meets the limits of %s: %s", d.service(), limits));
        }
        List<PlanLine> lines = new ArrayList<>(reused);
        int[] counts = solution.counts();
        double total = reusedCost;
        for (int j = 0; j < counts.length; j++) {
            if (counts[j] > 0) {
                double lineCost = reduced.cost[j] * counts[j];
                lines.add(new PlanLine.Purchase(reduced.offers.get(j), counts[j], lineCost));
                total += lineCost;
            }
        }
        boolean optimal = solution.status() == CoverSolution.Status.OPTIMAL;
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} of {} offers after dominance, {} chose {} lines at {}/h (optimal: {})", d.service(),
                    reduced.columns, problem.columns, solver.method(), lines.size(), total, optimal);
        }
        return new ServicePlan.Planned(d.service(), lines, total, solver.method(), optimal);
    }

    private static ServicePlan.Infeasible obviousInfeasibility(ServiceDemand d, List<CapacityOffer> allowed,
            CoverProblem problem, int offerCount) {
        String service = d.service();
        if (allowed.isEmpty()) {
            return new ServicePlan.Infeasible(service, InfeasibilityReason.NO_ALLOWED_OFFER, String.format(Locale.ROOT,
                    "none of the %d offers is in an allowed family %s and region %s for %s",
                    offerCount, d.limits().allowedFamilies(), d.limits().allowedRegions(), service));
        }
        if (problem.columns == 0 || !problem.hasNonSpotColumn() && d.limits().maxSpotShare() < 1
                && !problem.trivial() && problem.spotSlackCores == 0) {
            return new ServicePlan.Infeasible(service, InfeasibilityReason.SPOT_SHARE_EXCEEDED,
                    String.format(Locale.ROOT, "only spot offers are allowed for %s but maxSpotShare is %s",
                            service, d.limits().maxSpotShare()));
        }
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (problem.need[r] > 0) {
                boolean offered = false;
                for (int j = 0; j < problem.columns && !offered; j++) {
                    offered = problem.capacity[j][r] > 0;
                }
                if (!offered) {
                    return new ServicePlan.Infeasible(service, InfeasibilityReason.RESOURCE_NOT_OFFERED,
                            String.format(Locale.ROOT, "%s needs %s %s but no allowed offer provides any",
                                    service, problem.need[r], ResourceVector.name(r)));
                }
            }
        }
        if (problem.minNonSpot > 0 && !problem.hasNonSpotColumn()) {
            return new ServicePlan.Infeasible(service, InfeasibilityReason.NO_ON_DEMAND_OFFER,
                    String.format(Locale.ROOT, "%s needs %d more on-demand instances but every allowed offer is spot",
                            service, problem.minNonSpot));
        }
        return null;
    }

    /** Builds a {@link CapacityPlanner}. */
    public static final class Builder {

        private Strategy strategy = Strategy.AUTO;
        private int exactOfferLimit = 8;
        private int nodeLimit = 20_000;
        private boolean parallel;

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
         * Sets the largest number of undominated offers for which {@link Strategy#AUTO} solves exactly.
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
         * best plan found, marked not proven optimal.
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
         * Sets whether services are planned in parallel on the common fork-join pool.
         *
         * @param parallel true to plan in parallel
         * @return this builder
         */
        public Builder parallel(boolean parallel) {
            this.parallel = parallel;
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
