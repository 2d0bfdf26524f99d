package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.Figures.num;
import static io.fleetpredict.core.projection.Figures.quantileName;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.internal.Hours;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Buys what the services that run short are missing: one {@link CapacityPlanner} call for all of them
 * (most important first), each plan line a pending scale-out needed by the first short step minus the
 * SLA's lead time and launched the boot time before that, with its cost over the short span and the
 * weighted expected shortfall it removes.
 */
final class ScaleOutPlanner {


    private final List<CapacityOffer> offers;
    private final List<ExistingCapacity> idle;
    private final CapacityPlanner planner;
    private final double penaltyPerWeight;
    private final Logger log;

    /** Takes the logger of the facade, whose name users configure and look for. */
    ScaleOutPlanner(List<CapacityOffer> offers, List<ExistingCapacity> idle, CapacityPlanner planner,
            double penaltyPerWeight, Logger log) {
        this.offers = offers;
        this.idle = idle;
        this.planner = planner;
        this.penaltyPerWeight = penaltyPerWeight;
        this.log = log;
    }

    /**
     * Plans the scale-outs: a service with a plan gets its pending changes, cost, risk removed and reason;
     * one no plan can serve within its SLA limits is infeasible.
     */
    void plan(Collection<ServiceWork> works, Instant now, List<ForecastStep> steps) {
        List<ServiceWork> short_ = works.stream()
                .filter(w -> w.forecast && (w.firstShort >= 0 || w.baseMissing > 0))
                .sorted(Comparator.comparingDouble((ServiceWork w) -> -w.policy.weight()).thenComparing(w -> w.name))
                .toList();
        if (short_.isEmpty()) {
            return;
        }
        List<ServiceDemand> demands = new ArrayList<>();
        for (ServiceWork w : short_) {
            TierPolicy p = w.policy;
            CapacityLimits limits = CapacityLimits.of(p.maxSpotShare(), w.baseMissing,
                    p.allowedInstanceFamilies() == null ? Set.of() : new LinkedHashSet<>(p.allowedInstanceFamilies()),
                    p.allowedRegions() == null ? Set.of() : new LinkedHashSet<>(p.allowedRegions()));
            // Shortfalls within rounding of the capacity are not worth an instance.
            ResourceVector missing = w.requirement.minusClamped(ResourceVectors.scale(w.capacity, 1 + Figures.EPS));
            // The share is the service's: the cores it runs count with what is bought.
            demands.add(ServiceDemand.of(w.name, missing, limits, penaltyPerWeight * p.weight())
                    .inService(w.spotCores, w.totalCores - w.spotCores));
        }
        CapacityPlan plan = planner.plan(demands, offers, idle);
        for (int i = 0; i < short_.size(); i++) {
            ServiceWork w = short_.get(i);
            ServicePlan sp = plan.services().get(i);
            if (sp instanceof ServicePlan.Infeasible inf) {
                w.outcome = ServiceDecision.Outcome.INFEASIBLE;
                w.reason = inf.detail();
                w.infeasibility = inf.reason();
                log.warn("{}: no capacity plan within the SLA limits: {}", w.name, inf.detail());
                continue;
            }
            ServicePlan.Planned planned = (ServicePlan.Planned) sp;
            if (planned.lines().isEmpty()) {
                continue;
            }
            w.plan = planned;
            // The penalty chose the offers; the change is charged (budget, gate) what it will be billed.
            w.costPerHour = planned.pricePerHour();
            w.riskRemoved = riskRemoved(w, planned.provided());
            w.reason = reason(w);
            ForecastStep need = w.firstShort >= 0 ? steps.get(w.firstShort) : steps.get(0);
            Instant keepsLead = w.firstShort >= 0 ? Instants.minusClamped(need.start(), w.policy.leadTime()) : now;
            Instant neededBy = max(now, keepsLead);
            // A plan made less than the lead time before the demand cannot keep all of it; the part it could not
            // keep is recorded as given up, so that a deferral never gives it up a second time.
            Duration late = Duration.between(keepsLead, neededBy);
            Duration givenUp = late.compareTo(w.policy.leadTime()) > 0 ? w.policy.leadTime() : late;
            Instant until = w.lastShort >= 0 ? steps.get(w.lastShort).end() : steps.get(steps.size() - 1).end();
            for (PlanLine line : planned.lines()) {
                w.pending.add(change(line, neededBy, until, now, givenUp));
            }
        }
    }

    private static PendingChange change(PlanLine line, Instant neededBy, Instant until, Instant now,
            Duration leadTimeGivenUp) {
        String type;
        String region;
        PurchaseOption option;
        Duration boot;
        if (line instanceof PlanLine.Purchase p) {
            type = p.offer().instanceType();
            region = p.offer().region();
            option = p.offer().purchaseOption();
            boot = p.offer().bootTime();
        } else {
            PlanLine.Reuse r = (PlanLine.Reuse) line;
            type = r.source().instanceType();
            region = r.source().region();
            option = PurchaseOption.RESERVED;
            boot = Duration.ZERO;
        }
        Instant launchAt = max(now, Instants.minusClamped(neededBy, boot));
        // A launch after the end of the span is paid for no time at all.
        double hours = Math.max(0, Hours.of(Duration.between(launchAt, until)));
        return new PendingChange(ChangeAction.SCALE_OUT, type, region, line.count(), option, line.capacity(),
                line.pricePerHour(), neededBy, launchAt, line.pricePerHour() * hours, 0, boot, leadTimeGivenUp);
    }

    /** Weighted expected shortfall removed, each resource relative to its requirement. */
    private static double riskRemoved(ServiceWork w, ResourceVector added) {
        double risk = 0;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            double need = w.requirement.get(r);
            if (need <= 0) {
                continue;
            }
            // RequirementCalculator summarises every service with a requirement.
            double[] median = Objects.requireNonNull(w.median);
            double[] sigma = Objects.requireNonNull(w.sigma);
            double before = NormalQuantiles.expectedShortfall(median[r], sigma[r], w.capacity.get(r));
            double after = NormalQuantiles.expectedShortfall(median[r], sigma[r], w.capacity.get(r) + added.get(r));
            risk += (before - after) / need;
        }
        return w.policy.weight() * risk;
    }

    /** Names the resource furthest short, relative to its requirement, or the missing on-demand base. */
    private static String reason(ServiceWork w) {
        int worst = -1;
        double worstGap = 0;
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            double need = w.requirement.get(r);
            if (need > w.capacity.get(r) + Figures.EPS) {
                double gap = (need - w.capacity.get(r)) / need;
                if (worst < 0 || gap > worstGap) {
                    worst = r;
                    worstGap = gap;
                }
            }
        }
        TierPolicy p = w.policy;
        if (worst < 0) {
            return String.format(Locale.ROOT, "%s tier keeps at least %d on-demand instances, %d in service",
                    w.tier, p.minOnDemandCount(), w.nonSpotCount);
        }
        String maint = w.maintenance.get(worst) > 0
                ? String.format(Locale.ROOT, " and %s %s removed by maintenance", num(w.maintenance.get(worst)),
                        ResourceVectors.symbol(worst))
                : "";
        return String.format(Locale.ROOT, "%s tier: %s forecast plus %s%% headroom%s needs %s %s of %s, %s in service",
                w.tier, quantileName(p.forecastQuantile()), num(p.headroomFraction() * 100), maint,
                num(w.requirement.get(worst)), ResourceVectors.symbol(worst),
                ResourceVectors.type(worst).jsonName(), num(w.capacity.get(worst)));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
