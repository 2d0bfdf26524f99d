package io.fleetpredict.core.document;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Valid documents of every kind drawn from a seeded random source, optional fields present or not. */
final class RandomDocuments {
    private final Random random;

    RandomDocuments(long seed) {
        this.random = new Random(seed);
    }

    Document of(DocumentKind kind) {
        return switch (kind) {
            case PREDICTED_FLEET_STATE -> predicted();
            case FLEET_STATE -> fleet();
            case PROVISIONAL_FLEET_STATE -> provisional();
            case SLA_POLICIES -> sla();
            case EVENT_FEED -> feed();
            case INSTANCE_CATALOGUE -> catalogue();
            case OVERRIDES -> overrides();
        };
    }

    private boolean maybe() {
        return random.nextBoolean();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String name(String prefix) {
        return prefix + "-" + Integer.toString(random.nextInt(100_000), 36);
    }

    private double quantity() {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(1000);
            case 1 -> random.nextDouble() * 1000;
            case 2 -> random.nextDouble() * 1e-6;
            default -> Math.round(random.nextDouble() * 1e6) / 100.0;
        };
    }

    private Instant instant() {
        return Instant.parse("2024-01-01T00:00:00Z").plusMillis(random.nextLong() & ((1L << 38) - 1));
    }

    private Duration duration() {
        return switch (random.nextInt(4)) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofMinutes(random.nextInt(600));
            case 2 -> Duration.ofDays(random.nextInt(30)).plusSeconds(random.nextInt(86_400));
            default -> Duration.ofMillis(random.nextInt(1_000_000));
        };
    }

    private List<ResourceType> types(boolean nonEmpty) {
        List<ResourceType> all = new ArrayList<>(List.of(ResourceType.values()));
        Collections.shuffle(all, random);
        return all.subList(0, (nonEmpty ? 1 : 0) + random.nextInt(nonEmpty ? 4 : 5));
    }

    private ResourceAmount amount(ResourceType type) {
        return ResourceAmount.of(type, quantity(), pick(type.units()));
    }

    private List<ResourceAmount> amounts(boolean nonEmpty) {
        return types(nonEmpty).stream().map(this::amount).toList();
    }

    private List<String> distinctNames(String prefix, int min, int max) {
        List<String> names = new ArrayList<>();
        int n = min + random.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            names.add(prefix + "-" + i + (maybe() ? "" : "-" + name("x")));
        }
        return names;
    }

    private ResourceRequirement requirement(ResourceType type) {
        ResourceAmount a = amount(type);
        Double p50 = maybe() ? a.amount() * 0.9 : null;
        Double p90 = maybe() ? a.amount() : null;
        Double p99 = maybe() ? a.amount() * 1.5 + 1 : null;
        return new ResourceRequirement(type, a.amount(), a.unit(), p50, p90, p99);
    }

    private List<ResourceRequirement> requirements(boolean nonEmpty) {
        return types(nonEmpty).stream().map(this::requirement).toList();
    }

    private Integer version() {
        return maybe() ? Documents.SCHEMA_VERSION : null;
    }

    PredictedFleetState predicted() {
        Instant from = maybe() ? instant() : null;
        Instant until = from != null && maybe() ? from.plusSeconds(random.nextInt(100_000)) : null;
        List<ServiceRequirements> services = maybe() ? null
                : distinctNames("svc", 0, 3).stream().map(s -> new ServiceRequirements(s, requirements(false))).toList();
        ModelInfo model = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> ModelInfo.named(name("model"));
            default -> {
                Map<String, Object> parameters = new LinkedHashMap<>();
                parameters.put("alpha", new BigDecimal("0.25"));
                if (maybe()) {
                    parameters.put("period", (long) random.nextInt(400));
                }
                if (maybe()) {
                    parameters.put("damped", maybe());
                    parameters.put("trend", "additive");
                }
                yield new ModelInfo(name("model"), parameters);
            }
        };
        List<OverrideApplied> overrides = maybe() ? null : overridesApplied();
        return new PredictedFleetState(version(), maybe() ? name("fleet") : null, instant(),
                maybe() ? pick(List.of(Horizon.values())) : null, from, until, requirements(true), services, model,
                overrides);
    }

    private List<ResourceAmount> capacity() {
        return amounts(true);
    }

    FleetState fleet() {
        long version = random.nextInt(1_000_000);
        return fleet(version);
    }

    private FleetState fleet(long version) {
        List<ServiceState> services = distinctNames("svc", 0, 3).stream().map(s -> new ServiceState(s,
                pick(List.of("critical", "standard", "best_effort")),
                java.util.stream.IntStream.range(0, random.nextInt(3)).mapToObj(i -> new InstanceGroup(
                        pick(List.of("m6i.large", "c6i.xlarge", "r6g.2xlarge")), pick(List.of("eu-west-1", "us-east-1")),
                        pick(List.of(PurchaseOption.values())), random.nextInt(50), capacity())).toList(),
                amounts(false))).toList();
        return new FleetState(version(), name("fleet"), version, instant(), services);
    }

    ProvisionalFleetState provisional() {
        FleetState fleet = fleet();
        // A change is for a service of the fleet: none without services.
        List<String> serviceNames = fleet.services().stream().map(ServiceState::name).toList();
        List<ProvisionalChange> changes = distinctNames("chg", 0, serviceNames.isEmpty() ? 0 : 4).stream().map(id -> {
            Instant neededBy = instant();
            ChangeStatus status = pick(List.of(ChangeStatus.values()));
            return new ProvisionalChange(id, pick(serviceNames), pick(List.of(ChangeAction.values())), "m6i.large",
                    "eu-west-1", 1 + random.nextInt(20), pick(List.of(PurchaseOption.values())), amounts(false),
                    1 + random.nextInt(5), "p99 forecast above allocation", quantity(), maybe() ? null : quantity(),
                    neededBy,
                    neededBy.minusSeconds(random.nextInt(3600)), status,
                    status == ChangeStatus.DEFERRED ? "over the cost threshold" : null,
                    maybe() ? java.time.Duration.ZERO : java.time.Duration.ofSeconds(1 + random.nextInt(7200)));
        }).toList();
        return new ProvisionalFleetState(fleet, changes,
                new PlanBasis(instant(), maybe() ? pick(List.of(Horizon.values())) : null, fleet.version(),
                        maybe() ? null : digest(), maybe() ? null : digest()),
                maybe() ? null : overridesApplied());
    }

    private InputDigest digest() {
        InputDigest digest = InputDigest.ofText(name("content"));
        return maybe() ? digest : digest.withSource(name("file") + ".json");
    }

    private List<OverrideApplied> overridesApplied() {
        return distinctNames("ovr", 0, 2).stream()
                .map(id -> new OverrideApplied(id, "ops", instant(), "known sale", maybe() ? null : "checkout",
                        amount(pick(List.of(ResourceType.values()))))).toList();
    }

    private List<String> allowList(String prefix) {
        return maybe() ? null : distinctNames(prefix, 1, 3);
    }

    private TierPolicy tierPolicy() {
        return new TierPolicy(0.5 + random.nextInt(100), 0.5 + random.nextDouble() * 0.499, random.nextDouble(),
                random.nextDouble(), random.nextInt(5), allowList("family"), allowList("region"), duration(),
                duration(), duration());
    }

    SlaPolicies sla() {
        Map<String, TierPolicy> tiers = new LinkedHashMap<>();
        List<String> tierNames = distinctNames("tier", 1, 3);
        tierNames.forEach(t -> tiers.put(t, tierPolicy()));
        List<ServicePolicy> services = distinctNames("svc", 0, 3).stream().map(s -> new ServicePolicy(s,
                pick(tierNames), maybe() ? 2.5 : null, maybe() ? 0.95 : null, maybe() ? 0.0 : null,
                maybe() ? 1.0 : null, maybe() ? 2 : null, allowList("family"), allowList("region"),
                maybe() ? duration() : null, maybe() ? duration() : null, maybe() ? duration() : null)).toList();
        return new SlaPolicies(version(), pick(tierNames), tiers, services);
    }

    EventFeed feed() {
        List<FleetEvent> events = distinctNames("evt", 0, 4).stream().map(id -> {
            EventType type = pick(List.of(EventType.values()));
            Instant start = instant();
            ExpectedImpact impact;
            if (maybe()) {
                impact = null;
            } else if (type == EventType.MAINTENANCE) {
                impact = maybe() ? new ExpectedImpact(null, null, amounts(false), null)
                        : new ExpectedImpact(null, null, null, 1 + random.nextInt(10));
            } else {
                impact = maybe() ? new ExpectedImpact(0.1 + random.nextDouble() * 3, null, null, null)
                        : new ExpectedImpact(null, amounts(false), null, null);
            }
            return new FleetEvent(id, type, name("event"), start, start.plusSeconds(1 + random.nextInt(100_000)),
                    maybe() ? List.of() : distinctNames("svc", 1, 3), impact);
        }).toList();
        return new EventFeed(version(), events);
    }

    InstanceCatalogue catalogue() {
        List<CatalogueOffer> offers = distinctNames("m6i", 1, 4).stream().map(type -> new CatalogueOffer(type, "m6i",
                "eu-west-1", 1 + random.nextInt(64), 0.5 + random.nextInt(256), 0.1 + random.nextDouble() * 50,
                random.nextInt(4) * 100.0, random.nextDouble() * 5, maybe() ? random.nextDouble() : null,
                random.nextDouble() * 0.05, duration())).toList();
        return new InstanceCatalogue(version(), offers);
    }

    OverrideSet overrides() {
        List<ExpertOverride> overrides = distinctNames("ovr", 0, 4).stream().map(id -> {
            OverrideAction action = pick(List.of(OverrideAction.values()));
            Instant start = instant();
            ResourceAmount amount = action.takesAmount() ? amount(pick(List.of(ResourceType.values()))) : null;
            ResourceType type = amount != null ? amount.type()
                    : maybe() ? pick(List.of(ResourceType.values())) : null;
            Double factor = action == OverrideAction.SCALE ? Math.nextUp(random.nextDouble() * 3) : null;
            return new ExpertOverride(id, action, maybe() ? name("svc") : null, type, amount, factor, start,
                    start.plusSeconds(1 + random.nextInt(100_000)), name("author"), name("reason"));
        }).toList();
        return new OverrideSet(version(), overrides);
    }

    /** Kinds in a fixed order, so a seed always draws the same documents. */
    static List<DocumentKind> kinds() {
        return List.copyOf(EnumSet.allOf(DocumentKind.class));
    }
}
