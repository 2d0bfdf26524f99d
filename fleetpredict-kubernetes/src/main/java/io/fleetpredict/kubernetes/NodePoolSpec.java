package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.Offer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a NodePool the provider reads: its requirements and its node class.
 *
 * <p>Karpenter ANDs every requirement of a pool, several on one key included, so a value is allowed only
 * when each requirement on its key allows it: {@code In} and {@code NotIn} by their values,
 * {@code Exists} always, {@code DoesNotExist} never (no node of the pool carries the label). The numeric
 * {@code Gt} and {@code Lt} do not bear on the keys read here.
 */
final class NodePoolSpec {
    private record Requirement(String operator, List<String> values) {
        boolean allows(String value) {
            return switch (operator) {
                case "In" -> values.contains(value);
                case "NotIn" -> !values.contains(value);
                case "DoesNotExist" -> false;
                default -> true;
            };
        }
    }

    private final String name;
    private final Map<String, List<Requirement>> requirements = new LinkedHashMap<>();
    private final Map<String, Object> limits;
    private final Map<String, Object> used;
    private final @Nullable Map<String, Object> nodeClassRef;

    /** Reads a pool; a pool whose spec is not the shape Karpenter writes is named in the exception. */
    NodePoolSpec(GenericKubernetesResource p) {
        String name = p.getMetadata() == null ? "?" : p.getMetadata().getName();
        this.name = name;
        Map<String, Object> spec = object(p.getAdditionalProperties().get("spec"), name, "spec");
        limits = object(spec.get("limits"), name, "spec.limits");
        used = object(object(p.getAdditionalProperties().get("status"), name, "status").get("resources"), name,
                "status.resources");
        Map<String, Object> template = object(spec.get("template"), name, "spec.template");
        Map<String, Object> tspec = object(template.get("spec"), name, "spec.template.spec");
        Object listed = tspec.get("requirements");
        if (listed != null && !(listed instanceof List<?>)) {
            throw malformed(name, "spec.template.spec.requirements", listed);
        }
        List<?> all = listed == null ? List.of() : (List<?>) listed;
        for (int i = 0; i < all.size(); i++) {
            String where = "spec.template.spec.requirements[" + i + "]";
            Map<String, Object> r = object(all.get(i), name, where);
            if (!(r.get("key") instanceof String key) || !(r.get("operator") instanceof String operator)) {
                throw malformed(name, where, r);
            }
            requirements.computeIfAbsent(key, k -> new ArrayList<>()).add(new Requirement(operator,
                    strings(r.get("values"), name, where + ".values")));
        }
        Object ref = tspec.get("nodeClassRef");
        nodeClassRef = ref == null ? null : object(ref, name, "spec.template.spec.nodeClassRef");
    }

    /** Whether the pool allows a value of a label: an unconstrained label allows any. */
    boolean allows(String key, String value) {
        return requirements.getOrDefault(key, List.of()).stream().allMatch(r -> r.allows(value));
    }

    /** The values the pool names with {@code In} for a label, less those it excludes; empty when it names none. */
    Optional<List<String>> values(String key) {
        List<Requirement> on = requirements.getOrDefault(key, List.of());
        return on.stream().filter(r -> r.operator().equals("In")).findFirst()
                .map(in -> in.values().stream().filter(v -> allows(key, v)).toList());
    }

    /**
     * The pool's limit that {@code count} more nodes of the offer would pass, described, if any. Karpenter
     * keeps the pool's use in {@code status.resources} and launches nothing past {@code spec.limits}, so
     * claims past them would stay unfilled.
     */
    Optional<String> limitPassed(Offer offer, long count) {
        for (Map.Entry<String, Object> limit : limits.entrySet()) {
            BigDecimal each = switch (limit.getKey()) {
                case "cpu" -> BigDecimal.valueOf(offer.cpuCores());
                case "memory" -> BigDecimal.valueOf(offer.memoryGiB()).multiply(BigDecimal.valueOf(1L << 30));
                default -> null;
            };
            if (each == null) {
                continue;
            }
            BigDecimal max = quantity(limit.getValue(), "spec.limits." + limit.getKey());
            Object inUse = used.get(limit.getKey());
            BigDecimal now = inUse == null ? BigDecimal.ZERO : quantity(inUse, "status.resources." + limit.getKey());
            BigDecimal asked = each.multiply(BigDecimal.valueOf(count));
            if (now.add(asked).compareTo(max) > 0) {
                return Optional.of(String.format(Locale.ROOT, "%s: %s in use and %s asked for %d x %s, limit %s",
                        limit.getKey(), now.stripTrailingZeros().toPlainString(), asked.stripTrailingZeros().toPlainString(),
                        count, offer.instanceType(), max.stripTrailingZeros().toPlainString()));
            }
        }
        return Optional.empty();
    }

    private BigDecimal quantity(Object value, String where) {
        try {
            return Quantity.getAmountInBytes(new Quantity(String.valueOf(value)));
        } catch (RuntimeException e) {
            throw malformed(name, where, value);
        }
    }

    Optional<Map<String, Object>> nodeClassRef() {
        return Optional.ofNullable(nodeClassRef);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(@Nullable Object o, String pool, String where) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map<?, ?>)) {
            throw malformed(pool, where, o);
        }
        return (Map<String, Object>) o;
    }

    private static List<String> strings(@Nullable Object o, String pool, String where) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw malformed(pool, where, o);
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static CloudException malformed(String pool, String where, Object found) {
        return new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                "node pool '%s' has a malformed %s: %s", pool, where, found));
    }
}
