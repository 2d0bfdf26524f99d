package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.ProjectionFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.internal.Decimals;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The order changes are admitted in, and the budget and change limit that defer them, worked out by hand. */
class ChangeRankerTest {

    private static final Instant EARLIER = T0.minusSeconds(3600);

    private static TierPolicy weight(double weight) {
        return new TierPolicy(weight, 0.9, 0, 1, 0, null, null, Duration.ZERO, Duration.ofHours(1), Duration.ZERO);
    }

    private static PendingChange line(ChangeAction action, int count, double costPerHour, double saving) {
        return new PendingChange(action, "m.large", "eu-west-1", count, PurchaseOption.ON_DEMAND,
                new ResourceVector(2.0 * count, 0, 0, 0), costPerHour, T0, T0, costPerHour, saving, Duration.ZERO,
                Duration.ZERO);
    }

    /** A scale-out of {@code lines} plan lines costing {@code cost} per hour in all. */
    private static ServiceWork out(String name, double weight, double cost, double risk, int lines) {
        ServiceWork w = new ServiceWork(name, null);
        w.policy = weight(weight);
        w.plan = new ServicePlan.Planned(name, List.of(), cost, SolverMethod.GREEDY_COVER, false, 1);
        w.costPerHour = cost;
        w.riskRemoved = risk;
        w.reason = name + " short";
        for (int i = 0; i < lines; i++) {
            w.pending.add(line(ChangeAction.SCALE_OUT, 1, cost / lines, 0));
        }
        return w;
    }

    private static ServiceWork in(String name, double saving) {
        ServiceWork w = new ServiceWork(name, null);
        w.policy = weight(1);
        w.scaleIn = true;
        w.reason = name + " idle";
        w.pending.add(line(ChangeAction.SCALE_IN, 1, 0, saving));
        return w;
    }

    private final Map<String, Instant> lastChange = new HashMap<>();
    private final Map<String, Instant> eligibleSince = new HashMap<>();

    private List<ProvisionalChange> admit(double budget, int maxChanges, List<ServiceWork> works) {
        return admit(budget, Duration.ofMinutes(5), maxChanges, works);
    }

    private List<ProvisionalChange> admit(double budget, Duration cycle, int maxChanges, List<ServiceWork> works) {
        return new ChangeRanker(budget, cycle, maxChanges, new ProvisionalDocumentWriter(null, null),
                LoggerFactory.getLogger(ChangeRankerTest.class)).admit(works, 12, T0, lastChange, eligibleSince);
    }

    private static List<String> services(List<ProvisionalChange> changes) {
        return changes.stream().map(ProvisionalChange::service).toList();
    }

    @Test
    void admit_scaleOutsByWeightThenCostPerRiskThenName_thenScaleInsBySaving() {
        // Names that sort against the order wanted, so that no tie-break by name can stand in for it.
        List<ServiceWork> works = List.of(
                in("a-small", 0.1), in("i-big2", 0.5), in("i-big", 0.5),
                out("a-light", 1, 1, 1, 1),
                out("cheap", 5, 1, 4, 1),      // 0.25 per unit of risk
                out("a-dear", 5, 2, 2, 1),     // 1
                out("a-norisk", 5, 0.1, 0, 1), // removes no risk: last of its weight
                out("b-tie", 5, 1, 4, 1), out("a-tie", 5, 1, 4, 1));
        List<ProvisionalChange> changes = admit(100, 50, new ArrayList<>(works));
        assertEquals(List.of("a-tie", "b-tie", "cheap", "a-dear", "a-norisk", "a-light", "i-big", "i-big2",
                "a-small"), services(changes));
        for (int i = 0; i < changes.size(); i++) {
            assertEquals(i + 1, changes.get(i).priority());
            assertEquals("chg-12-" + (i + 1), changes.get(i).id());
            assertEquals(ChangeStatus.PROPOSED, changes.get(i).status());
        }
    }

    @Test
    void admit_budget_deferredWhenTheCostWouldPassItExactlyFilledIsAdmitted() {
        ServiceWork first = out("first", 3, 0.6, 1, 1);
        ServiceWork fills = out("fills", 2, 0.4, 1, 1);
        ServiceWork over = out("over", 1, 0.3, 1, 1);
        ServiceWork free = out("free", 0.5, 0, 1, 1);
        List<ProvisionalChange> changes = admit(1.0, 50, List.of(first, fills, over, free));
        assertEquals(List.of(ChangeStatus.PROPOSED, ChangeStatus.PROPOSED, ChangeStatus.DEFERRED,
                ChangeStatus.PROPOSED), changes.stream().map(ProvisionalChange::status).toList());
        assertEquals("over budget: costs 0.3000 per hour, 0.0000 of the 1.0000 budget per hour is left after higher priority "
                + "changes", changes.get(2).deferredReason());
        assertEquals(ServiceDecision.Outcome.DEFERRED, over.outcome);
        assertEquals("over short; deferred: " + changes.get(2).deferredReason(), over.reason);
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, fills.outcome);
        assertEquals(T0, lastChange.get("fills"));
        assertFalse(lastChange.containsKey("over"));
        ServiceWork partly = out("partly", 1, 0.5, 1, 1);
        assertEquals("over budget: costs 0.5000 per hour, 0.4000 of the 1.0000 budget per hour is left after higher priority "
                + "changes", admit(1.0, 50, List.of(out("a", 2, 0.6, 1, 1), partly)).get(1).deferredReason());
    }

    @Test
    void admit_budget_writesMoneyAsTheCommandLineDoesSoOneAmountReadsTheSame() {
        // 4.28125 is a tie at the fifth decimal: money rounds it half up everywhere, to 4.2813, as the change
        // line the command line prints beside this reason does.
        ServiceWork fills = out("fills", 2, 4.28125, 1, 1);
        ServiceWork over = out("over", 1, 0.0000625, 1, 1);
        List<ProvisionalChange> changes = admit(4.28125, 50, List.of(fills, over));
        assertEquals("over budget: costs 0.0000625 per hour, 0.0000 of the 4.2813 budget per hour is left after "
                + "higher priority changes", changes.get(1).deferredReason());
        assertEquals(Decimals.text(4.28125), "4.2813");
    }

    /** The service's lines launching at these times, its cost shared among them. */
    private static ServiceWork launching(ServiceWork w, Instant... launchAt) {
        w.pending.clear();
        for (Instant at : launchAt) {
            w.pending.add(new PendingChange(ChangeAction.SCALE_OUT, "m.large", "eu-west-1", 1,
                    PurchaseOption.ON_DEMAND, new ResourceVector(2.0, 0, 0, 0), w.costPerHour / launchAt.length,
                    at, at, w.costPerHour / launchAt.length, 0, Duration.ZERO, Duration.ZERO));
        }
        return w;
    }

    @Test
    void admit_budget_chargesOnlyServicesDueThisCycleAndThoseWhole() {
        Duration cycle = Duration.ofMinutes(30);
        // Critical, but launching in three days: the gate weighs it then, so it takes none of this cycle's budget.
        ServiceWork later = launching(out("later", 100, 1.6, 1, 1), T0.plus(Duration.ofDays(3)));
        // Due: launching in 23 minutes, before the next cycle.
        ServiceWork soon = launching(out("soon", 10, 0.8, 1, 1), T0.plusSeconds(23 * 60));
        // One line due, one in two hours: charged whole (0.2), as the gate charges a due service.
        ServiceWork split = launching(out("split", 5, 0.2, 1, 2), T0.plusSeconds(10 * 60), T0.plusSeconds(7200));
        // At exactly the next cycle: not due (the gate's launch_at before now + cycle).
        ServiceWork edge = launching(out("edge", 2, 5, 1, 1), T0.plus(cycle));
        ServiceWork last = launching(out("last", 1, 0.8, 1, 1), T0);

        List<ProvisionalChange> changes = admit(1.7, cycle, 50, List.of(later, soon, split, edge, last));

        assertEquals(List.of("later", "soon", "split", "split", "edge", "last"), services(changes));
        assertEquals(List.of(ChangeStatus.PROPOSED, ChangeStatus.PROPOSED, ChangeStatus.PROPOSED,
                ChangeStatus.PROPOSED, ChangeStatus.PROPOSED, ChangeStatus.DEFERRED),
                changes.stream().map(ProvisionalChange::status).toList());
        assertEquals("over budget: costs 0.8000 per hour, 0.7000 of the 1.7000 budget per hour is left after higher priority "
                + "changes", changes.get(5).deferredReason());
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, later.outcome);
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, soon.outcome);
    }

    @Test
    void admit_changeLimit_countsEveryLineOfAServiceAndEveryScaleIn() {
        ServiceWork two = out("two", 3, 0.1, 1, 2);
        ServiceWork three = out("three", 2, 0.1, 1, 3);
        ServiceWork one = out("one", 1, 0.1, 1, 1);
        ServiceWork idle = in("idle", 0.2);
        ServiceWork idle2 = in("idle2", 0.1);
        eligibleSince.put("idle", EARLIER);
        eligibleSince.put("idle2", EARLIER);
        // Limit 4: two takes 2; three (3 more) would make 5; one makes 3; idle makes 4; idle2 would make 5.
        List<ProvisionalChange> changes = admit(100, 4, List.of(two, three, one, idle, idle2));
        assertEquals(List.of("two", "two", "three", "three", "three", "one", "idle", "idle2"), services(changes));
        assertEquals(ChangeStatus.DEFERRED, changes.get(2).status());
        assertEquals("change limit: needs 3 changes, 2 of the 4 changes allowed per cycle are left",
                changes.get(2).deferredReason());
        assertEquals(ChangeStatus.PROPOSED, changes.get(5).status());
        assertEquals(ChangeStatus.PROPOSED, changes.get(6).status());
        assertEquals(ChangeStatus.DEFERRED, changes.get(7).status());
        assertEquals("change limit: needs 1 changes, 0 of the 4 changes allowed per cycle are left",
                changes.get(7).deferredReason());
        assertEquals(ServiceDecision.Outcome.SCALE_IN, idle.outcome);
        assertEquals(ServiceDecision.Outcome.DEFERRED, idle2.outcome);
        assertNull(eligibleSince.get("idle"), "an admitted scale-in starts its eligibility over");
        assertEquals(EARLIER, eligibleSince.get("idle2"), "a deferred one keeps it");
        assertEquals(T0, lastChange.get("idle"));
        assertTrue(three.changes.stream().allMatch(c -> c.change().status() == ChangeStatus.DEFERRED));
        assertEquals(3, three.changes.size());
    }

    @Test
    void admit_changeLimitFilledExactly_admitted() {
        ServiceWork one = out("one", 1, 0.1, 1, 1);
        List<ProvisionalChange> changes = admit(100, 3, List.of(out("two", 2, 0.1, 1, 2), one));
        assertEquals(List.of(ChangeStatus.PROPOSED, ChangeStatus.PROPOSED, ChangeStatus.PROPOSED),
                changes.stream().map(ProvisionalChange::status).toList());
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, one.outcome);
    }

    @Test
    void admit_workWithoutAPlanOrWithoutPendingChanges_writesNothing() {
        ServiceWork planless = new ServiceWork("planless", null);
        planless.policy = weight(1);
        planless.pending.add(line(ChangeAction.SCALE_OUT, 1, 0.1, 0));
        ServiceWork empty = out("empty", 1, 0.1, 1, 0);
        assertEquals(List.of(), admit(100, 50, List.of(planless, empty)));
        assertNull(planless.outcome);
        assertNull(empty.outcome);
    }
}
