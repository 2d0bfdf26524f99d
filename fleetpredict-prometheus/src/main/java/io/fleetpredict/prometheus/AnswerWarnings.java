package io.fleetpredict.prometheus;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The warnings a server gave with one successful answer: which query, over which times, and the server's
 * own texts, such as a Thanos's {@code No StoreAPIs matched for this query} or a Prometheus's
 * {@code remote_read: error sending request: ...}.
 *
 * @param promql the query's expression, in full
 * @param start the first evaluation time the answer covers (one page of a range, or an instant query's time)
 * @param end the last evaluation time it covers; {@code start} for an instant query
 * @param warnings the server's warnings, in its order; at least one
 */
public record AnswerWarnings(String promql, Instant start, Instant end, List<String> warnings)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Checks and copies the fields.
     *
     * @throws IllegalArgumentException if there is no warning, or {@code end} is before {@code start}
     */
    public AnswerWarnings {
        Objects.requireNonNull(promql, "promql");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        warnings = List.copyOf(warnings);
        if (warnings.isEmpty()) {
            throw new IllegalArgumentException("warnings must hold at least one warning");
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
    }
}
