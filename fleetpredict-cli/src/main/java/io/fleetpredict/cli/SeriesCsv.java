package io.fleetpredict.cli;

import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a series from CSV: either {@code timestamp,value} rows or a single {@code value} column, with an
 * optional header. Timestamps are ISO-8601 instants or date-times with an offset, or local date-times / dates taken
 * as local times in a given zone (UTC unless told otherwise). The step is the most common difference between
 * consecutive timestamps; missing steps become gaps handled by the given policy, and a timestamp off the grid,
 * repeated or going backwards is an error naming its line.
 *
 * <p>In a zone with clock changes, a local time the clocks skip is an error naming its line, and one they repeat is
 * placed in file order: at the earlier offset, unless the row before already reached that instant, then at the
 * later one. Either way the instants stay contiguous, so a change of the clocks is neither a gap nor a repeat.
 */
final class SeriesCsv {

    private SeriesCsv() {
    }

    /** A series read from a file, and whether its rows carried timestamps (or only values, placed from the epoch). */
    record Input(TimeSeries series, boolean timestamped, Gaps gaps) {
        Input(TimeSeries series, boolean timestamped) {
            this(series, timestamped, Gaps.NONE);
        }
    }

    /**
     * The missing steps of a timestamped file, which the gap policy filled (none under {@code reject}, which refuses
     * the first).
     *
     * @param filled how many steps were missing in all
     * @param longest the most missing in a row
     * @param line the line after the longest gap (0 when none)
     * @param from the time before the longest gap ({@code null} when none)
     * @param to the time after it ({@code null} when none)
     */
    record Gaps(long filled, long longest, int line, @Nullable Instant from, @Nullable Instant to) {
        static final Gaps NONE = new Gaps(0, 0, 0, null, null);
    }

    /** A series of amounts per step, and the steps its gap policy made up. */
    record Amounts(TimeSeries series, Gaps gaps) {
    }

    /** The most rows a file may hold: about 250 MB of parsed values, well inside a 1 GB heap. */
    static final int MAX_ROWS = 10_000_000;
    /**
     * The longest line: a row is a timestamp and a value, so a longer one is a file of another kind (a minified
     * document, a binary), refused before it is read whole into memory.
     */
    static final int MAX_LINE_BYTES = 65_536;
    /** Plain decimal numbers only: no hexadecimal, no type suffix, no NaN or Infinity. */
    /** A header names its columns with words; anything else on the first row is data, and checked as data. */
    private static final Pattern HEADER_CELL = Pattern.compile("[A-Za-z_][A-Za-z0-9_ ()./%-]*");
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest time an input holds, and so the latest a forecast of one is written at: years 0001 to 9999. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    static TimeSeries read(Path file, GapPolicy gaps, ZoneId zone) {
        return readInput(file, gaps, zone).series();
    }

    /** A rule every value of a file must keep, checked row by row so that a breach names its line. */
    @FunctionalInterface
    interface ValueRule {
        /** Any finite value. */
        ValueRule ANY = v -> null;

        /**
         * What is wrong with a value, to follow {@code value '...'} in the message, or {@code null} if nothing is.
         *
         * @param value a finite value of the file
         * @return the breach, such as {@code "is negative; a demand cannot be"}, or {@code null}
         */
        @Nullable String broken(double value);
    }

    /**
     * Reads a series of amounts per step (a demand in requests per step) whose values keep {@code rule} (not
     * negative, not beyond what can be served), naming the first line that does not. Values filled into gaps lie
     * between their neighbours' and need no check. Since a value's meaning depends on the step, the rows must carry
     * timestamps, and a step that changes part-way is refused rather than filled as gaps.
     */
    static TimeSeries readAmounts(Path file, GapPolicy gaps, ZoneId zone, ValueRule rule) {
        return readAmounts(file, gaps, zone, rule, Long.MAX_VALUE).series();
    }

    /**
     * As {@link #readAmounts(Path, GapPolicy, ZoneId, ValueRule)}, refusing a gap of more than {@code maxGap} missing
     * steps in a row, which a fill would make up rather than bridge, and telling which steps were filled.
     */
    static Amounts readAmounts(Path file, GapPolicy gaps, ZoneId zone, ValueRule rule, long maxGap) {
        Input in = readInput(file, gaps, zone, MAX_ROWS, rule, true);
        if (!in.timestamped()) {
            throw new InvalidInputException(file + ": no timestamps; a value is an amount per step, so the series needs"
                    + " 'timestamp,value' rows to give its step");
        }
        Gaps g = in.gaps();
        if (g.longest() > maxGap) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s:%d: gap from %s to %s: %d missing steps of %s in a row, more than --max-gap (%d) lets be filled; "
                            + "give --max-gap %d to fill it with --gaps %s, or split the file at the gap", file,
                    g.line(), g.from(), g.to(), g.longest(), in.series().step(), maxGap, g.longest(),
                    gaps.name().toLowerCase(Locale.ROOT)));
        }
        return new Amounts(in.series(), g);
    }

    static Input readInput(Path file, GapPolicy gaps, ZoneId zone) {
        return readInput(file, gaps, zone, MAX_ROWS, ValueRule.ANY, false);
    }

    /**
     * Reads up to {@code maxRows} rows whose values keep {@code rule}, zone-less timestamps being local times in
     * {@code zone}; with {@code amounts}, the values are amounts per step and the step may not change part-way.
     */
    static Input readInput(Path file, GapPolicy gaps, ZoneId zone, int maxRows, ValueRule rule, boolean amounts) {
        Rows rows = new Rows();
        int columns = -1;
        int n = 0;
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (String raw = nextLine(in, file, n + 1); raw != null; raw = nextLine(in, file, n + 1)) {
                n++;
                String line = (n == 1 && raw.startsWith("\uFEFF") ? raw.substring(1) : raw).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (columns < 0) {
                    checkCommaSeparated(file, n, line);
                }
                String[] cells = line.split(",", -1);
                if (columns < 0) {
                    columns = cells.length;
                    if (columns > 2) {
                        throw new InvalidInputException(String.format(Locale.ROOT,
                                "%s:%d: expected 'timestamp,value' or one 'value' column, found %d columns",
                                file, n, columns));
                    }
                    if (isHeader(cells)) {
                        continue;
                    }
                    if (isHeaderMissingAName(cells)) {
                        throw noName(file + ":" + n + ": ", cells, "expected 'timestamp,value' or one 'value' column");
                    }
                }
                if (cells.length != columns) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%s:%d: expected %d columns, found %d", file, n, columns, cells.length));
                }
                if (rows.size == maxRows) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%s:%d: more than %d rows; aggregate to a coarser step or split the file",
                            file, n, maxRows));
                }
                double value = parseValue(file, n, cells[columns - 1]);
                String broken = rule.broken(value);
                if (broken != null) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%s:%d: value '%s' %s", file, n, cells[columns - 1], broken));
                }
                @Nullable Instant previous = rows.size == 0 || columns != 2 ? null : rows.time(rows.size - 1);
                rows.add(value, columns == 2 ? parseTime(file, n, cells[0], zone, previous) : null, n);
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
        if (rows.size == 0) {
            throw new InvalidInputException(file + ": no values");
        }
        if (columns == 1) {
            return new Input(TimeSeries.ofValues(Arrays.copyOf(rows.values, rows.size)), false);
        }
        try {
            TimeSeries series = regular(file, rows, gaps, zone, amounts);
            return new Input(series, true, gaps(rows, series.step()));
        } catch (ArithmeticException e) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s: timestamps from line %d to line %d span too many steps to count: %s",
                    file, rows.lines[0], rows.lines[rows.size - 1], e.getMessage()), e);
        }
    }

    /** The rows read so far, in primitive arrays: a boxed list per column would need four times the memory. */
    private static final class Rows {
        double[] values = new double[1024];
        long[] seconds = new long[1024];
        int[] nanos = new int[1024];
        int[] lines = new int[1024];
        int size;

        void add(double value, @Nullable Instant time, int line) {
            if (size == values.length) {
                int grown = (int) Math.min(Integer.MAX_VALUE - 8, size * 2L);
                values = Arrays.copyOf(values, grown);
                seconds = Arrays.copyOf(seconds, grown);
                nanos = Arrays.copyOf(nanos, grown);
                lines = Arrays.copyOf(lines, grown);
            }
            values[size] = value;
            if (time != null) {
                seconds[size] = time.getEpochSecond();
                nanos[size] = time.getNano();
            }
            lines[size] = line;
            size++;
        }

        Instant time(int i) {
            return Instant.ofEpochSecond(seconds[i], nanos[i]);
        }
    }

    /**
     * Refuses a first line whose fields are separated by semicolons, as a spreadsheet set to a language with a
     * decimal comma exports a CSV: split at commas it would be one column of values that are not numbers, and the
     * error would not say why.
     *
     * @param file the file, to name in the error
     * @param lineNumber the line's number, from 1
     * @param line the file's first line that is not blank or a comment, header or data
     */
    static void checkCommaSeparated(Path file, long lineNumber, String line) {
        if (line.indexOf(';') >= 0 && line.indexOf(',') < 0) {
            throw new InvalidInputException(String.format(Locale.ROOT, "%s:%d: the file looks ';'-separated (as a"
                    + " spreadsheet exports CSV in a language with a decimal comma); fields must be separated by commas,"
                    + " with '.' as the decimal point", file, lineNumber));
        }
    }

    /**
     * The next line without its terminator, decoded as strict UTF-8 one line at a time so a bad byte is
     * reported on its own line; {@code null} at the end.
     */
    private static @Nullable String nextLine(BufferedInputStream in, Path file, int lineNumber) throws IOException {
        return nextLine(in, file, lineNumber, MAX_LINE_BYTES, "a row holds a timestamp and a value");
    }

    /**
     * As {@link #nextLine(BufferedInputStream, Path, int)} for the other CSV files the commands read, whose lines may
     * be at most {@code maxBytes} long; a longer one is refused with {@code rowHolds}, what a line of the file holds.
     * A line ends at {@code \n}, {@code \r\n} or a lone {@code \r} (old Mac files), and holds text: a control
     * character other than a tab, a line or paragraph separator or a bidirectional formatting character is refused
     * naming its line and column, so that no message repeats it to a terminal or a log.
     */
    static @Nullable String nextLine(BufferedInputStream in, Path file, long lineNumber, int maxBytes, String rowHolds)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n' && b != '\r') {
            if (bytes.size() == maxBytes) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: longer than %d bytes; %s", file, lineNumber, maxBytes, rowHolds));
            }
            bytes.write(b);
            b = in.read();
        }
        if (b == '\r') {
            in.mark(1);
            if (in.read() != '\n') {
                in.reset();
            }
        }
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(String.format(Locale.ROOT, "%s:%d: not valid UTF-8", file, lineNumber), e);
        }
        int control = Checks.firstControl(line.replace('\t', ' '));
        if (control >= 0) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s:%d: control character \\u%04x at column %d; a line of this file is text", file, lineNumber,
                    line.codePointAt(control), line.codePointCount(0, control) + 1));
        }
        return line;
    }

    /**
     * Consecutive rows the same longer interval apart that mark a new step rather than missing data: an outage
     * leaves one hole, or a few uneven ones, not a regular lattice of them.
     */
    static final int STEP_CHANGE_ROWS = 10;

    /** Refuses a series whose rows settle on a longer step than {@code step} part-way, naming where. */
    private static void checkOneStep(Path file, Rows rows, Duration step) {
        @Nullable Duration run = null;
        int runStart = 0;
        for (int i = 1; i < rows.size; i++) {
            Duration d = Duration.between(rows.time(i - 1), rows.time(i));
            if (d.compareTo(step) <= 0) {
                // The step itself, or a row repeating or going backwards, which the grid reports.
                run = null;
            } else if (!d.equals(run)) {
                run = d;
                runStart = i;
            } else if (i - runStart + 1 == STEP_CHANGE_ROWS) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: the step changes from %s to %s after line %d; a value is an amount per step, so the"
                                + " series needs one step throughout: aggregate it to %s or split the file",
                        file, rows.lines[runStart], step, d, rows.lines[runStart - 1], d));
            }
        }
    }

    /**
     * Refuses, before any step is filled, a gap of more missing steps than the file has rows: a fill then makes up
     * more of the series than was measured, which is a mistyped timestamp (a year off, a month off) far more often
     * than an outage. The bound comes from the data, so a long trace may hold a long outage and a short one may not.
     */
    private static void checkGapsPlausible(Path file, Rows rows, Duration step) {
        for (int i = 1; i < rows.size; i++) {
            Duration d = Duration.between(rows.time(i - 1), rows.time(i));
            if (d.compareTo(step) <= 0) {
                continue;
            }
            long missing = d.dividedBy(step) - 1;
            if (missing > rows.size) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: gap from %s (line %d) to %s: %d missing steps of %s, more than the %d rows the file"
                                + " holds, too long to fill; is a timestamp mistyped? Correct it, or split the file at"
                                + " the gap", file, rows.lines[i], rows.time(i - 1), rows.lines[i - 1], rows.time(i),
                        missing, step, rows.size));
            }
        }
    }

    /** The missing steps between the rows of a regular series of {@code step}. */
    private static Gaps gaps(Rows rows, Duration step) {
        long filled = 0;
        Gaps longest = Gaps.NONE;
        for (int i = 1; i < rows.size; i++) {
            long missing = Duration.between(rows.time(i - 1), rows.time(i)).dividedBy(step) - 1;
            if (missing > 0) {
                filled += missing;
                if (missing > longest.longest()) {
                    longest = new Gaps(0, missing, rows.lines[i], rows.time(i - 1), rows.time(i));
                }
            }
        }
        return new Gaps(filled, longest.longest(), longest.line(), longest.from(), longest.to());
    }

    /**
     * Whether a first row names its columns: every cell (quoted or not) is a word such as {@code timestamp} or
     * {@code price_per_unit_hour}, where a row of data holds a timestamp or a number.
     */
    static boolean isHeader(String[] cells) {
        for (String cell : cells) {
            String c = unquote(cell);
            if (!HEADER_CELL.matcher(c).matches() || c.equalsIgnoreCase("nan") || c.equalsIgnoreCase("infinity")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a first row is a header that leaves a column without a name: its other cells are words, and one is
     * blank (a quoted {@code ""}, or the empty cell after a comma at the end of the line). Taken for data, it
     * would be refused as a value or a time that is not one, which does not say that the header is at fault.
     */
    static boolean isHeaderMissingAName(String[] cells) {
        String[] names = Arrays.stream(cells).filter(c -> !unquote(c).isBlank()).toArray(String[]::new);
        return names.length > 0 && names.length < cells.length && isHeader(names);
    }

    /**
     * The error for a header with a column without a name, naming the first such column, as every CSV reader of
     * the command line says it.
     *
     * @param where the {@code file:line: } prefix
     * @param expected what the columns should be
     */
    static InvalidInputException noName(String where, String[] header, String expected) {
        int i = 0;
        while (!unquote(header[i]).isBlank()) {
            i++;
        }
        return new InvalidInputException(String.format(Locale.ROOT, "%scolumn %d of the header has no name%s; %s",
                where, i + 1, endsWithAComma(header, i) ? " (the line ends with a comma)" : "", expected));
    }

    /** Whether cell {@code i} is the last one and empty as written: what a comma at the end of the line leaves. */
    static boolean endsWithAComma(String[] cells, int i) {
        return i == cells.length - 1 && i > 0 && cells[i].isBlank();
    }

    private static TimeSeries regular(Path file, Rows rows, GapPolicy gaps, ZoneId zone, boolean amounts) {
        if (rows.size == 1) {
            throw new InvalidInputException(file + ": one timestamped value; the step cannot be inferred");
        }
        Map<Duration, Integer> counts = new HashMap<>();
        for (int i = 1; i < rows.size; i++) {
            Duration d = Duration.between(rows.time(i - 1), rows.time(i));
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
        if (amounts) {
            checkOneStep(file, rows, step);
        }
        Instant start = rows.time(0);
        // The latest time, not the last: a row going backwards is reported below with its line, not as an overflow.
        Instant last = start;
        for (int i = 1; i < rows.size; i++) {
            last = rows.time(i).isAfter(last) ? rows.time(i) : last;
        }
        if (gaps != GapPolicy.REJECT) {
            checkGapsPlausible(file, rows, step);
        }
        long size = Duration.between(start, last).dividedBy(step) + 1;
        if (size > 50_000_000L) {
            throw new InvalidInputException(file + ": the series would have " + size + " steps of " + step);
        }
        double[] raw = new double[(int) size];
        Arrays.fill(raw, Double.NaN);
        long previous = -1;
        for (int i = 0; i < rows.size; i++) {
            Duration offset = Duration.between(start, rows.time(i));
            long index = offset.dividedBy(step);
            if (!step.multipliedBy(index).equals(offset)) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: timestamp %s is off the %s grid that starts at %s%s",
                        file, rows.lines[i], rows.time(i), step, start, clockChangeHint(zone, start, rows.time(i))));
            }
            if (index <= previous) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: timestamp %s repeats or goes backwards", file, rows.lines[i], rows.time(i)));
            }
            if (gaps == GapPolicy.REJECT && previous >= 0 && index > previous + 1) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s:%d: gap before timestamp %s: %d missing step%s of %s after %s on line %d (use --gaps linear"
                                + " or --gaps previous to fill gaps)", file, rows.lines[i], rows.time(i), index - previous - 1,
                        index - previous - 1 == 1 ? "" : "s", step, rows.time(i - 1), rows.lines[i - 1]));
            }
            raw[(int) index] = rows.values[i];
            previous = index;
        }
        try {
            return TimeSeries.filled(start, step, raw, gaps);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file + ": " + e.getMessage()
                    + (gaps == GapPolicy.REJECT ? " (use --gaps linear or --gaps previous to fill gaps)" : ""), e);
        }
    }

    private static double parseValue(Path file, int line, String cell) {
        String text = unquote(cell);
        if (text.matches("(?i)[+-]?(nan|infinity)")) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s:%d: value '%s' is not finite", file, line, cell));
        }
        double v;
        try {
            v = DecimalNumbers.parse(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s:%d: value '%s' is not a number", file, line, cell), e);
        }
        if (!Double.isFinite(v)) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s:%d: value '%s' is out of range", file, line, cell));
        }
        return v;
    }

    /**
     * Why a row may be off the grid when the clocks of {@code zone} change between the first row and it: local times
     * a step apart are then not a step apart in instants. Empty when they do not change in between.
     */
    private static String clockChangeHint(ZoneId zone, Instant start, Instant time) {
        ZoneOffsetTransition change = zone.getRules().nextTransition(start);
        if (change == null || change.getInstant().isAfter(time)) {
            return "";
        }
        return String.format(Locale.ROOT, "; the clocks of %s change on %s, so local times a step apart are not that"
                + " far apart across it: a step longer than the change needs --zone UTC (local times read as evenly"
                + " spaced) or timestamps with offsets", zone, change.getDateTimeBefore().toLocalDate());
    }

    static Instant parseTime(Path file, int line, String cell, ZoneId zone, @Nullable Instant previous) {
        try {
            return time(cell, zone, previous);
        } catch (DateTimeException e) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s:%d: timestamp '%s' %s", file, line, cell, e.getMessage()), e);
        }
    }

    /**
     * A timestamp in any of the forms the series and the options accept, a zone-less one read as UTC.
     *
     * @throws DateTimeException saying what is wrong with it, without the text itself ("is not ISO-8601 ...")
     */
    static Instant time(String cell) {
        return time(cell, ZoneOffset.UTC, null);
    }

    /**
     * A timestamp in any of the forms the series and the options accept, a zone-less one being a local time in
     * {@code zone}; one the clocks repeat is placed after {@code previous}, the time of the row before, if given.
     *
     * @throws DateTimeException saying what is wrong with it, without the text itself ("is not ISO-8601 ...")
     */
    static Instant time(String cell, ZoneId zone, @Nullable Instant previous) {
        Instant t = parseAnyTime(cell, zone, previous);
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new DateTimeException("is outside the years 0001 to 9999");
        }
        return t;
    }

    private static Instant parseAnyTime(String cell, ZoneId zone, @Nullable Instant previous) {
        String s = unquote(cell);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // fall through to offsets without seconds (2024-10-27T02:00+02:00, what OffsetDateTime prints) or in hours
        }
        try {
            return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            // fall through to the zone-less forms
        }
        try {
            return inZone(LocalDateTime.parse(s.replace(' ', 'T')), zone, previous);
        } catch (DateTimeParseException e) {
            // fall through to a date
        }
        try {
            // A day starts at its first local time, which is not midnight where the clocks skip midnight.
            return LocalDate.parse(s).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new DateTimeException("is not ISO-8601 (2024-10-27T10:00:00Z or 2024-10-27 10:00:00)", e);
        }
    }

    /**
     * The instant of a local time in {@code zone}. A time the clocks skip is refused; one they repeat takes the
     * earlier offset unless {@code previous} is already at or past it (the second pass through the repeated hour),
     * and is refused if it falls before {@code previous} at both.
     */
    private static Instant inZone(LocalDateTime local, ZoneId zone, @Nullable Instant previous) {
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1) {
            return local.toInstant(offsets.get(0));
        }
        ZoneOffsetTransition change = Objects.requireNonNull(rules.getTransition(local));
        if (offsets.isEmpty()) {
            throw new DateTimeException(String.format(Locale.ROOT,
                    "does not exist in %s: its clocks go forward from %s to %s", zone,
                    change.getDateTimeBefore(), change.getDateTimeAfter()));
        }
        Instant first = local.toInstant(change.getOffsetBefore());
        Instant second = local.toInstant(change.getOffsetAfter());
        if (previous == null || previous.isBefore(first)) {
            return first;
        }
        if (previous.isBefore(second)) {
            return second;
        }
        throw new DateTimeException(String.format(Locale.ROOT,
                "is a local time %s repeats when its clocks go back on %s, and at either offset (%s or %s) it is not"
                        + " after the row before, %s: rows must be in time order", zone,
                change.getDateTimeBefore().toLocalDate(), change.getOffsetBefore(), change.getOffsetAfter(), previous));
    }

    /** A cell without the blanks around it and without the double quotes around it, if it has them. */
    static String unquote(String cell) {
        String s = cell.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
