package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.PurchaseOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-computable plans, infeasible services, idle capacity and preconditions. */
class CapacityPlannerTest {

    private static final double TOL = 1e-12;
    private static final Duration SIX_MINUTES = Duration.ofMinutes(6);
    private static final CapacityOffer GENERAL = CapacityOffer.onDemand("g.large", "general", "eu-west",
            ResourceVector.of(4, 16, 1, 100), 0.20, SIX_MINUTES);
    private static final CapacityOffer MEMORY = CapacityOffer.onDemand("r.large", "memory", "eu-west",
            ResourceVector.of(4, 32, 1, 100), 0.26, SIX_MINUTES);
    /** Expected cost with penalty 1: 0.06 + 0.1 * 0.1 h * (0.06 + 1) = 0.0706; with penalty 20: 0.2606. */
    private static final CapacityOffer GENERAL_SPOT = CapacityOffer.spot("g.large", "general", "eu-west",
            ResourceVector.of(4, 16, 1, 100), 0.06, 0.1, SIX_MINUTES);

    private static CapacityPlanner planner(CapacityPlanner.Strategy strategy) {
        return CapacityPlanner.builder().strategy(strategy).build();
    }

    private static ServicePlan.Planned planOne(CapacityPlanner.Strategy strategy, ServiceDemand demand,
            CapacityOffer... offers) {
        ServicePlan plan = planner(strategy).plan(List.of(demand), List.of(offers)).services().get(0);
        return assertInstanceOf(ServicePlan.Planned.class, plan);
    }

    private static ServiceDemand demand(ResourceVector need, CapacityLimits limits, double penalty) {
        return ServiceDemand.of("web", need, limits, penalty);
    }

    private static int purchased(ServicePlan.Planned plan, CapacityOffer offer) {
        return plan.lines().stream().filter(l -> l instanceof PlanLine.Purchase p && p.offer().equals(offer))
                .mapToInt(PlanLine::count).sum();
    }

    @Test
    void expectedCostPerHour_spotOffer_addsReplacementAndExposureDuringBoot() {
        assertEquals(0.0706, GENERAL_SPOT.expectedCostPerHour(1.0), TOL);
        assertEquals(0.2606, GENERAL_SPOT.expectedCostPerHour(20.0), TOL);
        assertEquals(0.20, GENERAL.expectedCostPerHour(20.0), TOL);
    }

    @Test
    void plan_timeLimitOfThreeHundredYears_plansAsWithoutALimit() {
        // More nanoseconds than a long holds: the search is as good as unlimited.
        List<ServiceDemand> demands = List.of(ServiceDemand.of("web", ResourceVector.of(10, 40, 0, 0),
                CapacityLimits.unconstrained(), 1), ServiceDemand.of("api", ResourceVector.of(6, 60, 0, 0),
                CapacityLimits.unconstrained(), 1));
        List<CapacityOffer> offers = List.of(GENERAL, MEMORY, GENERAL_SPOT);
        CapacityPlan unlimited = CapacityPlanner.builder().parallelism(2).build().plan(demands, offers);
        CapacityPlan centuries = CapacityPlanner.builder().parallelism(2).timeLimit(Duration.ofDays(300L * 365))
                .build().plan(demands, offers);
        assertEquals(unlimited, centuries);
    }

    @ParameterizedTest
    @EnumSource(CapacityPlanner.Strategy.class)
    void plan_oneOffer_buysCeilingOfDemandOverCapacity(CapacityPlanner.Strategy strategy) {
        ServicePlan.Planned cpuBound = planOne(strategy,
                demand(ResourceVector.of(10, 0, 0, 0), CapacityLimits.unconstrained(), 0), GENERAL);
        assertEquals(3, purchased(cpuBound, GENERAL));
        assertEquals(0.60, cpuBound.expectedCostPerHour(), TOL);
        ServicePlan.Planned memoryBound = planOne(strategy,
                demand(ResourceVector.of(10, 100, 2, 50), CapacityLimits.unconstrained(), 0), GENERAL);
        assertEquals(7, purchased(memoryBound, GENERAL));
        assertEquals(1.40, memoryBound.expectedCostPerHour(), TOL);
    }

    @ParameterizedTest
    @EnumSource(CapacityPlanner.Strategy.class)
    void plan_memoryBoundDemand_picksMemoryOptimisedFamily(CapacityPlanner.Strategy strategy) {
        // general: max(8/4, 128/16) = 8 units, 1.60/h; memory: max(8/4, 128/32) = 4 units, 1.04/h
        ServicePlan.Planned plan = planOne(strategy,
                demand(ResourceVector.of(8, 128, 0, 0), CapacityLimits.unconstrained(), 0), GENERAL, MEMORY);
        assertEquals(4, purchased(plan, MEMORY));
        assertEquals(0, purchased(plan, GENERAL));
        assertEquals(1.04, plan.expectedCostPerHour(), TOL);
    }

    @ParameterizedTest
    @EnumSource(CapacityPlanner.Strategy.class)
    void plan_cheapSpotAllowed_choosesSpot(CapacityPlanner.Strategy strategy) {
        ServicePlan.Planned plan = planOne(strategy,
                demand(ResourceVector.of(8, 0, 0, 0), CapacityLimits.unconstrained(), 1.0), GENERAL, GENERAL_SPOT);
        assertEquals(2, purchased(plan, GENERAL_SPOT));
        assertEquals(2 * 0.0706, plan.expectedCostPerHour(), TOL);
    }

    @ParameterizedTest
    @EnumSource(CapacityPlanner.Strategy.class)
    void plan_interruptionPenaltyMakesSpotDearer_choosesOnDemand(CapacityPlanner.Strategy strategy) {
        ServicePlan.Planned plan = planOne(strategy,
                demand(ResourceVector.of(8, 0, 0, 0), CapacityLimits.unconstrained(), 20.0), GENERAL, GENERAL_SPOT);
        assertEquals(2, purchased(plan, GENERAL));
        assertEquals(0.40, plan.expectedCostPerHour(), TOL);
    }

    @ParameterizedTest
    @EnumSource(CapacityPlanner.Strategy.class)
    void plan_spotShareHalf_splitsCoresEvenly(CapacityPlanner.Strategy strategy) {
        ServicePlan.Planned plan = planOne(strategy,
                demand(ResourceVector.of(8, 0, 0, 0), CapacityLimits.of(0.5, 0, Set.of(), Set.of()), 1.0),
                GENERAL, GENERAL_SPOT);
        assertEquals(1, purchased(plan, GENERAL));
        assertEquals(1, purchased(plan, GENERAL_SPOT));
        assertEquals(0.20 + 0.0706, plan.expectedCostPerHour(), TOL);
    }

    @ParameterizedTest
    @EnumSource(CapacityPlanner.Strategy.class)
    void plan_onDemandBase_keepsThatManyOnDemandInstances(CapacityPlanner.Strategy strategy) {
        ServicePlan.Planned plan = planOne(strategy,
                demand(ResourceVector.of(12, 0, 0, 0), CapacityLimits.of(1, 1, Set.of(), Set.of()), 1.0),
                GENERAL, GENERAL_SPOT);
        assertEquals(1, purchased(plan, GENERAL));
        assertEquals(2, purchased(plan, GENERAL_SPOT));
        assertEquals(0.20 + 2 * 0.0706, plan.expectedCostPerHour(), TOL);
    }

    @Test
    void plan_disallowedFamily_isNeverUsedEvenWhenCheaper() {
        ServicePlan.Planned plan = planOne(CapacityPlanner.Strategy.AUTO,
                demand(ResourceVector.of(8, 128, 0, 0), CapacityLimits.of(1, 0, Set.of("general"), Set.of()), 0),
                GENERAL, MEMORY);
        assertEquals(8, purchased(plan, GENERAL));
        assertEquals(1.60, plan.expectedCostPerHour(), TOL);
    }

    @Test
    void plan_idleCapacityCoversDemand_buysNothing() {
        ExistingCapacity idle = ExistingCapacity.of("g.large", "general", "eu-west", ResourceVector.of(4, 16, 1, 100),
                3, 0);
        CapacityPlan plan = planner(CapacityPlanner.Strategy.AUTO).plan(
                List.of(demand(ResourceVector.of(10, 40, 0, 0), CapacityLimits.unconstrained(), 1)),
                List.of(GENERAL, GENERAL_SPOT), List.of(idle));
        ServicePlan.Planned planned = assertInstanceOf(ServicePlan.Planned.class, plan.services().get(0));
        assertEquals(SolverMethod.EXISTING_ONLY, planned.method());
        assertEquals(List.of(new PlanLine.Reuse(idle, 3, 0)), planned.lines());
        assertEquals(0, plan.totalExpectedCostPerHour(), TOL);
    }

    @Test
    void plan_idleCapacityShort_goesToFirstServiceThenBuysTheRest() {
        ExistingCapacity idle = ExistingCapacity.of("g.large", "general", "eu-west", ResourceVector.of(4, 16, 1, 100),
                3, 0.01);
        ServiceDemand first = ServiceDemand.of("checkout", ResourceVector.of(8, 0, 0, 0),
                CapacityLimits.unconstrained(), 20);
        ServiceDemand second = ServiceDemand.of("search", ResourceVector.of(8, 0, 0, 0),
                CapacityLimits.unconstrained(), 20);
        CapacityPlan plan = planner(CapacityPlanner.Strategy.AUTO).plan(List.of(first, second),
                List.of(GENERAL, GENERAL_SPOT), List.of(idle));
        ServicePlan.Planned checkout = assertInstanceOf(ServicePlan.Planned.class, plan.services().get(0));
        ServicePlan.Planned search = assertInstanceOf(ServicePlan.Planned.class, plan.services().get(1));
        assertEquals(List.of(new PlanLine.Reuse(idle, 2, 0.02)), checkout.lines());
        assertEquals(List.of(new PlanLine.Reuse(idle, 1, 0.01), new PlanLine.Purchase(GENERAL, 1, 0.20)),
                search.lines());
        assertEquals(0.02 + 0.01 + 0.20, plan.totalExpectedCostPerHour(), TOL);
    }

    @Test
    void plan_reusedCoresCountTowardsSpotShareAndBase() {
        ExistingCapacity idle = ExistingCapacity.of("g.large", "general", "eu-west", ResourceVector.of(4, 16, 1, 100),
                1, 0);
        // 4 reused on-demand cores allow 4 spot cores at share 0.5; the base of one is met by the reused one
        CapacityPlan plan = planner(CapacityPlanner.Strategy.EXACT).plan(
                List.of(demand(ResourceVector.of(8, 0, 0, 0), CapacityLimits.of(0.5, 1, Set.of(), Set.of()), 1)),
                List.of(GENERAL, GENERAL_SPOT), List.of(idle));
        ServicePlan.Planned planned = assertInstanceOf(ServicePlan.Planned.class, plan.services().get(0));
        assertEquals(1, purchased(planned, GENERAL_SPOT));
        assertEquals(0, purchased(planned, GENERAL));
        assertEquals(0.0706, planned.expectedCostPerHour(), TOL);
    }

    /**
     * The share is the service's: 8 cores needed at share 0.5, g.large of 4 cores, spot the cheaper. With 8 spot
     * of 12 cores in service (67%) nothing bought may be spot: 2 on demand, 8 of 20 after. With 8 on-demand cores
     * in service, those make room for 8 spot: 2 spot, 8 of 16 after. At the share (4 of 8), half of what is
     * bought, as with nothing in service.
     */
    @Test
    void plan_coresInServiceCountTowardsTheSpotShare() {
        CapacityLimits half = CapacityLimits.of(0.5, 0, Set.of(), Set.of());
        ServiceDemand need = demand(ResourceVector.of(8, 0, 0, 0), half, 1);
        for (CapacityPlanner.Strategy strategy : CapacityPlanner.Strategy.values()) {
            ServicePlan.Planned over = planOne(strategy, need.inService(8, 4), GENERAL, GENERAL_SPOT);
            assertEquals(List.of(2, 0), List.of(purchased(over, GENERAL), purchased(over, GENERAL_SPOT)), strategy.name());
            ServicePlan.Planned room = planOne(strategy, need.inService(0, 8), GENERAL, GENERAL_SPOT);
            assertEquals(List.of(0, 2), List.of(purchased(room, GENERAL), purchased(room, GENERAL_SPOT)), strategy.name());
            ServicePlan.Planned at = planOne(strategy, need.inService(4, 4), GENERAL, GENERAL_SPOT);
            assertEquals(List.of(1, 1), List.of(purchased(at, GENERAL), purchased(at, GENERAL_SPOT)), strategy.name());
            ServicePlan.Planned none = planOne(strategy, need, GENERAL, GENERAL_SPOT);
            assertEquals(List.of(1, 1), List.of(purchased(none, GENERAL), purchased(none, GENERAL_SPOT)), strategy.name());
        }
        // Only spot on offer: room from on-demand cores in service makes a plan; spot over the share leaves none.
        assertEquals(2, purchased(planOne(CapacityPlanner.Strategy.AUTO, need.inService(0, 8), GENERAL_SPOT),
                GENERAL_SPOT));
        assertEquals("only spot offers are allowed for web but maxSpotShare is 0.5, and 8.0 of its 12.0 CPU cores in "
                + "service are spot already", assertInfeasible(InfeasibilityReason.SPOT_SHARE_EXCEEDED,
                        need.inService(8, 4), GENERAL_SPOT).detail());
        assertThrows(IllegalArgumentException.class, () -> need.inService(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> need.inService(0, Double.NaN));
    }

    @Test
    void plan_nothingNeeded_isAnEmptyPlan() {
        ServicePlan.Planned plan = planOne(CapacityPlanner.Strategy.AUTO,
                demand(ResourceVector.ZERO, CapacityLimits.unconstrained(), 0), GENERAL);
        assertTrue(plan.lines().isEmpty());
        assertEquals(0, plan.expectedCostPerHour());
    }

    @Test
    void plan_onlyABaseIsNeeded_buysCheapestOnDemandInstances() {
        CapacityOffer small = CapacityOffer.onDemand("g.medium", "general", "eu-west", ResourceVector.of(2, 8, 1, 50),
                0.10, SIX_MINUTES);
        ServicePlan.Planned plan = planOne(CapacityPlanner.Strategy.AUTO,
                demand(ResourceVector.ZERO, CapacityLimits.of(1, 2, Set.of(), Set.of()), 0), GENERAL, small,
                GENERAL_SPOT);
        assertEquals(2, purchased(plan, small));
        assertEquals(0.20, plan.expectedCostPerHour(), TOL);
    }

    @Test
    void plan_nodeLimitReached_returnsFeasiblePlanNotProvenOptimal() {
        // LP relaxation buys 2.5 of the 4-core offer (0.25/core); integer optimum 1 x 4-core + 2 x 3-core = 2.60
        CapacityOffer four = CapacityOffer.onDemand("a", "general", "eu-west", ResourceVector.of(4, 0, 0, 0), 1.0,
                SIX_MINUTES);
        CapacityOffer three = CapacityOffer.onDemand("b", "general", "eu-west", ResourceVector.of(3, 0, 0, 0), 0.8,
                SIX_MINUTES);
        ServiceDemand d = demand(ResourceVector.of(10, 0, 0, 0), CapacityLimits.unconstrained(), 0);
        ServicePlan.Planned full = planOne(CapacityPlanner.Strategy.EXACT, d, four, three);
        assertTrue(full.provenOptimal());
        assertEquals(2.60, full.expectedCostPerHour(), TOL);
        ServicePlan limited = CapacityPlanner.builder().strategy(CapacityPlanner.Strategy.EXACT).nodeLimit(1).build()
                .plan(List.of(d), List.of(four, three)).services().get(0);
        ServicePlan.Planned planned = assertInstanceOf(ServicePlan.Planned.class, limited);
        assertFalse(planned.provenOptimal());
        assertTrue(planned.provided().cpuCores() >= 10);
    }

    @Test
    void plan_noOfferInAllowedFamily_isInfeasibleWithReason() {
        assertInfeasible(InfeasibilityReason.NO_ALLOWED_OFFER,
                demand(ResourceVector.of(4, 0, 0, 0), CapacityLimits.of(1, 0, Set.of("gpu"), Set.of()), 0),
                GENERAL, GENERAL_SPOT);
    }

    @Test
    void plan_resourceNoOfferProvides_isInfeasibleWithReason() {
        CapacityOffer diskless = CapacityOffer.onDemand("c.large", "compute", "eu-west",
                ResourceVector.of(4, 8, 1, 0), 0.15, SIX_MINUTES);
        ServicePlan.Infeasible result = assertInfeasible(InfeasibilityReason.RESOURCE_NOT_OFFERED,
                demand(ResourceVector.of(4, 0, 0, 100), CapacityLimits.unconstrained(), 0), diskless);
        assertEquals("web needs 100 GiB of Storage but no allowed offer provides any", result.detail());
    }

    @Test
    void plan_baseRequiredButOnlySpotAllowed_isInfeasibleWithReason() {
        assertInfeasible(InfeasibilityReason.NO_ON_DEMAND_OFFER,
                demand(ResourceVector.of(4, 0, 0, 0), CapacityLimits.of(1, 1, Set.of(), Set.of()), 0), GENERAL_SPOT);
    }

    @Test
    void plan_onlySpotOffersButShareCapped_isInfeasibleWithReason() {
        assertInfeasible(InfeasibilityReason.SPOT_SHARE_EXCEEDED,
                demand(ResourceVector.of(4, 0, 0, 0), CapacityLimits.of(0.5, 0, Set.of(), Set.of()), 0), GENERAL_SPOT);
        assertInfeasible(InfeasibilityReason.SPOT_SHARE_EXCEEDED,
                demand(ResourceVector.of(4, 0, 0, 0), CapacityLimits.of(0, 0, Set.of(), Set.of()), 0), GENERAL_SPOT);
    }

    @Test
    void plan_needNoFleetCouldHold_isNeedTooLargeSayingTheMostThatCanBeBought() {
        ServicePlan.Infeasible result = assertInfeasible(InfeasibilityReason.NEED_TOO_LARGE,
                demand(ResourceVector.of(1e300, 0, 0, 0), CapacityLimits.of(0, 2, Set.of(), Set.of()), 0),
                GENERAL, MEMORY);
        // The resource and its unit as documents name them, and numbers as documents write them, not Java's.
        assertEquals("web needs 1e+300 cores of CPU more, beyond what can be bought: at most 536870911 instances of"
                + " an offer, and the largest allowed offer, g.large on_demand in eu-west, provides 4 cores of CPU"
                + " each, so at most 2147483644 cores of CPU", result.detail());
    }

    @ParameterizedTest
    @EnumSource(CapacityPlanner.Strategy.class)
    void plan_needOfTheMostInstancesOfTheLargestOffer_plannedAndJustAboveNot(CapacityPlanner.Strategy strategy) {
        double most = 4.0 * InfeasibilityReason.MAX_INSTANCES;
        ServicePlan.Planned planned = planOne(strategy,
                demand(ResourceVector.of(most, 0, 0, 0), CapacityLimits.unconstrained(), 0), GENERAL);
        assertEquals(InfeasibilityReason.MAX_INSTANCES, purchased(planned, GENERAL));
        ServicePlan above = planner(strategy).plan(List.of(demand(ResourceVector.of(Math.nextUp(most), 0, 0, 0),
                CapacityLimits.unconstrained(), 0)), List.of(GENERAL)).services().get(0);
        assertEquals(InfeasibilityReason.NEED_TOO_LARGE,
                assertInstanceOf(ServicePlan.Infeasible.class, above).reason());
    }

    @Test
    void limits_toString_readsAsWords() {
        assertEquals("spot at most 30% of the CPU cores, at least 2 on-demand instances, families c6i, m6i, regions any",
                CapacityLimits.of(0.3, 2, Set.of("m6i", "c6i"), Set.of()).toString());
        assertEquals("spot at most 0% of the CPU cores, at least 1 on-demand instance, families any, regions eu-west-1",
                CapacityLimits.of(0, 1, Set.of(), Set.of("eu-west-1")).toString());
    }

    private static ServicePlan.Infeasible assertInfeasible(InfeasibilityReason reason, ServiceDemand d,
            CapacityOffer... offers) {
        for (CapacityPlanner.Strategy strategy : CapacityPlanner.Strategy.values()) {
            ServicePlan plan = planner(strategy).plan(List.of(d), List.of(offers)).services().get(0);
            ServicePlan.Infeasible infeasible = assertInstanceOf(ServicePlan.Infeasible.class, plan);
            assertEquals(reason, infeasible.reason());
            assertTrue(infeasible.detail().contains(d.service()), infeasible.detail());
        }
        return (ServicePlan.Infeasible) planner(CapacityPlanner.Strategy.AUTO).plan(List.of(d), List.of(offers))
                .services().get(0);
    }

    static LongStream fleetSeeds() {
        return LongStream.range(1, 13);
    }

    /**
     * A fleet of services drawn from two needs and a few limits, so that many share a program: the same
     * limits spelled differently (a family no offer is in), penalties that matter only with spot allowed,
     * and, with idle capacity, reused cores that matter only while the spot share binds.
     */
    private static List<ServiceDemand> sharingFleet(Random rnd, int services) {
        List<ResourceVector> needs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            needs.add(ResourceVector.of(100 * rnd.nextDouble(), 400 * rnd.nextDouble(), 20 * rnd.nextDouble(),
                    2000 * rnd.nextDouble()));
        }
        double[] shares = {0, 0.5, 1};
        List<ServiceDemand> demands = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            Set<String> families = switch (rnd.nextInt(3)) {
                case 0 -> Set.of();
                case 1 -> Set.of("general", "memory");
                default -> Set.of("general", "memory", "accelerated");
            };
            CapacityLimits limits = CapacityLimits.of(shares[rnd.nextInt(shares.length)], rnd.nextInt(2), families,
                    Set.of());
            demands.add(ServiceDemand.of("svc" + i, needs.get(rnd.nextInt(needs.size())), limits,
                    rnd.nextInt(3)));
        }
        return demands;
    }

    private static List<CapacityOffer> market(Random rnd, int size) {
        List<CapacityOffer> offers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            offers.add(RandomCapacityInstances.offer(rnd, "type" + i));
        }
        return offers;
    }

    @ParameterizedTest
    @MethodSource("fleetSeeds")
    void plan_anyParallelism_givesTheSamePlanAsSequential(long seed) {
        Random rnd = new Random(seed);
        List<CapacityOffer> offers = market(rnd, 30);
        List<ServiceDemand> demands = sharingFleet(rnd, 80);
        List<ExistingCapacity> idle = List.of(
                ExistingCapacity.of("idle-g", "general", "eu-west", ResourceVector.of(8, 32, 2, 200), 5, 0.01),
                ExistingCapacity.of("idle-m", "memory", "us-east", ResourceVector.of(4, 32, 1, 100), 3, 0));
        CapacityPlan sequential = CapacityPlanner.builder().parallelism(1).build().plan(demands, offers, idle);
        for (int parallelism : new int[] {2, 3, 8}) {
            CapacityPlan parallel = CapacityPlanner.builder().parallelism(parallelism).build()
                    .plan(demands, offers, idle);
            assertEquals(sequential, parallel, "parallelism " + parallelism);
        }
        assertEquals(80, sequential.services().size());
        assertTrue(sequential.planned().size() > 70, () -> "most services have a plan: " + sequential);
    }

    /**
     * Services that share a program get the solution of their own: each plan equals the one the default
     * search finds on the program built from that service's own need, limits and penalty, with nothing
     * left out.
     */
    @ParameterizedTest
    @MethodSource("fleetSeeds")
    void plan_servicesSharingAProgram_eachGetsTheSolutionOfItsOwnProgram(long seed) {
        Random rnd = new Random(seed);
        List<CapacityOffer> offers = market(rnd, 30);
        List<ServiceDemand> demands = sharingFleet(rnd, 60);
        CapacityPlan together = CapacityPlanner.builder().build().plan(demands, offers);
        OfferCatalogue catalogue = new OfferCatalogue(offers);
        int compared = 0;
        for (int i = 0; i < demands.size(); i++) {
            ServiceDemand d = demands.get(i);
            CoverProblem own = CoverProblem.of(catalogue, catalogue.allowed(d.limits()), d.required(),
                    d.limits().minOnDemandInstances(), d.limits().maxSpotShare(), 0, d.interruptionPenaltyPerHour());
            if (!(together.services().get(i) instanceof ServicePlan.Planned planned)) {
                continue;
            }
            BranchAndBoundSolver search = new BranchAndBoundSolver(500,
                    own.columns <= 8 ? BranchAndBoundSolver.EXACT_GAP : 0.01);
            CoverSolution expected = search.solve(own, System.nanoTime() + Duration.ofMinutes(1).toNanos());
            assertEquals(own.cost(expected.counts()), planned.expectedCostPerHour(), 1e-12, d.toString());
            compared++;
        }
        assertTrue(compared > 40, "most services have a plan: " + compared);
    }

    @Test
    void shape_whatCannotChangeTheProgram_isLeftOutOfTheKey() {
        ResourceVector need = ResourceVector.of(10, 40, 1, 100);
        long[] allowed = {0b1011L};
        // no spot: neither the penalty nor the reused cores change the program
        assertEquals(CapacityPlanner.Shape.of(need, 1, 0, 0, 0, 0, 0, allowed),
                CapacityPlanner.Shape.of(need, 1, 0, 12, 0, 0, 4.5, allowed.clone()));
        // spot without a share limit: the reused cores do not matter, the penalty does
        assertEquals(CapacityPlanner.Shape.of(need, 1, 1, 0, 0, 0, 2, allowed),
                CapacityPlanner.Shape.of(need, 1, 1, 12, 0, 0, 2, allowed));
        assertFalse(CapacityPlanner.Shape.of(need, 1, 1, 0, 0, 0, 2, allowed)
                .equals(CapacityPlanner.Shape.of(need, 1, 1, 0, 0, 0, 3, allowed)));
        // a binding share: both matter
        assertFalse(CapacityPlanner.Shape.of(need, 1, 0.5, 0, 0, 0, 2, allowed)
                .equals(CapacityPlanner.Shape.of(need, 1, 0.5, 12, 0, 0, 2, allowed)));
        assertFalse(CapacityPlanner.Shape.of(need, 1, 0.5, 0, 0, 0, 2, allowed)
                .equals(CapacityPlanner.Shape.of(need, 1, 0.5, 0, 0, 0, 3, allowed)));
        // the offers allowed, the need and the base always matter
        assertFalse(CapacityPlanner.Shape.of(need, 1, 0, 0, 0, 0, 0, allowed)
                .equals(CapacityPlanner.Shape.of(need, 1, 0, 0, 0, 0, 0, new long[] {0b1001L})));
        assertFalse(CapacityPlanner.Shape.of(need, 1, 0, 0, 0, 0, 0, allowed)
                .equals(CapacityPlanner.Shape.of(need, 2, 0, 0, 0, 0, 0, allowed)));
        assertFalse(CapacityPlanner.Shape.of(need, 1, 0, 0, 0, 0, 0, allowed)
                .equals(CapacityPlanner.Shape.of(ResourceVector.of(10, 41, 1, 100), 1, 0, 0, 0, 0, 0, allowed)));
    }

    @Test
    void plan_duplicateServiceNames_isRejected() {
        ServiceDemand d = demand(ResourceVector.of(1, 0, 0, 0), CapacityLimits.unconstrained(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CapacityPlanner.builder().build().plan(List.of(d, d), List.of(GENERAL)));
        assertTrue(e.getMessage().contains("web"), e.getMessage());
    }

    @Test
    void records_badValues_areRejectedWithNamedParameter() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ResourceVector.of(-1, 0, 0, 0));
        assertTrue(negative.getMessage().contains("cpuCores") && negative.getMessage().contains("-1.0"));
        IllegalArgumentException share = assertThrows(IllegalArgumentException.class,
                () -> CapacityLimits.of(1.5, 0, Set.of(), Set.of()));
        assertTrue(share.getMessage().contains("maxSpotShare") && share.getMessage().contains("1.5"));
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> new CapacityOffer("x", "general", "eu-west", ResourceVector.of(1, 1, 1, 1),
                        PurchaseOption.ON_DEMAND, 0.1, 0.5, SIX_MINUTES));
        assertTrue(rate.getMessage().contains("interruptionRatePerHour"));
        assertThrows(IllegalArgumentException.class, () -> CapacityOffer.onDemand("x", "general", "eu-west",
                ResourceVector.of(1, 1, 1, 1), 0, SIX_MINUTES));
        assertThrows(IllegalArgumentException.class, () -> ExistingCapacity.of("x", "general", "eu-west",
                ResourceVector.of(1, 1, 1, 1), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ServiceDemand.of(" ", ResourceVector.ZERO,
                CapacityLimits.unconstrained(), 0));
        assertThrows(IllegalArgumentException.class, () -> CapacityPlanner.builder().nodeLimit(0));
        IllegalArgumentException noThreads = assertThrows(IllegalArgumentException.class,
                () -> CapacityPlanner.builder().parallelism(0));
        assertTrue(noThreads.getMessage().contains("parallelism must be > 0, was 0"), noThreads.getMessage());
    }
}
