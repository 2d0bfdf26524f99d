package io.fleetpredict.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.forecast.GapPolicy;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** A timestamp off the grid is named, with the rows an inferred step came from. */
class SeriesReaderGridTest {

    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private static Row row(Instant at, double value) {
        return RowFactory.create("s", Timestamp.from(at), value, null);
    }

    /** Six hourly rows, the one at 03:00 a millisecond late. */
    private static List<Row> hourlyWithOneLate() {
        List<Row> rows = new ArrayList<>();
        for (int h = 0; h < 6; h++) {
            Instant at = T0.plus(HOUR.multipliedBy(h));
            rows.add(row(h == 3 ? at.plusMillis(1) : at, h));
        }
        return rows;
    }

    @Test
    void read_inferredStepSetByARowOffTheHour_namesTheTwoRowsItCameFromAndSuggestsTheStep() {
        SeriesReader reader = new SeriesReader(null, GapPolicy.LINEAR, List.of(), 0);

        SeriesReader.BadSeriesException e = assertThrows(SeriesReader.BadSeriesException.class,
                () -> reader.read("s", hourlyWithOneLate()));

        assertEquals("timestamp 2026-03-02T01:00:00Z is not on the grid of PT59M59.999S from 2026-03-02T00:00:00Z;"
                + " the step was inferred as the smallest gap between rows, from 2026-03-02T03:00:00.001Z to"
                + " 2026-03-02T04:00:00Z: if either is off the grid, correct it, or set the step in the ForecastSpec",
                e.getMessage());
    }

    /** Rows at 03:00 and at 05:00, the last, both a millisecond late: the first of them is named. */
    @Test
    void read_givenStepAndRowsOffIt_namesTheFirstOffItNotTheLast() {
        SeriesReader reader = new SeriesReader(HOUR, GapPolicy.LINEAR, List.of(), 0);
        List<Row> rows = new ArrayList<>(hourlyWithOneLate());
        rows.set(5, row(T0.plus(HOUR.multipliedBy(5)).plusMillis(1), 5));

        SeriesReader.BadSeriesException e = assertThrows(SeriesReader.BadSeriesException.class,
                () -> reader.read("s", rows));

        assertEquals("timestamp 2026-03-02T03:00:00.001Z is not on the grid of PT1H from 2026-03-02T00:00:00Z",
                e.getMessage());
    }
}
