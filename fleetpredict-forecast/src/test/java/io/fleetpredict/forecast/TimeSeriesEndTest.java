package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A series and its forecast keep every time they hand out within what an {@link Instant} holds. */
class TimeSeriesEndTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void of_endPastInstantMax_isRefusedNamingTheSeries() {
        Instant start = Instant.MAX.minusSeconds(3600 * 50);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimeSeries.of(start, HOUR, new double[100]));
        assertTrue(e.getMessage().contains("100 values") && e.getMessage().contains(start.toString()), e.getMessage());
    }

    @Test
    void of_endAtTheLastWholeHour_isAccepted() {
        Instant start = Instant.MAX.minusSeconds(3600 * 50);
        TimeSeries s = TimeSeries.of(start, HOUR, new double[50]);
        assertEquals(start.plusSeconds(3600 * 50), s.end());
        assertEquals(s.end(), s.timeAt(50));
    }

    @Test
    void append_pastInstantMax_isRefused() {
        TimeSeries s = TimeSeries.of(Instant.MAX.minusSeconds(3600 * 50), HOUR, new double[50]);
        assertThrows(IllegalArgumentException.class, () -> s.append(1.0));
    }

    @Test
    void forecast_horizonPastInstantMax_isRefusedNamingTheHorizon() {
        double[] v = new double[40];
        for (int i = 0; i < v.length; i++) {
            v[i] = 10 + i % 3;
        }
        TimeSeries s = TimeSeries.of(Instant.MAX.minusSeconds(3600 * 45), HOUR, v);
        FittedModel m = Forecasters.naive().fit(s);
        assertEquals(5, m.forecast(5, 95).horizon());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forecast(7, 95));
        assertTrue(e.getMessage().contains("7 steps"), e.getMessage());
    }
}
