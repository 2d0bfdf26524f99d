package io.fleetpredict.core.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes an {@link AccuracyReport} as JSON; {@code NaN} figures become {@code null}. */
final class AccuracyJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AccuracyJson() {}

    static String write(AccuracyReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("as_of", report.asOf().toString());
        ArrayNode series = root.putArray("series");
        for (KeyAccuracy a : report.series()) {
            ObjectNode o = series.addObject();
            if (a.key().service() != null) {
                o.put("service", a.key().service());
            }
            o.put("resource_type", a.key().resource().jsonName());
            o.put("horizon", a.key().horizon().jsonName());
            o.put("count", a.count());
            number(o, "mae", a.mae());
            number(o, "mape", a.mape());
            number(o, "mase", a.mase());
            number(o, "mase_scale", a.scale());
            number(o, "bias", a.bias());
            number(o, "interval_level", a.intervalLevel());
            number(o, "coverage", a.coverage());
            number(o, "recent_mae", a.recentMae());
            o.put("under_provisioned_steps", a.underProvisionedSteps());
            number(o, "under_provisioned_minutes", a.underProvisionedMinutes());
            number(o, "shortfall_unit_hours", a.shortfallUnitHours());
            number(o, "max_shortfall", a.maxShortfall());
            number(o, "over_provisioning_cost", a.overProvisioningCost());
            o.put("drift_alarms", a.driftAlarms());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    private static void number(ObjectNode o, String name, double value) {
        if (Double.isFinite(value)) {
            o.put(name, value);
        } else {
            o.putNull(name);
        }
    }
}
