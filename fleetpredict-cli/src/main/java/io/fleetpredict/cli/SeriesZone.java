package io.fleetpredict.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --zone} option of the commands that read CSV series: the zone whose local times the zone-less timestamps
 * are, in the files and in the command's time options. Timestamps with an offset or {@code Z} name their instant
 * themselves and are read as written.
 */
final class SeriesZone {

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", converter = Converter.class,
            description = "time zone of the timestamps written without an offset, in the CSV files and in the command's"
                    + " time options if it has any, such as America/New_York or +01:00 (default: ${DEFAULT-VALUE})")
    ZoneId zone = ZoneOffset.UTC;

    /**
     * The instant a time option of the same command names, its text read again with zone-less times in this zone
     * (its converter, run before this option may have been read, took them as UTC). A local time the clocks repeat is
     * the first of the two; an offset picks the other.
     *
     * @throws CommandLine.ParameterException naming the option and its value, for a local time the clocks skip
     */
    @Nullable Instant reread(CommandSpec spec, String option, @Nullable Instant asUtc) {
        if (asUtc == null) {
            return null;
        }
        try {
            return SeriesCsv.time(OptionValues.typed(spec, option), zone, null);
        } catch (DateTimeException e) {
            throw OptionValues.refused(spec, option, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Reads a zone id, IANA ({@code Europe/Berlin}) or a fixed offset ({@code +01:00}), in any case
     * ({@code utc}, {@code europe/berlin}: a zone's name is not case-sensitive to its user); anything else is a usage
     * error.
     */
    static final class Converter implements CommandLine.ITypeConverter<ZoneId> {

        @Override
        public ZoneId convert(String value) {
            String id = value.strip();
            try {
                return ZoneId.of(id);
            } catch (DateTimeException e) {
                for (String known : ZoneId.getAvailableZoneIds()) {
                    if (known.equalsIgnoreCase(id)) {
                        return ZoneId.of(known);
                    }
                }
                if (id.equals("z")) {
                    return ZoneOffset.UTC;
                }
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a time zone: give an IANA id such as America/New_York, UTC or an offset such as"
                        + " +01:00");
            }
        }
    }
}
