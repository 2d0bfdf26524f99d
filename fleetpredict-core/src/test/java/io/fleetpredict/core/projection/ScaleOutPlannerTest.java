package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.ProjectionFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the scale-out planner asks the capacity planner for, and the pending changes it makes of the
 * answer: times, costs, risk removed and reasons, each worked out by hand.
 */
class ScaleOutPlannerTest {

    private static final Duration HOUR = Duration.ofHours(1);
    /** 2 cores, 8 GiB, 0.10 an hour, 10 minutes to boot: 0.05 a core. */
    private static final CapacityOffer M_EU = CapacityOffer.onDemand("m.large", "m", "eu-west-1",
            ResourceVector.of(2, 8, 0, 0), 0.1, Duration.ofMinutes(10));
    /** 4 cores, 4 GiB, 0.30 an hour: 0.075 a core. */
    private static final CapacityOffer C_EU = CapacityOffer.onDemand("c.xlarge", "c", "eu-west-1",
            ResourceVector.of(4, 4, 0, 0), 0.3, Duration.ofMinutes(5));
    /** The m.large in another region, 0.08 an hour: the cheapest per core when every region is allowed. */
    private static final CapacityOffer M_US = CapacityOffer.onDemand("m.large", "m", "us-east-1",
            ResourceVector.of(2, 8, 0, 0), 0.08, Duration.ofMinutes(10));
    private static final List<CapacityOffer> OFFERS = List.of(M_EU, C_EU, M_US);

    /** Three steps of an hour from {@code T0}. */
    private static final List<ForecastStep> STEPS = List.of(step(0), step(1), step(2));

    private static ForecastStep step(int i) {
        Instant start = T0.plus(HOUR.multipliedBy(i));
        return new ForecastStep(ProjectionFixtures.predicted(start, HOUR, Map.of()), start, start.plus(HOUR));
    }

    private static TierPolicy policy(double weight, double maxSpotShare, int minOnDemand,
            @Nullable List<String> families, @Nullable List<String> regions) {
        return new TierPolicy(weight, 0.9, 0.1, maxSpotShare, minOnDemand, families, regions, Duration.ofMinutes(30),
                HOUR, HOUR);
    }

    /**
     * A service with 4 cores and 16 GiB in service that needs {@code cores} cores and 16 GiB, short from
     * step {@code first} to step {@code last}; medians equal to the requirement, no spread.
     */
    private static ServiceWork work(String name, TierPolicy policy, double cores, int first, int last) {
        ServiceWork w = new ServiceWork(name, null);
        w.tier = "gold";
        w.policy = policy;
        w.forecast = true;
        w.capacity = ResourceVector.of(4, 16, 0, 0);
        w.requirement = ResourceVector.of(cores, 16, 0, 0);
        w.median = new double[] {cores, 16, 0, 0};
        w.sigma = new double[4];
        w.firstShort = first;
        w.lastShort = last;
        w.nonSpotCount = 2;
        return w;
    }

    private static void plan(List<CapacityOffer> offers, List<ExistingCapacity> idle, double penaltyPerWeight,
            ServiceWork... works) {
        new ScaleOutPlanner(offers, idle, CapacityPlanner.builder().build(), penaltyPerWeight,
                LoggerFactory.getLogger(ScaleOutPlannerTest.class)).plan(List.of(works), T0, STEPS);
    }

    @Test
    void plan_shortFromTheSecondStep_buysTheCheapestCoverNeededTheLeadTimeBeforeAndLaunchedTheBootTimeBefore() {
        ServiceWork w = work("web", policy(2, 0, 0, null, null), 8, 1, 1);
        plan(OFFERS, List.of(), 1, w);
        // 4 cores missing: 2 m.large in us-east-1 (0.16) beat 2 in eu-west-1 (0.20) and a c.xlarge (0.30).
        // Needed 30 minutes before the second step, launched 10 minutes before that, paid until the end of
        // the second step: 1 h 40 min at 0.16 is 0.2667.
        assertEquals(1, w.pending.size());
        PendingChange p = w.pending.get(0);
        assertEquals(ChangeAction.SCALE_OUT, p.action());
        assertEquals("m.large", p.instanceType());
        assertEquals("us-east-1", p.region());
        assertEquals(2, p.count());
        assertEquals(PurchaseOption.ON_DEMAND, p.option());
        assertEquals(ResourceVector.of(4, 16, 0, 0), p.delta());
        assertEquals(0.16, p.costPerHour(), 1e-12);
        assertEquals(T0.plus(Duration.ofMinutes(30)), p.neededBy());
        assertEquals(T0.plus(Duration.ofMinutes(20)), p.launchAt());
        assertEquals(0.16 * 5 / 3, p.totalCost(), 1e-12);
        assertEquals(0, p.savingPerHour(), 0);
        assertEquals(Duration.ofMinutes(10), p.boot());
        assertEquals(Duration.ZERO, p.leadTimeGivenUp(), "planned a lead time ahead, it keeps all of it");
        assertEquals(0.16, w.costPerHour, 1e-12);
        assertEquals(ResourceVector.of(4, 16, 0, 0), w.plan.provided());
        // CPU: 4 of the 8 cores were short and none are after; memory was never short. 2 x 4 / 8 = 1.
        assertEquals(1, w.riskRemoved, 1e-12);
        assertEquals("gold tier: p90 forecast plus 10% headroom needs 8 cores of CPU, 4 in service", w.reason);
        assertNull(w.outcome, "a planned service keeps its outcome for the ranking to settle");
    }

    @Test
    void plan_lessThanTheLeadTimeBeforeTheDemand_recordsThePartOfTheLeadTimeItCouldNotKeep() {
        ServiceWork w = work("web", policy(2, 0, 0, null, null), 8, 1, 1);
        // The demand starts at T0 + 60 min, the lead time is 30 min: planned at T0 + 50 min, it is needed at
        // once and keeps 10 minutes of the lead time; 20 are given up.
        Instant now = T0.plus(Duration.ofMinutes(50));
        new ScaleOutPlanner(OFFERS, List.of(), CapacityPlanner.builder().build(), 1,
                LoggerFactory.getLogger(ScaleOutPlannerTest.class)).plan(List.of(w), now, STEPS);
        PendingChange p = w.pending.get(0);
        assertEquals(now, p.neededBy());
        assertEquals(Duration.ofMinutes(20), p.leadTimeGivenUp());
    }

    @Test
    void plan_shortFromNow_neededNowNotBeforeItAndPaidToTheEndOfTheLastShortStep() {
        ServiceWork w = work("web", policy(1, 0, 0, null, List.of("eu-west-1")), 6, 0, 0);
        plan(OFFERS, List.of(), 1, w);
        // The first step starts now: needed now (not 30 minutes ago), launched now (not 10 minutes ago).
        // Only eu-west-1: a 2-core shortfall is one m.large at 0.10, paid for the first hour.
        PendingChange p = w.pending.get(0);
        assertEquals("eu-west-1", p.region());
        assertEquals(1, p.count());
        assertEquals(T0, p.neededBy());
        assertEquals(T0, p.launchAt());
        assertEquals(0.1, p.totalCost(), 1e-12);
        assertEquals(Duration.ofMinutes(30), p.leadTimeGivenUp(), "needed when the demand starts: no lead time kept");
    }

    @Test
    void plan_shortStepThreeHundredYearsLong_paidForTheWholeStep() {
        // More nanoseconds than a long holds: 300 x 365 days is 2,628,000 hours, at 0.10 for one m.large.
        Duration centuries = Duration.ofDays(300L * 365);
        ForecastStep step = new ForecastStep(ProjectionFixtures.predicted(T0, centuries, Map.of()), T0,
                T0.plus(centuries));
        ServiceWork w = work("web", policy(1, 0, 0, null, List.of("eu-west-1")), 6, 0, 0);
        new ScaleOutPlanner(OFFERS, List.of(), CapacityPlanner.builder().build(), 1,
                LoggerFactory.getLogger(ScaleOutPlannerTest.class)).plan(List.of(w), T0, List.of(step));
        PendingChange p = w.pending.get(0);
        assertEquals(T0, p.launchAt());
        assertEquals(0.1 * 2_628_000, p.totalCost(), 1e-6);
    }

    @Test
    void plan_nowThreeHundredYearsAfterTheShortStep_launchedNowAndPaidForNothing() {
        // Launched after the span it covers ends: no time to pay for, however far apart the two are.
        Instant now = STEPS.get(2).end().plus(Duration.ofDays(300L * 365));
        ServiceWork w = work("web", policy(1, 0, 0, null, List.of("eu-west-1")), 6, 0, 0);
        new ScaleOutPlanner(OFFERS, List.of(), CapacityPlanner.builder().build(), 1,
                LoggerFactory.getLogger(ScaleOutPlannerTest.class)).plan(List.of(w), now, STEPS);
        PendingChange p = w.pending.get(0);
        assertEquals(now, p.neededBy());
        assertEquals(now, p.launchAt());
        assertEquals(0, p.totalCost(), 0);
        assertEquals(Duration.ofMinutes(30), p.leadTimeGivenUp(), "at most the lead time is given up");
    }

    @Test
    void plan_onlyTheOnDemandBaseMissing_buysItNowForTheWholeHorizonAndSaysSo() {
        ServiceWork w = work("web", policy(1, 0, 4, List.of("m"), List.of("eu-west-1")), 4, -1, -1);
        // CPU over the capacity by exactly the rounding allowance: not short, so the base is the reason.
        w.requirement = ResourceVector.of(4 + Figures.EPS, 16, 0, 0);
        w.baseMissing = 2;
        plan(OFFERS, List.of(), 1, w);
        // Nothing short; two more on-demand m.large in
        // eu-west-1 from now to the end of the third step: 3 h at 0.20.
        PendingChange p = w.pending.get(0);
        assertEquals("m.large", p.instanceType());
        assertEquals(2, p.count());
        assertEquals(T0, p.neededBy());
        assertEquals(T0, p.launchAt());
        assertEquals(0.6, p.totalCost(), 1e-12);
        assertEquals(0, w.riskRemoved, 0);
        assertEquals("gold tier keeps at least 4 on-demand instances, 2 in service", w.reason);
    }

    @Test
    void plan_allowedFamily_buysFromItEvenWhenDearer() {
        ServiceWork w = work("web", policy(1, 0, 0, List.of("c"), null), 8, 1, 2);
        plan(OFFERS, List.of(), 1, w);
        PendingChange p = w.pending.get(0);
        assertEquals("c.xlarge", p.instanceType());
        assertEquals(1, p.count());
        // Needed at 00:30, launched 5 minutes before, paid to the end of the third step: 2 h 35 min at 0.30.
        assertEquals(T0.plus(Duration.ofMinutes(25)), p.launchAt());
        assertEquals(0.3 * (155.0 / 60), p.totalCost(), 1e-12);
    }

    @Test
    void plan_noOfferInTheAllowedFamily_infeasibleWithThePlannersSentence() {
        ServiceWork w = work("web", policy(1, 0, 0, List.of("z"), null), 8, 1, 1);
        plan(OFFERS, List.of(), 1, w);
        assertEquals(ServiceDecision.Outcome.INFEASIBLE, w.outcome);
        assertEquals("none of the 3 offers is in an allowed family [z] and region [] for web", w.reason);
        assertTrue(w.pending.isEmpty());
        assertNull(w.plan);
    }

    @Test
    void plan_notForecastOrNotShort_nothingPlanned() {
        ServiceWork unforecast = work("a", policy(1, 0, 0, null, null), 8, 0, 0);
        unforecast.forecast = false;
        ServiceWork steady = work("b", policy(1, 0, 0, null, null), 4, -1, -1);
        plan(OFFERS, List.of(), 1, unforecast, steady);
        assertTrue(unforecast.pending.isEmpty());
        assertNull(unforecast.reason);
        assertTrue(steady.pending.isEmpty());
        assertNull(steady.reason);
    }

    @Test
    void plan_shortByLessThanRounding_buysNothingAndLeavesTheServiceAlone() {
        // Short in the forecast steps, but the requirement exceeds the capacity by a part in 10^12.
        ServiceWork w = work("web", policy(1, 0, 0, null, null), 4 * (1 + 1e-12), 0, 0);
        plan(OFFERS, List.of(), 1, w);
        assertTrue(w.pending.isEmpty());
        assertNull(w.plan);
        assertNull(w.reason);
        assertEquals(0, w.costPerHour, 0);
    }

    @Test
    void plan_oneIdleInstance_goesToTheHeavierServiceThenByName() {
        // One idle r.large (4 cores, 16 GiB, 0.01 an hour) covers either service's 4 missing cores.
        ExistingCapacity idle = ExistingCapacity.of("r.large", "r", "eu-west-1", ResourceVector.of(4, 16, 0, 0), 1,
                0.01);
        ServiceWork light = work("a-light", policy(1, 0, 0, null, null), 8, 1, 1);
        ServiceWork heavy = work("z-heavy", policy(3, 0, 0, null, null), 8, 1, 1);
        plan(OFFERS, List.of(idle), 1, light, heavy);
        PendingChange reused = heavy.pending.get(0);
        assertEquals("r.large", reused.instanceType());
        assertEquals(PurchaseOption.RESERVED, reused.option());
        assertEquals(Duration.ZERO, reused.boot());
        // Needed (and started, with no boot) at 00:30, kept to the end of the second step: 1.5 h at 0.01.
        assertEquals(T0.plus(Duration.ofMinutes(30)), reused.launchAt());
        assertEquals(0.015, reused.totalCost(), 1e-12);
        assertEquals("m.large", light.pending.get(0).instanceType());

        ServiceWork b = work("b", policy(2, 0, 0, null, null), 8, 1, 1);
        ServiceWork a = work("a", policy(2, 0, 0, null, null), 8, 1, 1);
        plan(OFFERS, List.of(idle), 1, b, a);
        assertEquals("r.large", a.pending.get(0).instanceType(), "equal weights: by name");
        assertEquals("m.large", b.pending.get(0).instanceType());
    }

    @Test
    void plan_interruptionPenaltyScalesWithTheWeight() {
        // Spot m.large: 0.04 an hour, 0.5 interruptions an hour, 6 minutes to boot. Expected cost per hour
        // 0.04 + 0.5 x 0.1 x (0.04 + penalty) = 0.042 + 0.05 x penalty, against 0.10 on demand.
        CapacityOffer spot = CapacityOffer.spot("m.large", "m", "eu-west-1", ResourceVector.of(2, 8, 0, 0), 0.04, 0.5,
                Duration.ofMinutes(6));
        List<CapacityOffer> offers = List.of(M_EU, spot);
        // Penalty 1 per unit of weight: weight 2 makes 0.142 (on demand wins), weight 0.5 makes 0.067.
        ServiceWork heavy = work("heavy", policy(2, 1, 0, null, null), 6, 0, 0);
        ServiceWork light = work("light", policy(0.5, 1, 0, null, null), 6, 0, 0);
        plan(offers, List.of(), 1, heavy, light);
        assertEquals(PurchaseOption.ON_DEMAND, heavy.pending.get(0).option());
        assertEquals(PurchaseOption.SPOT, light.pending.get(0).option());
        // Chosen for its expected cost of 0.067, charged its price: what the cloud bills.
        assertEquals(0.04, light.pending.get(0).costPerHour(), 1e-12);
        assertEquals(0.04, light.costPerHour, 1e-12);
        // A spot share of 0 leaves the light service on demand as well.
        ServiceWork noSpot = work("light", policy(0.5, 0, 0, null, null), 6, 0, 0);
        plan(offers, List.of(), 1, noSpot);
        assertEquals(PurchaseOption.ON_DEMAND, noSpot.pending.get(0).option());
    }

    @Test
    void plan_riskRemovedUnderASpread_isTheDropInExpectedShortfallPerUnitOfNeedTimesTheWeight() {
        ServiceWork w = work("web", policy(3, 0, 0, null, List.of("eu-west-1")), 8, 0, 0);
        w.median = new double[] {7, 16, 0, 0};
        w.sigma = new double[] {1, 0, 0, 0};
        plan(OFFERS, List.of(), 1, w);
        // Two m.large: CPU from 4 to 8. E[(D - c)+] for D ~ N(7, 1) is phi(k) - k (1 - Phi(k)), k = c - 7:
        // at c = 4, phi(3) + 3 Phi(3) = 0.0044318484 + 3 x 0.9986501020 = 3.0003821544; at c = 8,
        // phi(1) - (1 - Phi(1)) = 0.2419707245 - 0.1586552539 = 0.0833154706 (standard normal tables).
        // Memory (16 of 16) removes nothing. Weight 3 x (3.0003821544 - 0.0833154706) / 8 = 1.0938999.
        assertEquals(2, w.pending.get(0).count());
        assertEquals(3 * (3.0003821544 - 0.0833154706) / 8, w.riskRemoved, 1e-9);
    }

    @Test
    void plan_reasonNamesTheResourceFurthestShortRelativeToItsNeedAndTheFirstOnATie() {
        // Memory 40 of 16 GiB (60% short) is further short than CPU 8 of 4 cores (50%).
        ServiceWork memory = work("web", policy(1, 0, 0, null, null), 8, 0, 0);
        memory.requirement = ResourceVector.of(8, 40, 0, 0);
        memory.median = new double[] {8, 40, 0, 0};
        memory.maintenance = ResourceVector.of(0, 8, 0, 0);
        plan(OFFERS, List.of(), 1, memory);
        assertEquals("gold tier: p90 forecast plus 10% headroom and 8 GiB removed by maintenance needs 40 GiB of "
                + "Memory, 16 in service", memory.reason);

        // Both 50% short: CPU, the first, is named.
        ServiceWork tie = work("web", policy(1, 0, 0, null, null), 8, 0, 0);
        tie.requirement = ResourceVector.of(8, 32, 0, 0);
        tie.median = new double[] {8, 32, 0, 0};
        plan(OFFERS, List.of(), 1, tie);
        assertEquals("gold tier: p90 forecast plus 10% headroom needs 8 cores of CPU, 4 in service", tie.reason);
    }
}
