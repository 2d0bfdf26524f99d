package io.fleetpredict.core.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The intents file the directory store keeps beside each version of a fleet's state: the fleet version
 * and the intents, in snake case. Read as strictly as the documents.
 */
final class IntentsFile {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Set<String> INTENTS_FIELDS = Set.of("fleet_version", "intents");
    private static final Set<String> INTENT_FIELDS = Set.of("id", "change_id", "idempotency_key", "service",
            "sla_tier", "instance_type", "region", "purchase_option", "count", "covered_count", "price_per_hour",
            "created_at", "status", "instance_ids");

    private IntentsFile() {
    }

    /** The intents file of a fleet's version. */
    static String write(StoredFleet fleet) {
        ObjectNode root = JSON.createObjectNode();
        root.put("fleet_version", fleet.version());
        ArrayNode list = root.putArray("intents");
        for (ProvisioningIntent i : fleet.intents()) {
            ObjectNode n = list.addObject();
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
            ArrayNode ids = n.putArray("instance_ids");
            i.instanceIds().forEach(ids::add);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads an intents file as strictly as the documents are read: exact fields, no duplicate keys, no
     * trailing content, integers where counts are and finite numbers where prices are; any departure is
     * an {@link IllegalArgumentException} naming its JSON path.
     */
    static List<ProvisioningIntent> read(String json, long expectedVersion) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage().replaceAll(
                    " \\(bound as `[^`]*`\\): not allowed as per `[^`]*`", ""), e);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not valid JSON: a number is out of range", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("$: expected an object");
        }
        onlyFields(root, INTENTS_FIELDS, "$");
        long version = integer(root, "fleet_version", "$", 0, Long.MAX_VALUE);
        if (version != expectedVersion) {
            throw new IllegalArgumentException("$.fleet_version: expected " + expectedVersion + ", was " + version);
        }
        JsonNode list = root.path("intents");
        if (!list.isArray()) {
            throw new IllegalArgumentException("$.intents: expected an array");
        }
        List<ProvisioningIntent> intents = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            JsonNode n = list.get(k);
            String at = "$.intents[" + k + "]";
            if (!n.isObject()) {
                throw new IllegalArgumentException(at + ": expected an object");
            }
            onlyFields(n, INTENT_FIELDS, Set.of("kind"), at);
            JsonNode idsNode = n.path("instance_ids");
            if (!idsNode.isArray()) {
                throw new IllegalArgumentException(at + ".instance_ids: expected an array");
            }
            List<String> ids = new ArrayList<>();
            for (int j = 0; j < idsNode.size(); j++) {
                ids.add(text(idsNode, j, at + ".instance_ids"));
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
                        n.has("kind") ? kind(text(n, "kind", at), at + ".kind") : ProvisioningIntent.Kind.LAUNCH));
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                throw new IllegalArgumentException(message.startsWith("$") ? message
                        : at + (message.startsWith(".") ? "" : ": ") + message, e);
            }
        }
        return intents;
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, String at) {
        onlyFields(node, allowed, Set.of(), at);
    }

    /** Every required field present, and no field that is neither required nor optional. */
    private static void onlyFields(JsonNode node, Set<String> allowed, Set<String> optional, String at) {
        for (String name : allowed) {
            if (!node.has(name)) {
                throw new IllegalArgumentException(at + "." + name + ": missing");
            }
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name) && !optional.contains(name)) {
                throw new IllegalArgumentException(at + "['" + printable(name) + "']: unknown field");
            }
        });
    }

    private static long integer(JsonNode node, String field, String at, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || value.longValue() < min || value.longValue() > max) {
            throw new IllegalArgumentException(at + "." + field + ": expected an integer from " + min + " to " + max
                    + ", was " + (value == null ? "missing" : value.toString()));
        }
        return value.longValue();
    }

    private static double number(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue()) || value.doubleValue() < 0) {
            throw new IllegalArgumentException(at + "." + field + ": expected a finite number not below 0, was "
                    + (value == null ? "missing" : value.toString()));
        }
        return value.doubleValue();
    }

    private static Instant instant(String text, String at) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(at + ": not an ISO-8601 instant: '" + printable(text) + "'", e);
        }
    }

    private static ProvisioningIntent.Kind kind(String text, String at) {
        for (ProvisioningIntent.Kind k : ProvisioningIntent.Kind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException(at + ": unknown kind '" + printable(text) + "'");
    }

    private static ProvisioningIntent.Status status(String text, String at) {
        for (ProvisioningIntent.Status s : ProvisioningIntent.Status.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException(at + ": unknown status '" + printable(text) + "'");
    }

    private static String text(JsonNode node, String field, String at) {
        return checkedText(node.get(field), at + "." + field);
    }

    private static String text(JsonNode array, int index, String at) {
        return checkedText(array.get(index), at + "[" + index + "]");
    }

    private static String checkedText(JsonNode value, String at) {
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(at + ": expected a string");
        }
        String text = value.textValue();
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(at + ": must not contain control characters: '" + printable(text) + "'");
        }
        return text;
    }

    /** The text with control characters shown as escapes, fit for a message. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(Character.isISOControl(c)
                ? String.format(Locale.ROOT, "\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }
}
