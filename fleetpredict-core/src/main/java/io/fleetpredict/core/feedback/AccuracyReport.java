package io.fleetpredict.core.feedback;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The accuracy of every tracked series at a moment, ordered by key.
 *
 * @param asOf when the report was taken
 * @param series one entry per series
 */
public record AccuracyReport(Instant asOf, List<KeyAccuracy> series) {

    /** Validates and copies. */
    public AccuracyReport {
        Objects.requireNonNull(asOf, "asOf");
        series = List.copyOf(series);
    }

    /**
     * Finds the entry of one series.
     *
     * @param key the series
     * @return its accuracy, or empty when it was never recorded
     */
    public Optional<KeyAccuracy> find(AccuracyKey key) {
        return series.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /**
     * Writes the report as JSON, in the shape documented in {@code docs/feedback.md}: snake_case fields,
     * figures that cannot be computed as {@code null}.
     *
     * @return indented JSON ending with a newline
     */
    public String toJson() {
        return AccuracyJson.write(this);
    }
}
