package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
/**
 * Every mutation's idempotency key with its request and result: for the cloud's life, or, with an ended
 * retention, until every instance the result holds is forgotten. Not thread-safe: {@link SimulatedCloud}
 * calls it under its lock.
 */
final class IdempotencyKeys {

    /** What a mutation's key was first used for, and how to answer it again. */
    private record Remembered(Object request, Supplier<?> result) {
    }

    /**
     * A remembered mutation's hold on the instances its result holds, each of which notes it: the key is
     * forgotten when the last of them is, and not before, so a replay never rebuilds a forgotten instance's
     * snapshot for a result some of whose instances are still described.
     */
    static final class Use {
        private final String key;
        private int remembered;

        private Use(String key, int instances) {
            this.key = key;
            this.remembered = instances;
        }

        String key() {
            return key;
        }

        /** Counts one of its instances forgotten; true when that was the last. */
        boolean forgetOne() {
            return --remembered == 0;
        }
    }

    private final Map<String, Remembered> keys = new HashMap<>();

    /**
     * The result first returned under {@code key}, or null if the key is new or forgotten.
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
     *
     * @param instances how many distinct instances the result holds: the hold to hand each of them
     */
    Use remember(String key, Object request, Supplier<?> result, int instances) {
        keys.put(key, new Remembered(request, result));
        return new Use(key, instances);
    }

    /** Forgets a key: a request under it is then a first request. */
    void forget(String key) {
        keys.remove(key);
    }

    /** How many keys are remembered. */
    int size() {
        return keys.size();
    }
}
