package io.fleetpredict.cloud.sim;

import java.util.Arrays;

/**
 * The costs of the instances the cloud has forgotten, kept so that {@link InstanceTable#accruedCostAt} sums
 * every instance ever launched, forgotten or not, in launch order, one addition after another, and so comes
 * to the same double as it did before any was forgotten: a sum in another order can differ in its last
 * digits, and replays are compared to the last digit.
 *
 * <p>The forgotten instances from the first launched on, with none remembered among them, are folded into
 * one running sum; the costs of those forgotten after the oldest remembered instance wait in a ring of
 * doubles, one slot per instance launched since it (8 bytes each), until it is forgotten in turn. A fleet
 * that keeps replacing its instances keeps the ring short. Not thread-safe: {@link SimulatedCloud} calls it
 * under its lock.
 */
final class ForgottenCosts {

    /** The most slots the ring holds: the largest power of two an array can have. */
    private static final int MAX_WAITING = 1 << 30;

    /** The sum, in launch order, of the costs of the instances launched 1 to {@link #foldedThrough}. */
    private double folded;
    private long foldedThrough;
    /** Slot i is the cost of the instance launched {@code foldedThrough + 1 + i}, or NaN while it is remembered. */
    private double[] ring = new double[16];
    private int head;
    private int size;

    /** Records the cost of the instance launched {@code sequence}-th, now forgotten; it never changes again. */
    void add(long sequence, double cost) {
        long offset = sequence - foldedThrough - 1;
        if (offset < 0 || !Double.isFinite(cost)) {
            throw new IllegalStateException("instance " + sequence + " forgotten twice, or with cost " + cost);
        }
        if (offset >= MAX_WAITING) {
            throw new IllegalStateException("more than " + MAX_WAITING + " instances launched since the oldest one "
                    + "remembered, instance " + (foldedThrough + 1));
        }
        while (size <= offset) {
            if (size == ring.length) {
                grow();
            }
            ring[(head + size) & (ring.length - 1)] = Double.NaN;
            size++;
        }
        ring[(head + (int) offset) & (ring.length - 1)] = cost;
        while (size > 0 && !Double.isNaN(ring[head])) {
            folded += ring[head];
            foldedThrough++;
            head = (head + 1) & (ring.length - 1);
            size--;
        }
    }

    /** The sum, in launch order, of the costs of the instances launched 1 to {@link #foldedThrough()}. */
    double folded() {
        return folded;
    }

    /** How many instances, from the first launched on, are forgotten and folded into {@link #folded()}. */
    long foldedThrough() {
        return foldedThrough;
    }

    /** The launch number of the last forgotten instance not yet folded, or {@link #foldedThrough()} if none. */
    long lastWaiting() {
        return foldedThrough + size;
    }

    /** The cost of a forgotten instance launched after {@link #foldedThrough()}, or NaN while it is remembered. */
    double costOf(long sequence) {
        long offset = sequence - foldedThrough - 1;
        if (offset < 0 || offset >= size) {
            return Double.NaN;
        }
        return ring[(head + (int) offset) & (ring.length - 1)];
    }

    /** How many slots wait to be folded. */
    int waiting() {
        return size;
    }

    private void grow() {
        double[] larger = new double[ring.length * 2];
        for (int i = 0; i < size; i++) {
            larger[i] = ring[(head + i) & (ring.length - 1)];
        }
        Arrays.fill(larger, size, larger.length, Double.NaN);
        ring = larger;
        head = 0;
    }
}
