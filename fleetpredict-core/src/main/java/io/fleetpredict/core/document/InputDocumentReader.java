package io.fleetpredict.core.document;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.internal.Checks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the documents a fleet manager writes for the loop (SLA policies, event feeds, instance catalogues,
 * expert overrides); {@link DocumentReader} reads the documents the loop writes and keeps the shared pieces.
 */
final class InputDocumentReader {
    private InputDocumentReader() {}

    private static final Set<String> SLA = Set.of("schema_version", "default_tier", "tiers", "services");
    private static final Set<String> POLICY_VALUES = Set.of("weight", "forecast_quantile", "headroom_fraction",
            "max_spot_share", "min_on_demand_count", "allowed_instance_families", "allowed_regions", "lead_time",
            "scale_in_window", "scale_in_cooldown");
    private static final Set<String> TIER_POLICY = DocumentReader.union(POLICY_VALUES, Set.of("max_violation_share"));
    private static final Set<String> SERVICE_POLICY = DocumentReader.union(POLICY_VALUES, Set.of("service", "tier"));
    private static final Set<String> FEED = Set.of("schema_version", "events");
    private static final Set<String> EVENT = Set.of("id", "type", "name", "start", "end", "scope", "expected_impact");
    private static final Set<String> IMPACT = Set.of("demand_multiplier", "additive_uplift", "capacity_removed",
            "instances_removed");
    private static final Set<String> CATALOGUE = Set.of("schema_version", "offers");
    private static final Set<String> OFFER = Set.of("instance_type", "family", "region", "cpu_cores", "memory_gib",
            "bandwidth_gbps", "storage_gib", "on_demand_price_per_hour", "spot_price_per_hour",
            "interruption_rate_per_hour", "boot_time");

    private static final Set<String> OVERRIDE_SET = Set.of("schema_version", "overrides");
    private static final Set<String> EXPERT_OVERRIDE = Set.of("id", "action", "service", "resource_type", "quantity",
            "units", "factor", "start", "expiry", "author", "reason");

    // ---- SLA policies

    static SlaPolicies sla(JsonIn in) {
        in.object(SLA);
        Integer version = DocumentReader.schemaVersion(in);
        JsonIn defaultTierIn = in.field("default_tier");
        String defaultTier = defaultTierIn.text();
        JsonIn tiersIn = in.field("tiers");
        Map<String, JsonIn> tierMembers = tiersIn.members();
        if (tierMembers.isEmpty()) {
            throw tiersIn.error("must not be empty");
        }
        Map<String, TierPolicy> tiers = new LinkedHashMap<>();
        tierMembers.forEach((name, policy) -> tiers.put(policy.plainName(name), tierPolicy(policy)));
        if (!tiers.containsKey(defaultTier)) {
            throw defaultTierIn.error("tier \"" + defaultTier + "\" is not defined in tiers");
        }
        JsonIn servicesIn = in.field("services");
        List<JsonIn> serviceElements = servicesIn.elements();
        List<ServicePolicy> services = serviceElements.stream().map(InputDocumentReader::servicePolicy).toList();
        DocumentReader.uniqueBy(servicesIn, services.stream().map(ServicePolicy::service).toList(), "service", "service");
        for (int i = 0; i < services.size(); i++) {
            if (!tiers.containsKey(services.get(i).tier())) {
                throw serviceElements.get(i).field("tier").error(
                        "tier \"" + services.get(i).tier() + "\" is not defined in tiers");
            }
        }
        return in.build(() -> new SlaPolicies(version, defaultTier, tiers, services));
    }

    private static TierPolicy tierPolicy(JsonIn in) {
        in.object(TIER_POLICY);
        double weight = in.field("weight").positive();
        double quantile = in.field("forecast_quantile").between(0.5, 0.999);
        double headroom = in.field("headroom_fraction").between(0, 10);
        double spot = in.field("max_spot_share").between(0, 1);
        int minOnDemand = in.field("min_on_demand_count").intValue(0);
        List<String> families = in.opt("allowed_instance_families", InputDocumentReader::allowList);
        List<String> regions = in.opt("allowed_regions", InputDocumentReader::allowList);
        var lead = in.field("lead_time").duration();
        var window = in.field("scale_in_window").duration();
        var cooldown = in.field("scale_in_cooldown").duration();
        Double violations = in.opt("max_violation_share", v -> v.share(0.5));
        return in.build(() -> new TierPolicy(weight, quantile, headroom, spot, minOnDemand, families, regions,
                lead, window, cooldown, violations));
    }

    private static List<String> allowList(JsonIn in) {
        List<String> values = DocumentReader.names(in);
        if (values.isEmpty()) {
            throw in.error("must not be empty; omit the field to allow any");
        }
        return values;
    }

    private static ServicePolicy servicePolicy(JsonIn in) {
        in.object(SERVICE_POLICY);
        String service = in.field("service").text();
        String tier = in.field("tier").text();
        Double weight = in.opt("weight", JsonIn::positive);
        Double quantile = in.opt("forecast_quantile", q -> q.between(0.5, 0.999));
        Double headroom = in.opt("headroom_fraction", h -> h.between(0, 10));
        Double spot = in.opt("max_spot_share", s -> s.between(0, 1));
        Integer minOnDemand = in.opt("min_on_demand_count", m -> m.intValue(0));
        List<String> families = in.opt("allowed_instance_families", InputDocumentReader::allowList);
        List<String> regions = in.opt("allowed_regions", InputDocumentReader::allowList);
        var lead = in.opt("lead_time", JsonIn::duration);
        var window = in.opt("scale_in_window", JsonIn::duration);
        var cooldown = in.opt("scale_in_cooldown", JsonIn::duration);
        return in.build(() -> new ServicePolicy(service, tier, weight, quantile, headroom, spot, minOnDemand,
                families, regions, lead, window, cooldown));
    }

    // ---- event feed

    static EventFeed feed(JsonIn in) {
        in.object(FEED);
        Integer version = DocumentReader.schemaVersion(in);
        JsonIn eventsIn = in.field("events");
        List<FleetEvent> events = eventsIn.list(InputDocumentReader::event);
        DocumentReader.uniqueBy(eventsIn, events.stream().map(FleetEvent::id).toList(), "id", "event id");
        return in.build(() -> new EventFeed(version, events));
    }

    private static FleetEvent event(JsonIn in) {
        in.object(EVENT);
        String id = in.field("id").text();
        EventType type = in.field("type").enumValue(EventType::find, DocumentReader.names(EventType.values(), EventType::jsonName));
        String name = in.field("name").text();
        Instant start = in.field("start").instant();
        Instant end = in.field("end").instant();
        if (!end.isAfter(start)) {
            throw in.field("end").error("must be after start " + start + ", was " + end);
        }
        JsonIn scopeIn = in.field("scope");
        List<String> scope;
        if (scopeIn.node().isTextual()) {
            if (!"fleet".equals(scopeIn.node().textValue())) {
                throw scopeIn.error("must be \"fleet\" or a list of service names, was \""
                        + JsonIn.abbreviate(scopeIn.node().textValue()) + "\"");
            }
            scope = List.of();
        } else {
            scope = DocumentReader.names(scopeIn);
            if (scope.isEmpty()) {
                throw scopeIn.error("must not be empty; use \"fleet\" for the whole fleet");
            }
        }
        ExpectedImpact impact = in.opt("expected_impact", i -> impact(i, type));
        return in.build(() -> new FleetEvent(id, type, name, start, end, scope, impact));
    }

    private static ExpectedImpact impact(JsonIn in, EventType type) {
        in.object(IMPACT);
        List<String> given = IMPACT.stream().filter(in::has).sorted().toList();
        if (given.size() != 1) {
            throw in.error("exactly one of additive_uplift, capacity_removed, demand_multiplier, instances_removed"
                    + " must be given, found " + (given.isEmpty() ? "none" : String.join(", ", given)));
        }
        String field = given.get(0);
        boolean demand = field.equals("demand_multiplier") || field.equals("additive_uplift");
        if (demand == (type == EventType.MAINTENANCE)) {
            throw in.field(field).error("not allowed for a " + type.jsonName() + " event, which takes "
                    + (demand ? "capacity_removed or instances_removed" : "demand_multiplier or additive_uplift"));
        }
        Double multiplier = in.opt("demand_multiplier", JsonIn::positive);
        List<ResourceAmount> uplift = in.opt("additive_uplift", DocumentReader::amounts);
        List<ResourceAmount> removed = in.opt("capacity_removed", DocumentReader::amounts);
        Integer instances = in.opt("instances_removed", i -> i.intValue(1));
        return in.build(() -> new ExpectedImpact(multiplier, uplift, removed, instances));
    }

    // ---- instance catalogue

    static InstanceCatalogue catalogue(JsonIn in) {
        in.object(CATALOGUE);
        Integer version = DocumentReader.schemaVersion(in);
        JsonIn offersIn = in.field("offers");
        List<CatalogueOffer> offers = offersIn.nonEmptyList(InputDocumentReader::offer);
        DocumentReader.uniqueBy(offersIn, offers.stream().map(o -> o.instanceType() + " in " + o.region()).toList(),
                "instance_type", "instance type and region");
        return in.build(() -> new InstanceCatalogue(version, offers));
    }

    private static CatalogueOffer offer(JsonIn in) {
        in.object(OFFER);
        String type = in.field("instance_type").text();
        String family = in.field("family").text();
        String region = in.field("region").text();
        double cpu = in.field("cpu_cores").positive();
        double memory = in.field("memory_gib").positive();
        double bandwidth = in.field("bandwidth_gbps").positive();
        double storage = in.field("storage_gib").nonNegative();
        double onDemand = price(in.field("on_demand_price_per_hour"));
        Double spot = in.opt("spot_price_per_hour", InputDocumentReader::price);
        double interruption = in.field("interruption_rate_per_hour").between(0, 1);
        var boot = in.field("boot_time").duration();
        return in.build(() -> new CatalogueOffer(type, family, region, cpu, memory, bandwidth, storage, onDemand,
                spot, interruption, boot));
    }

    /**
     * A price above 0. The planner buys the cheapest cover and bounds each count by the price of the best plan
     * found, so an offer of no price cannot be planned with; capacity already paid for is a reserved group.
     */
    private static double price(JsonIn in) {
        double value = in.number();
        if (!(value > 0)) {
            throw in.error(Checks.fmt("must be above 0, was %s: capacity already paid for (reserved or committed) is"
                    + " a reserved instance group of the fleet state, not an offer", in.node().asText()));
        }
        return value;
    }

    // ---- expert overrides

    static OverrideSet overrides(JsonIn in) {
        in.object(OVERRIDE_SET);
        Integer version = DocumentReader.schemaVersion(in);
        JsonIn overridesIn = in.field("overrides");
        List<ExpertOverride> overrides = overridesIn.list(InputDocumentReader::expertOverride);
        DocumentReader.uniqueBy(overridesIn, overrides.stream().map(ExpertOverride::id).toList(), "id", "override id");
        return in.build(() -> new OverrideSet(version, overrides));
    }

    private static ExpertOverride expertOverride(JsonIn in) {
        in.object(EXPERT_OVERRIDE);
        String id = in.field("id").text();
        OverrideAction action = in.field("action").enumValue(OverrideAction::find,
                DocumentReader.names(OverrideAction.values(), OverrideAction::jsonName));
        String service = in.opt("service", JsonIn::text);
        ResourceType type = action.takesAmount() ? DocumentReader.resourceType(in.field("resource_type"))
                : in.opt("resource_type", DocumentReader::resourceType);
        ResourceAmount amount = null;
        if (action.takesAmount()) {
            amount = DocumentReader.amountFields(in);
        } else {
            for (String field : List.of("quantity", "units")) {
                if (in.has(field)) {
                    throw in.field(field).error("only allowed for pin, floor and ceiling");
                }
            }
        }
        Double factor = null;
        if (action == OverrideAction.SCALE) {
            factor = in.field("factor").nonNegative();
        } else if (in.has("factor")) {
            throw in.field("factor").error("only allowed for scale");
        }
        Instant start = in.field("start").instant();
        Instant expiry = in.field("expiry").instant();
        if (!expiry.isAfter(start)) {
            throw in.field("expiry").error("must be after start " + start + ", was " + expiry);
        }
        String author = in.field("author").text();
        String reason = in.field("reason").text();
        ResourceAmount value = amount;
        Double f = factor;
        return in.build(() -> new ExpertOverride(id, action, service, type, value, f, start, expiry, author, reason));
    }
}
