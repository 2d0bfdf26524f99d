package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
/**
 * Every mutation's idempotency key, remembered for the cloud's life with its request and result. Not
 * thread-safe: {@link SimulatedCloud} calls it under its lock.
 */
final class IdempotencyKeys {

    /** What a mutation's key was first used for, and how to answer it again. */
    private record Remembered(Object request, Supplier<?> result) {
    }

    private final Map<String, Remembered> keys = new HashMap<>();

    /**
     * The result first returned under {@code key}, or null if the key is new.
     *
     * @throws CloudException {@link Kind#INVALID_REQUEST} if the key was used for a different request, of
     *     any operation
     */
    <T> @Nullable T replay(String key, Object request, Class<T> resultType) {
        Remembered remembered = keys.get(key);
        if (remembered == null) {
            return null;
        }
        if (!remembered.request().equals(request)) {
            throw new CloudException(Kind.INVALID_REQUEST, "idempotency key was already used for a different request: "
                    + remembered.request());
        }
        return resultType.cast(remembered.result().get());
    }

    /**
     * Remembers an applied mutation, with its result or a way to rebuild an equal one; a request that failed
     * before being applied never gets here.
     */
    void remember(String key, Object request, Supplier<?> result) {
        keys.put(key, new Remembered(request, result));
    }
}
