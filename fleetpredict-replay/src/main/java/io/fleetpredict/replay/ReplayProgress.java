package io.fleetpredict.replay;

/**
 * Told how far replays have gone, for a progress display: a replay reports the steps it has walked, in
 * batches, from the thread running it. Replays run in parallel call it concurrently, so an implementation
 * must be thread-safe; it should return quickly, since the replay waits for it.
 *
 * <p>A replay walks {@link Replay#steps(ReplayPolicy)} steps in all; the sum over the policies of
 * {@link Replay#runAll(java.util.List, ReplayProgress)} is the whole work.
 */
@FunctionalInterface
public interface ReplayProgress {

    /** Ignores every report. */
    ReplayProgress NONE = steps -> { };

    /**
     * Some more steps of one replay are done.
     *
     * @param steps how many, at least 1
     */
    void advanced(int steps);
}
