package io.fleetpredict.cli;

import java.time.DateTimeException;
import java.time.Instant;
import picocli.CommandLine;

/**
 * Reads a time option as the series read their timestamps: an ISO-8601 instant ({@code 2024-10-27T10:00:00Z}),
 * or a local date-time or date read as UTC. A bad value is a usage error naming the option. A command with
 * {@code --zone} reads the option's text again in that zone once every option is known ({@link SeriesZone#reread}).
 */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return SeriesCsv.time(value);
        } catch (DateTimeException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' " + e.getMessage());
        }
    }
}
