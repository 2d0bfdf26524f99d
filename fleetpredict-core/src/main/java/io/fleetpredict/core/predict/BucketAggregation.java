package io.fleetpredict.core.predict;

import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;

/**
 * Aggregates a series into coarser buckets aligned to multiples of the bucket length since the epoch (so
 * daily buckets start at midnight UTC). Only complete buckets are kept: a bucket still filling would
 * understate its peak.
 */
final class BucketAggregation {

    private BucketAggregation() {
    }

    static TimeSeries aggregate(TimeSeries s, Duration bucket, HorizonSpec.Aggregation how) {
        if (bucket.equals(s.step())) {
            return s;
        }
        int per = (int) bucket.dividedBy(s.step());
        Instant first = ceil(s.start(), bucket);
        int offset = (int) Duration.between(s.start(), first).dividedBy(s.step());
        int buckets = Math.max(0, (s.size() - offset) / per);
        double[] out = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            double acc = how == HorizonSpec.Aggregation.PEAK ? Double.NEGATIVE_INFINITY : 0;
            for (int k = 0; k < per; k++) {
                double v = s.get(offset + b * per + k);
                acc = how == HorizonSpec.Aggregation.PEAK ? Math.max(acc, v) : acc + v;
            }
            out[b] = how == HorizonSpec.Aggregation.PEAK ? acc : acc / per;
        }
        return TimeSeries.of(first, bucket, out);
    }

    /** The first bucket boundary at or after {@code t}. */
    static Instant ceil(Instant t, Duration bucket) {
        long sec = bucket.getSeconds();
        long s = t.getEpochSecond();
        long floor = Math.floorDiv(s, sec) * sec;
        Instant f = Instant.ofEpochSecond(floor);
        return f.equals(t) ? f : f.plus(bucket);
    }
}
