package io.fleetpredict.core.predict;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.demand.DemandFit;
import io.fleetpredict.forecast.Forecast;
import java.util.Objects;

/**
 * The step-by-step forecast of one resource of one service over a horizon, events applied: the profile
 * behind the peak a predicted fleet state reports.
 *
 * @param service the service
 * @param resourceType the resource
 * @param unit the unit of the forecast values
 * @param path how the use was forecast
 * @param demandFit the demand relation that decided the path
 * @param forecast the forecast, from the first step after the history, covering the horizon
 */
public record ServiceForecast(String service, ResourceType resourceType, ResourceUnit unit, Path path,
        DemandFit demandFit, Forecast forecast) {

    /** How a resource's use is forecast. */
    public enum Path {
        /** Activity metrics are forecast and mapped to the use through a good demand fit. */
        ACTIVITY,
        /** The use itself is forecast: no activity metrics, or a poor demand fit. */
        DIRECT
    }

    /** Validates. */
    public ServiceForecast {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(demandFit, "demandFit");
        Objects.requireNonNull(forecast, "forecast");
    }
}
