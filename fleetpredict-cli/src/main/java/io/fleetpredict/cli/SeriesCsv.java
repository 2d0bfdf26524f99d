package io.fleetpredict.cli;

import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a series from CSV: either {@code timestamp,value} rows or a single {@code value} column, with an
 * optional header. Timestamps are ISO-8601 instants, or local date-times / dates taken as UTC. The step is
 * the most common difference between consecutive timestamps; missing steps become gaps handled by the
 * given policy, and a timestamp off the grid, repeated or going backwards is an error naming its line.
 */
final class SeriesCsv {

    private SeriesCsv() {
    }

    /** A series read from a file, and whether its rows carried timestamps (or only values, placed from the epoch). */
    record Input(TimeSeries series, boolean timestamped) {
    }

    static TimeSeries read(Path file, GapPolicy gaps) {
        return readInput(file, gaps).series();
    }

    static Input readInput(Path file, GapPolicy gaps) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        int columns = -1;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (columns < 0) {
                columns = cells.length;
                if (columns > 2) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%s:%d: expected 'timestamp,value' or one 'value' column, found %d columns",
                            file, n + 1, columns));
                }
                if (!looksNumeric(cells[cells.length - 1])) {
                    continue; // header
                }
            }
            if (cells.length != columns) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: expected %d columns, found %d", file, n + 1, columns, cells.length));
            }
            values.add(parseValue(file, n + 1, cells[columns - 1]));
            if (columns == 2) {
                times.add(parseTime(file, n + 1, cells[0]));
            }
            lineNumbers.add(n + 1);
        }
        if (values.isEmpty()) {
            throw new InvalidInputException(file + ": no values");
        }
        if (columns == 1) {
            return new Input(TimeSeries.ofValues(values.stream().mapToDouble(Double::doubleValue).toArray()), false);
        }
        return new Input(regular(file, times, values, lineNumbers, gaps), true);
    }

    private static TimeSeries regular(Path file, List<Instant> times, List<Double> values,
            List<Integer> lineNumbers, GapPolicy gaps) {
        if (times.size() == 1) {
            throw new InvalidInputException(file + ": one timestamped value; the step cannot be inferred");
        }
        Map<Duration, Integer> counts = new HashMap<>();
        for (int i = 1; i < times.size(); i++) {
            Duration d = Duration.between(times.get(i - 1), times.get(i));
            if (!d.isNegative() && !d.isZero()) {
                counts.merge(d, 1, Integer::sum);
            }
        }
        // The most common difference; among equally common ones, the shortest.
        Comparator<Map.Entry<Duration, Integer>> byCount = Map.Entry.comparingByValue();
        Duration step = counts.entrySet().stream()
                .max(byCount.thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey)
                .orElseThrow(() -> new InvalidInputException(file + ": timestamps never advance"));
        Instant start = times.get(0);
        // The latest time, not the last: a row going backwards is reported below with its line, not as an overflow.
        Instant last = times.stream().max(Comparator.naturalOrder()).orElseThrow();
        long size = Duration.between(start, last).dividedBy(step) + 1;
        if (size > 50_000_000L) {
            throw new InvalidInputException(file + ": the series would have " + size + " steps of " + step);
        }
        double[] raw = new double[(int) size];
        Arrays.fill(raw, Double.NaN);
        long previous = -1;
        for (int i = 0; i < times.size(); i++) {
            Duration offset = Duration.between(start, times.get(i));
            long index = offset.dividedBy(step);
            if (!step.multipliedBy(index).equals(offset)) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: timestamp %s is off the %s grid that starts at %s",
                        file, lineNumbers.get(i), times.get(i), step, start));
            }
            if (index <= previous) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: timestamp %s repeats or goes backwards", file, lineNumbers.get(i), times.get(i)));
            }
            raw[(int) index] = values.get(i);
            previous = index;
        }
        try {
            return TimeSeries.filled(start, step, raw, gaps);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file + ": " + e.getMessage()
                    + (gaps == GapPolicy.REJECT ? " (use --gaps linear or --gaps previous to fill gaps)" : ""), e);
        }
    }

    private static boolean looksNumeric(String cell) {
        try {
            Double.parseDouble(unquote(cell));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double parseValue(Path file, int line, String cell) {
        try {
            double v = Double.parseDouble(unquote(cell));
            if (!Double.isFinite(v)) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: value '%s' is not finite", file, line, cell));
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s:%d: value '%s' is not a number", file, line, cell), e);
        }
    }

    static Instant parseTime(Path file, int line, String cell) {
        String s = unquote(cell);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // fall through to the zone-less forms
        }
        try {
            return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s:%d: timestamp '%s' is not ISO-8601 (2024-10-27T10:00:00Z or 2024-10-27 10:00:00)",
                    file, line, cell), e);
        }
    }

    private static String unquote(String cell) {
        String s = cell.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
