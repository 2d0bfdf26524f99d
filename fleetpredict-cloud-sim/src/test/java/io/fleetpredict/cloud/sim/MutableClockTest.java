package io.fleetpredict.cloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void advance_movesInstantAndSharedZoneViews() {
        MutableClock clock = MutableClock.at(T0);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertEquals(T0.plusSeconds(90), clock.advance(Duration.ofSeconds(90)));
        assertEquals(T0.plusSeconds(90), paris.instant());
        assertEquals(ZoneOffset.UTC, clock.getZone());
    }

    @Test
    void advance_negative_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> MutableClock.at(T0).advance(Duration.ofSeconds(-1)));
    }

    @Test
    void set_mayGoBack() {
        MutableClock clock = MutableClock.at(T0);
        clock.set(T0.minusSeconds(5));
        assertEquals(T0.minusSeconds(5), clock.instant());
    }
}
