package io.fleetpredict.core.document;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Reads document trees into records, field by field, with the JSONPath of every value. */
final class DocumentReader {
    private DocumentReader() {}

    private static final Set<String> AMOUNT = Set.of("resource_type", "quantity", "units");
    private static final Set<String> REQUIREMENT = Set.of("resource_type", "quantity", "units", "p50", "p90", "p99");
    private static final Set<String> PREDICTED = Set.of("schema_version", "fleet_id", "timestamp", "horizon",
            "valid_from", "valid_until", "resource_requirements", "services", "model", "overrides_applied");
    private static final Set<String> SERVICE_REQUIREMENTS = Set.of("service", "resource_requirements");
    private static final Set<String> MODEL = Set.of("name", "parameters");
    private static final Set<String> OVERRIDE = Set.of("id", "author", "applied_at", "reason", "service",
            "resource_type", "quantity", "units");
    private static final Set<String> FLEET = Set.of("schema_version", "fleet_id", "version", "as_of", "services");
    private static final Set<String> PROVISIONAL = union(FLEET, Set.of("provisional_changes", "basis", "overrides_applied"));
    private static final Set<String> SERVICE = Set.of("name", "sla_tier", "instance_groups", "allocated_resources");
    private static final Set<String> GROUP = Set.of("instance_type", "region", "purchase_option", "count",
            "capacity_per_instance");
    private static final Set<String> CHANGE = Set.of("id", "service", "action", "instance_type", "region", "count",
            "purchase_option", "resource_delta", "priority", "sla_reason", "estimated_cost_per_hour",
            "estimated_total_cost", "needed_by",
            "launch_at", "status", "deferred_reason", "lead_time_given_up");
    private static final Set<String> BASIS = Set.of("predicted_timestamp", "horizon", "fleet_version", "catalogue",
            "sla_policies");
    private static final Set<String> DIGEST = Set.of("sha256", "source");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static Document read(JsonIn root, DocumentKind kind) {
        return switch (kind) {
            case PREDICTED_FLEET_STATE -> predicted(root);
            case FLEET_STATE -> fleet(root.object(FLEET));
            case PROVISIONAL_FLEET_STATE -> provisional(root);
            case SLA_POLICIES -> InputDocumentReader.sla(root);
            case EVENT_FEED -> InputDocumentReader.feed(root);
            case INSTANCE_CATALOGUE -> InputDocumentReader.catalogue(root);
            case OVERRIDES -> InputDocumentReader.overrides(root);
        };
    }

    // ---- shared pieces

    static @Nullable Integer schemaVersion(JsonIn in) {
        return in.opt("schema_version", v -> {
            int version = v.intValue(0);
            if (version != Documents.SCHEMA_VERSION) {
                throw v.error("unsupported schema version " + version + "; this library reads version "
                        + Documents.SCHEMA_VERSION);
            }
            return version;
        });
    }

    static <E extends Enum<E>> List<String> names(E[] values, Function<E, String> name) {
        return Arrays.stream(values).map(name).toList();
    }

    static ResourceType resourceType(JsonIn in) {
        String text = in.text();
        return ResourceType.find(text).orElseThrow(() -> in.error("unknown resource type \""
                + JsonIn.abbreviate(text) + "\"; expected one of CPU, Memory, Bandwidth, Storage (any case)"));
    }

    /** Reads {@code units} for {@code type}: exact symbol, and a unit of that type. */
    private static ResourceUnit unit(JsonIn in, ResourceType type) {
        String text = in.text();
        try {
            return type.unit(text);
        } catch (IllegalArgumentException e) {
            throw in.error(String.valueOf(e.getMessage()));
        }
    }

    /** The flat {@code resource_type, quantity, units} triple inside an object already checked for fields. */
    static ResourceAmount amountFields(JsonIn in) {
        ResourceType type = resourceType(in.field("resource_type"));
        double quantity = in.field("quantity").nonNegative();
        ResourceUnit unit = unit(in.field("units"), type);
        if (!Double.isFinite(unit.convert(quantity, type.canonicalUnit()))) {
            throw in.field("quantity").error(Checks.fmt("%s %s is too large: beyond the largest amount of %s in %s",
                    quantity, unit.symbol(), type.jsonName(), type.canonicalUnit().symbol()));
        }
        return in.build(() -> new ResourceAmount(type, quantity, unit));
    }

    private static ResourceAmount amount(JsonIn in) {
        return amountFields(in.object(AMOUNT));
    }

    static List<ResourceAmount> amounts(JsonIn in) {
        List<JsonIn> elements = in.elements();
        List<ResourceAmount> values = elements.stream().map(DocumentReader::amount).toList();
        for (int i = 0; i < values.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (values.get(i).type() == values.get(j).type()) {
                    throw elements.get(i).field("resource_type").error(
                            "duplicate resource type " + values.get(i).type().jsonName());
                }
            }
        }
        return values;
    }

    static List<String> names(JsonIn in) {
        List<JsonIn> elements = in.elements();
        List<String> values = elements.stream().map(JsonIn::text).toList();
        int repeat = firstRepeat(values);
        if (repeat >= 0) {
            throw elements.get(repeat).error("duplicate value \"" + JsonIn.abbreviate(values.get(repeat)) + "\"");
        }
        return values;
    }

    static void uniqueBy(JsonIn array, List<String> keys, String field, String what) {
        int repeat = firstRepeat(keys);
        if (repeat >= 0) {
            throw array.elements().get(repeat).field(field).error(
                    "duplicate " + what + " \"" + JsonIn.abbreviate(keys.get(repeat)) + "\"");
        }
    }

    /**
     * The index of the first key equal to an earlier one, or -1: one hash lookup per key, so a list of a
     * hundred thousand names costs as little to check as it does to parse.
     */
    static int firstRepeat(List<?> keys) {
        Set<Object> seen = new HashSet<>(Math.max(16, keys.size() * 2));
        for (int i = 0; i < keys.size(); i++) {
            if (!seen.add(keys.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String fleetId(JsonIn in) {
        // The fleet id names the fleet's directory in a state store, so it is a plain name there and here.
        String id = in.text();
        String problem = Checks.fleetIdProblem(id);
        if (problem != null) {
            throw in.error(problem);
        }
        return id;
    }

    private static Horizon horizon(JsonIn in) {
        return in.enumValue(Horizon::find, names(Horizon.values(), Horizon::jsonName));
    }

    private static PurchaseOption purchaseOption(JsonIn in) {
        return in.enumValue(PurchaseOption::find, names(PurchaseOption.values(), PurchaseOption::jsonName));
    }

    // ---- predicted fleet state

    private static PredictedFleetState predicted(JsonIn in) {
        in.object(PREDICTED);
        Integer version = schemaVersion(in);
        String fleetId = in.opt("fleet_id", DocumentReader::fleetId);
        Instant timestamp = in.field("timestamp").instant();
        Horizon horizon = in.opt("horizon", DocumentReader::horizon);
        Instant validFrom = in.opt("valid_from", JsonIn::instant);
        Instant validUntil = in.opt("valid_until", JsonIn::instant);
        if (validFrom != null && validUntil != null && validUntil.isBefore(validFrom)) {
            throw in.field("valid_until").error("is before valid_from " + validFrom);
        }
        List<ResourceRequirement> requirements = requirements(in.field("resource_requirements"), true);
        List<ServiceRequirements> services = in.opt("services", s -> {
            List<ServiceRequirements> values = s.list(DocumentReader::serviceRequirements);
            uniqueBy(s, values.stream().map(ServiceRequirements::service).toList(), "service", "service");
            return values;
        });
        ModelInfo model = in.opt("model", DocumentReader::model);
        List<OverrideApplied> overrides = in.opt("overrides_applied", o -> o.list(DocumentReader::override));
        return in.build(() -> new PredictedFleetState(version, fleetId, timestamp, horizon, validFrom, validUntil,
                requirements, services, model, overrides));
    }

    private static List<ResourceRequirement> requirements(JsonIn in, boolean nonEmpty) {
        List<JsonIn> elements = in.elements();
        if (nonEmpty && elements.isEmpty()) {
            throw in.error("must not be empty");
        }
        List<ResourceRequirement> values = elements.stream().map(DocumentReader::requirement).toList();
        for (int i = 0; i < values.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (values.get(i).resourceType() == values.get(j).resourceType()) {
                    throw elements.get(i).field("resource_type").error(
                            "duplicate resource type " + values.get(i).resourceType().jsonName());
                }
            }
        }
        return values;
    }

    private static ResourceRequirement requirement(JsonIn in) {
        in.object(REQUIREMENT);
        ResourceAmount amount = amountFields(in);
        Double p50 = in.opt("p50", JsonIn::nonNegative);
        Double p90 = in.opt("p90", JsonIn::nonNegative);
        Double p99 = in.opt("p99", JsonIn::nonNegative);
        if (p50 != null && p90 != null && p90 < p50) {
            throw in.field("p90").error("is below p50 " + p50);
        }
        Double below99 = p90 != null ? p90 : p50;
        if (below99 != null && p99 != null && p99 < below99) {
            throw in.field("p99").error("is below " + (p90 != null ? "p90 " : "p50 ") + below99);
        }
        return in.build(() -> new ResourceRequirement(amount.type(), amount.amount(), amount.unit(), p50, p90, p99));
    }

    private static ServiceRequirements serviceRequirements(JsonIn in) {
        in.object(SERVICE_REQUIREMENTS);
        String service = in.field("service").text();
        List<ResourceRequirement> requirements = requirements(in.field("resource_requirements"), false);
        return in.build(() -> new ServiceRequirements(service, requirements));
    }

    private static ModelInfo model(JsonIn in) {
        if (in.node().isTextual()) {
            return ModelInfo.named(in.text());
        }
        if (!in.node().isObject()) {
            throw in.error("must be a string or an object with name and parameters, was " + JsonIn.typeName(in.node()));
        }
        in.object(MODEL);
        String name = in.field("name").text();
        Map<String, Object> parameters = new LinkedHashMap<>();
        in.optField("parameters").ifPresent(p -> p.members().forEach((key, value) -> parameters.put(value.plainName(key), value.scalar())));
        return in.build(() -> new ModelInfo(name, parameters));
    }

    private static OverrideApplied override(JsonIn in) {
        in.object(OVERRIDE);
        String id = in.field("id").text();
        String author = in.field("author").text();
        Instant appliedAt = in.field("applied_at").instant();
        String reason = in.field("reason").text();
        String service = in.opt("service", JsonIn::text);
        ResourceAmount value = amountFields(in);
        return in.build(() -> new OverrideApplied(id, author, appliedAt, reason, service, value));
    }

    // ---- fleet state and provisional fleet state

    private static FleetState fleet(JsonIn in) {
        Integer version = schemaVersion(in);
        String fleetId = fleetId(in.field("fleet_id"));
        long fleetVersion = in.field("version").longValue(0);
        Instant asOf = in.field("as_of").instant();
        JsonIn servicesIn = in.field("services");
        List<ServiceState> services = servicesIn.list(DocumentReader::service);
        uniqueBy(servicesIn, services.stream().map(ServiceState::name).toList(), "name", "service");
        finiteCapacity(servicesIn, services);
        return in.build(() -> new FleetState(version, fleetId, fleetVersion, asOf, services));
    }

    /**
     * Planning adds up count x capacity per instance over the whole fleet; a capacity that makes a total
     * beyond the largest double is refused here, at its quantity, rather than deep in the planner.
     */
    private static void finiteCapacity(JsonIn servicesIn, List<ServiceState> services) {
        double[] total = new double[ResourceType.values().length];
        for (int s = 0; s < services.size(); s++) {
            List<InstanceGroup> groups = services.get(s).instanceGroups();
            for (int g = 0; g < groups.size(); g++) {
                InstanceGroup group = groups.get(g);
                for (int c = 0; c < group.capacityPerInstance().size(); c++) {
                    ResourceAmount a = group.capacityPerInstance().get(c);
                    int r = a.type().ordinal();
                    double before = total[r];
                    total[r] += group.count() * a.inCanonicalUnit().amount();
                    if (!Double.isFinite(total[r])) {
                        throw servicesIn.elements().get(s).field("instance_groups").elements().get(g)
                                .field("capacity_per_instance").elements().get(c).field("quantity").error(Checks.fmt(
                                        "%s %s per instance is too large: %d instances of it%s are beyond the largest"
                                                + " amount of %s in %s", a.amount(), a.unit().symbol(), group.count(),
                                        before == 0 ? "" : " with the fleet's capacity before them",
                                        a.type().jsonName(), a.type().canonicalUnit().symbol()));
                    }
                }
            }
        }
    }

    private static ServiceState service(JsonIn in) {
        in.object(SERVICE);
        String name = in.field("name").text();
        String tier = in.field("sla_tier").text();
        List<InstanceGroup> groups = in.field("instance_groups").list(DocumentReader::group);
        List<ResourceAmount> allocated = amounts(in.field("allocated_resources"));
        return in.build(() -> new ServiceState(name, tier, groups, allocated));
    }

    private static InstanceGroup group(JsonIn in) {
        in.object(GROUP);
        String type = in.field("instance_type").text();
        String region = in.field("region").text();
        PurchaseOption option = purchaseOption(in.field("purchase_option"));
        int count = in.field("count").intValue(0);
        JsonIn capacityIn = in.field("capacity_per_instance");
        List<ResourceAmount> capacity = amounts(capacityIn);
        if (capacity.isEmpty()) {
            throw capacityIn.error("must not be empty");
        }
        return in.build(() -> new InstanceGroup(type, region, option, count, capacity));
    }

    private static ProvisionalFleetState provisional(JsonIn in) {
        in.object(PROVISIONAL);
        FleetState fleet = fleet(in);
        JsonIn changesIn = in.field("provisional_changes");
        List<JsonIn> changeElements = changesIn.elements();
        List<ProvisionalChange> changes = changeElements.stream().map(DocumentReader::change).toList();
        uniqueBy(changesIn, changes.stream().map(ProvisionalChange::id).toList(), "id", "change id");
        for (int i = 0; i < changes.size(); i++) {
            ProvisionalChange change = changes.get(i);
            if (fleet.services().stream().noneMatch(s -> s.name().equals(change.service()))) {
                throw changeElements.get(i).field("service").error(ProvisionalFleetState.unknownService(change, fleet));
            }
        }
        JsonIn basisIn = in.field("basis");
        PlanBasis basis = basis(basisIn);
        if (basis.fleetVersion() != fleet.version()) {
            throw basisIn.field("fleet_version").error(
                    "is " + basis.fleetVersion() + " but the document's version is " + fleet.version());
        }
        List<OverrideApplied> overrides = in.opt("overrides_applied", o -> o.list(DocumentReader::override));
        return in.build(() -> new ProvisionalFleetState(fleet, changes, basis, overrides));
    }

    private static ProvisionalChange change(JsonIn in) {
        in.object(CHANGE);
        String id = in.field("id").text();
        String service = in.field("service").text();
        ChangeAction action = in.field("action").enumValue(ChangeAction::find,
                names(ChangeAction.values(), ChangeAction::jsonName));
        String type = in.field("instance_type").text();
        String region = in.field("region").text();
        int count = in.field("count").intValue(1);
        PurchaseOption option = purchaseOption(in.field("purchase_option"));
        List<ResourceAmount> delta = amounts(in.field("resource_delta"));
        int priority = in.field("priority").intValue(1);
        String slaReason = in.field("sla_reason").text();
        double cost = in.field("estimated_cost_per_hour").nonNegative();
        Double totalCost = in.opt("estimated_total_cost", JsonIn::nonNegative);
        Instant neededBy = in.field("needed_by").instant();
        Instant launchAt = in.field("launch_at").instant();
        if (launchAt.isAfter(neededBy)) {
            throw in.field("launch_at").error("is after needed_by " + neededBy);
        }
        ChangeStatus status = in.field("status").enumValue(ChangeStatus::find,
                names(ChangeStatus.values(), ChangeStatus::jsonName));
        String deferredReason = in.opt("deferred_reason", JsonIn::text);
        if (status == ChangeStatus.DEFERRED && deferredReason == null) {
            in.field("deferred_reason");
        }
        if (status != ChangeStatus.DEFERRED && deferredReason != null) {
            throw in.field("deferred_reason").error("only allowed when status is deferred");
        }
        Duration givenUp = in.opt("lead_time_given_up", JsonIn::duration);
        return in.build(() -> new ProvisionalChange(id, service, action, type, region, count, option, delta,
                priority, slaReason, cost, totalCost, neededBy, launchAt, status, deferredReason,
                givenUp == null ? Duration.ZERO : givenUp));
    }

    private static PlanBasis basis(JsonIn in) {
        in.object(BASIS);
        Instant timestamp = in.field("predicted_timestamp").instant();
        Horizon horizon = in.opt("horizon", DocumentReader::horizon);
        long fleetVersion = in.field("fleet_version").longValue(0);
        InputDigest catalogue = in.opt("catalogue", DocumentReader::digest);
        InputDigest slaPolicies = in.opt("sla_policies", DocumentReader::digest);
        return in.build(() -> new PlanBasis(timestamp, horizon, fleetVersion, catalogue, slaPolicies));
    }

    private static InputDigest digest(JsonIn in) {
        in.object(DIGEST);
        JsonIn hashIn = in.field("sha256");
        String sha256 = hashIn.text();
        if (!SHA256.matcher(sha256).matches()) {
            throw hashIn.error("must be 64 lowercase hexadecimal digits, was \"" + JsonIn.abbreviate(sha256) + "\"");
        }
        String source = in.opt("source", JsonIn::text);
        return in.build(() -> new InputDigest(sha256, source));
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
