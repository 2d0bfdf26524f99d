package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.Figures.money;

import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.internal.Budgets;
import io.fleetpredict.core.internal.Cycles;
import io.fleetpredict.core.internal.Hours;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Ranks the planned changes and admits them in that order while they fit the hourly budget and the
 * change limit per cycle; a cost fits the budget by {@link Budgets#within}, the rule the cost gate holds its
 * threshold to. Only a service with a scale-out due in this cycle (launching before now plus the cycle) is
 * charged, whole, as the gate charges it; the others are admitted uncharged, since the gate weighs them in
 * the cycle they fall due. Scale-outs come first, by SLA weight and then by cost per unit of risk removed;
 * scale-ins follow, largest saving first, bounded by the change limit alone (they cost nothing). A change
 * that does not fit is written as deferred, with the reason.
 */
final class ChangeRanker {


    private static final Comparator<ServiceWork> SCALE_OUT_ORDER =
            Comparator.comparingDouble((ServiceWork w) -> -w.policy.weight())
                    .thenComparingDouble(w -> w.riskRemoved > 0 ? w.costPerHour / w.riskRemoved
                            : Double.POSITIVE_INFINITY)
                    .thenComparing(w -> w.name);
    private static final Comparator<ServiceWork> SCALE_IN_ORDER =
            Comparator.comparingDouble((ServiceWork w) -> -w.pending.get(0).savingPerHour())
                    .thenComparing(w -> w.name);

    /** The budget the scale-outs of one cycle are held to, per hour: the tighter of the two thresholds. */
    private final double budgetPerHour;
    /** The per-cycle threshold, when it is the tighter one, for the reasons to name; else NaN. */
    private final double budgetPerCycle;
    private final Duration cycle;
    private final int maxChangesPerCycle;
    private final ProvisionalDocumentWriter writer;
    private final Logger log;

    /** Takes the logger of the facade, whose name users configure and look for. */
    ChangeRanker(double budgetPerHour, Duration cycle, int maxChangesPerCycle, ProvisionalDocumentWriter writer,
            Logger log) {
        this(budgetPerHour, Double.POSITIVE_INFINITY, cycle, maxChangesPerCycle, writer, log);
    }

    /**
     * Holds the scale-outs of a cycle to the tighter of a budget per hour and one per cycle (spread over the
     * cycle's hours), and says in a deferral's reason which of the two it was held to.
     */
    ChangeRanker(double budgetPerHour, double budgetPerCycle, Duration cycle, int maxChangesPerCycle,
            ProvisionalDocumentWriter writer, Logger log) {
        double byCycle = budgetPerCycle / Hours.of(cycle);
        this.budgetPerHour = Math.min(budgetPerHour, byCycle);
        this.budgetPerCycle = byCycle < budgetPerHour ? budgetPerCycle : Double.NaN;
        this.cycle = cycle;
        this.maxChangesPerCycle = maxChangesPerCycle;
        this.writer = writer;
        this.log = log;
    }

    /**
     * Admits or defers every planned change and returns the document's changes in priority order. An
     * admitted service's outcome becomes its scale-out or scale-in and its last change now; an admitted
     * scale-in restarts its eligibility; a deferred service's outcome is deferred.
     */
    List<ProvisionalChange> admit(Collection<ServiceWork> works, long version, Instant now,
            Map<String, Instant> lastChange, Map<String, Instant> eligibleSince) {
        List<ServiceWork> outs = works.stream().filter(w -> w.plan != null && !w.pending.isEmpty())
                .sorted(SCALE_OUT_ORDER).toList();
        List<ServiceWork> ins = works.stream().filter(w -> w.scaleIn).sorted(SCALE_IN_ORDER).toList();
        double spent = 0;
        int used = 0;
        int priority = 0;
        List<ProvisionalChange> written = new ArrayList<>();
        for (ServiceWork w : outs) {
            priority++;
            int lines = w.pending.size();
            boolean due = w.pending.stream().anyMatch(p -> Cycles.due(p.launchAt(), now, cycle));
            String deferred = null;
            if (due && !Budgets.within(spent + w.costPerHour, budgetPerHour)) {
                deferred = overBudget(w.costPerHour, spent);
            } else if (used + lines > maxChangesPerCycle) {
                deferred = changeLimitReason(lines, used);
            } else {
                spent += due ? w.costPerHour : 0;
                used += lines;
            }
            settle(w, priority, deferred, version, written, now, lastChange);
        }
        for (ServiceWork w : ins) {
            priority++;
            String deferred = used + 1 > maxChangesPerCycle ? changeLimitReason(1, used) : null;
            if (deferred == null) {
                used++;
                eligibleSince.remove(w.name);
            }
            settle(w, priority, deferred, version, written, now, lastChange);
        }
        if (log.isDebugEnabled()) {
            log.debug("fleet version {}: {} changes, {} per hour of the {} budget, {} of {} changes per cycle",
                    version, written.size(), spent, budgetPerHour, used, maxChangesPerCycle);
        }
        return written;
    }

    /**
     * Why a service's scale-outs wait for budget, in the unit of the threshold that holds them: per hour, or,
     * when the per-cycle threshold is the tighter, per cycle (what a cycle's changes cost over its length).
     */
    private String overBudget(double costPerHour, double spent) {
        // Money is written as the command line and the cost gate write it, so one amount reads the same in a plan.
        if (Double.isNaN(budgetPerCycle)) {
            return String.format(Locale.ROOT, "over budget: costs %s per hour, %s of the %s budget per hour is left "
                    + "after higher priority changes", money(costPerHour), money(Math.max(0, budgetPerHour - spent)),
                    money(budgetPerHour));
        }
        double hours = Hours.of(cycle);
        return String.format(Locale.ROOT, "over budget: costs %s per %s cycle (%s per hour), %s of the %s budget per "
                + "cycle is left after higher priority changes", money(costPerHour * hours), cycle, money(costPerHour),
                money(Math.max(0, budgetPerCycle - spent * hours)), money(budgetPerCycle));
    }

    private String changeLimitReason(int lines, int used) {
        return String.format(Locale.ROOT,
                "change limit: needs %d changes, %d of the %d changes allowed per cycle are left", lines,
                Math.max(0, maxChangesPerCycle - used), maxChangesPerCycle);
    }

    /** Writes the service's changes with the status admission gave them, then records the outcome. */
    private void settle(ServiceWork w, int priority, @Nullable String deferred, long version, List<ProvisionalChange> written,
            Instant now, Map<String, Instant> lastChange) {
        writer.write(w, priority, deferred, version, written);
        if (deferred == null) {
            lastChange.put(w.name, now);
            w.outcome = w.scaleIn ? ServiceDecision.Outcome.SCALE_IN : ServiceDecision.Outcome.SCALE_OUT;
        } else {
            w.outcome = ServiceDecision.Outcome.DEFERRED;
            w.reason = w.reason + "; deferred: " + deferred;
        }
    }
}
