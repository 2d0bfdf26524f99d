package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.internal.Json;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The intents file the directory store keeps beside each version of a fleet's state: the fleet version
 * and the intents, in snake case. Read as strictly as the documents.
 */
final class IntentsFile {

    private static final Set<String> INTENTS_FIELDS = Set.of("fleet_version", "intents");
    private static final Set<String> INTENT_FIELDS = Set.of("id", "change_id", "idempotency_key", "service",
            "sla_tier", "instance_type", "region", "purchase_option", "count", "covered_count", "price_per_hour",
            "created_at", "status", "instance_ids");

    private IntentsFile() {
    }

    /** The intents file of a fleet's version. */
    static String write(StoredFleet fleet) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("fleet_version", fleet.version());
        List<Object> list = new ArrayList<>();
        for (ProvisioningIntent i : fleet.intents()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("id", i.id());
            n.put("change_id", i.changeId());
            n.put("idempotency_key", i.idempotencyKey());
            n.put("service", i.service());
            n.put("sla_tier", i.slaTier());
            n.put("instance_type", i.instanceType());
            n.put("region", i.region());
            n.put("purchase_option", i.purchaseOption().jsonName());
            n.put("count", i.count());
            n.put("covered_count", i.coveredCount());
            n.put("price_per_hour", i.pricePerHour());
            n.put("created_at", i.createdAt().toString());
            n.put("status", i.status().name().toLowerCase(Locale.ROOT));
            n.put("kind", i.kind().name().toLowerCase(Locale.ROOT));
            n.put("instance_ids", i.instanceIds());
            list.add(n);
        }
        root.put("intents", list);
        return Json.pretty(root);
    }

    /**
     * Reads an intents file as strictly as the documents are read: exact fields, no duplicate keys, no
     * trailing content, integers where counts are and finite numbers where prices are; any departure is
     * an {@link IllegalArgumentException} naming its JSON path.
     */
    static List<ProvisioningIntent> read(String json, long expectedVersion) {
        Map<String, Object> root = object(Json.read(json), "$");
        onlyFields(root, INTENTS_FIELDS, "$");
        long version = integer(root, "fleet_version", "$", 0, Long.MAX_VALUE);
        if (version != expectedVersion) {
            throw new IllegalArgumentException("$.fleet_version: expected " + expectedVersion + ", was " + version);
        }
        List<?> list = array(root.get("intents"), "$.intents");
        List<ProvisioningIntent> intents = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            String at = "$.intents[" + k + "]";
            Map<String, Object> n = object(list.get(k), at);
            onlyFields(n, INTENT_FIELDS, Set.of("kind"), at);
            List<?> idValues = array(n.get("instance_ids"), at + ".instance_ids");
            List<String> ids = new ArrayList<>();
            for (int j = 0; j < idValues.size(); j++) {
                ids.add(checkedText(idValues.get(j), at + ".instance_ids[" + j + "]"));
            }
            String option = text(n, "purchase_option", at);
            String status = text(n, "status", at);
            String created = text(n, "created_at", at);
            try {
                intents.add(new ProvisioningIntent(text(n, "id", at), text(n, "change_id", at),
                        text(n, "idempotency_key", at), text(n, "service", at), text(n, "sla_tier", at),
                        text(n, "instance_type", at), text(n, "region", at),
                        PurchaseOption.find(option).orElseThrow(
                                () -> new IllegalArgumentException(".purchase_option: unknown '" + option + "'")),
                        (int) integer(n, "count", at, 1, Integer.MAX_VALUE),
                        (int) integer(n, "covered_count", at, 1, Integer.MAX_VALUE),
                        number(n, "price_per_hour", at), instant(created, at + ".created_at"),
                        status(status, at + ".status"), ids,
                        // Absent in intents written before releases existed: those are all launches.
                        n.containsKey("kind") ? kind(text(n, "kind", at), at + ".kind") : ProvisioningIntent.Kind.LAUNCH));
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                throw new IllegalArgumentException(message.startsWith("$") ? message
                        : at + (message.startsWith(".") ? "" : ": ") + message, e);
            }
        }
        return intents;
    }

    @SuppressWarnings("unchecked") // Json.read gives maps with String keys
    private static Map<String, Object> object(@Nullable Object value, String at) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(at + ": expected an object");
        }
        return (Map<String, Object>) value;
    }

    private static List<?> array(@Nullable Object value, String at) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(at + ": expected an array");
        }
        return list;
    }

    private static void onlyFields(Map<String, Object> node, Set<String> allowed, String at) {
        onlyFields(node, allowed, Set.of(), at);
    }

    /** Every required field present, and no field that is neither required nor optional. */
    private static void onlyFields(Map<String, Object> node, Set<String> allowed, Set<String> optional, String at) {
        for (String name : allowed) {
            if (!node.containsKey(name)) {
                throw new IllegalArgumentException(at + "." + name + ": missing");
            }
        }
        for (String name : node.keySet()) {
            if (!allowed.contains(name) && !optional.contains(name)) {
                throw new IllegalArgumentException(at + "['" + Checks.printable(name) + "']: unknown field");
            }
        }
    }

    private static long integer(Map<String, Object> node, String field, String at, long min, long max) {
        Object value = node.get(field);
        boolean integral = value instanceof Integer || value instanceof Long
                || value instanceof BigInteger big && big.bitLength() < 64;
        if (!integral || !(value instanceof Number n) || n.longValue() < min || n.longValue() > max) {
            throw new IllegalArgumentException(at + "." + field + ": expected an integer from " + min + " to " + max
                    + ", was " + (value == null ? "missing" : Json.compact(value)));
        }
        return n.longValue();
    }

    private static double number(Map<String, Object> node, String field, String at) {
        Object value = node.get(field);
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
            throw new IllegalArgumentException(at + "." + field + ": expected a finite number not below 0, was "
                    + (value == null ? "missing" : Json.compact(value)));
        }
        return n.doubleValue();
    }

    /**
     * An instant from years 0000 to 9999, as a document holds: {@link ProvisioningIntent} refuses any other, so no
     * store writes one, and one planted in a file (an open intent that the caps' window would count and reconcile
     * would leave be for ever, or one at {@code Instant.MAX} that overflows the first sum of it) is refused here,
     * naming its path, before anything acts on it.
     */
    private static Instant instant(String text, String at) {
        Instant parsed;
        try {
            parsed = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(at + ": not an ISO-8601 instant: '" + Checks.printable(text) + "'", e);
        }
        return Checks.documentInstant(at, parsed);
    }

    private static ProvisioningIntent.Kind kind(String text, String at) {
        for (ProvisioningIntent.Kind k : ProvisioningIntent.Kind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException(at + ": unknown kind '" + Checks.printable(text) + "'");
    }

    private static ProvisioningIntent.Status status(String text, String at) {
        for (ProvisioningIntent.Status s : ProvisioningIntent.Status.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException(at + ": unknown status '" + Checks.printable(text) + "'");
    }

    private static String text(Map<String, Object> node, String field, String at) {
        return checkedText(node.get(field), at + "." + field);
    }

    private static String checkedText(@Nullable Object value, String at) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(at + ": expected a string");
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(at + ": must not contain control characters: '" + Checks.printable(text) + "'");
        }
        return text;
    }
}
