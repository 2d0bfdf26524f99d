package io.fleetpredict.cli;

import io.fleetpredict.replay.ReplayProgress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the replays of a {@code replay} run have left, from the library's loop and the reference policies
 * counted apart. A step of the loop is a whole cycle (forecasts, a plan, a simulated cloud), a reference
 * policy's step a few microseconds, and the replays run side by side: the reference policies' steps are soon all
 * done while the loop's are not, so one count of all steps reads a run as nearly over when most of its time is
 * ahead. Each group is extrapolated at its own rate, and the run ends when its slower group does.
 *
 * <p>Thread-safe: the replays report from their own threads.
 */
final class ReplayRemaining {

    /** One group of replays: the steps they walk in all, and those walked so far. */
    static final class Group implements ReplayProgress {
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong done = new AtomicLong();

        @Override
        public void advanced(int steps) {
            done.addAndGet(steps);
        }

        /** Seconds left at this group's own rate so far, 0 when it is done, NaN when it has not begun. */
        double secondsLeft(double seconds) {
            long all = total.get();
            long walked = Math.min(done.get(), all);
            if (walked >= all) {
                return 0;
            }
            return walked == 0 ? Double.NaN : seconds * (all - walked) / walked;
        }
    }

    private final Group loop = new Group();
    private final Group reference = new Group();

    /**
     * The group a replay reports to.
     *
     * @param isLoop whether the replay is the library's loop
     */
    Group group(boolean isLoop) {
        return isLoop ? loop : reference;
    }

    /**
     * Adds a replay's steps to its group's total, before the replays run.
     *
     * @param isLoop whether the replay is the library's loop
     * @param steps the steps it walks
     */
    void add(boolean isLoop, long steps) {
        group(isLoop).total.addAndGet(steps);
    }

    /**
     * The seconds left, {@code seconds} into the run: the longer of the two groups' own extrapolations, or NaN
     * while a group with steps to walk has walked none (its rate is not known yet).
     */
    double secondsLeft(double seconds) {
        return Math.max(loop.secondsLeft(seconds), reference.secondsLeft(seconds));
    }
}
