package io.fleetpredict.core.monitor;

import io.fleetpredict.core.internal.ResourceNames;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The buckets of one metric in a ring indexed by {@code bucket mod capacity}, guarded by one lock.
 *
 * <p>Times are nanoseconds since the epoch and bucket {@code b} covers {@code [b * step, (b + 1) * step)}.
 * The watermark is the latest time seen (observation or clock) minus the lateness window; bucket
 * {@code b} is closed once {@code (b + 1) * step <= watermark}, and {@link #closedEnd} (the first bucket
 * not closed) never decreases. Live buckets lie in {@code [closedEnd - retention, closedEnd + lateness]}
 * (both in steps), which is why a capacity of {@code retention + lateness + 1} slots never lets a live
 * bucket overwrite another: a slot whose stored bucket index differs from the one asked for holds an
 * evicted bucket and is reset on reuse.
 */
final class BucketRing {

    static final int ACCEPTED = 0;
    static final int OUT_OF_ORDER = 1;
    static final int LATE = 2;

    final MetricKey key;
    final MetricKind kind;
    final GapFill gapFill;
    final ReentrantLock lock = new ReentrantLock();

    private final long stepNanos;
    private final long latenessNanos;
    private final int retentionBuckets;
    private final long[] slotBucket;
    private final long[] counts;
    private final double[] maxima;
    private final ExactSum @Nullable [] sums;

    private long latestNanos = Long.MIN_VALUE;
    private long closedEnd = Long.MIN_VALUE;
    private long firstBucket = Long.MAX_VALUE;
    private long accepted;
    private long outOfOrder;
    private long late;
    private final AtomicLongArray invalid = new AtomicLongArray(RejectReason.values().length);

    /** Whether the metric's name says it is a resource's use ({@code cpu_cores}), which cannot be negative. */
    final boolean resource;

    BucketRing(MetricKey key, MetricKind kind, GapFill gapFill, long stepNanos, long latenessNanos,
            int retentionBuckets, int capacity) {
        this.key = key;
        this.kind = kind;
        this.gapFill = gapFill;
        this.stepNanos = stepNanos;
        this.latenessNanos = latenessNanos;
        this.retentionBuckets = retentionBuckets;
        this.slotBucket = new long[capacity];
        Arrays.fill(slotBucket, Long.MIN_VALUE);
        this.counts = new long[capacity];
        this.maxima = new double[capacity];
        this.sums = kind == MetricKind.GAUGE_MAX ? null : new ExactSum[capacity];
        this.resource = ResourceNames.of(key.name()).filter(n -> n.unit() != null).isPresent();
    }

    /** Closes the buckets the clock has passed. Caller holds the lock. */
    void advance(long nowNanos) {
        long latest = Math.max(latestNanos, nowNanos);
        long watermark = latest < Long.MIN_VALUE + latenessNanos ? Long.MIN_VALUE : latest - latenessNanos;
        long end = Math.floorDiv(watermark, stepNanos);
        if (end > closedEnd) {
            closedEnd = end;
        }
    }

    /**
     * Puts a valid observation into its bucket unless the bucket has closed. Caller holds the lock
     * and has called {@link #advance} with the current clock.
     *
     * @return {@link #ACCEPTED}, {@link #OUT_OF_ORDER} or {@link #LATE}
     */
    int offer(long timeNanos, double value) {
        long bucket = Math.floorDiv(timeNanos, stepNanos);
        if (bucket < closedEnd) {
            late++;
            return LATE;
        }
        boolean older = timeNanos < latestNanos;
        if (timeNanos > latestNanos) {
            latestNanos = timeNanos;
            advance(Long.MIN_VALUE);
        }
        int slot = (int) Math.floorMod(bucket, (long) slotBucket.length);
        if (slotBucket[slot] != bucket) {
            slotBucket[slot] = bucket;
            counts[slot] = 0;
            maxima[slot] = Double.NEGATIVE_INFINITY;
            if (sums != null) {
                if (sums[slot] == null) {
                    sums[slot] = new ExactSum();
                } else {
                    sums[slot].clear();
                }
            }
        }
        counts[slot]++;
        if (value > maxima[slot]) {
            maxima[slot] = value;
        }
        if (sums != null) {
            sums[slot].add(value);
        }
        if (bucket < firstBucket) {
            firstBucket = bucket;
        }
        accepted++;
        if (older) {
            outOfOrder++;
            return OUT_OF_ORDER;
        }
        return ACCEPTED;
    }

    /**
     * Why history of {@code length} buckets from bucket {@code first} may not be seeded, or null if it may:
     * every bucket must be closed and before the first one the metric holds. Caller holds the lock and has
     * called {@link #advance} with the current clock.
     */
    @Nullable String seedConflict(long first, int length) {
        long end = first + length;
        if (end > closedEnd) {
            return "it reaches the bucket starting " + Nanos.bucketStart(closedEnd, stepNanos)
                    + ", which is still open; seed only closed buckets, before it";
        }
        if (firstBucket != Long.MAX_VALUE && end > firstBucket) {
            return "the metric already holds buckets from " + Nanos.bucketStart(firstBucket, stepNanos)
                    + ", and a seed never changes a bucket it holds; seed only history that ends at or before it";
        }
        return null;
    }

    /**
     * Stores history as the only observation of each of its buckets, leaving the gaps empty and dropping the
     * buckets older than the retention. Caller holds the lock and has checked {@link #seedConflict}.
     */
    SeedReport seed(long first, double[] values, boolean[] gap) {
        long oldest = closedEnd - retentionBuckets;
        int dropped = (int) Math.max(0, Math.min(values.length, oldest - first));
        int filled = 0;
        for (int i = dropped; i < values.length; i++) {
            if (gap[i]) {
                continue;
            }
            long bucket = first + i;
            int slot = (int) Math.floorMod(bucket, (long) slotBucket.length);
            slotBucket[slot] = bucket;
            counts[slot] = 1;
            maxima[slot] = values[i];
            if (sums != null) {
                if (sums[slot] == null) {
                    sums[slot] = new ExactSum();
                } else {
                    sums[slot].clear();
                }
                sums[slot].add(values[i]);
            }
            filled++;
        }
        if (dropped < values.length) {
            // The series starts where the seed starts, gaps included, as the seeded series did.
            firstBucket = Math.min(firstBucket, first + dropped);
        }
        return new SeedReport(key, filled, values.length - dropped - filled, dropped);
    }

    void countInvalid(RejectReason reason) {
        invalid.incrementAndGet(reason.ordinal());
    }

    /**
     * The raw values of the closed buckets in the retained window, {@code NaN} for empty ones. Caller
     * holds the lock and has called {@link #advance} with the current clock.
     */
    Window window() {
        long to = closedEnd;
        long from = Math.max(to - retentionBuckets, firstBucket);
        if (from >= to) {
            return new Window(to, new double[0]);
        }
        double[] raw = new double[(int) (to - from)];
        for (int i = 0; i < raw.length; i++) {
            long bucket = from + i;
            int slot = (int) Math.floorMod(bucket, (long) slotBucket.length);
            raw[i] = slotBucket[slot] == bucket ? valueOf(slot) : Double.NaN;
        }
        return new Window(from, raw);
    }

    private double valueOf(int slot) {
        switch (kind) {
            case COUNTER:
                return Objects.requireNonNull(sums)[slot].value();
            case GAUGE_MEAN:
                return Objects.requireNonNull(sums)[slot].value() / counts[slot];
            case GAUGE_MAX:
                return maxima[slot];
            default:
                throw new AssertionError(kind);
        }
    }

    /** Caller holds the lock and has called {@link #advance} with the current clock. */
    MetricStats stats() {
        long oldestLive = closedEnd - retentionBuckets;
        int retained = 0;
        for (long bucket : slotBucket) {
            if (bucket != Long.MIN_VALUE && bucket >= oldestLive) {
                retained++;
            }
        }
        Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
        for (RejectReason reason : RejectReason.values()) {
            long n = invalid.get(reason.ordinal());
            if (n > 0) {
                byReason.put(reason, n);
            }
        }
        return new MetricStats(key, kind, accepted, outOfOrder, late, byReason, retained, slotBucket.length);
    }

    /** @return the first bucket not yet closed; caller holds the lock */
    long closedEnd() {
        return closedEnd;
    }

    long stepNanos() {
        return stepNanos;
    }

    /** Closed buckets from bucket {@code first}, raw values with {@code NaN} for empty ones. */
    static final class Window {
        final long first;
        final double[] raw;

        Window(long first, double[] raw) {
            this.first = first;
            this.raw = raw;
        }
    }
}
