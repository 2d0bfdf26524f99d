package io.fleetpredict.spark;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The errors of a cross-validation: per series, persisted so that reading them again does not refit, and
 * their aggregate.
 *
 * @param perSeries one row per series, as {@link SparkForecasting#crossValidate} returns them; call
 *     {@code unpersist()} when done
 * @param summary their aggregate
 */
public record Evaluation(Dataset<Row> perSeries, ErrorSummary summary) {

    /** Checks that both are present. */
    public Evaluation {
        Objects.requireNonNull(perSeries, "perSeries");
        Objects.requireNonNull(summary, "summary");
    }
}
