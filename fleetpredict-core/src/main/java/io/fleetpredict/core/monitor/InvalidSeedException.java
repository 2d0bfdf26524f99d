package io.fleetpredict.core.monitor;

import io.fleetpredict.core.FleetPredictException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A history refused by {@link ActivityMonitor#seed(MetricKey, io.fleetpredict.forecast.TimeSeries)}: the
 * whole seed is refused and the monitor is unchanged. It names the metric and, for a bad value, the value's
 * index in the series and its bucket's start.
 */
public final class InvalidSeedException extends FleetPredictException {
    private static final long serialVersionUID = 1L;

    // MetricKey is not serializable; its two strings are.
    private final String metricName;
    private final String metricService;
    private final int index;
    private final @Nullable Instant time;

    /**
     * Creates the exception.
     *
     * @param metric the metric being seeded
     * @param index the index of the bad value in the series, or -1 when the series as a whole is refused
     * @param time the start of the bad value's bucket, or null when the series as a whole is refused
     * @param message what is wrong, naming the metric (and the index and time when given)
     */
    public InvalidSeedException(MetricKey metric, int index, @Nullable Instant time, String message) {
        super(message);
        this.metricName = Objects.requireNonNull(metric, "metric").name();
        this.metricService = metric.service();
        this.index = index;
        this.time = time;
    }

    /** @return the metric whose seed was refused */
    public MetricKey metric() {
        return new MetricKey(metricName, metricService);
    }

    /** @return the index of the bad value in the series, empty when the series as a whole was refused */
    public OptionalInt index() {
        return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /** @return the start of the bad value's bucket, empty when the series as a whole was refused */
    public Optional<Instant> time() {
        return Optional.ofNullable(time);
    }
}
