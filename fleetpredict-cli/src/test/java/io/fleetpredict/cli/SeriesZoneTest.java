package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --zone}'s values: IANA ids and offsets in any case, and a usage error for anything else. */
class SeriesZoneTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(delimiter = '|', value = {
        "America/New_York|America/New_York", "america/new_york|America/New_York", "EUROPE/BERLIN|Europe/Berlin",
        "' Europe/Berlin '|Europe/Berlin", "UTC|UTC", "utc|UTC", "Z|Z", "z|Z", "+01:00|+01:00", "gmt|GMT"})
    void zone_anyCase_isTheZoneOfThatName(String typed, String id) {
        ZoneId zone = new SeriesZone.Converter().convert(typed);
        assertEquals(id, zone.getId());
        // The same rules as the zone of that exact name: a summer instant has the same offset.
        Instant summer = Instant.parse("2024-07-01T12:00:00Z");
        assertEquals(ZoneId.of(id).getRules().getOffset(summer), zone.getRules().getOffset(summer));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Mars/Olympus", "New York", "+25:00", "EST5"})
    void zone_notAZone_isRefusedNamingTheValue(String typed) {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> new SeriesZone.Converter().convert(typed));
        assertTrue(e.getMessage().startsWith("'" + typed + "' is not a time zone"), e.getMessage());
    }
}
