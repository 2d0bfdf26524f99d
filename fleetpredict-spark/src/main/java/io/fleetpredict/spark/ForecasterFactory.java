package io.fleetpredict.spark;

import io.fleetpredict.forecast.Forecaster;
import java.io.Serializable;

/**
 * Creates a {@link Forecaster} on an executor. Spark ships this factory, not the forecaster, so any model
 * of the library (or of the caller) can be used: a lambda such as {@code () -> Forecasters.ets(24)} is
 * serialisable when its target type is this interface.
 */
@FunctionalInterface
public interface ForecasterFactory extends Serializable {

    /**
     * Creates the forecaster; called once per partition on each executor.
     *
     * @return the forecaster, immutable and thread-safe
     */
    Forecaster create();
}
