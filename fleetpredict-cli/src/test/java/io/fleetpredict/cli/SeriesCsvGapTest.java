package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A fill makes up only gaps shorter than the data: a mistyped timestamp is refused, an outage is filled. */
class SeriesCsvGapTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path dir;

    /** Forty one-second rows of 100 + i, the last one {@code lastOffset} after the first. */
    private Path trace(String name, Duration lastOffset) throws IOException {
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 40; i++) {
            Instant t = i == 39 ? T0.plus(lastOffset) : T0.plusSeconds(i);
            sb.append(t).append(',').append(100 + i).append('\n');
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    @ParameterizedTest
    @EnumSource(value = GapPolicy.class, names = {"LINEAR", "PREVIOUS"})
    void read_yearMistypedOnTheLastRow_refusedNamingTheLineAndBothTimestamps(GapPolicy gaps) throws IOException {
        // The review's trace: forty seconds, the last row typed a year late, which a fill made 31.6 million steps.
        Path file = trace("typo.csv", Duration.ofSeconds(39).plus(Duration.ofDays(366)));

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SeriesCsv.readAmounts(file, gaps, ZoneOffset.UTC, SeriesCsv.ValueRule.ANY));

        assertTrue(e.getMessage().startsWith(file + ":41: gap from 2024-01-01T00:00:38Z (line 40) to"
                + " 2025-01-01T00:00:39Z: 31622400 missing steps of PT1S, more than the 40 rows the file holds"),
                e.getMessage());
        assertThrows(InvalidInputException.class, () -> SeriesCsv.readInput(file, gaps, ZoneOffset.UTC));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 40})
    void read_gapOfAtMostAsManyStepsAsRows_filled(int missing) throws IOException {
        Path file = trace("outage.csv", Duration.ofSeconds(38 + 1 + missing));

        TimeSeries series = SeriesCsv.readAmounts(file, GapPolicy.LINEAR, ZoneOffset.UTC, SeriesCsv.ValueRule.ANY);

        assertEquals(40 + missing, series.size());
        // Interpolated from 138 on line 40 to 139 on line 41.
        assertEquals(138 + 1.0 / (missing + 1), series.get(39), 1e-9);
        assertEquals(139, series.get(39 + missing));
    }

    @ParameterizedTest
    @EnumSource(value = GapPolicy.class, names = {"LINEAR", "PREVIOUS"})
    void read_gapOfOneStepMoreThanRows_refused(GapPolicy gaps) throws IOException {
        Path file = trace("outage.csv", Duration.ofSeconds(38 + 1 + 41));

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SeriesCsv.readInput(file, gaps, ZoneOffset.UTC));

        assertTrue(e.getMessage().contains(":41: gap from 2024-01-01T00:00:38Z (line 40) to 2024-01-01T00:01:20Z:"
                + " 41 missing steps of PT1S"), e.getMessage());
    }

    /** A trace from before 1970, whose times are negative seconds of the epoch, is filled as any other. */
    @ParameterizedTest
    @EnumSource(value = GapPolicy.class, names = {"LINEAR", "PREVIOUS"})
    void read_traceBefore1970_readWhole(GapPolicy gaps) throws IOException {
        Instant start = Instant.parse("1960-01-01T00:00:00Z");
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 40; i++) {
            sb.append(start.plusSeconds(i)).append(',').append(100 + i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("sixties.csv"), sb.toString());

        TimeSeries series = SeriesCsv.readAmounts(file, gaps, ZoneOffset.UTC, SeriesCsv.ValueRule.ANY);

        assertEquals(40, series.size());
        assertEquals(139, series.get(39));
    }
}
