package io.fleetpredict.core.predict;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.ModelInfo;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.internal.Decimals;
import io.fleetpredict.forecast.Forecast;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes a horizon's forecasts as the predicted fleet state document; the models never see the document. */
final class PredictedDocumentWriter {

    private PredictedDocumentWriter() {
    }

    /**
     * The predicted fleet state of one horizon: per service and resource the peak over the horizon of the
     * service's quantile and of p50, p90 and p99; for the fleet, the peak of their sums at each step.
     */
    static PredictedFleetState write(Predictor predictor, Instant at, Horizon horizon, String forecasterName,
            List<ServiceForecast> forecasts, Instant until, Map<String, Object> params) {
        // Per step of the horizon and resource type: the fleet's sum of quantity, p50, p90, p99 in canonical units.
        Map<ResourceType, TreeMap<Instant, double[]>> fleet = new EnumMap<>(ResourceType.class);
        Map<String, List<ResourceRequirement>> perService = new LinkedHashMap<>();
        for (ServiceForecast sf : forecasts) {
            double q = predictor.quantile(sf.service());
            params.putIfAbsent("quantile." + sf.service(), BigDecimal.valueOf(q));
            Forecast f = sf.forecast();
            double[] peak = {0, 0, 0, 0};
            boolean any = false;
            for (int i = 0; i < f.horizon(); i++) {
                Instant t = f.start().plus(f.step().multipliedBy(i));
                if (!t.plus(f.step()).isAfter(at) || !t.isBefore(until)) {
                    continue;
                }
                any = true;
                double[] v = {
                    Math.max(0, f.quantile(q, i)), Math.max(0, f.quantile(0.5, i)),
                    Math.max(0, f.quantile(0.9, i)), Math.max(0, f.quantile(0.99, i))
                };
                double toCanonical = sf.unit().convert(1, sf.resourceType().canonicalUnit());
                double[] sum = fleet.computeIfAbsent(sf.resourceType(), k -> new TreeMap<>())
                        .computeIfAbsent(t, k -> new double[4]);
                for (int k = 0; k < 4; k++) {
                    peak[k] = Math.max(peak[k], v[k]);
                    sum[k] += v[k] * toCanonical;
                }
            }
            if (!any) {
                throw new IllegalStateException("no forecast step falls inside the " + horizon.jsonName()
                        + " horizon for " + sf.service());
            }
            perService.computeIfAbsent(sf.service(), k -> new ArrayList<>())
                    .add(requirement(sf.resourceType(), sf.unit(), peak));
        }
        List<ResourceRequirement> total = new ArrayList<>();
        fleet.forEach((type, steps) -> {
            double[] peak = {0, 0, 0, 0};
            for (double[] v : steps.values()) {
                for (int k = 0; k < 4; k++) {
                    peak[k] = Math.max(peak[k], v[k]);
                }
            }
            total.add(requirement(type, type.canonicalUnit(), peak));
        });
        List<ServiceRequirements> services = new ArrayList<>();
        perService.forEach((s, rs) -> services.add(new ServiceRequirements(s, rs)));
        return new PredictedFleetState(1, predictor.fleetId(), at, horizon, at, until, total, services,
                new ModelInfo("fleetpredict-predictor/" + forecasterName, params), null);
    }

    private static ResourceRequirement requirement(ResourceType type, ResourceUnit unit, double[] peak) {
        // Peaks of ordered quantiles stay ordered; rounding keeps the documents readable.
        double p50 = Decimals.round(peak[1]);
        double p90 = Math.max(p50, Decimals.round(peak[2]));
        double p99 = Math.max(p90, Decimals.round(peak[3]));
        return new ResourceRequirement(type, Decimals.round(peak[0]), unit, p50, p90, p99);
    }

}
