package io.fleetpredict.core.predict;

import io.fleetpredict.core.document.Horizon;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one horizon is predicted: at what step, how far ahead, and how the history is aggregated to that step.
 *
 * <p>The defaults follow the issue: short term at the history's own step for the next 6 hours, medium
 * term hourly for 2 days, long term daily for 4 weeks (for reserved capacity). A coarser step aggregates
 * the history by {@link Aggregation#PEAK} by default: capacity must cover the highest use within each hour
 * or day, not its average.
 *
 * @param horizon which horizon this is
 * @param step the prediction step, a whole multiple of the history's step; {@code null} for the history's
 *     own step
 * @param length how far ahead the prediction reaches from the prediction time, positive
 * @param aggregation how history steps are combined into one prediction step
 */
public record HorizonSpec(Horizon horizon, @Nullable Duration step, Duration length, Aggregation aggregation) {

    /** How the values of the history steps inside one prediction step become one value. */
    public enum Aggregation {
        /** The largest value: the peak a gauge reached, what capacity must cover. */
        PEAK,
        /** The average value. */
        MEAN
    }

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the step or the length is not positive
     */
    public HorizonSpec {
        Objects.requireNonNull(horizon, "horizon");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(aggregation, "aggregation");
        if (step != null && (step.isZero() || step.isNegative())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "step of %s must be positive, was %s", horizon.jsonName(), step));
        }
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "length of %s must be positive, was %s", horizon.jsonName(), length));
        }
    }

    /** @return the short term: the next 6 hours at the history's step */
    public static HorizonSpec shortTerm() {
        return new HorizonSpec(Horizon.SHORT_TERM, null, Duration.ofHours(6), Aggregation.PEAK);
    }

    /** @return the medium term: the next 2 days, hourly peaks */
    public static HorizonSpec mediumTerm() {
        return new HorizonSpec(Horizon.MEDIUM_TERM, Duration.ofHours(1), Duration.ofDays(2), Aggregation.PEAK);
    }

    /** @return the long term: the next 4 weeks, daily peaks */
    public static HorizonSpec longTerm() {
        return new HorizonSpec(Horizon.LONG_TERM, Duration.ofDays(1), Duration.ofDays(28), Aggregation.PEAK);
    }

    /** @return the three default horizons, short to long */
    public static List<HorizonSpec> defaults() {
        return List.of(shortTerm(), mediumTerm(), longTerm());
    }

    /**
     * The prediction step for a history step.
     *
     * @param historyStep the step of the history
     * @return {@link #step()}, or {@code historyStep} when it is {@code null}
     * @throws IllegalArgumentException if the step is not a whole multiple of {@code historyStep}
     */
    public Duration stepFor(Duration historyStep) {
        Duration s = step == null ? historyStep : step;
        long k = s.dividedBy(historyStep);
        if (k < 1 || !historyStep.multipliedBy(k).equals(s)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the %s step %s is not a whole multiple of the history's step %s", horizon.jsonName(), s, historyStep));
        }
        return s;
    }
}
