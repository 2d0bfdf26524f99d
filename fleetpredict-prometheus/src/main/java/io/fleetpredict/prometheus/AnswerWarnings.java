package io.fleetpredict.prometheus;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

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
    /** How many warnings a message lists: a proxy can send thousands. */
    private static final int LISTED = 5;

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

    /**
     * The warnings as a message or a log line shows them: the query (its start and length, when long), the
     * times and the first five warnings, each cut short, with how many more there are.
     *
     * @return one line, such as {@code up from 2024-03-01T00:00:00Z to 2024-03-02T00:00:00Z, with the warnings:
     *     remote_read: ...}
     */
    public String describe() {
        return String.format(Locale.ROOT, "%s from %s to %s, with the warnings: %s", PrometheusApi.shown(promql),
                start, end, listed());
    }

    /** The first {@value #LISTED} warnings, each cut short, and how many more there are. */
    String listed() {
        int shown = Math.min(warnings.size(), LISTED);
        String list = warnings.subList(0, shown).stream().map(PrometheusApi::start).collect(Collectors.joining("; "));
        return warnings.size() > shown ? list + String.format(Locale.ROOT, "; and %d more", warnings.size() - shown)
                : list;
    }
}
