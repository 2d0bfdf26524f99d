package io.fleetpredict.prometheus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it: simulated time for deadlines. Thread-safe. */
final class ManualClock extends Clock {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-02-26T00:00:00Z"));

    /** Moves the clock forward; usable as a {@link io.fleetpredict.core.provision.Sleeper}. */
    void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
