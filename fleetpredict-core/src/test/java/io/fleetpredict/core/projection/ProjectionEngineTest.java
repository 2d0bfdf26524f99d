package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.ProjectionFixtures.T0;
import static io.fleetpredict.core.projection.ProjectionFixtures.catalogue;
import static io.fleetpredict.core.projection.ProjectionFixtures.cpu;
import static io.fleetpredict.core.projection.ProjectionFixtures.fleet;
import static io.fleetpredict.core.projection.ProjectionFixtures.group;
import static io.fleetpredict.core.projection.ProjectionFixtures.memory;
import static io.fleetpredict.core.projection.ProjectionFixtures.predicted;
import static io.fleetpredict.core.projection.ProjectionFixtures.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.ExpectedImpact;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectionEngineTest {

    private static final double TOL = 1e-9;

    static ProjectionEngine engine(Instant now) {
        return engine(now, SlaDefaults.policies());
    }

    static ProjectionEngine engine(Instant now, SlaPolicies sla) {
        return ProjectionEngine.builder().slaPolicies(sla).offers(CapacityOffers.fromCatalogue(catalogue()))
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    @Test
    void project_criticalShortfall_buysCheapestOnDemandWithTimingAndCost() {
        FleetState fleet = fleet(41, T0, service("checkout", "critical",
                group("m6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 32)));
        PredictedFleetState p = predicted(T0.plusSeconds(15 * 60), Duration.ofMinutes(30),
                Map.of("checkout", List.of(cpu(90, 101, 118), memory(250))));

        Projection projection = engine(T0).project(List.of(p), fleet, List.of(), ProjectionState.empty());

        // Hand computation: p99 118 cores x 1.2 headroom = 141.6 needed, 80 in service: 61.6 cores short,
        // so 8 instances of 8 cores; critical allows no spot; c6i.2xlarge on demand (0.386) is the cheapest.
        ServiceDecision d = projection.decision("checkout").orElseThrow();
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, d.outcome());
        assertEquals(141.6, d.requirement().cpuCores(), TOL);
        assertEquals(300, d.requirement().memoryGiB(), TOL);
        List<ProvisionalChange> changes = projection.document().provisionalChanges();
        assertEquals(1, changes.size());
        ProvisionalChange c = changes.get(0);
        assertEquals("chg-41-1", c.id());
        assertEquals(ChangeAction.SCALE_OUT, c.action());
        assertEquals("c6i.2xlarge", c.instanceType());
        assertEquals(8, c.count());
        assertEquals(PurchaseOption.ON_DEMAND, c.purchaseOption());
        assertEquals(8 * 0.386, c.estimatedCostPerHour(), TOL);
        assertEquals(1, c.priority());
        assertEquals(ChangeStatus.PROPOSED, c.status());
        // needed by = valid_from 17:45 - critical lead time 10 min; launch = 80 s boot earlier.
        assertEquals(Instant.parse("2024-11-29T17:35:00Z"), c.neededBy());
        assertEquals(Instant.parse("2024-11-29T17:33:40Z"), c.launchAt());
        // total = 3.088 per hour from 17:33:40 to valid_until 18:15 (2,480 s): 2.127289, money in the document,
        // rounded as its quantities are.
        assertEquals(2.1273, projection.changes().get(0).estimatedTotalCost(), TOL);
        assertEquals(2.1273, c.estimatedTotalCost(), TOL);
        assertEquals(64, c.resourceDelta().stream().filter(a -> a.type() == ResourceType.CPU)
                .findFirst().orElseThrow().amount(), TOL);
        assertEquals("critical tier: p99 forecast plus 20% headroom needs 141.6 cores of CPU, 80 in service",
                c.slaReason());
        assertEquals(T0.plusSeconds(30 * 60), projection.document().basis().predictedTimestamp());
        assertEquals(41, projection.document().basis().fleetVersion());
        assertEquals(T0, projection.nextState().lastChangeAt().get("checkout"));
    }

    @Test
    void quantile_betweenDocumentedPoints_isExactForANormalForecast() {
        // N(100, 10): p50, p90, p99 from the published standard normal quantiles z(0.90) = 1.2815515655446004,
        // z(0.99) = 2.3263478740408408; z(0.95) = 1.6448536269514722, z(0.999) = 3.090232306167813
        // (Abramowitz and Stegun, table 26.5; the same to 16 digits from scipy.stats.norm.ppf).
        PredictedFleetState p = predicted(T0, Duration.ofMinutes(30), Map.of("catalogue",
                List.of(cpu(100, 100 + 10 * 1.2815515655446004, 100 + 10 * 2.3263478740408408))));
        FleetState fleet = fleet(1, T0, service("catalogue", "standard",
                group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 25, 8, 16)));

        ServiceDecision d = engine(T0).project(List.of(p), fleet, List.of(), ProjectionState.empty())
                .decision("catalogue").orElseThrow();

        assertEquals((100 + 10 * 1.6448536269514722) * 1.1, d.requirement().cpuCores(), 1e-9);
        assertEquals(ServiceDecision.Outcome.STEADY, d.outcome());
        SlaPolicies strict = new SlaPolicies(1, "t", Map.of("t", new TierPolicy(1, 0.999, 0, 1, 0, null, null,
                Duration.ZERO, Duration.ofHours(1), Duration.ZERO)), List.of());
        ServiceDecision extrapolated = engine(T0, strict).project(List.of(p), fleet, List.of(), ProjectionState.empty())
                .decision("catalogue").orElseThrow();
        assertEquals(100 + 10 * 3.090232306167813, extrapolated.requirement().cpuCores(), 1e-9);
    }

    @Test
    void expectedShortfall_normal_matchesClosedForm() {
        // E[(D - c)+] = sigma (phi(k) - k (1 - Phi(k))), k = (c - mu) / sigma; phi(0) = 1 / sqrt(2 pi),
        // phi(1) = 0.24197072451914337, 1 - Phi(1) = 0.15865525393145707 (published normal table values).
        assertEquals(1 / Math.sqrt(2 * Math.PI), NormalQuantiles.expectedShortfall(0, 1, 0), 1e-12);
        assertEquals(10 * (0.24197072451914337 - 0.15865525393145707),
                NormalQuantiles.expectedShortfall(100, 10, 110), 1e-9);
        assertEquals(5, NormalQuantiles.expectedShortfall(105, 0, 100), 0);
    }

    @Test
    void project_maintenanceInsideTheStep_addsRemovedInstancesToTheRequirement() {
        FleetState fleet = fleet(3, T0, service("search", "standard",
                group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 16)));
        PredictedFleetState p = predicted(T0, Duration.ofMinutes(30), Map.of("search", List.of(cpu(60, 60, 60))));
        FleetEvent during = new FleetEvent("m1", EventType.MAINTENANCE, "firmware", T0.plusSeconds(600),
                T0.plusSeconds(3600), List.of("search"), new ExpectedImpact(null, null, null, 2));
        FleetEvent later = new FleetEvent("m2", EventType.MAINTENANCE, "drill", T0.plusSeconds(7200),
                T0.plusSeconds(9000), List.of(), new ExpectedImpact(null, null, null, 5));

        Projection projection = engine(T0).project(p, fleet, new EventFeed(1, List.of(during, later)),
                ProjectionState.empty());

        // 60 cores x 1.1 = 66, plus 2 average instances of 8 cores = 82 > 80: one more instance.
        ServiceDecision d = projection.decision("search").orElseThrow();
        assertEquals(16, d.maintenanceRemoved().cpuCores(), TOL);
        assertEquals(82, d.requirement().cpuCores(), TOL);
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, d.outcome());
        assertTrue(d.reason().contains("16 cores removed by maintenance"), d.reason());
        int added = projection.document().provisionalChanges().stream().mapToInt(ProvisionalChange::count).sum();
        assertEquals(1, added);
    }

    @Test
    void project_lowForecast_scalesInOnlyAfterTheWindowAndWithinTheBand() {
        FleetState fleet = fleet(7, T0, service("search", "standard",
                group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 16)));
        ProjectionState state = ProjectionState.empty();
        Projection projection = null;
        int firstScaleIn = -1;
        for (int minute = 0; minute <= 60; minute += 5) {
            Instant now = T0.plusSeconds(60L * minute);
            PredictedFleetState p = predicted(now, Duration.ofMinutes(30), Map.of("search", List.of(cpu(30, 30, 30))));
            projection = engine(now).project(List.of(p), fleet, List.of(), state);
            state = projection.nextState();
            if (firstScaleIn < 0 && !projection.document().provisionalChanges().isEmpty()) {
                firstScaleIn = minute;
            }
        }
        // The standard tier's scale-in window is one hour: qualified from minute 0, released at minute 60.
        assertEquals(60, firstScaleIn);
        ProvisionalChange c = projection.document().provisionalChanges().get(0);
        assertEquals(ChangeAction.SCALE_IN, c.action());
        // Upper requirement 33 cores must stay within 90 % of what is left: 80 - 8k >= 36.67, so k = 5.
        assertEquals(5, c.count());
        assertEquals(0, c.estimatedCostPerHour(), 0);
        assertEquals(5 * 0.386, projection.changes().get(0).savingPerHour(), TOL);
        assertTrue(state.scaleInEligibleSince().isEmpty());

        FleetState after = ProjectionFixtures.apply(fleet, projection.document().provisionalChanges(),
                T0.plusSeconds(3600));
        Instant later = T0.plusSeconds(65 * 60);
        Projection next = engine(later).project(List.of(predicted(later, Duration.ofMinutes(30),
                Map.of("search", List.of(cpu(30, 30, 30))))), after, List.of(), state);
        assertEquals(List.of(), next.document().provisionalChanges());
        assertEquals(ServiceDecision.Outcome.STEADY, next.decision("search").orElseThrow().outcome());
    }

    @Test
    void project_scaleInRightAfterAChange_waitsForTheCooldown() {
        SlaPolicies sla = new SlaPolicies(1, "t", Map.of("t", new TierPolicy(1, 0.5, 0, 0, 0, null, null,
                Duration.ZERO, Duration.ZERO, Duration.ofMinutes(30))), List.of());
        FleetState fleet = fleet(1, T0, service("api", "t", group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 4, 8, 16)));
        Projection out = engine(T0, sla).project(List.of(predicted(T0, Duration.ofMinutes(10),
                Map.of("api", List.of(cpu(40, 40, 40))))), fleet, List.of(), ProjectionState.empty());
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, out.decision("api").orElseThrow().outcome());
        fleet = ProjectionFixtures.apply(fleet, out.document().provisionalChanges(), T0);
        ProjectionState state = out.nextState();
        int scaleInMinute = -1;
        for (int minute = 5; minute <= 40 && scaleInMinute < 0; minute += 5) {
            Instant now = T0.plusSeconds(60L * minute);
            Projection p = engine(now, sla).project(List.of(predicted(now, Duration.ofMinutes(10),
                    Map.of("api", List.of(cpu(10, 10, 10))))), fleet, List.of(), state);
            state = p.nextState();
            if (p.decision("api").orElseThrow().outcome() == ServiceDecision.Outcome.SCALE_IN) {
                scaleInMinute = minute;
            } else {
                assertTrue(p.decision("api").orElseThrow().reason().contains("cooldown"));
            }
        }
        assertEquals(30, scaleInMinute);
    }

    /**
     * A tier's max_spot_share is a share of the service's CPU cores. On the example, catalogue (standard, 50%)
     * already runs 160 spot cores of 288; the plan buys no spot for it, so the service's share goes down, not
     * up (13 on-demand and 13 spot, half of the purchases, would leave 264 spot cores of 496).
     */
    @Test
    void project_serviceAlreadyOverItsSpotShare_buysNoSpotAndTheServiceShareFalls() {
        Path docs = ProjectionFixtures.docs().resolve("examples");
        FleetState fleet = Documents.read(docs.resolve("fleet-state.json"), FleetState.class);
        PredictedFleetState predicted = Documents.read(docs.resolve("predicted-fleet-state.json"),
                PredictedFleetState.class);
        SlaPolicies sla = Documents.read(docs.resolve("sla-policies.json"), SlaPolicies.class);
        InstanceCatalogue catalogue = Documents.read(docs.resolve("instance-catalogue.json"), InstanceCatalogue.class);
        ProvisionalFleetState plan = ProjectionEngine.builder().slaPolicies(sla)
                .offers(CapacityOffers.fromCatalogue(catalogue)).clock(Clock.fixed(fleet.asOf(), ZoneOffset.UTC))
                .build().project(List.of(predicted), fleet, List.of(), ProjectionState.empty()).document();

        double spot = 0;
        double total = 0;
        for (var g : fleet.services().stream().filter(x -> x.name().equals("catalogue")).findFirst().orElseThrow()
                .instanceGroups()) {
            double cores = g.count() * ResourceVectors.of(g.capacityPerInstance()).cpuCores();
            spot += g.purchaseOption().interruptible() ? cores : 0;
            total += cores;
        }
        assertEquals(160.0 / 288, spot / total, TOL);
        double bought = 0;
        for (ProvisionalChange c : plan.provisionalChanges()) {
            if (c.service().equals("catalogue")) {
                assertEquals(PurchaseOption.ON_DEMAND, c.purchaseOption(), c.id());
                bought += ResourceVectors.of(c.resourceDelta()).cpuCores();
            }
        }
        assertTrue(bought > 0, plan.toString());
        assertTrue(spot / (total + bought) <= 0.5, spot + " spot cores of " + (total + bought));
    }

    @Test
    void project_document_validatesAgainstTheSchemaAndRoundTrips() {
        Path docs = ProjectionFixtures.docs().resolve("examples");
        FleetState fleet = Documents.read(docs.resolve("fleet-state.json"), FleetState.class);
        PredictedFleetState predicted = Documents.read(docs.resolve("predicted-fleet-state.json"),
                PredictedFleetState.class);
        SlaPolicies sla = Documents.read(docs.resolve("sla-policies.json"), SlaPolicies.class);
        InstanceCatalogue catalogue = Documents.read(docs.resolve("instance-catalogue.json"), InstanceCatalogue.class);
        EventFeed events = Documents.read(docs.resolve("event-feed.json"), EventFeed.class);
        ProjectionEngine engine = ProjectionEngine.builder().slaPolicies(sla)
                .offers(CapacityOffers.fromCatalogue(catalogue)).budgetPerHour(6.0)
                .clock(Clock.fixed(fleet.asOf(), ZoneOffset.UTC)).build();

        Projection projection = engine.project(predicted, fleet, events, ProjectionState.empty());

        String json = Documents.write(projection.document());
        assertEquals(Set.of(), ProjectionFixtures.provisionalSchemaErrors(json), json);
        assertEquals(projection.document(), Documents.read(json, ProvisionalFleetState.class));
        assertTrue(projection.document().provisionalChanges().size() >= 1, json);
        // checkout (critical, weight 100) costs 4.28 per hour and fits the budget of 6; catalogue (standard)
        // would add 11.13 more and is deferred with the budget named.
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, projection.decision("checkout").orElseThrow().outcome());
        assertEquals(ServiceDecision.Outcome.DEFERRED, projection.decision("catalogue").orElseThrow().outcome());
        projection.document().provisionalChanges().stream().filter(c -> c.service().equals("catalogue"))
                .forEach(c -> assertTrue(c.deferredReason().startsWith("over budget"), c.deferredReason()));
        // checkout is limited to m6i by its service override.
        projection.document().provisionalChanges().stream().filter(c -> c.service().equals("checkout"))
                .forEach(c -> assertTrue(c.instanceType().startsWith("m6i."), c.toString()));
    }

    @Test
    void capacityOffer_reserved_isRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CapacityOffer("m.large",
                "general", "us-east", ResourceVector.of(2, 8, 1, 0), PurchaseOption.RESERVED, 0.1, 0, Duration.ZERO));
        assertTrue(e.getMessage().startsWith("purchaseOption of m.large is reserved"), e.getMessage());
    }

    @Test
    void fromCatalogue_spotPrice_makesTwoOffers() {
        List<CapacityOffer> offers = CapacityOffers.fromCatalogue(catalogue());
        assertEquals(4, offers.size());
        assertEquals(PurchaseOption.ON_DEMAND, offers.get(0).purchaseOption());
        assertEquals(0.428, offers.get(0).pricePerHour(), 0);
        assertEquals(PurchaseOption.SPOT, offers.get(1).purchaseOption());
        assertEquals(0.1573, offers.get(1).pricePerHour(), 0);
        assertEquals(0.004, offers.get(1).interruptionRatePerHour(), 0);
        assertEquals(0, offers.get(0).interruptionRatePerHour(), 0);
        assertEquals(ResourceVector.of(8, 32, 12.5, 0), offers.get(0).capacity());
    }

    @Test
    void fromCloud_simulatedCloudCatalogue_makesOnDemandAndSpotOffers() {
        List<io.fleetpredict.cloud.Offer> cloud = io.fleetpredict.cloud.sim.SimulatedCloud.defaultCatalogue();
        List<CapacityOffer> offers = CapacityOffers.fromCloud(cloud);
        long spot = cloud.stream().filter(io.fleetpredict.cloud.Offer::spotAvailable).count();
        assertEquals(cloud.size() + spot, offers.size());
        assertEquals(cloud.get(0).onDemandPricePerHour(), offers.get(0).pricePerHour(), 0);
    }

    @Test
    void project_badInput_throwsWithTheParameterName() {
        FleetState fleet = fleet(1, T0);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> engine(T0).project(List.of(), fleet, List.of(), ProjectionState.empty()));
        assertTrue(empty.getMessage().contains("predicted"));
        IllegalStateException noOffers = assertThrows(IllegalStateException.class,
                () -> ProjectionEngine.builder().build());
        assertTrue(noOffers.getMessage().contains("offers"));
        IllegalArgumentException budget = assertThrows(IllegalArgumentException.class,
                () -> ProjectionEngine.builder().budgetPerHour(-1));
        assertEquals("budgetPerHour must be >= 0, was -1.0", budget.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProjectionEngine.builder().scaleInBand(1));
        assertThrows(IllegalArgumentException.class, () -> ProjectionEngine.builder().maxChangesPerCycle(0));
    }

    @Test
    void project_predictionForAnotherFleet_refusedNamingBothFleets() {
        FleetState fleet = fleet(41, T0, service("checkout", "critical",
                group("m6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 32)));
        PredictedFleetState p = predicted(T0.plusSeconds(15 * 60), Duration.ofMinutes(30),
                Map.of("checkout", List.of(cpu(90, 101, 118), memory(250))));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine(T0)
                .project(List.of(p, forFleet(p, "other")), fleet, List.of(), ProjectionState.empty()));

        assertEquals("predicted[1]: is for fleet \"other\", not for the current fleet \"shop-eu\"", e.getMessage());
        // A prediction that names no fleet is planned for the fleet it is given with.
        assertEquals(ServiceDecision.Outcome.SCALE_OUT, engine(T0).project(List.of(forFleet(p, null)), fleet, List.of(),
                ProjectionState.empty()).decision("checkout").orElseThrow().outcome());
    }

    private static PredictedFleetState forFleet(PredictedFleetState p, @Nullable String fleetId) {
        return new PredictedFleetState(p.schemaVersion(), fleetId, p.timestamp(), p.horizon(), p.validFrom(),
                p.validUntil(), p.resourceRequirements(), p.services(), p.model(), p.overridesApplied());
    }

    @Test
    void project_serviceMissingFromTheBreakdown_isLeftAlone() {
        FleetState fleet = fleet(1, T0, service("a", "standard", group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 2, 8, 16)),
                service("b", "standard", group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 2, 8, 16)));
        Projection p = engine(T0).project(List.of(predicted(T0, Duration.ofMinutes(30),
                Map.of("a", List.of(cpu(1, 1, 1))))), fleet, List.of(), ProjectionState.empty());
        assertEquals(ServiceDecision.Outcome.NO_FORECAST, p.decision("b").orElseThrow().outcome());
        assertTrue(p.document().provisionalChanges().stream().noneMatch(c -> c.service().equals("b")));
    }

    @Test
    void project_serviceOnlyThePredictionNames_listedInTheDocumentsFleetWithItsTierAndNoInstances() {
        FleetState fleet = fleet(1, T0, service("a", "standard", group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 2, 8, 16)));
        Projection p = engine(T0).project(List.of(predicted(T0, Duration.ofMinutes(30),
                Map.of("a", List.of(cpu(1, 1, 1)), "search", List.of(cpu(20, 22, 24))))), fleet, List.of(),
                ProjectionState.empty());

        ProvisionalFleetState document = p.document();
        assertTrue(document.provisionalChanges().stream().anyMatch(c -> c.service().equals("search")),
                document.provisionalChanges().toString());
        // The default policies file a service without an entry or a known tier under their default tier.
        assertEquals(List.of(fleet.services().get(0), new ServiceState("search", "standard", List.of(), List.of())),
                document.fleet().services());
        assertEquals(1, document.fleet().version());
        assertEquals(document, Documents.read(Documents.write(document), ProvisionalFleetState.class));
    }

    @Test
    void project_fleetWidePredictionOnly_sharesItByCapacity() {
        FleetState fleet = fleet(1, T0, service("a", "standard", group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 3, 8, 16)),
                service("b", "standard", group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 1, 8, 16)));
        PredictedFleetState seed = PredictedFleetState.of(T0, List.of(
                io.fleetpredict.core.ResourceAmount.of(ResourceType.CPU, 40, io.fleetpredict.core.ResourceUnit.CORES)));
        Projection p = engine(T0).project(List.of(seed), fleet, List.of(), ProjectionState.empty());
        // a holds 24 of the 32 cores: 3/4 of 40 x 1.1 headroom = 33; b: 1/4 of 40 x 1.1 = 11.
        assertEquals(33, p.decision("a").orElseThrow().requirement().cpuCores(), TOL);
        assertEquals(11, p.decision("b").orElseThrow().requirement().cpuCores(), TOL);
    }

    @Test
    void builder_eachSettingAcceptedAtItsLimitAndRefusedJustPastIt() {
        ProjectionEngine.Builder b = ProjectionEngine.builder().offers(CapacityOffers.fromCatalogue(catalogue()));
        // scaleInBand in [0, 1)
        assertSame(b, b.scaleInBand(0));
        assertSame(b, b.scaleInBand(Math.nextDown(1.0)));
        for (double band : new double[] {-Double.MIN_VALUE, 1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.scaleInBand(band));
            assertEquals("scaleInBand must be in [0, 1), was " + band, e.getMessage());
        }
        // budgetPerHour: not negative, not NaN; 0 and infinity allowed
        assertEquals(0, b.budgetPerHour(0).build().budgetPerHour());
        assertEquals(Double.POSITIVE_INFINITY, b.budgetPerHour(Double.POSITIVE_INFINITY).build().budgetPerHour());
        assertThrows(IllegalArgumentException.class, () -> b.budgetPerHour(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> b.budgetPerHour(-Double.MIN_VALUE));
        ProjectionEngine unlimited = b.build();
        assertEquals(0, unlimited.withBudgetPerHour(0).budgetPerHour());
        assertSame(unlimited, unlimited.withBudgetPerHour(Double.POSITIVE_INFINITY), "the same budget, the same engine");
        assertThrows(IllegalArgumentException.class, () -> unlimited.withBudgetPerHour(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> unlimited.withBudgetPerHour(-0.01));
        // defaultStepLength: positive
        assertSame(b, b.defaultStepLength(Duration.ofNanos(1)));
        for (Duration length : new Duration[] {null, Duration.ZERO, Duration.ofNanos(-1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.defaultStepLength(length));
            assertEquals("defaultStepLength must be positive, was " + length, e.getMessage());
        }
        // interruptionPenaltyPerWeight: finite and not negative
        assertSame(b, b.interruptionPenaltyPerWeight(0));
        for (double penalty : new double[] {-Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.interruptionPenaltyPerWeight(penalty));
            assertEquals("interruptionPenaltyPerWeight must be finite and >= 0, was " + penalty, e.getMessage());
        }
    }

    @Test
    void project_lastStepWithoutValidUntil_lastsTheDefaultStepLength() {
        FleetState fleet = fleet(41, T0, service("checkout", "critical",
                group("m6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 32)));
        PredictedFleetState open = new PredictedFleetState(1, "shop-eu", T0.plusSeconds(30 * 60), null,
                T0.plusSeconds(15 * 60), null, List.of(cpu(90, 101, 118)),
                List.of(new io.fleetpredict.core.document.ServiceRequirements("checkout", List.of(cpu(90, 101, 118)))),
                null, null);
        ProjectionEngine engine = ProjectionEngine.builder().offers(CapacityOffers.fromCatalogue(catalogue()))
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).defaultStepLength(Duration.ofHours(3)).build();

        Projection projection = engine.project(List.of(open), fleet, List.of(), ProjectionState.empty());

        // As in the first case: 8 c6i.2xlarge on demand (3.088 per hour) launched at 17:33:40; the step runs
        // from 17:45 for the 3 hours set, to 20:45: 3 h 11 min 20 s = 11,480 s of cost. The default of one
        // hour would end it at 18:45 (4,280 s).
        ProjectedChange c = projection.changes().get(0);
        assertEquals(8, c.change().count());
        assertEquals(Instant.parse("2024-11-29T17:33:40Z"), c.change().launchAt());
        // 9.847289 and 3.671289, rounded as the document's quantities are.
        assertEquals(9.8473, c.estimatedTotalCost(), TOL);
        assertEquals(3.6713, engine(T0).project(List.of(open), fleet, List.of(), ProjectionState.empty())
                .changes().get(0).estimatedTotalCost(), TOL);
    }

    @ParameterizedTest(name = "now {0}")
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z"})
    void project_clockPastTheDocumentYears_refusedNamingTheInstantRatherThanPlanned(String now) {
        FleetState fleet = fleet(41, T0, service("checkout", "critical",
                group("m6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 32)));
        PredictedFleetState p = predicted(T0.plusSeconds(15 * 60), Duration.ofMinutes(30),
                Map.of("checkout", List.of(cpu(90, 101, 118), memory(250))));

        // The change would be needed now, an instant no provisional fleet state can hold.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine(Instant.parse(now)).project(List.of(p), fleet, List.of(), ProjectionState.empty()));

        assertEquals("neededBy: must lie from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, was " + now,
                e.getMessage());
    }

    @Test
    void project_clockAtTheLastDocumentInstant_changeNeededAndLaunchedThen() {
        FleetState fleet = fleet(41, T0, service("checkout", "critical",
                group("m6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 32)));
        PredictedFleetState p = predicted(T0.plusSeconds(15 * 60), Duration.ofMinutes(30),
                Map.of("checkout", List.of(cpu(90, 101, 118), memory(250))));

        Projection projection = engine(Documents.LATEST_INSTANT).project(List.of(p), fleet, List.of(),
                ProjectionState.empty());

        // As in the first case, 8 c6i.2xlarge on demand; not before now, and the prediction ended long ago.
        ProjectedChange c = projection.changes().get(0);
        assertEquals(8, c.change().count());
        assertEquals(Documents.LATEST_INSTANT, c.change().neededBy());
        assertEquals(Documents.LATEST_INSTANT, c.change().launchAt());
        assertEquals(0, c.estimatedTotalCost(), 0);
    }

    @Test
    void project_defaultStepLengthPastTheEndOfTime_lastStepEndsThere() {
        FleetState fleet = fleet(41, T0, service("checkout", "critical",
                group("m6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 32)));
        PredictedFleetState open = new PredictedFleetState(1, "shop-eu", T0.plusSeconds(30 * 60), null,
                T0.plusSeconds(15 * 60), null, List.of(cpu(90, 101, 118)),
                List.of(new io.fleetpredict.core.document.ServiceRequirements("checkout", List.of(cpu(90, 101, 118)))),
                null, null);
        ProjectionEngine engine = ProjectionEngine.builder().offers(CapacityOffers.fromCatalogue(catalogue()))
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).defaultStepLength(Duration.ofSeconds(Long.MAX_VALUE)).build();

        ProjectedChange c = engine.project(List.of(open), fleet, List.of(), ProjectionState.empty()).changes().get(0);

        // Launched at 17:33:40 as in the first case, paid for until Instant.MAX, about a billion years on.
        Instant launch = Instant.parse("2024-11-29T17:33:40Z");
        assertEquals(launch, c.change().launchAt());
        double seconds = (Instant.MAX.getEpochSecond() - launch.getEpochSecond()) + 0.999_999_999;
        assertEquals(3.088 * seconds / 3600, c.estimatedTotalCost(), 3.088 * seconds / 3600 * 1e-12);
    }

    @Test
    void project_interruptionPenaltyPerWeight_makesSpotDearerThanOnDemand() {
        // best_effort (weight 1, the 90th percentile, 5% headroom, spot up to 0.9): 80 x 1.05 = 84 cores
        // needed, 8 in service. Spot c6i.2xlarge costs 0.131 + 0.006 x (80 / 3600) x (0.131 + penalty) per hour:
        // about 0.131 at the default penalty of 0.01, 0.798 at 5,000, above on demand's 0.386 (spot m6i:
        // 0.1573 + 0.004 x 0.025 x (0.1573 + 5,000) = 0.657).
        FleetState fleet = fleet(7, T0, service("batch", "best_effort",
                group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 1, 8, 16)));
        PredictedFleetState p = predicted(T0, Duration.ofMinutes(30), Map.of("batch", List.of(cpu(80, 80, 80))));

        List<ProvisionalChange> cheap = engine(T0).project(List.of(p), fleet, List.of(), ProjectionState.empty())
                .document().provisionalChanges();
        assertTrue(cheap.stream().anyMatch(c -> c.purchaseOption() == PurchaseOption.SPOT), cheap.toString());

        ProjectionEngine dear = ProjectionEngine.builder().offers(CapacityOffers.fromCatalogue(catalogue()))
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).interruptionPenaltyPerWeight(5_000).build();
        List<ProvisionalChange> changes = dear.project(List.of(p), fleet, List.of(), ProjectionState.empty())
                .document().provisionalChanges();
        assertEquals(1, changes.size(), changes.toString());
        assertEquals(PurchaseOption.ON_DEMAND, changes.get(0).purchaseOption());
        assertEquals("c6i.2xlarge", changes.get(0).instanceType());
        assertEquals(10, changes.get(0).count(), "76 cores missing: 10 instances of 8");
        assertEquals(10 * 0.386, changes.get(0).estimatedCostPerHour(), TOL);
    }
}
