package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.sim.SimulatedCloud.Operation;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.jspecify.annotations.Nullable;
/**
 * The simulated cloud's faults: failures queued for the next calls of an operation, a token bucket that
 * throttles every call, and mutations applied but reported as timed out with a set probability. Not
 * thread-safe: {@link SimulatedCloud} calls it under its lock.
 */
final class FaultInjector {

    /** Failures still to come for one operation: a kind and how many calls it fails. */
    private static final class Queued {
        final Kind kind;
        long remaining;

        Queued(Kind kind, long remaining) {
            this.kind = kind;
            this.remaining = remaining;
        }
    }

    // Runs of one kind rather than one entry per call: a count of Integer.MAX_VALUE must not fill the heap.
    private final Map<Operation, Deque<Queued>> injected = new EnumMap<>(Operation.class);
    private final @Nullable TokenBucket bucket;
    private final double timeoutProbability;
    private final Random timeoutRandom;

    FaultInjector(@Nullable TokenBucket bucket, double timeoutProbability, long seed) {
        this.bucket = bucket;
        this.timeoutProbability = timeoutProbability;
        this.timeoutRandom = new Random(seed ^ 0x5DEECE66DL);
        for (Operation operation : Operation.values()) {
            injected.put(operation, new ArrayDeque<>());
        }
    }

    /** Queues {@code count} failures of {@code kind} for the next calls of {@code operation}. */
    void failNext(Operation operation, int count, Kind kind) {
        Objects.requireNonNull(injected.get(operation)).add(new Queued(kind, count));
    }

    /** Applies the throttle and injected failures, which come before anything is applied. */
    void admit(Operation operation, Instant now) {
        if (bucket != null && !bucket.tryTake(now)) {
            throw new CloudException(Kind.THROTTLED, "rate limit exceeded on " + operation.name().toLowerCase(Locale.ROOT));
        }
        Deque<Queued> queue = Objects.requireNonNull(injected.get(operation));
        Queued next = queue.peek();
        if (next != null) {
            if (--next.remaining == 0) {
                queue.poll();
            }
            throw new CloudException(next.kind, "injected " + next.kind + " failure on "
                    + operation.name().toLowerCase(Locale.ROOT));
        }
    }

    /** The result of an applied mutation, or a timeout that loses it, with the set probability. */
    <T> T maybeTimeOut(T appliedResult) {
        if (timeoutProbability > 0 && timeoutRandom.nextDouble() < timeoutProbability) {
            throw new CloudException(Kind.TIMED_OUT, "the request was applied but its response was lost");
        }
        return appliedResult;
    }
}
