package io.fleetpredict.cloud;

import java.util.Objects;

/**
 * The only exception a {@link CloudProvider} throws for a failed call (besides the
 * {@link NullPointerException} and {@link IllegalArgumentException} the records throw on construction,
 * and {@link UnsupportedOperationException} for an undeclared {@link Capability}).
 *
 * <p>An implementer must map every provider failure to the {@link Kind} that tells the caller what it
 * may do next, and must not wrap a caller's mistake as {@link Kind#TRANSIENT}: a caller retries
 * {@linkplain #retryable() retryable} kinds and gives up on the others.
 */
public class CloudException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        /** Too many calls: nothing was applied; retry after backing off. */
        THROTTLED(true),
        /** The provider has no room for the requested offer now: nothing was launched; retry later or elsewhere. */
        CAPACITY_UNAVAILABLE(true),
        /** The request would exceed an account limit: nothing was applied; retrying will not help. */
        QUOTA_EXCEEDED(false),
        /** The request is wrong (unknown instance type, unknown ids, a reused idempotency key): nothing was applied. */
        INVALID_REQUEST(false),
        /** A passing fault: nothing was applied; retry. */
        TRANSIENT(true),
        /** The credentials were refused: nothing was applied. */
        UNAUTHORIZED(false),
        /**
         * The outcome is unknown: the request may or may not have been applied. Retry with the same
         * idempotency key (which returns the original result if it was applied), or reconcile with
         * {@link CloudProvider#describe}.
         */
        TIMED_OUT(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /**
         * Whether a caller may retry a failure of this kind.
         *
         * @return {@code true} if retrying, with the same idempotency key for a mutation, may succeed
         */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;

    /**
     * Creates an exception.
     *
     * @param kind what went wrong
     * @param message a description for people, naming the offending request field where there is one
     */
    public CloudException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * Creates an exception with a cause.
     *
     * @param kind what went wrong
     * @param message a description for people
     * @param cause the provider's own failure
     */
    public CloudException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * What went wrong.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether the caller may retry; the same as {@code kind().retryable()}.
     *
     * @return {@code true} if a retry may succeed
     */
    public boolean retryable() {
        return kind.retryable();
    }
}
