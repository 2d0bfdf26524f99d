package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
/**
 * How {@link KarpenterCloud} keeps what the cluster has no field for: a request's fingerprint and the
 * annotations of a claim, and the JSON of the instances in a release record's ConfigMap.
 */
final class ClaimRecords {

    private ClaimRecords() {
    }

    /** The instance as a provision reports it: launched, whatever it has become since. */
    static Instance asLaunched(Instance i) {
        return new Instance(i.id(), i.instanceType(), i.region(), i.purchaseOption(), InstanceState.PENDING, i.launchedAt(),
                i.readyAt(), i.idempotencyKey(), i.tags(), i.configuration(), i.pricePerHour());
    }

    static String annotation(GenericKubernetesResource c, String name) {
        Map<String, String> a = c.getMetadata().getAnnotations();
        String v = a == null ? null : a.get(name);
        if (v == null) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST,
                    "claim " + c.getMetadata().getName() + " lacks annotation " + name);
        }
        return v;
    }

    /**
     * An annotation of a claim read by {@code parse}; a value it cannot read is named with the claim, as a
     * claim this provider did not write as it is.
     */
    static <T> T parsed(GenericKubernetesResource c, String name, Function<String, T> parse) {
        String v = annotation(c, name);
        try {
            return parse.apply(v);
        } catch (RuntimeException e) {
            throw malformed(c, name, v, e);
        }
    }

    /** The instance type, region and purchase option (and count and tags) of the request a claim was made for. */
    static String[] request(GenericKubernetesResource c) {
        String v = annotation(c, KarpenterCloud.REQUEST);
        String[] parts = v.split("\\|", -1);
        if (parts.length < 5) {
            throw malformed(c, KarpenterCloud.REQUEST, v, null);
        }
        return parts;
    }

    /** The tags of a claim: a JSON object of strings. */
    static Map<String, String> tags(GenericKubernetesResource c) {
        return parsed(c, KarpenterCloud.TAGS, v -> {
            Map<?, ?> m = Serialization.unmarshal(v, Map.class);
            Map<String, String> out = new TreeMap<>();
            m.forEach((key, value) -> out.put((String) key, (String) value));
            return out;
        });
    }

    private static CloudException malformed(GenericKubernetesResource c, String name, String value, @Nullable Throwable e) {
        String message = String.format(Locale.ROOT, "claim %s has a malformed annotation %s: '%s'",
                c.getMetadata().getName(), name, value);
        return e == null ? new CloudException(CloudException.Kind.INVALID_REQUEST, message)
                : new CloudException(CloudException.Kind.INVALID_REQUEST, message + " (" + ApiFailures.reason(e) + ")", e);
    }

    static Instance withState(Instance i, InstanceState state) {
        return new Instance(i.id(), i.instanceType(), i.region(), i.purchaseOption(), state, i.launchedAt(), i.readyAt(),
                i.idempotencyKey(), i.tags(), i.configuration(), i.pricePerHour());
    }

    static String writeInstances(List<Instance> instances) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Instance i : instances) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("instance_type", i.instanceType());
            m.put("region", i.region());
            m.put("purchase_option", i.purchaseOption().name());
            m.put("state", i.state().name());
            m.put("launched_at", i.launchedAt().toString());
            m.put("ready_at", i.readyAt().toString());
            m.put("idempotency_key", i.idempotencyKey());
            m.put("tags", new TreeMap<>(i.tags()));
            m.put("price_per_hour", i.pricePerHour());
            out.add(m);
        }
        return Serialization.asJson(out);
    }

    /** The instances a release record's ConfigMap holds; a record this provider could not have written is named. */
    static List<Instance> readInstances(ConfigMap m) {
        String json = data(m, "instances");
        try {
            return readInstances(json);
        } catch (RuntimeException e) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "the release record %s holds instances that cannot be read: %s", m.getMetadata().getName(),
                    ApiFailures.reason(e)), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Instance> readInstances(String json) {
        List<Map<String, Object>> list = Serialization.unmarshal(json, List.class);
        return list.stream().map(m -> new Instance(field(m, "id", String.class), field(m, "instance_type", String.class),
                field(m, "region", String.class), PurchaseOption.valueOf(field(m, "purchase_option", String.class)),
                InstanceState.valueOf(field(m, "state", String.class)), Instant.parse(field(m, "launched_at", String.class)),
                Instant.parse(field(m, "ready_at", String.class)), field(m, "idempotency_key", String.class),
                (Map<String, String>) field(m, "tags", Map.class), Map.of(), field(m, "price_per_hour", Number.class).doubleValue()))
                .collect(Collectors.toList());
    }

    /** A field of a stored release record; a record without it was not written by this provider. */
    static <T> T field(Map<String, Object> record, String name, Class<T> type) {
        Object v = record.get(name);
        if (!type.isInstance(v)) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "a stored release record has no %s '%s': %s", type.getSimpleName(), name, record));
        }
        return type.cast(v);
    }

    /** An entry of a release record's ConfigMap. */
    static String data(ConfigMap m, String key) {
        String v = m.getData() == null ? null : m.getData().get(key);
        if (v == null) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "the release record %s has no '%s'", m.getMetadata().getName(), key));
        }
        return v;
    }

    /** A request in a form that compares by value: type, region, option, count and sorted tags. */
    static String fingerprint(ProvisionRequest r) {
        return String.join("|", r.instanceType(), r.region(), r.purchaseOption().name(), Integer.toString(r.count()),
                new TreeMap<>(r.tags()).toString());
    }
}
