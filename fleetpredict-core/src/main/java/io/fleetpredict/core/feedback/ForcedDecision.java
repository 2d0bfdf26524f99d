package io.fleetpredict.core.feedback;

import java.util.Objects;

/** Whether, and how much of, a {@link ForcedProvisioning} may be carried out. */
public sealed interface ForcedDecision {

    /**
     * Returns the request decided on.
     *
     * @return the request
     */
    ForcedProvisioning request();

    /**
     * Carry out {@code count} instances: all that was asked, or what the hard caps leave.
     *
     * @param request the request
     * @param count instances to launch, at least 1 and at most the request's count and the caps' headroom
     * @param capped whether a hard cap cut the count
     * @param costPerHour what the allowed instances cost
     * @param overCostThreshold whether that passes the cost threshold (allowed by the request's flag)
     */
    record Allowed(ForcedProvisioning request, int count, boolean capped, double costPerHour,
            boolean overCostThreshold) implements ForcedDecision {
        /** Validates. */
        public Allowed {
            Objects.requireNonNull(request, "request");
            if (count < 1 || count > request.count()) {
                throw new IllegalArgumentException("count: must be in [1, " + request.count() + "], was " + count);
            }
        }
    }

    /**
     * Carry out nothing.
     *
     * @param request the request
     * @param reason why: a hard cap reached, or the cost threshold passed without the flag
     */
    record Refused(ForcedProvisioning request, String reason) implements ForcedDecision {
        /** Validates. */
        public Refused {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
