package io.fleetpredict.core.feedback;

import io.fleetpredict.core.FleetPredictException;
import java.util.Locale;
import java.util.Objects;

/**
 * An {@link AccuracyTracker} already tracks as many series as its {@code maxSeries} allows and was given a new
 * one: thrown by {@link AccuracyTracker#record} and {@link AccuracyTracker#register}, which then track nothing
 * new. It carries the series refused and the limit, so a caller can say which input passed it.
 */
public final class TooManySeriesException extends FleetPredictException {

    private static final long serialVersionUID = 1L;

    private final AccuracyKey key;
    private final int maxSeries;

    /**
     * Creates the exception.
     *
     * @param key the new series that was refused
     * @param maxSeries the most series the tracker tracks
     */
    public TooManySeriesException(AccuracyKey key, int maxSeries) {
        super(String.format(Locale.ROOT, "%s: a new series, beyond the %d series tracked at most (maxSeries)",
                Objects.requireNonNull(key, "key"), maxSeries));
        this.key = key;
        this.maxSeries = maxSeries;
    }

    /**
     * The new series that was refused.
     *
     * @return the series
     */
    public AccuracyKey key() {
        return key;
    }

    /**
     * The most series the tracker tracks.
     *
     * @return the limit, at least 1
     */
    public int maxSeries() {
        return maxSeries;
    }
}
