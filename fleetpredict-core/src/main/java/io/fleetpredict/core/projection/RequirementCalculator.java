package io.fleetpredict.core.projection;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.ExpectedImpact;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Works out, per service, what it has and what it needs: its SLA policy and tier, its capacity, and its
 * requirement in every predicted step (at the SLA's forecast quantile, the upper requirement at the higher
 * of that quantile and the 99th percentile, headroom and maintenance included), summarised into the
 * requirement scale-out must meet, the steps that run short, and the upper requirement over the scale-in
 * window.
 */
final class RequirementCalculator {


    private final SlaPolicies sla;
    private final Duration maxBootTime;

    /**
     * Takes the SLA policies, and from the offers the longest boot time, which bounds how early a
     * near-term step must be bought.
     */
    RequirementCalculator(SlaPolicies sla, List<CapacityOffer> offers) {
        this.sla = sla;
        this.maxBootTime = offers.stream().map(CapacityOffer::bootTime).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * The working figures of every service in the fleet or in a step's breakdown, in fleet order and then
     * in the order the steps name them.
     */
    Map<String, ServiceWork> works(List<ForecastStep> steps, FleetState current, List<FleetEvent> events,
            Instant now) {
        List<FleetEvent> maintenance = events.stream()
                .filter(e -> e.type() == EventType.MAINTENANCE && e.expectedImpact() != null).toList();
        Map<String, ServiceWork> works = new LinkedHashMap<>();
        for (ServiceState s : current.services()) {
            works.put(s.name(), new ServiceWork(s.name(), s));
        }
        for (ForecastStep step : steps) {
            if (step.doc().services() != null) {
                for (ServiceRequirements r : step.doc().services()) {
                    works.computeIfAbsent(r.service(), n -> new ServiceWork(n, null));
                }
            }
        }
        ResourceVector fleetCapacity = ResourceVector.ZERO;
        for (ServiceWork w : works.values()) {
            describe(w);
            fleetCapacity = fleetCapacity.plus(w.capacity);
        }
        for (ServiceWork w : works.values()) {
            List<Need> needs = new ArrayList<>();
            for (ForecastStep step : steps) {
                needs.add(need(w, step, works.size(), fleetCapacity, maintenance, current));
            }
            summarise(w, needs, steps, now);
        }
        return works;
    }

    /** A service's requirement in one step, canonical units, headroom and maintenance included. */
    private record Need(ResourceVector atQuantile, ResourceVector upper, ResourceVector median, ResourceVector sigma,
            ResourceVector maintenance) {
    }

    private TierPolicy policy(ServiceWork w) {
        boolean listed = sla.services().stream().anyMatch(s -> s.service().equals(w.name));
        if (listed) {
            w.tier = sla.services().stream().filter(s -> s.service().equals(w.name)).findFirst().orElseThrow().tier();
            return sla.effectivePolicy(w.name);
        }
        if (w.state != null && sla.tiers().containsKey(w.state.slaTier())) {
            w.tier = w.state.slaTier();
        } else {
            w.tier = sla.defaultTier();
        }
        return Objects.requireNonNull(sla.tiers().get(w.tier)); // the default tier is defined, by SlaPolicies
    }

    private void describe(ServiceWork w) {
        w.policy = policy(w);
        ResourceVector capacity = ResourceVector.ZERO;
        if (w.state != null) {
            for (InstanceGroup g : w.state.instanceGroups()) {
                ResourceVector per = ResourceVectors.of(g.capacityPerInstance());
                capacity = capacity.plus(per.times(g.count()));
                w.count += g.count();
                if (g.purchaseOption() == PurchaseOption.SPOT) {
                    w.spotCores += per.cpuCores() * g.count();
                } else {
                    w.nonSpotCount += g.count();
                }
                w.totalCores += per.cpuCores() * g.count();
            }
        }
        w.capacity = capacity;
    }

    /** The service's need in one step, or {@code null} when the step's breakdown leaves the service out. */
    private static @Nullable Need need(ServiceWork w, ForecastStep step, int serviceCount, ResourceVector fleetCapacity,
            List<FleetEvent> maintenance, FleetState current) {
        List<ResourceRequirement> reqs;
        double[] share = {1, 1, 1, 1};
        if (step.doc().services() != null) {
            reqs = step.doc().services().stream().filter(s -> s.service().equals(w.name)).findFirst()
                    .map(ServiceRequirements::resourceRequirements).orElse(null);
            if (reqs == null) {
                return null;
            }
        } else {
            reqs = step.doc().resourceRequirements();
            for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                double total = fleetCapacity.get(r);
                share[r] = total > 0 ? w.capacity.get(r) / total : 1.0 / serviceCount;
            }
        }
        // A calibrated requirement is already at the level the SLA target calls for: its quantity as it is,
        // with no quantile or headroom on top.
        boolean calibrated = step.calibrated();
        w.calibrated |= calibrated;
        double q = w.policy.forecastQuantile();
        double upperQ = Math.max(q, 0.99);
        double grow = calibrated ? 1 : 1 + w.policy.headroomFraction();
        double[] atQ = new double[4];
        double[] up = new double[4];
        double[] med = new double[4];
        double[] sig = new double[4];
        for (ResourceRequirement r : reqs) {
            int i = ResourceVectors.index(r.resourceType());
            if (calibrated) {
                atQ[i] = r.amount().inCanonicalUnit().amount() * share[i];
                up[i] = atQ[i];
            } else {
                atQ[i] = NormalQuantiles.at(r, q) * share[i] * grow;
                up[i] = NormalQuantiles.at(r, upperQ) * share[i] * grow;
            }
            med[i] = NormalQuantiles.at(r, 0.5) * share[i] * grow;
            sig[i] = NormalQuantiles.sigma(r) * share[i] * grow;
        }
        ResourceVector removed = maintenance(w, step, maintenance, current);
        return new Need(ResourceVectors.of(atQ).plus(removed), ResourceVectors.of(up).plus(removed),
                ResourceVectors.of(med).plus(removed), ResourceVectors.of(sig), removed);
    }

    /**
     * Capacity that maintenance overlapping the step takes from the service. Resources removed from
     * several services are shared in proportion to their capacity; removed instances are instances of
     * the service's average size.
     */
    private static ResourceVector maintenance(ServiceWork w, ForecastStep step, List<FleetEvent> maintenance,
            FleetState current) {
        double[] removed = new double[4];
        for (FleetEvent e : maintenance) {
            boolean overlaps = e.start().isBefore(step.end()) && e.end().isAfter(step.start())
                    || step.start().equals(step.end()) && !e.start().isAfter(step.start())
                            && e.end().isAfter(step.start());
            if (!overlaps || !e.appliesTo(w.name)) {
                continue;
            }
            // calculate() keeps the maintenance that declares an impact; the impact states exactly one amount.
            ExpectedImpact impact = Objects.requireNonNull(e.expectedImpact());
            Integer instances = impact.instancesRemoved();
            if (instances != null) {
                if (w.count > 0) {
                    ResourceVector average = ResourceVectors.scale(w.capacity,
                            (double) instances / w.count);
                    add(removed, average);
                }
            } else {
                ResourceVector total = ResourceVectors.of(Objects.requireNonNull(impact.capacityRemoved()));
                ResourceVector inScope = ResourceVector.ZERO;
                int members = 0;
                for (ServiceState s : current.services()) {
                    if (e.appliesTo(s.name())) {
                        inScope = inScope.plus(capacityOf(s));
                        members++;
                    }
                }
                for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                    double share = inScope.get(r) > 0 ? w.capacity.get(r) / inScope.get(r)
                            : members > 0 && w.state != null ? 1.0 / members : 0;
                    removed[r] += total.get(r) * share;
                }
            }
        }
        return ResourceVectors.of(removed);
    }

    private static void add(double[] into, ResourceVector v) {
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            into[r] += v.get(r);
        }
    }

    private static ResourceVector capacityOf(ServiceState s) {
        ResourceVector c = ResourceVector.ZERO;
        for (InstanceGroup g : s.instanceGroups()) {
            c = c.plus(ResourceVectors.of(g.capacityPerInstance()).times(g.count()));
        }
        return c;
    }

    private void summarise(ServiceWork w, List<Need> needs, List<ForecastStep> steps, Instant now) {
        ResourceVector req = ResourceVector.ZERO;
        ResourceVector maint = ResourceVector.ZERO;
        w.median = new double[4];
        w.sigma = new double[4];
        for (int i = 0; i < steps.size(); i++) {
            Need n = needs.get(i);
            if (n == null) {
                continue;
            }
            w.forecast = true;
            for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
                if (n.atQuantile.get(r) > req.get(r)) {
                    w.median[r] = n.median.get(r);
                    w.sigma[r] = n.sigma.get(r);
                }
            }
            if (w.calibrated && !steps.get(i).start().isBefore(Instants.plusClamped(Instants.plusClamped(
                    Instants.plusClamped(now, maxBootTime), w.policy.leadTime()), steps.get(i).decisionInterval()))) {
                // A near-term step a launch made at the next cycle still serves in time: its capacity is bought then.
                continue;
            }
            req = ResourceVectors.max(req, n.atQuantile);
            maint = ResourceVectors.max(maint, n.maintenance);
            if (!ResourceVectors.fitsWithin(n.atQuantile, ResourceVectors.scale(w.capacity, 1 + Figures.EPS))) {
                if (w.firstShort < 0) {
                    w.firstShort = i;
                }
                w.lastShort = i;
            }
        }
        w.requirement = req;
        w.maintenance = maint;
        w.upper = ResourceVector.ZERO;
        Instant windowEnd = Instants.plusClamped(now, w.policy.scaleInWindow());
        for (int i = 0; i < steps.size(); i++) {
            ForecastStep s = steps.get(i);
            boolean last = i == steps.size() - 1;
            // The near term reaches boot time plus cooldown: all of it must stay under what a release leaves.
            boolean inWindow = s.start().isBefore(windowEnd) && (s.end().isAfter(now) || last) || i == 0
                    || w.calibrated;
            if (inWindow) {
                Need n = needs.get(i);
                if (n == null) {
                    w.upperComplete = false;
                } else {
                    w.upper = ResourceVectors.max(w.upper, n.upper);
                }
            }
        }
        w.baseMissing = Math.max(0, w.policy.minOnDemandCount() - w.nonSpotCount);
    }
}
