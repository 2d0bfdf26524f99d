package io.fleetpredict.core.provision;

import java.time.Duration;

/**
 * Waits between retries. Tests inject one that advances a simulated clock, so backoff runs in
 * simulated time.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for a duration.
     *
     * @param duration how long, not negative
     * @throws InterruptedException if the waiting thread was interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * The sleeper that blocks the calling thread.
     *
     * @return a sleeper backed by {@link Thread#sleep(long, int)}
     */
    static Sleeper system() {
        return d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    }
}
