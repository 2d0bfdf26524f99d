package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Zone-less timestamps read as local times in a zone: the rows of a file are written from a list of UTC instants
 * converted to local wall-clock strings, so reading them back must give those instants, evenly spaced, whatever the
 * clocks did in between.
 */
class SeriesCsvZoneTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    @TempDir
    Path tmp;

    /** Both zones' spring-forward and fall-back days of 2024, at half-hourly and hourly steps. */
    static Stream<Arguments> clockChanges() {
        List<Arguments> all = new ArrayList<>();
        // The UTC instants of the changes, from the zones' published rules (02:00 local in New York, 01:00 UTC in the EU).
        String[][] changes = {
            {"America/New_York", "2024-03-10T07:00:00Z", "spring"}, {"America/New_York", "2024-11-03T06:00:00Z", "autumn"},
            {"Europe/Berlin", "2024-03-31T01:00:00Z", "spring"}, {"Europe/Berlin", "2024-10-27T01:00:00Z", "autumn"},
        };
        for (String[] c : changes) {
            for (Duration step : List.of(Duration.ofMinutes(30), Duration.ofHours(1))) {
                all.add(Arguments.of(c[0], Instant.parse(c[1]), c[2], step));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {2} every {3}")
    @MethodSource("clockChanges")
    void localTimes_acrossAClockChange_areTheInstantsWrittenContiguous(String zoneId, Instant change, String season,
            Duration step) throws IOException {
        ZoneId zone = ZoneId.of(zoneId);
        Instant start = change.minus(Duration.ofHours(6));
        int n = (int) (Duration.ofHours(12).toMinutes() / step.toMinutes());
        List<Instant> instants = IntStream.range(0, n).mapToObj(i -> start.plus(step.multipliedBy(i))).toList();
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < n; i++) {
            csv.append(WALL_CLOCK.format(LocalDateTime.ofInstant(instants.get(i), zone))).append(',').append(i).append('\n');
        }
        Path file = write(season + ".csv", csv.toString());
        // The clocks change where the file says they do: a local hour skipped, or one written twice.
        String text = Files.readString(file);
        String changeDay = LocalDate.ofInstant(change, zone).toString();
        String hourAfter = WALL_CLOCK.format(LocalDateTime.ofInstant(change, zone));
        assertTrue(text.contains(hourAfter), text);
        if (season.equals("autumn")) {
            assertTrue(text.lastIndexOf(hourAfter) > text.indexOf(hourAfter), "written twice: " + hourAfter + "\n" + text);
        } else {
            assertFalse(text.contains(changeDay + " 02:"), "the skipped hour written: " + text);
        }

        TimeSeries series = SeriesCsv.readInput(file, GapPolicy.REJECT, zone).series();

        assertEquals(instants.get(0), series.start());
        assertEquals(step, series.step());
        assertEquals(n, series.size());
        assertArrayEquals(IntStream.range(0, n).asDoubleStream().toArray(), series.values(), 0.0);
        assertEquals(instants.get(n - 1), series.timeAt(n - 1));
    }

    @Test
    void nonexistentLocalTime_errorNamingLineAndTime() throws IOException {
        Path file = write("skipped.csv", "timestamp,value\n2024-03-10 01:00:00,1\n2024-03-10 01:30:00,2\n"
                + "2024-03-10 02:30:00,3\n2024-03-10 03:00:00,4\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SeriesCsv.readInput(file, GapPolicy.LINEAR, NEW_YORK));

        assertEquals(file + ":4: timestamp '2024-03-10 02:30:00' does not exist in America/New_York: its clocks go"
                + " forward from 2024-03-10T02:00 to 2024-03-10T03:00", e.getMessage());
    }

    @Test
    void repeatedHour_inFileOrder_firstPassEarlierOffsetSecondPassLater() throws IOException {
        Path file = write("berlin.csv", "timestamp,value\n2024-10-27 01:30,0\n2024-10-27 02:00,1\n"
                + "2024-10-27 02:30,2\n2024-10-27 02:00,3\n2024-10-27 02:30,4\n2024-10-27 03:00,5\n");

        TimeSeries series = SeriesCsv.readInput(file, GapPolicy.REJECT, BERLIN).series();

        // 01:30 and the first 02:00 and 02:30 are summer time (+02:00), the second pass winter time (+01:00).
        assertEquals(Instant.parse("2024-10-26T23:30:00Z"), series.start());
        assertEquals(Duration.ofMinutes(30), series.step());
        assertEquals(Instant.parse("2024-10-27T02:00:00Z"), series.timeAt(5));
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, series.values(), 0.0);
    }

    @Test
    void repeatedHour_onlyOnce_theSecondPassIsAGap() throws IOException {
        // Hourly rows that give the repeated hour once: it is the first pass, and the second is missing data.
        Path file = write("once.csv", "timestamp,value\n2024-11-03 00:00,0\n2024-11-03 01:00,1\n2024-11-03 02:00,2\n"
                + "2024-11-03 03:00,3\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SeriesCsv.readInput(file, GapPolicy.REJECT, NEW_YORK));

        assertTrue(e.getMessage().startsWith(file + ":4: gap before timestamp 2024-11-03T07:00:00Z: 1 missing step of"
                + " PT1H after 2024-11-03T05:00:00Z on line 3"), e.getMessage());
    }

    @Test
    void repeatedHour_thirdPass_errorNamingTheLine() throws IOException {
        Path file = write("thrice.csv", "timestamp,value\n2024-11-03 00:30,0\n2024-11-03 01:30,1\n2024-11-03 01:30,2\n"
                + "2024-11-03 01:30,3\n");

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SeriesCsv.readInput(file, GapPolicy.LINEAR, NEW_YORK));

        assertEquals(file + ":5: timestamp '2024-11-03 01:30' is a local time America/New_York repeats when its clocks"
                + " go back on 2024-11-03, and at either offset (-04:00 or -05:00) it is not after the row before,"
                + " 2024-11-03T06:30:00Z: rows must be in time order", e.getMessage());
    }

    @Test
    void offsetsAndZ_readAsWrittenWhateverTheZone() throws IOException {
        Path file = write("offsets.csv", "timestamp,value\n2024-11-03T01:30:00-04:00,1\n2024-11-03 01:30:00-05:00,2\n"
                + "2024-11-03T07:30:00Z,3\n");

        TimeSeries series = SeriesCsv.readInput(file, GapPolicy.REJECT, NEW_YORK).series();

        assertEquals(Instant.parse("2024-11-03T05:30:00Z"), series.start());
        assertEquals(Duration.ofHours(1), series.step());
        assertEquals(3, series.size());
    }

    @Test
    void bareDates_startOfTheLocalDay() throws IOException {
        Path file = write("days.csv", "timestamp,value\n2024-06-01,1\n2024-06-02,2\n");

        TimeSeries series = SeriesCsv.readInput(file, GapPolicy.REJECT, BERLIN).series();

        assertEquals(Instant.parse("2024-05-31T22:00:00Z"), series.start());
    }

    @Test
    void dailyDatesAcrossAClockChange_offTheGridSayingWhy() throws IOException {
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (LocalDate d = LocalDate.parse("2024-03-01"); d.isBefore(LocalDate.parse("2024-03-20")); d = d.plusDays(1)) {
            csv.append(d).append(",1\n");
        }
        Path file = write("daily.csv", csv.toString());

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SeriesCsv.readInput(file, GapPolicy.REJECT, NEW_YORK));

        assertTrue(e.getMessage().startsWith(file + ":12: timestamp 2024-03-11T04:00:00Z is off the PT24H grid"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the clocks of America/New_York change on 2024-03-10")
                && e.getMessage().contains("--zone UTC"), e.getMessage());
    }

    @Test
    void utc_readsLocalTimesAsBefore_anExistingFixtureTheSame() throws IOException {
        // Zone-less rows in UTC are exactly their UTC instants: the autumn file of a zone repeats its hour as before.
        // Half a day apart: three rows cannot carry a gap of 22 hours, which is refused as too long to fill.
        Path local = write("local.csv", "timestamp,value\n2024-03-01 00:00:00,1\n2024-03-01 12:00,2\n2024-03-02,3\n");
        TimeSeries series = SeriesCsv.readInput(local, GapPolicy.LINEAR, ZoneOffset.UTC).series();
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), series.start());
        assertEquals(Instant.parse("2024-03-02T00:00:00Z"), series.end().minus(series.step()));

        Path repeated = write("repeated.csv", "timestamp,value\n2024-11-03 00:00,0\n2024-11-03 01:00,1\n"
                + "2024-11-03 01:00,2\n2024-11-03 02:00,3\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SeriesCsv.readInput(repeated, GapPolicy.LINEAR, ZoneId.of("UTC")));
        assertEquals(repeated + ":4: timestamp 2024-11-03T01:00:00Z repeats or goes backwards", e.getMessage());

        // A fixture with Z timestamps reads the same in any zone.
        Path fixture = CommandRun.fixture("seasonal-hourly.csv");
        TimeSeries utc = SeriesCsv.readInput(fixture, GapPolicy.REJECT, ZoneOffset.UTC).series();
        TimeSeries berlin = SeriesCsv.readInput(fixture, GapPolicy.REJECT, BERLIN).series();
        assertEquals(utc.start(), berlin.start());
        assertArrayEquals(utc.values(), berlin.values(), 0.0);
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), utc.start());
    }

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
