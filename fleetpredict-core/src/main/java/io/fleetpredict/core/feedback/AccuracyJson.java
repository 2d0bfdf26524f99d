package io.fleetpredict.core.feedback;

import io.fleetpredict.core.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes an {@link AccuracyReport} as JSON; {@code NaN} figures become {@code null}. */
final class AccuracyJson {
    private AccuracyJson() {}

    static String write(AccuracyReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("as_of", report.asOf().toString());
        List<Object> series = new ArrayList<>();
        root.put("series", series);
        for (KeyAccuracy a : report.series()) {
            Map<String, Object> o = new LinkedHashMap<>();
            series.add(o);
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
        return Json.pretty(root);
    }

    private static void number(Map<String, Object> o, String name, double value) {
        o.put(name, Double.isFinite(value) ? value : null);
    }
}
