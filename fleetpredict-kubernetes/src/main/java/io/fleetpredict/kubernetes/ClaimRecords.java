package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
/**
 * How {@link KarpenterCloud} keeps what the cluster has no field for: a request's fingerprint and the
 * annotations of a claim, and the JSON of the instances in a release record's ConfigMap.
 *
 * <p>The API server keeps at most {@value #CONFIG_MAP_BYTES} bytes in one ConfigMap (the keys and values of its
 * {@code data} and {@code binaryData}, counted in bytes) and refuses a larger one (HTTP 422, "Too long"). A
 * provision's record lists each of its instances and a release's each instance it ends, about 400 bytes each
 * as JSON, so one of more than about 2,500 instances would not fit. Such a record keeps the JSON compressed with
 * gzip in {@code binaryData} ({@value #INSTANCES_GZIP}): the instances of a provision or a release repeat their
 * type, region, key, tags and times, and compress to about 4 to 10 bytes each, so a release of 50,000 instances
 * of 5,000 provisions keeps a record of about 470 KB. A record that fits as text stays text, as earlier versions
 * wrote and read it.
 */
final class ClaimRecords {

    /** The most bytes the API server keeps in one ConfigMap: the keys and values of its data and binary data. */
    static final int CONFIG_MAP_BYTES = 1_048_576;
    /** The entry of a record that holds its instances as JSON text. */
    static final String INSTANCES = "instances";
    /** The binary entry of a record that holds its instances as gzip-compressed JSON, when the text would not fit. */
    static final String INSTANCES_GZIP = "instances.json.gz";
    /**
     * The most bytes the compressed instances of a record expand to when read, 256 MiB, about 650,000 instances:
     * a record that expands to more was not written by this provider, and is refused before it fills the memory.
     */
    static final int EXPANDED_BYTES = 256 * 1024 * 1024;
    /**
     * The longest release fingerprint kept as the list of its instance ids: a longer one is kept as their SHA-256
     * digest and count, so that the list does not take the record's room.
     */
    static final int FINGERPRINT_CHARS = 1_024;

    /**
     * The content of a record: its text entries, and its instances compressed when as text they would pass
     * {@value #CONFIG_MAP_BYTES} bytes.
     *
     * @param data the text entries
     * @param binaryData the binary entries, base64-encoded as a ConfigMap holds them; empty when all is text
     */
    record Body(Map<String, String> data, Map<String, String> binaryData) {

        Body {
            data = Map.copyOf(data);
            binaryData = Map.copyOf(binaryData);
        }

        /** The bytes the API server counts against its limit: every key and value, binary values decoded. */
        long bytes() {
            long n = 0;
            for (Map.Entry<String, String> e : data.entrySet()) {
                n += utf8(e.getKey()) + utf8(e.getValue());
            }
            for (Map.Entry<String, String> e : binaryData.entrySet()) {
                n += utf8(e.getKey()) + Base64.getDecoder().decode(e.getValue()).length;
            }
            return n;
        }

        /** Whether the API server would keep it. */
        boolean fits() {
            return bytes() <= CONFIG_MAP_BYTES;
        }
    }

    /**
     * A record's content: {@code fields} and the instances, as JSON text when that fits in a ConfigMap and
     * gzip-compressed otherwise.
     */
    static Body body(Map<String, String> fields, List<Instance> instances) {
        String json = writeInstances(instances);
        if (json.length() <= CONFIG_MAP_BYTES) {  // a char is at least a byte: a longer text cannot fit
            Map<String, String> text = new TreeMap<>(fields);
            text.put(INSTANCES, json);
            Body plain = new Body(text, Map.of());
            if (plain.fits()) {
                return plain;
            }
        }
        return new Body(fields, Map.of(INSTANCES_GZIP, Base64.getEncoder().encodeToString(gzip(json))));
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return out.toByteArray();
    }

    /** The JSON text of compressed instances, refused past {@value #EXPANDED_BYTES} bytes. */
    private static String gunzip(String base64) throws IOException {
        byte[] compressed = Base64.getDecoder().decode(base64);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] text = in.readNBytes(EXPANDED_BYTES + 1);
            if (text.length > EXPANDED_BYTES) {
                throw new IOException(String.format(Locale.ROOT, "the compressed instances expand to more than %d bytes,"
                        + " the most read", EXPANDED_BYTES));
            }
            return new String(text, StandardCharsets.UTF_8);
        }
    }

    /**
     * The fingerprint of a release, as its record keeps it: the sorted instance ids, or when they pass
     * {@value #FINGERPRINT_CHARS} characters their SHA-256 digest and count, which compare as the list does.
     */
    static String releaseFingerprint(Collection<String> instanceIds) {
        String ids = fullReleaseFingerprint(instanceIds);
        if (ids.length() <= FINGERPRINT_CHARS) {
            return ids;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(ids.getBytes(StandardCharsets.UTF_8));
            return String.format(Locale.ROOT, "sha256:%s of %d instances", HexFormat.of().formatHex(d), instanceIds.size());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** The fingerprint of a release as earlier versions kept it, however long: its sorted instance ids. */
    static String fullReleaseFingerprint(Collection<String> instanceIds) {
        return String.join(",", new TreeSet<>(instanceIds));
    }

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
                c.getMetadata().getName(), name, ServerText.quoted(value));
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
        String compressed = m.getBinaryData() == null ? null : m.getBinaryData().get(INSTANCES_GZIP);
        boolean text = compressed == null || m.getData() != null && m.getData().containsKey(INSTANCES);
        String json = text ? data(m, INSTANCES) : null;
        try {
            return readInstances(json != null ? json : gunzip(Objects.requireNonNull(compressed, INSTANCES_GZIP)));
        } catch (IOException | RuntimeException e) {
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
                    "a stored release record has no %s '%s': %s", type.getSimpleName(), name,
                    ServerText.quoted(String.valueOf(record))));
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
