package io.fleetpredict.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The document records built in code, not read: each refuses what its Javadoc forbids with an
 * IllegalArgumentException that names the component, although the reader refuses the same in a document
 * before a record is built. A program that builds its documents in code has only these checks.
 */
class DocumentRecordChecksTest {

    private static <T extends Document> T example(String name, Class<T> type) {
        return Documents.read(DocumentFixtures.docs().resolve("examples").resolve(name), type);
    }

    private static final FleetState FLEET = example("fleet-state.json", FleetState.class);
    private static final PredictedFleetState PREDICTED = example("predicted-fleet-state.json", PredictedFleetState.class);
    private static final ProvisionalFleetState PLAN = example("provisional-fleet-state.json", ProvisionalFleetState.class);
    private static final SlaPolicies SLA = example("sla-policies.json", SlaPolicies.class);
    private static final EventFeed FEED = example("event-feed.json", EventFeed.class);
    private static final InstanceCatalogue CATALOGUE = example("instance-catalogue.json", InstanceCatalogue.class);
    private static final OverrideSet OVERRIDES = example("overrides.json", OverrideSet.class);

    private static final Instant T = Instant.parse("2024-11-29T17:00:00Z");
    private static final ResourceAmount CORES = ResourceAmount.of(ResourceType.CPU, 8, ResourceUnit.CORES);

    private static Arguments refused(String name, String message, Executable build) {
        return Arguments.of(name, message, build);
    }

    private static <T> List<T> twice(T value) {
        return List.of(value, value);
    }

    private static ProvisionalChange change(Instant neededBy, Instant launchAt, ChangeStatus status, String deferredReason) {
        ProvisionalChange c = PLAN.provisionalChanges().get(0);
        return new ProvisionalChange(c.id(), c.service(), c.action(), c.instanceType(), c.region(), c.count(),
                c.purchaseOption(), c.resourceDelta(), c.priority(), c.slaReason(), c.estimatedCostPerHour(),
                c.estimatedTotalCost(), neededBy, launchAt, status, deferredReason);
    }

    private static FleetEvent event(EventType type, List<String> scope, ExpectedImpact impact) {
        return new FleetEvent("e", type, "an event", T, T.plusSeconds(3600), scope, impact);
    }

    private static ExpertOverride pin(ResourceType type) {
        return new ExpertOverride("o", OverrideAction.PIN, "web", type, CORES, null, T, T.plusSeconds(60), "ops", "why");
    }

    private static ServicePolicy families(List<String> families) {
        return new ServicePolicy("web", "standard", null, null, null, null, null, families, null, null, null, null);
    }

    private static ResourceRequirement cpu(Double p50, Double p90, Double p99) {
        return new ResourceRequirement(ResourceType.CPU, 10, ResourceUnit.CORES, p50, p90, p99);
    }

    /** A year the schemas cannot write: five digits. */
    private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");
    /** The last instant of year -1, just before the earliest a document holds. */
    private static final Instant YEAR_MINUS_1 = Documents.EARLIEST_INSTANT.minusNanos(1);

    private static String outside(String component, Instant value) {
        return component + ": must lie from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, was " + value;
    }

    /** Every instant component of every document record, given a year a document cannot hold. */
    static Stream<Arguments> instantsOutsideTheDocumentYears() {
        ResourceRequirement requirement = PREDICTED.resourceRequirements().get(0);
        ResourceAmount value = CORES;
        Instant far = YEAR_10000;
        return Stream.of(
            refused("fleet state as of year 10000", outside("asOf", far),
                    () -> new FleetState(1, FLEET.fleetId(), FLEET.version(), far, FLEET.services())),
            refused("fleet state as of year -1", outside("asOf", YEAR_MINUS_1),
                    () -> new FleetState(1, FLEET.fleetId(), FLEET.version(), YEAR_MINUS_1, FLEET.services())),
            refused("prediction for year 10000", outside("timestamp", far),
                    () -> PredictedFleetState.of(far, List.of(CORES))),
            refused("prediction valid from year 10000", outside("validFrom", far),
                    () -> new PredictedFleetState(1, null, T, null, far, null, List.of(requirement), null, null, null)),
            refused("prediction valid until year 10000", outside("validUntil", far),
                    () -> new PredictedFleetState(1, null, T, null, T, far, List.of(requirement), null, null, null)),
            refused("change needed by year 10000", outside("neededBy", far),
                    () -> change(far, T, ChangeStatus.PROPOSED, null)),
            refused("change launched in year -1", outside("launchAt", YEAR_MINUS_1),
                    () -> change(T, YEAR_MINUS_1, ChangeStatus.PROPOSED, null)),
            refused("plan based on a prediction for year 10000", outside("predictedTimestamp", far),
                    () -> PlanBasis.of(far, null, 0)),
            refused("override applied in year 10000", outside("appliedAt", far),
                    () -> new OverrideApplied("o", "ops", far, "why", null, value)),
            refused("override starting in year 10000", outside("start", far), () -> new ExpertOverride("o",
                    OverrideAction.DISABLE, null, null, null, null, far, far.plusSeconds(60), "ops", "why")),
            refused("override expiring in year 10000", outside("expiry", far), () -> new ExpertOverride("o",
                    OverrideAction.DISABLE, null, null, null, null, T, far, "ops", "why")),
            refused("event starting in year -1", outside("start", YEAR_MINUS_1), () -> new FleetEvent("e",
                    EventType.CAMPAIGN, "an event", YEAR_MINUS_1, T, List.of(), new ExpectedImpact(2.0, null, null, null))),
            refused("event ending in year 10000", outside("end", far), () -> new FleetEvent("e",
                    EventType.CAMPAIGN, "an event", T, far, List.of(), new ExpectedImpact(2.0, null, null, null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instantsOutsideTheDocumentYears")
    void record_instantOutsideTheDocumentYears_refusedNamingTheComponent(String name, String message, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void documents_instantsAtTheEndsOfTheDocumentYears_writtenAndReadBack() {
        Instant first = Documents.EARLIEST_INSTANT;
        Instant last = Documents.LATEST_INSTANT;
        PredictedFleetState predicted = new PredictedFleetState(1, null, last, null, first, last,
                PREDICTED.resourceRequirements(), null, null, null);
        ProvisionalFleetState plan = new ProvisionalFleetState(PLAN.fleet(),
                List.of(change(last, first, ChangeStatus.PROPOSED, null)),
                new PlanBasis(last, null, PLAN.basis().fleetVersion(), null, null), null);
        FleetState fleet = new FleetState(1, FLEET.fleetId(), FLEET.version(), last, FLEET.services());

        assertEquals(predicted, Documents.read(Documents.write(predicted), PredictedFleetState.class));
        assertEquals(plan, Documents.read(Documents.write(plan), ProvisionalFleetState.class));
        assertEquals(fleet, Documents.read(Documents.write(fleet), FleetState.class));
    }

    static Stream<Arguments> refusals() {
        ServiceState service = FLEET.services().get(0);
        ResourceRequirement requirement = PREDICTED.resourceRequirements().get(0);
        ServiceRequirements serviceRequirements = PREDICTED.services().get(0);
        Map<String, TierPolicy> blankTier = new LinkedHashMap<>(SLA.tiers());
        blankTier.put(" ", SLA.tiers().get(SLA.defaultTier()));
        ExpectedImpact twoInstances = new ExpectedImpact(null, null, null, 2);
        ExpectedImpact doubled = new ExpectedImpact(2.0, null, null, null);
        String version = "schemaVersion: unsupported version 2, expected 1";
        return Stream.of(
            refused("fleet state of another schema version", version,
                    () -> new FleetState(2, FLEET.fleetId(), FLEET.version(), FLEET.asOf(), FLEET.services())),
            refused("fleet state with a service twice", "services[1]: duplicate " + service.name(),
                    () -> new FleetState(1, FLEET.fleetId(), FLEET.version(), FLEET.asOf(), twice(service))),
            refused("predicted state of another schema version", version,
                    () -> new PredictedFleetState(2, null, T, null, null, null, List.of(requirement), null, null, null)),
            refused("predicted state valid until before from", "validFrom: " + T + " is after validUntil " + T.minusNanos(1),
                    () -> new PredictedFleetState(1, null, T, null, T, T.minusNanos(1), List.of(requirement), null,
                            null, null)),
            refused("predicted state with a resource twice", "resourceRequirements[1]: duplicate "
                    + requirement.resourceType(), () -> new PredictedFleetState(1, null, T, null, null, null,
                            twice(requirement), null, null, null)),
            refused("predicted state with a service twice", "services[1]: duplicate " + serviceRequirements.service(),
                    () -> new PredictedFleetState(1, null, T, null, null, null, List.of(requirement),
                            twice(serviceRequirements), null, null)),
            refused("service requirements with a resource twice", "resourceRequirements[1]: duplicate "
                    + requirement.resourceType(), () -> new ServiceRequirements("web", twice(requirement))),
            refused("plan with a change id twice", "provisionalChanges[1]: duplicate "
                    + PLAN.provisionalChanges().get(0).id(), () -> new ProvisionalFleetState(PLAN.fleet(),
                            twice(PLAN.provisionalChanges().get(0)), PLAN.basis(), null)),
            refused("change launched after it is needed", "launchAt: " + T.plusNanos(1) + " is after neededBy " + T,
                    () -> change(T, T.plusNanos(1), ChangeStatus.PROPOSED, null)),
            refused("deferred change without a reason", "deferredReason: required when status is deferred",
                    () -> change(T, T, ChangeStatus.DEFERRED, null)),
            refused("proposed change with a deferral reason", "deferredReason: only allowed when status is deferred",
                    () -> change(T, T, ChangeStatus.PROPOSED, "budget")),
            refused("SLA policies of another schema version", version,
                    () -> new SlaPolicies(2, SLA.defaultTier(), SLA.tiers(), SLA.services())),
            refused("SLA policies with a blank tier name", "tiers: must not be blank",
                    () -> new SlaPolicies(1, SLA.defaultTier(), blankTier, SLA.services())),
            refused("SLA policies with a service twice", "services[1]: duplicate " + SLA.services().get(0).service(),
                    () -> new SlaPolicies(1, SLA.defaultTier(), SLA.tiers(), twice(SLA.services().get(0)))),
            refused("service policy with a blank family", "allowedInstanceFamilies: must not be blank",
                    () -> families(List.of("m6i", " "))),
            refused("service policy with a family twice", "allowedInstanceFamilies[1]: duplicate m6i",
                    () -> families(List.of("m6i", "m6i"))),
            refused("tier allowing more than half of the steps short",
                    "maxViolationShare: must be above 0 and at most 0.5, was 0.5000000000000001",
                    () -> TierPolicy.builder().maxViolationShare(Math.nextUp(0.5)).build()),
            refused("tier allowing no step short", "maxViolationShare: must be above 0 and at most 0.5, was 0.0",
                    () -> TierPolicy.builder().maxViolationShare(0).build()),
            refused("event feed of another schema version", version, () -> new EventFeed(2, FEED.events())),
            refused("event feed with an event twice", "events[1]: duplicate " + FEED.events().get(0).id(),
                    () -> new EventFeed(1, twice(FEED.events().get(0)))),
            refused("event with a blank service in its scope", "scope: must not be blank",
                    () -> event(EventType.CAMPAIGN, List.of("web", " "), doubled)),
            refused("event with a service twice in its scope", "scope[1]: duplicate web",
                    () -> event(EventType.CAMPAIGN, List.of("web", "web"), doubled)),
            refused("campaign removing instances", "expectedImpact: a campaign event needs demand_multiplier or"
                    + " additive_uplift", () -> event(EventType.CAMPAIGN, List.of(), twoInstances)),
            refused("maintenance multiplying demand", "expectedImpact: a maintenance event needs capacity_removed or"
                    + " instances_removed", () -> event(EventType.MAINTENANCE, List.of(), doubled)),
            refused("catalogue of another schema version", version, () -> new InstanceCatalogue(2, CATALOGUE.offers())),
            refused("catalogue with an offer twice", "offers[1]: duplicate " + CATALOGUE.offers().get(0).instanceType()
                    + " in " + CATALOGUE.offers().get(0).region(), () -> new InstanceCatalogue(1,
                            twice(CATALOGUE.offers().get(0)))),
            refused("override set of another schema version", version, () -> new OverrideSet(2, OVERRIDES.overrides())),
            refused("override set with an override twice", "overrides[1]: duplicate "
                    + OVERRIDES.overrides().get(0).id(), () -> new OverrideSet(1, twice(OVERRIDES.overrides().get(0)))),
            refused("pin of CPU without a resource type", "resourceType: a pin of CPU needs resource type CPU, was absent",
                    () -> pin(null)),
            refused("pin of CPU for memory", "resourceType: a pin of CPU needs resource type CPU, was Memory",
                    () -> pin(ResourceType.MEMORY)),
            refused("scale by zero", "factor: must be finite and positive, was 0.0", () -> new ExpertOverride("o",
                    OverrideAction.SCALE, "web", ResourceType.CPU, null, 0.0, T, T.plusSeconds(60), "ops", "why")),
            refused("model with a blank parameter name", "parameters: must not be blank",
                    () -> new ModelInfo("m", Map.of(" ", "x"))),
            refused("model with a parameter of another type", "parameters.alpha: must be a String, Boolean, Long or"
                    + " BigDecimal, was java.lang.Integer", () -> new ModelInfo("m", Map.of("alpha", 1))),
            refused("p90 below p50", "p90: 4.0 is below p50 5.0", () -> cpu(5.0, 4.0, null)),
            // What the overrides document's reader refuses, so that an override made in code can be read back.
            refused("override id with a line break", "id: must not contain control characters, found \\u000a at"
                    + " character 1 in \"o\\u000a[main] INFO forged\"", () -> new ExpertOverride("o\n[main] INFO forged",
                            OverrideAction.DISABLE, null, null, null, null, T, T.plusSeconds(60), "ops", "why")),
            refused("override service with a tab", "service: must not contain control characters, found \\u0009 at"
                    + " character 1 in \"w\\u0009eb\"", () -> new ExpertOverride("o", OverrideAction.DISABLE, "w\teb",
                            null, null, null, T, T.plusSeconds(60), "ops", "why")),
            refused("override author with a right-to-left override", "author: must not contain control characters,"
                    + " found \\u202e at character 0 in \"\\u202eops\"", () -> new ExpertOverride("o",
                            OverrideAction.DISABLE, null, null, null, null, T, T.plusSeconds(60), "\u202eops", "why")),
            refused("override reason with a line separator", "reason: must not contain control characters, found"
                    + " \\u2028 at character 3 in \"why\\u2028not\"", () -> new ExpertOverride("o",
                            OverrideAction.DISABLE, null, null, null, null, T, T.plusSeconds(60), "ops", "why\u2028not")),
            refused("p99 below p50 without p90", "p99: 4.0 is below p50 5.0", () -> cpu(5.0, null, 4.0)),
            refused("p99 below p90", "p99: 5.5 is below p90 6.0", () -> cpu(5.0, 6.0, 5.5)));
    }

    /**
     * A fleet id the reader refuses is refused by every record that carries one, in the reader's words, so no
     * document is written that cannot be read back.
     */
    @ParameterizedTest
    @ValueSource(strings = {"my shop", "..", ".", "-x", "a/b", ".hidden", "caf\u00e9"})
    void records_fleetIdTheReaderRefuses_refusedInTheReadersWords(String id) {
        String example = DocumentFixtures.text(DocumentFixtures.docs().resolve("examples").resolve("fleet-state.json"));
        String text = example.replace("\"fleet_id\": \"shop-eu\"",
                "\"fleet_id\": \"" + id + "\"");
        assertNotEquals(example, text);
        InvalidDocumentException read = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(text, FleetState.class));
        assertEquals("$.fleet_id", read.jsonPath());
        String expected = "fleetId: " + read.problem();

        IllegalArgumentException fleet = assertThrows(IllegalArgumentException.class,
                () -> new FleetState(1, id, FLEET.version(), FLEET.asOf(), FLEET.services()));
        assertEquals(expected, fleet.getMessage());
        IllegalArgumentException predicted = assertThrows(IllegalArgumentException.class,
                () -> new PredictedFleetState(1, id, T, null, null, null, PREDICTED.resourceRequirements(), null,
                        null, null));
        assertEquals(expected, predicted.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9.shop_eu-1", "a", "shop-eu"})
    void records_plainFleetId_writtenAndReadBack(String id) {
        FleetState fleet = new FleetState(1, id, FLEET.version(), FLEET.asOf(), FLEET.services());
        assertEquals(fleet, Documents.read(Documents.write(fleet), FleetState.class));
        ProvisionalFleetState plan = new ProvisionalFleetState(fleet, PLAN.provisionalChanges(),
                new PlanBasis(PLAN.basis().predictedTimestamp(), PLAN.basis().horizon(), fleet.version(),
                        PLAN.basis().catalogue(), PLAN.basis().slaPolicies()), PLAN.overridesApplied());
        assertEquals(plan, Documents.read(Documents.write(plan), ProvisionalFleetState.class));
    }

    @Test
    void catalogueOffer_priceZero_refused() {
        CatalogueOffer o = CATALOGUE.offers().get(0);
        IllegalArgumentException onDemand = assertThrows(IllegalArgumentException.class,
                () -> new CatalogueOffer(o.instanceType(), o.family(), o.region(), o.cpuCores(), o.memoryGiB(),
                        o.bandwidthGbps(), o.storageGiB(), 0, o.spotPricePerHour(), o.interruptionRatePerHour(),
                        o.bootTime()));
        assertEquals("onDemandPricePerHour: must be finite and positive, was 0.0", onDemand.getMessage());
        IllegalArgumentException spot = assertThrows(IllegalArgumentException.class,
                () -> new CatalogueOffer(o.instanceType(), o.family(), o.region(), o.cpuCores(), o.memoryGiB(),
                        o.bandwidthGbps(), o.storageGiB(), o.onDemandPricePerHour(), 0.0, o.interruptionRatePerHour(),
                        o.bootTime()));
        assertEquals("spotPricePerHour: must be finite and positive, was 0.0", spot.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void record_builtInCode_refusesWhatItsDocumentationForbids(String name, String message, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void records_atTheirLimits_areAccepted() {
        ResourceRequirement equal = cpu(5.0, 5.0, 5.0);
        assertEquals(5.0, equal.p99());
        assertEquals(0.5, TierPolicy.builder().maxViolationShare(0.5).build().maxViolationShare());
        assertEquals(Double.MIN_VALUE, TierPolicy.builder().maxViolationShare(Double.MIN_VALUE).build().maxViolationShare());
        assertEquals(T, change(T, T, ChangeStatus.PROPOSED, null).launchAt());
        assertEquals(T, new PredictedFleetState(1, null, T, null, T, T, List.of(cpu(null, null, null)), null, null, null)
                .validUntil());
    }

    @Test
    void catalogue_toCloudOffers_carriesEachOfferAndRefusesFractionalCores() {
        CatalogueOffer spot = new CatalogueOffer("m6i.xlarge", "m6i", "eu-west-1", 4, 16, 12.5, 0, 0.2, 0.07, 0.05,
                Duration.ofSeconds(90));
        CatalogueOffer onDemandOnly = new CatalogueOffer("r6i.xlarge", "r6i", "eu-west-1", 4, 32, 12.5, 10, 0.25, null,
                0.05, Duration.ofSeconds(60));
        List<Offer> offers = new InstanceCatalogue(1, List.of(spot, onDemandOnly)).toCloudOffers();
        assertEquals(new Offer("m6i.xlarge", "m6i", "eu-west-1", 4, 16, 12.5, 0, 0.2, OptionalDouble.of(0.07), 0.05,
                Duration.ofSeconds(90)), offers.get(0));
        // Without spot there is nothing to interrupt: the rate given is not carried over.
        assertEquals(new Offer("r6i.xlarge", "r6i", "eu-west-1", 4, 32, 12.5, 10, 0.25, OptionalDouble.empty(), 0,
                Duration.ofSeconds(60)), offers.get(1));

        CatalogueOffer half = new CatalogueOffer("t.half", "t", "eu-west-1", 4.5, 16, 12.5, 0, 0.2, null, 0,
                Duration.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InstanceCatalogue(1, List.of(half)).toCloudOffers());
        assertEquals("offer t.half in eu-west-1 has 4.5 CPU cores; a cloud offer needs a whole number of at most"
                + " 2147483647", e.getMessage());
        assertNull(onDemandOnly.spotPricePerHour());
    }

    /** Whole numbers of cores a cloud offer's int cannot hold: not wrapped round to a negative count, nor called fractional. */
    @ParameterizedTest
    @ValueSource(doubles = {2147483648.0, 3e9, 1e19})
    void catalogue_toCloudOffers_refusesCoresBeyondAnInt(double cores) {
        CatalogueOffer huge = new CatalogueOffer("x.huge", "x", "eu-west-1", cores, 16, 12.5, 0, 0.2, null, 0,
                Duration.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new InstanceCatalogue(1, List.of(huge)).toCloudOffers());
        assertEquals("offer x.huge in eu-west-1 has " + cores + " CPU cores; a cloud offer needs a whole number of at"
                + " most 2147483647", e.getMessage());
    }
}
