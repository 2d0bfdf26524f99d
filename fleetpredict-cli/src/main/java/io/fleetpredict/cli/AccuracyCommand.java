package io.fleetpredict.cli;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.feedback.AccuracyKey;
import io.fleetpredict.core.feedback.AccuracyReport;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.feedback.KeyAccuracy;
import io.fleetpredict.core.feedback.PredictedPoint;
import io.fleetpredict.core.feedback.PredictionInterval;
import io.fleetpredict.core.feedback.TooManySeriesException;
import io.fleetpredict.core.internal.Decimals;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetpredict accuracy}: how predicted fleet states fared against the actuals that followed. */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = "Score predicted fleet states against actuals: MAE, MAPE, MASE, bias, p90 coverage,"
                + " under-provisioning and over-provisioning cost per service, resource and horizon.")
final class AccuracyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--predicted", required = true, arity = "1..*", paramLabel = "FILE",
            description = "predicted fleet state documents")
    List<Path> predicted;

    @Option(names = "--actuals", required = true, paramLabel = "FILE",
            description = "CSV: timestamp,service,resource_type,actual,units[,provisioned,price_per_unit_hour];"
                    + " service empty or 'fleet' for the fleet level")
    Path actuals;

    private static final String ROW_HOLDS = "a row holds one actual";

    @Option(names = "--step", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "how long each actual lasted, such as 1h, 15m or PT1H (default: ${DEFAULT-VALUE})")
    Duration step;

    @Option(names = "--period", paramLabel = "P", defaultValue = "1",
            description = "seasonal period of the MASE scale (default: ${DEFAULT-VALUE})")
    int period;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "also draw each matched actual against its predicted quantity, one panel per resource (SVG)")
    @Nullable Path plot;

    @Mixin
    ReportFormat output;

    @Override
    public Integer call() {
        // Checked before any file is read, so a bad option is a usage error whatever the files hold.
        if (period < 1) {
            throw OptionValues.refused(spec, "--period", "must be at least 1");
        }
        OptionValues.requirePositive(spec, "--step", step);
        if (plot != null) {
            OutputFiles.checkFile(plot);
        }
        List<PredictedFleetState> documents = new ArrayList<>();
        for (Path file : predicted) {
            documents.add(DocumentFiles.read(file, PredictedFleetState.class));
        }
        Scoring scoring = new Scoring(documents, period, step, plot != null);
        readRows(scoring::add);
        if (scoring.rows == 0) {
            throw new InvalidInputException(actuals + ": holds no actuals (only a header, comments or blank lines)");
        }
        long matched = scoring.matched;
        long unmatched = scoring.rows - matched;
        if (matched == 0) {
            // Nothing was scored, so there is no report to print: an error like any other, and nothing on stdout.
            throw new InvalidInputException(String.format(Locale.ROOT, "%s: none of its %d actuals matched a"
                    + " prediction (same timestamp, service and resource type as a predicted fleet state)", actuals,
                    unmatched));
        }
        AccuracyReport report = scoring.report();
        PrintWriter out = spec.commandLine().getOut();
        if (plot != null) {
            SvgChart.write(plot, plot(scoring.drawn));
        }
        if (output.json()) {
            out.print(JsonWriter.roundNumbers(report.toJson()));
        } else {
            out.printf(Locale.ROOT, "%d actuals matched, %d without a prediction%n", matched, unmatched);
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"series", "n", "MAE", "MAPE%", "MASE", "bias", "cov90", "under-min", "over-cost"});
            for (KeyAccuracy a : report.series()) {
                rows.add(new String[] {a.key().toString(), String.valueOf(a.count()), Numbers.text(a.mae()),
                    Numbers.text(a.mape()), Numbers.text(a.mase()), Numbers.text(a.bias()), Numbers.text(a.coverage()),
                    Numbers.text(a.underProvisionedMinutes()),
                    Decimals.text(a.overProvisioningCost())});
            }
            table(rows, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The widths the table's columns take at the least: a series name, then figures of a few digits. */
    private static final int[] MIN_WIDTHS = {24, 5, 9, 8, 7, 9, 8, 9, 11};

    /**
     * Prints the table, the series name left-aligned and the figures right-aligned, each column as wide as its
     * widest cell: a long name, or a cost of many digits, moves the columns after it rather than the cells of
     * one row out from under their header.
     */
    static void table(List<String[]> rows, PrintWriter out) {
        int[] widths = MIN_WIDTHS.clone();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + widths[0] + "s", row[0]));
            for (int c = 1; c < row.length; c++) {
                line.append(' ').append(String.format(Locale.ROOT, "%" + widths[c] + "s", row[c]));
            }
            out.println(line);
        }
    }

    /**
     * Predicted against actual: one panel per resource type, in its canonical unit, a set of points per series,
     * and the diagonal where a prediction was exact (points above it were under-predicted). Of the points in one
     * pixel column only the lowest and the highest are drawn ({@link ColumnExtremes}), so the picture's size does
     * not grow with the actuals; its note says so when points were left out.
     */
    static String plot(Map<ResourceType, ColumnExtremes> drawn) {
        List<SvgChart> panels = new ArrayList<>();
        for (var e : drawn.entrySet()) {
            String unit = e.getKey().canonicalUnit().symbol();
            ColumnExtremes points = e.getValue();
            SvgChart chart = SvgChart.titled(e.getKey().jsonName() + ": actual against predicted, " + unit
                    + " (above the diagonal: under-predicted)").x("predicted, " + unit, SvgChart.Axis.LINEAR)
                    .y("actual, " + unit);
            double from = Math.min(0, points.low());
            double to = points.high();
            chart.line("predicted = actual", 0, new double[] {from, to}, new double[] {from, to});
            List<ColumnExtremes.Point> kept = points.reduce(from, to, SvgChart.PLOT_COLUMNS);
            if (kept.size() < points.count()) {
                chart.note(String.format(Locale.ROOT, "%d of %d matched actuals drawn: the lowest and the highest in"
                        + " each pixel column", kept.size(), points.count()));
            }
            Map<String, List<ColumnExtremes.Point>> bySeries = new TreeMap<>();
            kept.forEach(p -> bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p));
            int colour = 1;
            for (var s : bySeries.entrySet()) {
                chart.points(s.getKey(), colour++, s.getValue().stream().mapToDouble(ColumnExtremes.Point::x).toArray(),
                        s.getValue().stream().mapToDouble(ColumnExtremes.Point::y).toArray());
            }
            panels.add(chart);
        }
        return SvgChart.stack(panels);
    }

    private record Row(Instant time, @Nullable String service, ResourceAmount actual, @Nullable Double provisioned,
            @Nullable Double price) {}

    /** Takes each row of the file with its place: {@code where} is {@code file:line}, {@code line} its number. */
    @FunctionalInterface
    private interface RowSink {
        void accept(Row row, String where, long line);
    }

    /** A series as the file orders it: a service (or the fleet, {@code null}) and a resource type. */
    private record Series(@Nullable String service, ResourceType type) {
        @Override
        public String toString() {
            return (service == null ? "fleet" : service) + "/" + type.jsonName();
        }
    }

    /** The latest actual scored of a series: its timestamp and line. */
    private record Latest(Instant time, long line) {}

    /**
     * The actuals scored one row at a time, as the file is read: what it keeps is the tracker's figures, bounded
     * per series, the count and latest time of the rows, and, when a plot draws them, the lowest and highest actual
     * at each predicted quantity ({@link ColumnExtremes}). A row no prediction matches is counted and dropped, so a
     * file of any length is read in the memory its series and the predictions take.
     */
    private static final class Scoring {
        private final PredictionIndex predictions;
        private final Duration step;
        private final boolean keepPoints;
        /** Stamps the report once the file is read: it is as of the end of the last actual scored, the data's time. */
        private final MutableClock clock = MutableClock.at(Instant.EPOCH);
        private final AccuracyTracker tracker;
        /** With a plot: the points to draw, per resource type in its canonical unit. */
        final Map<ResourceType, ColumnExtremes> drawn = new TreeMap<>();
        long rows;
        long matched;
        private @Nullable Instant lastRow;
        private @Nullable Instant lastMatched;
        /**
         * The latest actual scored of each series, so that a repeated or earlier one is refused: the tracker takes a
         * series' actuals in the order they come (the online MASE scale differences them as they arrive), and two
         * actuals for one step would both be scored. One entry per series scored, bounded as the tracker's series.
         */
        private final Map<Series, Latest> latest = new java.util.HashMap<>();

        Scoring(List<PredictedFleetState> documents, int period, Duration step, boolean keepPoints) {
            this.predictions = PredictionIndex.of(documents);
            this.step = step;
            this.keepPoints = keepPoints;
            this.tracker = AccuracyTracker.builder().seasonalPeriod(period).withoutDriftDetection().clock(clock).build();
        }

        /**
         * Scores the row of the file at {@code where} ({@code file:line}, {@code line} its number) against its
         * prediction, if it has one.
         */
        void add(Row row, String where, long line) {
            rows++;
            lastRow = later(lastRow, row.time());
            Optional<PredictionIndex.Match> found = predictions.find(row.time(), row.service(), row.actual().type());
            if (found.isEmpty()) {
                return;
            }
            PredictionIndex.Match m = found.get();
            ResourceRequirement r = m.requirement();
            double actual = row.actual().to(r.units()).amount();
            double provisioned = row.provisioned() == null ? r.quantity()
                    : ResourceAmount.of(r.resourceType(), row.provisioned(), row.actual().unit()).to(r.units()).amount();
            // Demand is never negative, so [0, p90] is a 90% interval.
            PredictionInterval interval = r.p90() == null ? null : new PredictionInterval(0, r.p90(), 90);
            double price = row.price() == null ? 0 : row.price() / row.actual().unit().convert(1, r.units());
            AccuracyKey key = new AccuracyKey(row.service(), r.resourceType(), m.horizon());
            PredictedPoint point = new PredictedPoint(r.quantity(), interval, provisioned, price);
            Series series = new Series(row.service(), r.resourceType());
            Latest before = latest.get(series);
            if (before != null && !row.time().isAfter(before.time())) {
                // As series files refuse a repeated or backward timestamp: the file's order is the series' order.
                throw new InvalidInputException(String.format(Locale.ROOT, "%s: timestamp %s of series %s %s; the"
                        + " actuals of a series (service and resource type) go forward in time, one per timestamp",
                        where, row.time(), series, row.time().equals(before.time())
                                ? "repeats the actual on line " + before.line()
                                : "comes before the actual at " + before.time() + " on line " + before.line()));
            }
            try {
                InvalidInputException.from(where, () -> tracker.record(key, point, actual, step));
            } catch (TooManySeriesException e) {
                // The file's series, not a fault of the command: named by the line whose series is one too many.
                throw new InvalidInputException(String.format(Locale.ROOT, "%s: series %s is one more than the %d"
                        + " series one run scores; score the actuals in parts (a file per service, say)", where,
                        e.key(), e.maxSeries()), e);
            }
            if (keepPoints) {
                // One unit per panel: a service predicted in millicores is drawn in cores beside the others.
                ResourceUnit canonical = r.resourceType().canonicalUnit();
                drawn.computeIfAbsent(r.resourceType(), t -> new ColumnExtremes()).add(key.toString(),
                        r.units().convert(r.quantity(), canonical), r.units().convert(actual, canonical));
            }
            latest.put(series, new Latest(row.time(), line));
            matched++;
            lastMatched = later(lastMatched, row.time());
        }

        /**
         * The report as of the end of the last actual scored (of the last actual read when none matched), so the
         * same files give the same report on every run.
         */
        AccuracyReport report() {
            Instant last = lastMatched != null ? lastMatched : lastRow;
            clock.set(Objects.requireNonNull(last, "no rows were read").plus(step));
            return tracker.report();
        }

        private static Instant later(@Nullable Instant a, Instant b) {
            return a == null || b.isAfter(a) ? b : a;
        }
    }

    /**
     * Reads the actuals file one line at a time and hands each row to {@code each} with its place
     * ({@code file:line}), keeping none: a bad line is reported naming the file and line as it is met. The first
     * line that is not blank or a comment is the header if it names the columns ({@link Columns#named}), which are
     * then read by name in any order; without one they are in the documented order.
     */
    private void readRows(RowSink each) {
        InvalidInputException.checkReadable(actuals);
        // Line by line as bytes, as series are read: a byte that is not UTF-8 is named by its line, and a file
        // without line breaks is refused at the first line's limit instead of read whole.
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(actuals))) {
            @Nullable Columns columns = null;
            long n = 1;
            for (String raw = SeriesCsv.nextLine(in, actuals, n, SeriesCsv.MAX_LINE_BYTES, ROW_HOLDS); raw != null;
                    raw = SeriesCsv.nextLine(in, actuals, ++n, SeriesCsv.MAX_LINE_BYTES, ROW_HOLDS)) {
                // A byte order mark, which spreadsheets write at the start of a UTF-8 CSV, is not part of the header.
                String line = (n == 1 && raw.startsWith("\uFEFF") ? raw.substring(1) : raw).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String where = actuals + ":" + n;
                String[] cells = line.split(",", -1);
                if (columns == null) {
                    SeriesCsv.checkCommaSeparated(actuals, n, line);
                    if (Columns.isHeader(cells)) {
                        columns = Columns.named(where + ": ", cells);
                        continue;
                    }
                    columns = Columns.DOCUMENTED;
                }
                each.accept(row(where + ": ", columns, cells), where, n);
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(actuals, e);
        }
    }

    /**
     * Where each column of the actuals is: as a header names them, or in the documented order (five columns, or
     * seven with {@code provisioned} and {@code price_per_unit_hour}) when the file has no header.
     *
     * @param named the position of each column by its name; absent if the file has no such column
     * @param count how many columns a row has, or -1 without a header (5 or 7)
     */
    private record Columns(Map<String, Integer> named, int count) {

        static final String TIMESTAMP = "timestamp";
        static final String SERVICE = "service";
        static final String RESOURCE_TYPE = "resource_type";
        static final String ACTUAL = "actual";
        static final String UNITS = "units";
        static final String PROVISIONED = "provisioned";
        static final String PRICE = "price_per_unit_hour";
        static final List<String> REQUIRED = List.of(TIMESTAMP, SERVICE, RESOURCE_TYPE, ACTUAL, UNITS);
        static final List<String> KNOWN = List.of(TIMESTAMP, SERVICE, RESOURCE_TYPE, ACTUAL, UNITS, PROVISIONED,
                PRICE);
        static final String EXPECTED = "the columns are timestamp, service, resource_type, actual and units, and"
                + " optionally provisioned and price_per_unit_hour, in any order";
        /**
         * Whether the first line is a header: its cells are words, as in series files, or blank where a name is
         * missing (a trailing comma, a quoted {@code ""}), which {@link #named} then refuses naming the column,
         * rather than a header taken for data and refused as a timestamp "timestamp".
         */
        static boolean isHeader(String[] cells) {
            return SeriesCsv.isHeader(cells) || SeriesCsv.isHeaderMissingAName(cells);
        }

        /** A file without a header: the documented order. */
        static final Columns DOCUMENTED = new Columns(position(KNOWN), -1);

        private static Map<String, Integer> position(List<String> names) {
            Map<String, Integer> at = new java.util.HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                at.put(names.get(i), i);
            }
            return at;
        }

        /**
         * The columns a header names, each once, whatever the case and quotes it is written in; an unknown, a
         * repeated or a missing required column is refused naming it, since a column read as another would score
         * wrong figures without a word.
         */
        static Columns named(String where, String[] header) {
            Map<String, Integer> at = new java.util.HashMap<>();
            for (int i = 0; i < header.length; i++) {
                String written = SeriesCsv.unquote(header[i]);
                if (written.isBlank()) {
                    throw SeriesCsv.noName(where, header, EXPECTED);
                }
                String name = written.toLowerCase(Locale.ROOT);
                if (!KNOWN.contains(name)) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%sunknown column \"%s\" in the header; %s", where, written, EXPECTED));
                }
                Integer before = at.putIfAbsent(name, i);
                if (before != null) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%scolumn \"%s\" appears twice in the header, as columns %d and %d", where, name,
                            before + 1, i + 1));
                }
            }
            for (String required : REQUIRED) {
                if (!at.containsKey(required)) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%sthe header has no column \"%s\"; %s", where, required, EXPECTED));
                }
            }
            return new Columns(Map.copyOf(at), header.length);
        }

        /** The row's cell of this column, unquoted, or {@code null} if the file has no such column. */
        @Nullable String cell(String[] row, String name) {
            Integer i = named.get(name);
            return i == null || i >= row.length ? null : SeriesCsv.unquote(row[i]);
        }

        /**
         * Refuses a row of another number of columns than the header's (5 or 7 without a header), saying so when
         * the extra one is the empty cell after a trailing comma.
         */
        void check(String where, String[] row) {
            String comma = SeriesCsv.endsWithAComma(row, row.length - 1) ? " (the line ends with a comma)" : "";
            if (count < 0 && row.length != REQUIRED.size() && row.length != KNOWN.size()) {
                throw new InvalidInputException(where + "expected 5 or 7 columns, found " + row.length + comma);
            }
            if (count >= 0 && row.length != count) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%sexpected %d columns, as the header names, found %d%s", where, count, row.length, comma));
            }
        }

    }

    /** The row of one line's cells, {@code where} its {@code file:line: } prefix. */
    private static Row row(String where, Columns columns, String[] f) {
        columns.check(where, f);
        String timestamp = Objects.requireNonNull(columns.cell(f, Columns.TIMESTAMP));
        String serviceCell = Objects.requireNonNull(columns.cell(f, Columns.SERVICE));
        String typeCell = Objects.requireNonNull(columns.cell(f, Columns.RESOURCE_TYPE));
        String actualCell = Objects.requireNonNull(columns.cell(f, Columns.ACTUAL));
        String unitCell = Objects.requireNonNull(columns.cell(f, Columns.UNITS));
        String provisionedCell = columns.cell(f, Columns.PROVISIONED);
        String priceCell = columns.cell(f, Columns.PRICE);
        try {
            Instant time = Instant.parse(timestamp);
            String service = serviceCell.isEmpty() || serviceCell.equals("fleet") ? null : serviceCell;
            ResourceType type = ResourceType.find(typeCell).orElseThrow(
                    () -> new InvalidInputException(where + "unknown resource type \"" + typeCell + "\""));
            // Refused, as documents refuse a unit, with the case meant and the units the type accepts.
            ResourceUnit unit = type.unit(unitCell);
            double actual = finiteNotNegative(where, Columns.ACTUAL, actualCell);
            ResourceAmount amount = ResourceAmount.of(type, actual, unit);
            Double provisioned = provisionedCell == null ? null
                    : finiteNotNegative(where, Columns.PROVISIONED, provisionedCell);
            Double price = priceCell == null ? null : finiteNotNegative(where, Columns.PRICE, priceCell);
            return new Row(time, service, amount, provisioned, price);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(where + "timestamp \"" + timestamp + "\" is not an ISO-8601 instant");
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(where + e.getMessage(), e);
        }
    }

    /** A column's number, refused naming the column and the value as written unless finite and not negative. */
    private static double finiteNotNegative(String where, String column, String cell) {
        double v = number(where, column, cell);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidInputException(where + column + " \"" + cell.strip() + "\" must be finite and not negative");
        }
        return v;
    }

    private static double number(String where, String column, String cell) {
        try {
            return DecimalNumbers.parse(cell.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + column + " \"" + cell.strip() + "\" is not a number", e);
        }
    }
}
