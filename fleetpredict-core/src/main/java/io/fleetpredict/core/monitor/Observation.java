package io.fleetpredict.core.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * One timestamped value of a metric, as handed to {@link ActivityMonitor#recordAll}.
 *
 * <p>The value is not checked here so that a batch built from raw input can carry a bad value to
 * the monitor, which counts it as rejected with its reason instead of failing the whole batch.
 *
 * @param metric the metric observed
 * @param time when the value was observed (event time, not arrival time)
 * @param value the observed value: for a {@link MetricKind#COUNTER} the number of events at that time
 */
public record Observation(MetricKey metric, Instant time, double value) {

    /** Checks the references. */
    public Observation {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(time, "time");
    }

    /**
     * Creates an observation.
     *
     * @param metric the metric observed
     * @param time when the value was observed
     * @param value the observed value
     * @return the observation
     */
    public static Observation of(MetricKey metric, Instant time, double value) {
        return new Observation(metric, time, value);
    }
}
