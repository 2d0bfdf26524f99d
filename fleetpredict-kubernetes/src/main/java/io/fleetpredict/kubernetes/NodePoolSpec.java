package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.Offer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a NodePool the provider reads: its requirements, limits, and the template its claims follow.
 *
 * <p>Karpenter ANDs every requirement of a pool, several on one key included, so a value is allowed only
 * when each requirement on its key allows it: {@code In} and {@code NotIn} by their values,
 * {@code Exists} when the node has the label, {@code DoesNotExist} when it has not. {@code Gt},
 * {@code Lt}, {@code Gte} and {@code Lte} compare the label's value as an integer with their one value, and
 * a label whose value is not an integer never passes them (as in Karpenter's {@code withinIntPtrs}).
 */
final class NodePoolSpec {
    /**
     * What Karpenter copies from a pool's template into each of its claims, besides requirements: the node
     * class, the taints (so pods that do not tolerate them stay off), the startup taints, the expiry and the
     * grace period of termination.
     */
    private static final List<String> CLAIM_FIELDS = List.of("nodeClassRef", "taints", "startupTaints", "expireAfter",
            "terminationGracePeriod");
    /** Karpenter's hash of the pool's template, which it compares with a claim's to see the claim drift. */
    private static final List<String> HASH_ANNOTATIONS = List.of("karpenter.sh/nodepool-hash",
            "karpenter.sh/nodepool-hash-version");
    /** The operators Karpenter's NodePool schema admits. */
    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte");

    private record Requirement(String key, String operator, List<String> values) {
        /** The requirement as the pool writes it, for a message. */
        String describe() {
            return operator.equals("Exists") || operator.equals("DoesNotExist") ? key + " " + operator
                    : key + " " + operator + " " + values;
        }

        /** Whether a node whose label has this value (null: no such label) passes. */
        boolean allows(@Nullable String value) {
            return switch (operator) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> value != null && withinBound(value);
            };
        }

        private boolean withinBound(String value) {
            long v;
            try {
                v = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return false;
            }
            long bound = Long.parseLong(values.get(0));  // checked when the pool was read
            return switch (operator) {
                case "Gt" -> v > bound;
                case "Lt" -> v < bound;
                case "Gte" -> v >= bound;
                default -> v <= bound;
            };
        }
    }

    static final String INSTANCE_FAMILY = "karpenter.k8s.aws/instance-family";
    static final String INSTANCE_CATEGORY = "karpenter.k8s.aws/instance-category";
    static final String INSTANCE_GENERATION = "karpenter.k8s.aws/instance-generation";
    static final String INSTANCE_SIZE = "karpenter.k8s.aws/instance-size";
    static final String INSTANCE_CPU = "karpenter.k8s.aws/instance-cpu";
    static final String INSTANCE_MEMORY = "karpenter.k8s.aws/instance-memory";
    static final String ARCH = "kubernetes.io/arch";
    /** How Karpenter's AWS provider reads category and generation from a type's name (its instanceTypeScheme). */
    private static final Pattern AWS_TYPE_NAME = Pattern.compile("([a-z]+)(-[0-9]+tb)?([0-9]+).*\\.");

    private final String name;
    private final Map<String, List<Requirement>> requirements = new LinkedHashMap<>();
    /** The most characters of a quantity read: 2^63 &minus; 1 has 19 digits, a nano 9 decimals. */
    private static final int MAX_QUANTITY_CHARS = 64;

    private final Map<String, Object> limits;
    private final Map<String, Object> used;
    private final @Nullable Object nodes;
    private final @Nullable String uid;
    private final boolean deleting;
    private final Map<String, String> hashes;
    private final List<Map<?, ?>> rawRequirements;
    private final Map<String, Object> claimSpec = new LinkedHashMap<>();
    private final Map<String, String> labels;
    private final Map<String, String> annotations;

    /** Reads a pool; a pool whose spec is not the shape Karpenter writes is named in the exception. */
    NodePoolSpec(GenericKubernetesResource p) {
        String name = p.getMetadata() == null ? "?" : p.getMetadata().getName();
        this.name = name;
        uid = p.getMetadata() == null ? null : p.getMetadata().getUid();
        deleting = p.getMetadata() != null && p.getMetadata().getDeletionTimestamp() != null;
        Map<String, String> own = p.getMetadata() == null || p.getMetadata().getAnnotations() == null ? Map.of()
                : p.getMetadata().getAnnotations();
        Map<String, String> hashes = new TreeMap<>();
        for (String key : HASH_ANNOTATIONS) {
            if (own.get(key) != null) {
                hashes.put(key, own.get(key));
            }
        }
        this.hashes = Collections.unmodifiableMap(hashes);
        Map<String, Object> spec = object(p.getAdditionalProperties().get("spec"), name, "spec");
        limits = object(spec.get("limits"), name, "spec.limits");
        Map<String, Object> status = object(p.getAdditionalProperties().get("status"), name, "status");
        used = object(status.get("resources"), name, "status.resources");
        nodes = status.get("nodes");
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
            List<String> values = strings(r.get("values"), name, where + ".values");
            if (!OPERATORS.contains(operator)) {
                throw malformed(name, where + ".operator", operator);
            }
            if (operator.startsWith("Gt") || operator.startsWith("Lt")) {
                // Karpenter's schema: one value, a non-negative integer.
                if (values.size() != 1 || !values.get(0).matches("[0-9]{1,18}")) {
                    throw malformed(name, where + ".values", values + " (" + operator + " takes one non-negative integer)");
                }
            }
            requirements.computeIfAbsent(key, k -> new ArrayList<>()).add(new Requirement(key, operator, values));
        }
        Object ref = tspec.get("nodeClassRef");
        if (ref != null) {
            object(ref, name, "spec.template.spec.nodeClassRef");
        }
        for (String field : CLAIM_FIELDS) {
            if (tspec.get(field) != null) {
                claimSpec.put(field, tspec.get(field));
            }
        }
        Map<String, Object> metadata = object(template.get("metadata"), name, "spec.template.metadata");
        labels = stringMap(metadata.get("labels"), name, "spec.template.metadata.labels");
        annotations = stringMap(metadata.get("annotations"), name, "spec.template.metadata.annotations");
        rawRequirements = all.stream().<Map<?, ?>>map(r -> (Map<?, ?>) r).toList();
    }

    /** Whether the pool allows a value of a label (null: a node without it); an unconstrained label allows any. */
    boolean allows(String key, @Nullable String value) {
        return requirements.getOrDefault(key, List.of()).stream().allMatch(r -> r.allows(value));
    }

    /** Whether the pool allows a node of the offer, by every label of it the price list tells. */
    boolean allows(Offer offer) {
        return refusal(offer).isEmpty();
    }

    /**
     * Why the pool cannot take a node of the offer, if it cannot: the first requirement that refuses a label
     * the price list tells (the offer's zone among them: one of its region), described with the value it
     * refuses. Requirements on labels the price list cannot tell refuse nothing here.
     */
    Optional<String> refusal(Offer offer) {
        for (Map.Entry<String, @Nullable String> label : offerLabels(offer).entrySet()) {
            for (Requirement r : requirements.getOrDefault(label.getKey(), List.of())) {
                if (!r.allows(label.getValue())) {
                    return Optional.of(String.format(Locale.ROOT, "its requirement %s does not allow %s", r.describe(),
                            label.getValue() == null ? "a node without that label" : "'" + label.getValue() + "'"));
                }
            }
        }
        return zoneRefusal(offer.region());
    }

    /**
     * Why no zone of the region passes the pool's requirements on {@code topology.kubernetes.io/zone}, if none
     * does. The price list names no zones, but a zone belongs to the region its name starts with
     * ({@code eu-west-1a}, {@code us-east-1-bos-1a}, {@code europe-west1-b}), so an {@code In} names the only
     * zones it allows; {@code NotIn} and {@code Exists} leave the region's other zones, which the price list
     * does not know, and every node has a zone, so {@code DoesNotExist} and the integer bounds refuse all.
     */
    private Optional<String> zoneRefusal(String region) {
        List<Requirement> onZone = requirements.getOrDefault(KarpenterCloud.ZONE, List.of());
        @Nullable Set<String> allowed = null;
        List<String> named = new ArrayList<>();
        for (Requirement r : onZone) {
            switch (r.operator()) {
                case "In" -> {
                    Set<String> inRegion = new TreeSet<>();
                    r.values().stream().filter(z -> inRegion(z, region)).forEach(inRegion::add);
                    if (allowed == null) {
                        allowed = inRegion;
                    } else {
                        allowed.retainAll(inRegion);
                    }
                    named.add(r.describe());
                }
                case "NotIn", "Exists" -> {
                    // Leave the zones the price list does not know; a NotIn narrows an In, below.
                }
                default -> {
                    return Optional.of(String.format(Locale.ROOT, "its requirement %s allows no zone, and every node "
                            + "has one", r.describe()));
                }
            }
        }
        if (allowed == null) {
            return Optional.empty();
        }
        for (Requirement r : onZone) {
            if (r.operator().equals("NotIn")) {
                allowed.removeAll(r.values());
                named.add(r.describe());
            }
        }
        return allowed.isEmpty() ? Optional.of(String.format(Locale.ROOT, "its requirements %s allow no zone of region "
                + "'%s'", String.join(" and ", named), region)) : Optional.empty();
    }

    /** Whether a zone's name puts it in the region: the region's name, then a letter or a '-'. */
    static boolean inRegion(String zone, String region) {
        if (zone.length() <= region.length() || !zone.startsWith(region)) {
            return false;
        }
        char next = zone.charAt(region.length());
        return next == '-' || (next >= 'a' && next <= 'z');
    }

    /**
     * The labels Karpenter's AWS provider gives a node of the offer that the price list tells: the type, its
     * family, category, generation and size as the type's name spells them ({@code m6i.xlarge}: {@code m},
     * {@code 6}, {@code xlarge}), the region, the vCPUs and the memory in MiB. A part the name does not
     * spell is a label the node does not carry (null). {@code kubernetes.io/arch} is there only when the
     * name spells it (see {@link #architecture}); otherwise the price list cannot tell it, and it is left out.
     */
    static Map<String, @Nullable String> offerLabels(Offer o) {
        Map<String, @Nullable String> labels = new LinkedHashMap<>();
        labels.put(KarpenterCloud.INSTANCE_TYPE, o.instanceType());
        labels.put(KarpenterCloud.REGION, o.region());
        labels.put(INSTANCE_FAMILY, o.family());
        Matcher m = AWS_TYPE_NAME.matcher(o.instanceType());
        labels.put(INSTANCE_CATEGORY, m.lookingAt() ? m.group(1) : null);
        labels.put(INSTANCE_GENERATION, m.lookingAt() ? m.group(3) : null);
        int dot = o.instanceType().indexOf('.');
        labels.put(INSTANCE_SIZE, dot < 0 ? null : o.instanceType().substring(dot + 1));
        labels.put(INSTANCE_CPU, Integer.toString(o.cpuCores()));
        labels.put(INSTANCE_MEMORY, Long.toString(Math.round(o.memoryGiB() * 1024)));
        architecture(o.instanceType()).ifPresent(arch -> labels.put(ARCH, arch));
        return labels;
    }

    /**
     * The CPU architecture of an AWS instance type, read from its name as AWS spells it: a {@code g} among the
     * letters after the generation marks Graviton ({@code m6g}, {@code c7gn}, {@code t4g}, {@code im4gn},
     * {@code g5g}), as do {@code a1} and the Apple silicon Macs from {@code mac2} on: {@code arm64}; any other
     * name of that form is {@code amd64}. A name not of that form tells nothing (empty).
     */
    static Optional<String> architecture(String instanceType) {
        Matcher m = AWS_TYPE_NAME.matcher(instanceType);
        int dot = instanceType.indexOf('.');
        if (!m.lookingAt() || dot < m.end(3)) {
            return Optional.empty();
        }
        String category = m.group(1);
        String generation = m.group(3);
        boolean graviton = instanceType.substring(m.end(3), dot).contains("g")
                || (category.equals("a") && generation.equals("1")) || (category.equals("mac") && !generation.equals("1"));
        return Optional.of(graviton ? "arm64" : "amd64");
    }

    /**
     * The pool's requirements, as it writes them, on labels other than {@code keys}, without
     * {@code minValues}: a claim for one instance type cannot offer several values of a label.
     */
    List<Map<?, ?>> requirementsExcept(Set<String> keys) {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Map<?, ?> r : rawRequirements) {
            if (!keys.contains(r.get("key"))) {
                Map<Object, Object> copy = new LinkedHashMap<>(r);
                copy.remove("minValues");
                out.add(copy);
            }
        }
        return out;
    }

    /** The pool's uid, which a claim names as its owner; none only from a server that gives no uids. */
    Optional<String> uid() {
        return Optional.ofNullable(uid);
    }

    /** Whether the pool is being deleted: Karpenter launches nothing for it then. */
    boolean deleting() {
        return deleting;
    }

    /** Karpenter's hash annotations of the pool, which its claims carry too. */
    Map<String, String> hashes() {
        return hashes;
    }

    /** The fields of the template's spec that a claim of the pool carries as they are, the node class among them. */
    Map<String, Object> claimSpec() {
        return Collections.unmodifiableMap(claimSpec);
    }

    /** The labels of the template's metadata: every node of the pool carries them. */
    Map<String, String> labels() {
        return labels;
    }

    /** The annotations of the template's metadata. */
    Map<String, String> annotations() {
        return annotations;
    }

    /** Whether the pool sets any limit: only then does a provision need the claims that count against them. */
    boolean limited() {
        return !limits.isEmpty();
    }

    /**
     * The pool's limit that {@code count} more nodes of the offer would pass, described, if any. Karpenter
     * keeps the pool's use in {@code status.resources} and launches nothing past {@code spec.limits}, so
     * claims past them would stay unfilled. A node of the offer adds its vCPUs to {@code cpu}, its memory to
     * {@code memory} and one to {@code nodes}; for any other resource (GPUs, pods, storage) the price list
     * does not tell what a node adds, so only a use already past the limit refuses, as Karpenter then
     * launches nothing in the pool. {@code unlisted} are the offers of claims the status does not count yet
     * (Karpenter counts a claim once it is launched): they are added to the use, so that a provision right
     * after another cannot pass a limit the first one's claims already fill.
     */
    Optional<String> limitPassed(Offer offer, long count, List<Offer> unlisted) {
        for (Map.Entry<String, Object> limit : limits.entrySet()) {
            BigDecimal each = adds(limit.getKey(), offer);
            BigDecimal max = quantity(limit.getValue(), "spec.limits." + limit.getKey());
            BigDecimal claimed = unlisted.stream().map(o -> adds(limit.getKey(), o)).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal now = inUse(limit.getKey()).add(claimed);
            BigDecimal asked = each.multiply(BigDecimal.valueOf(count));
            if (now.add(asked).compareTo(max) > 0) {
                String pending = claimed.signum() == 0 ? "" : String.format(Locale.ROOT,
                        " (%s of it by %d claims not yet in the pool's status)", plain(claimed), unlisted.size());
                return Optional.of(String.format(Locale.ROOT, "%s: %s in use%s and %s asked for %d x %s, limit %s",
                        limit.getKey(), plain(now), pending, each.signum() == 0 ? "an unknown amount" : plain(asked), count,
                        offer.instanceType(), plain(max)));
            }
        }
        return Optional.empty();
    }

    /** What one node of the offer adds to a limited resource; zero for one the price list does not describe. */
    private static BigDecimal adds(String resource, Offer offer) {
        return switch (resource) {
            case "cpu" -> BigDecimal.valueOf(offer.cpuCores());
            case "memory" -> BigDecimal.valueOf(offer.memoryGiB()).multiply(BigDecimal.valueOf(1L << 30));
            case "nodes" -> BigDecimal.ONE;
            default -> BigDecimal.ZERO;
        };
    }

    /** The pool's use of a resource; Karpenter counts nodes in {@code status.resources} or, later, {@code status.nodes}. */
    private BigDecimal inUse(String resource) {
        Object v = used.get(resource);
        if (v != null) {
            return quantity(v, "status.resources." + resource);
        }
        return resource.equals("nodes") && nodes != null ? quantity(nodes, "status.nodes") : BigDecimal.ZERO;
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    /**
     * A quantity of the pool's limits or status. Its syntax allows any exponent ({@code 1e-99999999}), and
     * adding such a number to another takes time and memory in proportion to the exponent (2.3 s for
     * {@code 1e-999999}, more than 30 s for {@code 1e-99999999}), as does writing it out in a message.
     * Kubernetes holds no quantity above 2^63 &minus; 1 or finer than a nano ({@code 1n}), so one beyond 19
     * digits before the point or 9 after, or written in more than {@value #MAX_QUANTITY_CHARS} characters, is
     * refused as malformed before any arithmetic.
     */
    private BigDecimal quantity(Object value, String where) {
        String text = String.valueOf(value);
        if (text.length() > MAX_QUANTITY_CHARS) {
            throw malformed(name, where, text.substring(0, MAX_QUANTITY_CHARS) + "... (" + text.length()
                    + " characters; a quantity is written in at most " + MAX_QUANTITY_CHARS + ")");
        }
        BigDecimal q;
        try {
            q = Quantity.getAmountInBytes(new Quantity(text));
        } catch (RuntimeException e) {
            throw malformed(name, where, value);
        }
        // precision and scale only: nothing here expands the exponent
        if (q.signum() != 0 && ((long) q.precision() - q.scale() > 19 || q.stripTrailingZeros().scale() > 9)) {
            throw malformed(name, where, text + " (beyond what a Kubernetes quantity holds: at most 19 digits before"
                    + " the point and 9 after)");
        }
        return q;
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

    private static Map<String, String> stringMap(@Nullable Object o, String pool, String where) {
        Map<String, Object> m = object(o, pool, where);
        if (!m.values().stream().allMatch(String.class::isInstance)) {
            throw malformed(pool, where, m);
        }
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, (String) v));
        return Collections.unmodifiableMap(out);
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
                "node pool '%s' has a malformed %s: %s", pool, where, ServerText.quoted(String.valueOf(found))));
    }
}
