package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.ProjectionFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.CatalogueOffer;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServicePolicy;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Invariants of the projection over many random fleets, policies, catalogues and predictions. */
class ProjectionPropertyTest {

    private static final String[] FAMILIES = {"m6i", "c6i", "r6i"};
    private static final double[] GIB_PER_CORE = {4, 2, 8};
    private static final double[] PRICE_PER_CORE = {0.0535, 0.0483, 0.0630};
    private static final String[] SIZES = {"large", "xlarge", "2xlarge"};
    private static final int[] CORES = {2, 4, 8};
    private static final String[] REGIONS = {"eu-west-1", "eu-central-1"};
    private static final String[] TIERS = {"critical", "standard", "best_effort"};
    private static final int CASES = 300;
    private static final double EPS = 1e-6;

    /** A random fleet with its policies and catalogue. */
    record Case(InstanceCatalogue catalogue, SlaPolicies sla, FleetState fleet, List<String> services) {
    }

    static Case randomCase(Random rnd) {
        List<CatalogueOffer> offers = new ArrayList<>();
        for (int f = 0; f < FAMILIES.length; f++) {
            for (int s = 0; s < SIZES.length; s++) {
                for (String region : REGIONS) {
                    double od = CORES[s] * PRICE_PER_CORE[f] * (0.9 + 0.2 * rnd.nextDouble());
                    Double spot = rnd.nextDouble() < 0.8 ? od * (0.25 + 0.2 * rnd.nextDouble()) : null;
                    offers.add(new CatalogueOffer(FAMILIES[f] + "." + SIZES[s], FAMILIES[f], region, CORES[s],
                            CORES[s] * GIB_PER_CORE[f], 2.5 * CORES[s], 0, od, spot,
                            spot == null ? 0 : 0.002 + 0.008 * rnd.nextDouble(),
                            Duration.ofSeconds(60 + rnd.nextInt(60))));
                }
            }
        }
        Map<String, TierPolicy> tiers = new LinkedHashMap<>();
        double[] weights = {100, 10, 1};
        for (int t = 0; t < TIERS.length; t++) {
            tiers.put(TIERS[t], randomPolicy(rnd, weights[t]));
        }
        int n = 2 + rnd.nextInt(7);
        List<ServiceState> services = new ArrayList<>();
        List<ServicePolicy> entries = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "svc-" + i;
            String tier = TIERS[rnd.nextInt(TIERS.length)];
            names.add(name);
            TierPolicy p = tiers.get(tier);
            if (rnd.nextDouble() < 0.3) {
                entries.add(new ServicePolicy(name, tier, null, null, null, null, null,
                        List.of(FAMILIES[rnd.nextInt(3)]), null, null, null, null));
                p = entries.get(entries.size() - 1).over(p);
            }
            // Start compliant: on-demand instances of an allowed family and region, at least the base.
            String family = p.allowedInstanceFamilies() == null ? FAMILIES[rnd.nextInt(3)]
                    : p.allowedInstanceFamilies().get(rnd.nextInt(p.allowedInstanceFamilies().size()));
            int f = List.of(FAMILIES).indexOf(family);
            String region = p.allowedRegions() == null ? REGIONS[rnd.nextInt(2)] : p.allowedRegions().get(0);
            int size = rnd.nextInt(SIZES.length);
            int count = p.minOnDemandCount() + rnd.nextInt(5);
            services.add(new ServiceState(name, tier, List.of(new InstanceGroup(family + "." + SIZES[size], region,
                    PurchaseOption.ON_DEMAND, count, ProjectionFixtures.perInstance(CORES[size],
                            CORES[size] * GIB_PER_CORE[f]))), List.of()));
        }
        return new Case(new InstanceCatalogue(1, offers), new SlaPolicies(1, "standard", tiers, entries),
                new FleetState(1, "shop-eu", 1, T0, services), names);
    }

    static TierPolicy randomPolicy(Random rnd, double weight) {
        List<String> families = null;
        if (rnd.nextBoolean()) {
            families = new ArrayList<>(List.of(FAMILIES));
            java.util.Collections.shuffle(families, rnd);
            families = List.copyOf(families.subList(0, 1 + rnd.nextInt(3)));
        }
        List<String> regions = rnd.nextBoolean() ? null : List.of(REGIONS[rnd.nextInt(2)]);
        return new TierPolicy(weight, 0.5 + 0.499 * rnd.nextDouble(), 0.3 * rnd.nextDouble(),
                rnd.nextDouble() < 0.2 ? 0 : rnd.nextDouble(), rnd.nextInt(4), families, regions,
                Duration.ofMinutes(rnd.nextInt(20)), rnd.nextBoolean() ? Duration.ZERO : Duration.ofMinutes(30),
                Duration.ofMinutes(rnd.nextInt(3) * 10));
    }

    static PredictedFleetState randomPrediction(Random rnd, FleetState fleet, Instant from) {
        Map<String, List<ResourceRequirement>> per = new LinkedHashMap<>();
        for (ServiceState s : fleet.services()) {
            ResourceVector c = s.instanceGroups().stream()
                    .map(g -> ResourceVectors.of(g.capacityPerInstance()).times(g.count()))
                    .reduce(ResourceVector.ZERO, ResourceVector::plus);
            double base = Math.max(1, c.cpuCores()) * (0.2 + 2.3 * rnd.nextDouble());
            double p90 = base * (1 + 0.3 * rnd.nextDouble());
            double p99 = p90 * (1 + 0.3 * rnd.nextDouble());
            double mem = Math.max(1, c.memoryGiB()) * (0.2 + 2 * rnd.nextDouble());
            per.put(s.name(), List.of(ProjectionFixtures.cpu(base, p90, p99),
                    new ResourceRequirement(ResourceType.MEMORY, mem, ResourceUnit.GIB, null, null, null)));
        }
        return ProjectionFixtures.predicted(from, Duration.ofMinutes(30), per);
    }

    static ProjectionEngine engine(Case c, Instant now, double budget, CapacityPlanner.Strategy strategy) {
        return ProjectionEngine.builder().slaPolicies(c.sla).offers(CapacityOffers.fromCatalogue(c.catalogue))
                .budgetPerHour(budget).maxChangesPerCycle(1000)
                .planner(CapacityPlanner.builder().strategy(strategy).build()).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    static String family(String instanceType) {
        return instanceType.substring(0, instanceType.indexOf('.'));
    }

    @Test
    void project_randomFleets_neverBreakAnSlaLimit() {
        int checks = 0;
        int scaleOuts = 0;
        int scaleIns = 0;
        int infeasible = 0;
        List<String> violations = new ArrayList<>();
        for (int seed = 0; seed < CASES; seed++) {
            Random rnd = new Random(seed);
            Case c = randomCase(rnd);
            FleetState fleet = c.fleet;
            ProjectionState state = ProjectionState.empty();
            for (int cycle = 0; cycle < 3; cycle++) {
                Instant now = T0.plus(Duration.ofMinutes(40L * cycle));
                // The greedy solver keeps this fast; both solvers' limits are tested in CapacitySolverPropertyTest.
                Projection p = engine(c, now, Double.POSITIVE_INFINITY, CapacityPlanner.Strategy.FAST)
                        .project(List.of(randomPrediction(rnd, fleet, now)), fleet, List.of(), state);
                state = p.nextState();
                for (ProjectedChange pc : p.changes()) {
                    // The document carries the engine's total cost; a scale-in adds no cost.
                    checks++;
                    Double total = pc.change().estimatedTotalCost();
                    if (total == null || total != pc.estimatedTotalCost()
                            || pc.change().action() == ChangeAction.SCALE_IN && total != 0) {
                        violations.add(seed + ": total cost " + total + " of " + pc);
                    }
                }
                if (cycle == 0) {
                    assertEquals(Set.of(), ProjectionFixtures.provisionalSchemaErrors(Documents.write(p.document())));
                }
                fleet = ProjectionFixtures.apply(fleet, p.document().provisionalChanges(), now);
                for (ServiceDecision d : p.decisions()) {
                    TierPolicy policy = c.sla.services().stream().anyMatch(e -> e.service().equals(d.service()))
                            ? c.sla.effectivePolicy(d.service()) : c.sla.tiers().get(d.tier());
                    switch (d.outcome()) {
                        case SCALE_OUT -> scaleOuts++;
                        case SCALE_IN -> scaleIns++;
                        case INFEASIBLE -> infeasible++;
                        default -> { }
                    }
                    if (d.outcome() == ServiceDecision.Outcome.INFEASIBLE) {
                        continue;
                    }
                    ServiceState s = fleet.services().stream().filter(x -> x.name().equals(d.service()))
                            .findFirst().orElseThrow();
                    for (ProvisionalChange ch : p.document().provisionalChanges()) {
                        if (ch.service().equals(d.service()) && ch.action() == ChangeAction.SCALE_OUT) {
                            checks += 2;
                            if (policy.allowedInstanceFamilies() != null
                                    && !policy.allowedInstanceFamilies().contains(family(ch.instanceType()))) {
                                violations.add(seed + ": family " + ch);
                            }
                            if (policy.allowedRegions() != null && !policy.allowedRegions().contains(ch.region())) {
                                violations.add(seed + ": region " + ch);
                            }
                        }
                    }
                    double spotCores = 0;
                    double cores = 0;
                    int onDemand = 0;
                    ResourceVector capacity = ResourceVector.ZERO;
                    for (InstanceGroup g : s.instanceGroups()) {
                        ResourceVector per = ResourceVectors.of(g.capacityPerInstance());
                        capacity = capacity.plus(per.times(g.count()));
                        cores += per.cpuCores() * g.count();
                        if (g.purchaseOption() == PurchaseOption.SPOT) {
                            spotCores += per.cpuCores() * g.count();
                        } else {
                            onDemand += g.count();
                        }
                    }
                    checks += 2;
                    if (spotCores > policy.maxSpotShare() * cores + EPS) {
                        violations.add(String.format("%d: spot share %s > %s for %s", seed, spotCores / cores,
                                policy.maxSpotShare(), d.service()));
                    }
                    if (onDemand < policy.minOnDemandCount()) {
                        violations.add(String.format("%d: %d on demand < %d for %s", seed, onDemand,
                                policy.minOnDemandCount(), d.service()));
                    }
                    if (d.outcome() == ServiceDecision.Outcome.SCALE_OUT) {
                        checks++;
                        if (!ResourceVectors.fitsWithin(d.requirement(), ResourceVectors.scale(capacity, 1 + EPS))) {
                            violations.add(seed + ": " + d.service() + " still short after its scale-out");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
        // Not vacuous: many scale-outs, some scale-ins, thousands of checks.
        assertTrue(scaleOuts > 300 && scaleIns > 20 && checks > 5000,
                "scale-outs " + scaleOuts + ", scale-ins " + scaleIns + ", infeasible " + infeasible + ", checks " + checks);
    }

    @Test
    void project_tightBudget_hasNoPriorityInversion() {
        int inversions = 0;
        int deferred = 0;
        int proposed = 0;
        for (int seed = 0; seed < CASES / 2; seed++) {
            Random rnd = new Random(1000 + seed);
            Case c = randomCase(rnd);
            PredictedFleetState prediction = randomPrediction(rnd, c.fleet, T0);
            double unlimitedCost = engine(c, T0, Double.POSITIVE_INFINITY, CapacityPlanner.Strategy.AUTO)
                    .project(List.of(prediction), c.fleet, List.of(), ProjectionState.empty())
                    .document().provisionalChanges().stream().filter(ch -> ch.action() == ChangeAction.SCALE_OUT)
                    .mapToDouble(ProvisionalChange::estimatedCostPerHour).sum();
            double budget = unlimitedCost * rnd.nextDouble();
            Projection p = engine(c, T0, budget, CapacityPlanner.Strategy.AUTO).project(List.of(prediction), c.fleet, List.of(),
                    ProjectionState.empty());

            // One entry per service: its priority, weight, hourly cost and status.
            Map<String, double[]> cost = new HashMap<>();
            Map<String, Integer> priority = new HashMap<>();
            Map<String, ChangeStatus> status = new HashMap<>();
            Map<String, Double> weight = new HashMap<>();
            for (ProvisionalChange ch : p.document().provisionalChanges()) {
                if (ch.action() != ChangeAction.SCALE_OUT) {
                    continue;
                }
                cost.computeIfAbsent(ch.service(), k -> new double[1])[0] += ch.estimatedCostPerHour();
                priority.put(ch.service(), ch.priority());
                status.put(ch.service(), ch.status());
                weight.put(ch.service(), p.decision(ch.service()).orElseThrow().weight());
            }
            double spent = 0;
            for (String s : cost.keySet()) {
                if (status.get(s) == ChangeStatus.PROPOSED) {
                    spent += cost.get(s)[0];
                    proposed++;
                } else {
                    deferred++;
                }
            }
            assertTrue(spent <= budget + EPS, seed + ": spent " + spent + " of " + budget);
            for (String d : cost.keySet()) {
                for (String a : cost.keySet()) {
                    // A heavier SLA weight always ranks first.
                    if (weight.get(d) > weight.get(a) && priority.get(d) > priority.get(a)) {
                        inversions++;
                    }
                }
                if (status.get(d) != ChangeStatus.DEFERRED) {
                    continue;
                }
                double aheadSpent = 0;
                boolean lowerApproved = false;
                for (String a : cost.keySet()) {
                    if (status.get(a) == ChangeStatus.PROPOSED) {
                        if (priority.get(a) < priority.get(d)) {
                            aheadSpent += cost.get(a)[0];
                        } else {
                            lowerApproved = true;
                        }
                    }
                }
                // A deferred change that would have fitted what the higher ranks left, while a lower one is approved.
                if (lowerApproved && cost.get(d)[0] <= budget - aheadSpent - EPS) {
                    inversions++;
                }
            }
        }
        assertEquals(0, inversions);
        assertTrue(deferred > 50 && proposed > 50, "deferred " + deferred + ", proposed " + proposed);
    }
}
