package io.fleetpredict.core.event;

import java.util.List;
import java.util.Locale;

/**
 * The effect of an event type on demand: while such an event runs, demand is {@code multiplier} times
 * what it would have been.
 *
 * @param eventType the type the effect belongs to, such as {@code "campaign:black-friday"}
 * @param multiplier demand during the event over the baseline without it; 1 means no effect
 * @param occurrenceRatios the ratio measured at each past occurrence, oldest first; empty when declared
 * @param source whether the effect was learned from history or declared with the event
 */
public record EventEffect(String eventType, double multiplier, List<Double> occurrenceRatios, Source source) {

    /** Where an effect comes from. */
    public enum Source {
        /** Measured around the past occurrences of the event type. */
        LEARNED,
        /** Given with the event, for a type with no usable history. */
        DECLARED
    }

    /** Validates the effect. */
    public EventEffect {
        if (eventType == null || source == null) {
            throw new NullPointerException("eventType and source are required");
        }
        if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "multiplier of '%s' must be positive and finite, was %s", eventType, multiplier));
        }
        occurrenceRatios = List.copyOf(occurrenceRatios);
    }

    /**
     * The effect in words, such as {@code campaign:black-friday x1.500 (LEARNED from 3 occurrences)}: the multiplier
     * with three decimals, or as significant digits and a power of ten ({@code x1.000e+308}) where three decimals
     * would write hundreds of digits or none that count.
     */
    @Override
    public String toString() {
        boolean plain = multiplier >= 1e-3 && multiplier < 1e15;
        return String.format(Locale.ROOT, "%s x" + (plain ? "%.3f" : "%.3e") + " (%s from %d occurrences)", eventType,
                multiplier, source, occurrenceRatios.size());
    }
}
