package io.fleetpredict.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.forecast.GapPolicy;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * One series' rows read without Spark, as a partition hands them over: series id, timestamp, value, the
 * unreadable cells, then the regressors. Every expected grid and value is counted by hand.
 */
class SeriesReaderTest {

    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    private static Row row(int hour, @Nullable Double value, Object... regressors) {
        List<Object> cells = new ArrayList<>(List.of("s", Timestamp.from(T0.plus(HOUR.multipliedBy(hour)))));
        cells.add(value);
        cells.add(null);
        cells.addAll(List.of(regressors));
        return RowFactory.create(cells.toArray());
    }

    @Test
    void read_stepNotGiven_isTheSmallestGapAndTheOthersAreFilled() {
        SeriesReader reader = new SeriesReader(null, GapPolicy.LINEAR, List.of(), 0);

        SeriesReader.Series s = reader.read("s", List.of(row(0, 1.0), row(2, 3.0), row(3, 4.0), row(5, 6.0)));

        assertEquals(HOUR, s.history().step());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, s.history().values(), 1e-12);
        assertNull(s.past());
        assertNull(s.future());
    }

    /** Two observed rows may span 10 x 2 + 10 = 30 steps of the grid, and not one more. */
    @Test
    void read_gridOfTenStepsPerRowAndTen_isTheLargestTaken() {
        SeriesReader reader = new SeriesReader(HOUR, GapPolicy.PREVIOUS, List.of(), 0);

        assertEquals(30, reader.read("s", List.of(row(0, 1.0), row(29, 2.0))).history().size());
        SeriesReader.BadSeriesException e = assertThrows(SeriesReader.BadSeriesException.class,
                () -> reader.read("s", List.of(row(0, 1.0), row(30, 2.0))));
        assertEquals("2 rows from 2026-03-02T00:00:00Z to 2026-03-03T06:00:00Z every PT1H would be mostly gaps "
                + "(31 steps)", e.getMessage());
    }

    @Test
    void read_rowsAfterTheLastValueWithoutRegressors_areLeftOut() {
        SeriesReader reader = new SeriesReader(null, GapPolicy.LINEAR, List.of(), 3);

        SeriesReader.Series s = reader.read("s", List.of(row(0, 1.0), row(1, 2.0), row(2, null), row(3, null)));

        assertEquals(2, s.history().size());
        assertNull(s.future());
    }

    /**
     * The rows after the last value carry the horizon's regressors, step by step; rows past the horizon are
     * left out, and a step of the horizon without a row is named.
     */
    @Test
    void read_futureRegressors_fillTheHorizonAndAMissingStepIsNamed() {
        SeriesReader reader = new SeriesReader(HOUR, GapPolicy.LINEAR, List.of("temp"), 2);
        List<Row> rows = List.of(row(0, 1.0, 10.0), row(1, 2.0, 11.0), row(2, 3.0, 12.0), row(3, null, 13.0),
                row(4, null, 14.0), row(5, null, 99.0));

        SeriesReader.Series s = reader.read("s", rows);

        assertEquals(3, s.history().size());
        assertArrayEquals(new double[] {10, 11, 12}, s.past().column("temp"), 0.0);
        assertArrayEquals(new double[] {13, 14}, s.future().column("temp"), 0.0);
        assertEquals(T0.plus(HOUR.multipliedBy(3)), s.future().start());

        SeriesReader.BadSeriesException missing = assertThrows(SeriesReader.BadSeriesException.class,
                () -> reader.read("s", rows.subList(0, 4)));
        assertEquals("no row with regressors at 2026-03-02T04:00:00Z, step 2 of the 2-step horizon",
                missing.getMessage());
        SeriesReader.BadSeriesException nan = assertThrows(SeriesReader.BadSeriesException.class,
                () -> reader.read("s", List.of(row(0, 1.0, 10.0), row(1, null, Double.NaN), row(2, null, 1.0))));
        assertEquals("regressor temp has no value at 2026-03-02T01:00:00Z, in the horizon", nan.getMessage());
    }

    @Test
    void read_timestampOffTheGivenGrid_isNamed() {
        SeriesReader reader = new SeriesReader(Duration.ofHours(2), GapPolicy.LINEAR, List.of(), 0);
        SeriesReader.BadSeriesException e = assertThrows(SeriesReader.BadSeriesException.class,
                () -> reader.read("s", List.of(row(0, 1.0), row(2, 2.0), row(3, 3.0))));
        assertEquals("timestamp 2026-03-02T03:00:00Z is not on the grid of PT2H from 2026-03-02T00:00:00Z",
                e.getMessage());
    }

    /** A missing hour of the history is filled in every regressor column as in the value column, each its own. */
    @Test
    void read_gapInTheHistory_isFilledInEachRegressorColumn() {
        SeriesReader reader = new SeriesReader(HOUR, GapPolicy.LINEAR, List.of("temp", "load"), 0);

        SeriesReader.Series s = reader.read("s", List.of(row(0, 1.0, 10.0, 100.0), row(2, 3.0, 14.0, 300.0)));

        assertArrayEquals(new double[] {1, 2, 3}, s.history().values(), 1e-12);
        assertArrayEquals(new double[] {10, 12, 14}, s.past().column("temp"), 1e-12);
        assertArrayEquals(new double[] {100, 200, 300}, s.past().column("load"), 1e-12);
        assertNull(s.future());
    }

    @Test
    void instant_ofEachCellTypeSparkGives_isTheSameInstant() {
        assertEquals(T0, SeriesReader.instant(T0));
        assertEquals(T0, SeriesReader.instant(Timestamp.from(T0)));
        assertEquals(T0, SeriesReader.instant(java.time.LocalDateTime.of(2026, 3, 2, 0, 0)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SeriesReader.instant("2026-03-02"));
        assertEquals("timestamp cell of type java.lang.String", e.getMessage());
    }
}
