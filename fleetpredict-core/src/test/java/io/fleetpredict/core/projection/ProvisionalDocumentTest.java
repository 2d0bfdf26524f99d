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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.CatalogueOffer;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InputDigest;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.OverrideApplied;
import io.fleetpredict.core.document.PlanBasis;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the provisional document records besides the changes: total costs, its basis and the overrides. */
class ProvisionalDocumentTest {

    private static final double TOL = 1e-9;

    private static FleetState checkoutFleet() {
        return fleet(41, T0, service("checkout", "critical",
                group("m6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 32)));
    }

    private static ProjectionEngine engine(List<CapacityOffer> offers, SlaPolicies sla) {
        return ProjectionEngine.builder().slaPolicies(sla).offers(offers)
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
    }

    private static ProjectionEngine engine() {
        return engine(CapacityOffers.fromCatalogue(catalogue()), SlaDefaults.policies());
    }

    private static PredictedFleetState step(Instant from, double p99) {
        return predicted(from, Duration.ofMinutes(30), Map.of("checkout", List.of(cpu(p99 * 0.8, p99 * 0.9, p99),
                memory(250))));
    }

    private static PredictedFleetState withOverrides(PredictedFleetState p, List<OverrideApplied> overrides) {
        return new PredictedFleetState(p.schemaVersion(), p.fleetId(), p.timestamp(), p.horizon(), p.validFrom(),
                p.validUntil(), p.resourceRequirements(), p.services(), p.model(), overrides);
    }

    private static OverrideApplied override(String id, double cores) {
        return new OverrideApplied(id, "capacity-team", T0.minusSeconds(3600), "flash sale not in the feed",
                "checkout", ResourceAmount.of(ResourceType.CPU, cores, ResourceUnit.CORES));
    }

    // ---------------------------------------------------------------- total cost

    @Test
    void project_shortInTwoOfThreeSteps_totalCostIsCostPerHourTimesHoursToTheEndOfTheLastShortStep() {
        // Steps 17:45-18:15 and 18:15-18:45 need p99 118 x 1.2 = 141.6 cores, 80 in service; 18:45-19:15
        // needs 50 x 1.2 = 60 and is covered. By hand: 8 x c6i.2xlarge on demand at 0.386 = 3.088 per hour,
        // needed by 17:45 - 10 min critical lead time = 17:35, launched 80 s boot earlier at 17:33:40, paid
        // until the end of the last short step 18:45: 4,280 s.
        List<PredictedFleetState> steps = List.of(step(T0.plusSeconds(15 * 60), 118),
                step(T0.plusSeconds(45 * 60), 118), step(T0.plusSeconds(75 * 60), 50));

        Projection projection = engine().project(steps, checkoutFleet(), List.of(), ProjectionState.empty());

        List<ProvisionalChange> changes = projection.document().provisionalChanges();
        assertEquals(1, changes.size());
        ProvisionalChange c = changes.get(0);
        assertEquals("c6i.2xlarge", c.instanceType());
        assertEquals(8, c.count());
        assertEquals(Instant.parse("2024-11-29T17:33:40Z"), c.launchAt());
        assertEquals(3.088, c.estimatedCostPerHour(), TOL);
        // 3.088 * 4280 / 3600 = 3.671289, rounded as the document's quantities are.
        assertEquals(3.6713, c.estimatedTotalCost(), TOL);
        assertEquals(projection.changes().get(0).estimatedTotalCost(), c.estimatedTotalCost(), 0);
        ProvisionalFleetState read = Documents.read(Documents.write(projection.document()), ProvisionalFleetState.class);
        assertEquals(c.estimatedTotalCost(), read.provisionalChanges().get(0).estimatedTotalCost(), 0);
    }

    @Test
    void project_scaleIn_totalCostIsZero() {
        FleetState fleet = fleet(7, T0, service("api", "standard",
                group("m6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 32)));
        SlaPolicies sla = SlaDefaults.policies();
        TierPolicy standard = sla.tiers().get("standard");
        Map<String, TierPolicy> tiers = new LinkedHashMap<>(sla.tiers());
        tiers.put("standard", new TierPolicy(standard.weight(), standard.forecastQuantile(),
                standard.headroomFraction(), standard.maxSpotShare(), standard.minOnDemandCount(), null, null,
                Duration.ZERO, Duration.ZERO, Duration.ZERO));
        SlaPolicies noWindow = new SlaPolicies(sla.schemaVersion(), sla.defaultTier(), tiers, sla.services());
        PredictedFleetState low = predicted(T0, Duration.ofMinutes(30),
                Map.of("api", List.of(cpu(10, 12, 14), memory(40))));

        Projection projection = engine(CapacityOffers.fromCatalogue(catalogue()), noWindow)
                .project(List.of(low), fleet, List.of(), ProjectionState.empty());

        List<ProvisionalChange> changes = projection.document().provisionalChanges();
        assertTrue(!changes.isEmpty() && changes.stream().allMatch(
                c -> c.action() == io.fleetpredict.core.document.ChangeAction.SCALE_IN), changes.toString());
        changes.forEach(c -> assertEquals(0.0, c.estimatedTotalCost(), 0));
    }

    // ---------------------------------------------------------------- basis

    @Test
    void digest_documentedCanonicalJson_matchesSha256sum() {
        // Reference: GNU coreutils 9.1, printf '%s' '<the JSON below>' | sha256sum
        // [{"instance_type":"m6i.large","family":"m6i","region":"eu-west-1","purchase_option":"on_demand",
        //   "cpu_cores":2.0,"memory_gib":8.0,"bandwidth_gbps":12.5,"storage_gib":0.0,"price_per_hour":0.096,
        //   "interruption_rate_per_hour":0.0,"boot_time":"PT1M30S"},
        //  {... the same with "purchase_option":"spot", "price_per_hour":0.0352,
        //   "interruption_rate_per_hour":0.004 ...}]   (one line, no white space)
        List<CapacityOffer> offers = CapacityOffers.fromCatalogue(new InstanceCatalogue(1, List.of(
                new CatalogueOffer("m6i.large", "m6i", "eu-west-1", 2, 8, 12.5, 0, 0.096, 0.0352, 0.004,
                        Duration.ofSeconds(90)))));

        assertEquals("1823019ba7240862dd09eda1cd024948c755aace3ab8ce5fe1e28479b0da14a4",
                CapacityOffers.digest(offers).sha256());
    }

    @Test
    void project_basis_namesTheOffersAndPoliciesByDigest() {
        SlaPolicies sla = SlaDefaults.policies();
        List<CapacityOffer> offers = CapacityOffers.fromCatalogue(catalogue());

        PlanBasis basis = engine(offers, sla).project(List.of(step(T0.plusSeconds(900), 118)), checkoutFleet(),
                List.of(), ProjectionState.empty()).document().basis();

        assertEquals(CapacityOffers.digest(offers), basis.catalogue());
        assertEquals(InputDigest.ofText(Documents.write(sla)), basis.slaPolicies());
        assertNull(basis.catalogue().source());
        assertNull(basis.slaPolicies().source());
    }

    @Test
    void project_sameInputsRebuilt_sameDigests() {
        List<PredictedFleetState> steps = List.of(step(T0.plusSeconds(900), 118));
        ProjectionEngine first = engine();

        PlanBasis a = first.project(steps, checkoutFleet(), List.of(), ProjectionState.empty()).document().basis();
        PlanBasis b = first.project(steps, checkoutFleet(), List.of(), ProjectionState.empty()).document().basis();
        PlanBasis c = engine().project(steps, checkoutFleet(), List.of(), ProjectionState.empty()).document().basis();

        assertEquals(a, b);
        assertEquals(a, c);
    }

    @Test
    void project_catalogueChanged_onlyTheCatalogueDigestChanges() {
        List<PredictedFleetState> steps = List.of(step(T0.plusSeconds(900), 118));
        InstanceCatalogue base = catalogue();
        CatalogueOffer o = base.offers().get(1);
        InstanceCatalogue dearer = new InstanceCatalogue(1, List.of(base.offers().get(0), new CatalogueOffer(
                o.instanceType(), o.family(), o.region(), o.cpuCores(), o.memoryGiB(), o.bandwidthGbps(),
                o.storageGiB(), o.onDemandPricePerHour() + 0.001, o.spotPricePerHour(), o.interruptionRatePerHour(),
                o.bootTime())));

        PlanBasis before = engine(CapacityOffers.fromCatalogue(base), SlaDefaults.policies())
                .project(steps, checkoutFleet(), List.of(), ProjectionState.empty()).document().basis();
        PlanBasis after = engine(CapacityOffers.fromCatalogue(dearer), SlaDefaults.policies())
                .project(steps, checkoutFleet(), List.of(), ProjectionState.empty()).document().basis();

        assertNotEquals(before.catalogue(), after.catalogue());
        assertEquals(before.slaPolicies(), after.slaPolicies());
    }

    @Test
    void project_policiesChanged_onlyThePoliciesDigestChanges() {
        List<PredictedFleetState> steps = List.of(step(T0.plusSeconds(900), 118));
        SlaPolicies sla = SlaDefaults.policies();
        TierPolicy critical = sla.tiers().get("critical");
        Map<String, TierPolicy> tiers = new LinkedHashMap<>(sla.tiers());
        tiers.put("critical", new TierPolicy(critical.weight(), critical.forecastQuantile(),
                critical.headroomFraction() + 0.05, critical.maxSpotShare(), critical.minOnDemandCount(),
                critical.allowedInstanceFamilies(), critical.allowedRegions(), critical.leadTime(),
                critical.scaleInWindow(), critical.scaleInCooldown()));
        SlaPolicies moreHeadroom = new SlaPolicies(sla.schemaVersion(), sla.defaultTier(), tiers, sla.services());
        List<CapacityOffer> offers = CapacityOffers.fromCatalogue(catalogue());

        PlanBasis before = engine(offers, sla).project(steps, checkoutFleet(), List.of(), ProjectionState.empty())
                .document().basis();
        PlanBasis after = engine(offers, moreHeadroom).project(steps, checkoutFleet(), List.of(),
                ProjectionState.empty()).document().basis();

        assertNotEquals(before.slaPolicies(), after.slaPolicies());
        assertEquals(before.catalogue(), after.catalogue());
    }

    @Test
    void project_sourcesSet_areWrittenNextToTheDigests() {
        ProjectionEngine engine = ProjectionEngine.builder().offers(CapacityOffers.fromCatalogue(catalogue()))
                .catalogueSource("instance-catalogue.json").slaPoliciesSource("sla-policies.json")
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();

        ProvisionalFleetState doc = engine.project(List.of(step(T0.plusSeconds(900), 118)), checkoutFleet(),
                List.of(), ProjectionState.empty()).document();

        assertEquals("instance-catalogue.json", doc.basis().catalogue().source());
        assertEquals("sla-policies.json", doc.basis().slaPolicies().source());
        String json = Documents.write(doc);
        assertEquals(Set.of(), ProjectionFixtures.provisionalSchemaErrors(json), json);
        assertEquals(doc, Documents.read(json, ProvisionalFleetState.class));
    }

    @Test
    void builder_blankSource_isRejectedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProjectionEngine.builder().catalogueSource(" "));
        assertTrue(e.getMessage().contains("catalogueSource"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProjectionEngine.builder().slaPoliciesSource(""));
        assertTrue(e.getMessage().contains("slaPoliciesSource"), e.getMessage());
    }

    @Test
    void examples_basisDigests_matchTheExampleInputs() {
        Path examples = ProjectionFixtures.docs().resolve("examples");
        SlaPolicies sla = Documents.read(examples.resolve("sla-policies.json"), SlaPolicies.class);
        InstanceCatalogue catalogue = Documents.read(examples.resolve("instance-catalogue.json"),
                InstanceCatalogue.class);
        PlanBasis basis = Documents.read(examples.resolve("provisional-fleet-state.json"),
                ProvisionalFleetState.class).basis();
        PlanBasis sim = Documents.read(examples.resolve("provisional-fleet-state-sim.json"),
                ProvisionalFleetState.class).basis();

        assertEquals(InputDigest.of(sla).sha256(), basis.slaPolicies().sha256());
        assertEquals(CapacityOffers.digest(CapacityOffers.fromCatalogue(catalogue)).sha256(),
                basis.catalogue().sha256());
        assertEquals(InputDigest.of(sla).sha256(), sim.slaPolicies().sha256());
        assertEquals(CapacityOffers.digest(CapacityOffers.fromCloud(SimulatedCloud.defaultCatalogue())).sha256(),
                sim.catalogue().sha256());
    }

    // ---------------------------------------------------------------- overrides

    @Test
    void project_overridesInThePredictedStates_appearOnceEachInStepOrder() {
        OverrideApplied pin = override("ovr-1", 96);
        OverrideApplied later = override("ovr-2", 120);
        // Given out of order: the engine sorts the steps by start, and the overrides follow the steps.
        List<PredictedFleetState> steps = List.of(
                withOverrides(step(T0.plusSeconds(45 * 60), 118), List.of(pin, later)),
                withOverrides(step(T0.plusSeconds(15 * 60), 118), List.of(pin)),
                step(T0.plusSeconds(75 * 60), 50));

        ProvisionalFleetState doc = engine().project(steps, checkoutFleet(), List.of(), ProjectionState.empty())
                .document();

        assertEquals(List.of(pin, later), doc.overridesApplied());
        String json = Documents.write(doc);
        assertTrue(json.contains("\"overrides_applied\""), json);
        assertEquals(Set.of(), ProjectionFixtures.provisionalSchemaErrors(json), json);
        assertEquals(doc, Documents.read(json, ProvisionalFleetState.class));
    }

    @Test
    void project_noOverridesRecorded_writesAnEmptyList() {
        ProvisionalFleetState doc = engine().project(List.of(step(T0.plusSeconds(900), 118)), checkoutFleet(),
                List.of(), ProjectionState.empty()).document();

        assertEquals(List.of(), doc.overridesApplied());
    }
}
