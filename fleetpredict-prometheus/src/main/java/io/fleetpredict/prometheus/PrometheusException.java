package io.fleetpredict.prometheus;

import io.fleetpredict.core.FleetPredictException;

/**
 * A Prometheus query that failed: the server refused it, answered with something that is not a
 * Prometheus API response, returned more series than the mapping allows, or could not be reached
 * within the retries or the deadline. The message names the query and the server's own error type and text.
 * An answer refused for its warnings is the subtype {@link PrometheusWarningsException}.
 */
public sealed class PrometheusException extends FleetPredictException permits PrometheusWarningsException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    PrometheusException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    PrometheusException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * Whether the same query may succeed later (the server was unavailable, overloaded or slow), as
     * opposed to a query the server rejects as written.
     *
     * @return true for transient failures
     */
    public boolean retryable() {
        return retryable;
    }

    /** The same failure, its message starting with the name of the series it was a query for. */
    PrometheusException named(String name) {
        return new PrometheusException(name + ": " + getMessage(), retryable, this);
    }
}
