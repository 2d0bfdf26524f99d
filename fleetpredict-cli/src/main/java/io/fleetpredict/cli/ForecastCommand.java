package io.fleetpredict.cli;

import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.ForecastException;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.Outlier;
import io.fleetpredict.forecast.Outliers;
import io.fleetpredict.forecast.SeasonalPeriods;
import io.fleetpredict.forecast.TimeSeries;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fleetpredict forecast}: fit a model to a CSV series and print its forecast. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = "Fit a model to a series (CSV: timestamp,value or one value column) and forecast it.")
final class ForecastCommand implements Callable<Integer> {

    /** The values {@code --non-negative} accepts. */
    private static final SeriesCsv.ValueRule NOT_NEGATIVE = v -> v < 0
            ? "is negative, but --non-negative declares the quantity never is" : null;

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "the series, CSV")
    Path input;

    @Option(names = "--horizon", required = true, paramLabel = "H", description = "steps to forecast")
    int horizon;

    @Option(names = "--period", paramLabel = "P",
            description = "seasonal period in steps; repeat for several (the first is the main one); "
                    + "without it, the periods the series shows are found from its step (a series without "
                    + "timestamps has none, and is forecast without a season)")
    List<Integer> periods = new ArrayList<>();

    @Option(names = "--non-negative",
            description = "the quantity cannot be negative: forecasts and interval bounds stay at or above zero")
    boolean nonNegative;

    @Option(names = "--clean-outliers",
            description = "replace the values that stand far apart from the rest (found as R's tsoutliers finds "
                    + "them) before the fit, and list them")
    boolean cleanOutliers;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "theta",
            description = "one of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = ModelNames.Candidates.class)
    String model;

    @Option(names = "--level", paramLabel = "PERCENT", description = "interval levels (default: 80 and 95)")
    List<Double> levels = new ArrayList<>();

    @Option(names = "--gaps", paramLabel = "POLICY", defaultValue = "reject",
            description = "missing timestamps: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = OptionChoices.Gaps.class)
    GapPolicy gaps;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "also draw the recent history, the mean and each level's interval as a fan (SVG)")
    @Nullable Path plot;

    @Mixin
    SeriesZone zone;

    @Mixin
    ReportFormat output;

    @Override
    public Integer call() {
        if (horizon < 1 || horizon > Forecast.MAX_HORIZON) {
            throw new IllegalArgumentException(horizon < 1 ? "--horizon must be at least 1, was " + horizon
                    : "--horizon must be at most " + Forecast.MAX_HORIZON + ", was " + horizon);
        }
        double[] lv = levels.isEmpty() ? new double[] {80, 95} : levels.stream().mapToDouble(Double::doubleValue).toArray();
        for (double level : lv) {
            // Checked before the input is read, so a bad option is a usage error whatever the file holds.
            if (!(level > 0 && level < 100)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--level must be between 0 and 100 percent (exclusive), was %s", levelName(level)));
            }
        }
        if (periods.stream().anyMatch(p -> p < 1)) {
            throw OptionValues.refused(spec, "--period", "must be at least 1");
        }
        if (plot != null) {
            OutputFiles.checkFile(plot);
        }
        // The model's name is checked before the input is read; without --period, the model is made once the periods
        // are found, and a stand-in period keeps a seasonal model from being refused for want of one here.
        Forecaster forecaster = ModelNames.forecaster(model, periods.isEmpty() ? List.of(2) : periods, horizon);
        // A negative value under --non-negative is refused as the file is read, so the refusal names its line; the
        // model's own check knows only an index, and a value-only file's times are made up from the epoch.
        SeriesCsv.ValueRule rule = nonNegative ? NOT_NEGATIVE : SeriesCsv.ValueRule.ANY;
        SeriesCsv.Input in = SeriesCsv.readInput(input, gaps, zone.zone, SeriesCsv.MAX_ROWS, rule, false);
        SeasonalPeriods found = null;
        if (periods.isEmpty() && !in.timestamped()) {
            // The periods found come from the step, and a value column has none: its steps could be anything.
            found = new SeasonalPeriods(List.of(), "the input has no timestamps, so no step to find them from; "
                    + "give --period for a seasonal model");
        } else if (periods.isEmpty()) {
            found = SeasonalPeriods.detect(in.series());
        }
        if (found != null) {
            try {
                forecaster = ModelNames.forecaster(model, found.periods(), horizon);
            } catch (IllegalArgumentException e) {
                // The name was accepted above, so it is the period: a model that needs one, and none was found.
                throw new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                        "--model %s needs a seasonal period: none was given with --period, and none was found (%s)",
                        model, found.description()), e);
            }
        }
        TimeSeries series = in.series();
        if (in.timestamped()) {
            requireHorizonWithinYear9999(series);
        }
        @Nullable Screened screened = null;
        if (cleanOutliers) {
            int[] seasons = (found == null ? periods : found.periods()).stream().mapToInt(Integer::intValue).toArray();
            List<Outlier> outliers = Outliers.find(series, seasons);
            screened = new Screened(outliers, in.timestamped());
            series = Outliers.replace(series, outliers);
        }
        if (nonNegative) {
            forecaster = Forecasters.nonNegative(forecaster);
        }
        FittedModel fitted;
        Forecast forecast;
        try (Progress progress = verbosity.progress("forecast " + forecaster.name(), 0, "fits")) {
            fitted = forecaster.fitReporting(series, progress::reached);
            forecast = fitted.forecast(horizon, lv);
        } catch (IllegalArgumentException | ForecastException e) {
            // A series too short for the model, or values so large that its forecast overflows; some models say
            // so with an IllegalArgumentException, which would otherwise read as a bad option (the options were
            // checked above). Either way it is the input, so name the file.
            throw new InvalidInputException(input + ": " + e.getMessage(), e);
        }
        if (plot != null) {
            SvgChart.write(plot, plot(input.getFileName() + ": " + fitted.forecaster().name(), series,
                    in.timestamped(), forecast).svg());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.print(JsonWriter.write(json(fitted, forecast, in.timestamped(), found, screened)));
        } else {
            out.print(table(fitted, forecast, in.timestamped(), found, screened));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The JSON report; {@code timestamps} is null when the input had no timestamps, since they would be made up,
     * and {@code periods_found} is present only when the periods were found rather than given.
     */
    static Map<String, Object> json(FittedModel fitted, Forecast forecast, boolean timestamped,
            @Nullable SeasonalPeriods found, @Nullable Screened screened) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", fitted.forecaster().name());
        model.put("description", fitted.description());
        model.put("parameters", new LinkedHashMap<>(fitted.parameters()));
        model.put("notes", fitted.notes());
        Map<String, Object> intervals = new LinkedHashMap<>();
        for (double level : forecast.levels()) {
            Map<String, Object> bounds = new LinkedHashMap<>();
            bounds.put("lower", forecast.lower(level));
            bounds.put("upper", forecast.upper(level));
            intervals.put(levelName(level), bounds);
        }
        List<String> times = new ArrayList<>();
        for (int h = 0; h < forecast.horizon(); h++) {
            times.add(forecast.start().plus(forecast.step().multipliedBy(h)).toString());
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        if (found != null) {
            Map<String, Object> periodsFound = new LinkedHashMap<>();
            periodsFound.put("periods", found.periods());
            periodsFound.put("description", found.description());
            root.put("periods_found", periodsFound);
        }
        if (screened != null) {
            root.put("outliers_replaced", screened.json());
        }
        root.put("timestamps", timestamped ? times : null);
        root.put("mean", forecast.mean());
        root.put("intervals", intervals);
        return root;
    }

    /**
     * The forecast as a fan chart: the last values of the history (four horizons, at least 48), the mean, and
     * each interval as a band, widest first.
     */
    static SvgChart plot(String title, TimeSeries history, boolean timestamped, Forecast forecast) {
        int h = forecast.horizon();
        int shown = Math.min(history.size(), Math.max(48, 4 * h));
        int from = history.size() - shown;
        double[] hx = new double[shown];
        double[] hy = new double[shown];
        for (int i = 0; i < shown; i++) {
            hx[i] = timestamped ? SvgChart.seconds(history.timeAt(from + i)) : from + i + 1 - history.size();
            hy[i] = history.get(from + i);
        }
        // The fan starts at the last value, so it joins the history without a gap.
        double[] fx = new double[h + 1];
        fx[0] = hx[shown - 1];
        for (int k = 0; k < h; k++) {
            fx[k + 1] = timestamped ? SvgChart.seconds(forecast.start().plus(forecast.step().multipliedBy(k))) : k + 1;
        }
        SvgChart chart = SvgChart.titled(title)
                .x(timestamped ? "time (UTC)" : "step (0 is the last value)", timestamped ? SvgChart.Axis.TIME
                        : SvgChart.Axis.LINEAR)
                .y("value");
        double[] levels = forecast.levels().clone();
        java.util.Arrays.sort(levels);
        for (int i = levels.length - 1; i >= 0; i--) {
            chart.band(levelName(levels[i]) + "% interval", 1, fx, withFirst(hy[shown - 1], forecast.lower(levels[i])),
                    withFirst(hy[shown - 1], forecast.upper(levels[i])));
        }
        return chart.line("history", 0, hx, hy).line("mean", 1, fx, withFirst(hy[shown - 1], forecast.mean()));
    }

    private static double[] withFirst(double first, double[] rest) {
        double[] all = new double[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /**
     * The text output: a header, then one row per step. Each level's bounds are read once, before the rows, since
     * {@link Forecast#lower} and {@link Forecast#upper} copy the whole horizon on each call.
     */
    static String table(FittedModel fitted, Forecast forecast, boolean timestamped,
            @Nullable SeasonalPeriods found, @Nullable Screened screened) {
        StringBuilder sb = new StringBuilder();
        if (found != null) {
            sb.append("periods: ").append(found.periods().isEmpty() ? "none found"
                    : found.periods().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")))
                    .append(" (").append(found.description()).append(")\n");
        }
        if (screened != null) {
            sb.append("outliers: ").append(screened.text()).append('\n');
        }
        sb.append("model: ").append(fitted.description()).append('\n');
        double[] levels = forecast.levels();
        sb.append(String.format(Locale.ROOT, "%-22s %14s", timestamped ? "timestamp" : "step", "mean"));
        for (double l : levels) {
            sb.append(String.format(Locale.ROOT, " %14s %14s", "lo" + levelName(l), "hi" + levelName(l)));
        }
        sb.append('\n');
        double[][] lower = new double[levels.length][];
        double[][] upper = new double[levels.length][];
        for (int l = 0; l < levels.length; l++) {
            lower[l] = forecast.lower(levels[l]);
            upper[l] = forecast.upper(levels[l]);
        }
        for (int h = 0; h < forecast.horizon(); h++) {
            Object when = timestamped ? forecast.start().plus(forecast.step().multipliedBy(h)) : h + 1;
            sb.append(String.format(Locale.ROOT, "%-22s %14s", when, Numbers.text(forecast.mean(h))));
            for (int l = 0; l < levels.length; l++) {
                sb.append(String.format(Locale.ROOT, " %14s %14s", Numbers.text(lower[l][h]),
                        Numbers.text(upper[l][h])));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Refuses, before any fit, a horizon whose last step falls after the year 9999: the input and the documents
     * hold times up to then, and a forecast written past it (as {@code +10000-01-01T00:00:00Z}) could not be
     * read back.
     */
    private void requireHorizonWithinYear9999(TimeSeries series) {
        Instant last;
        try {
            last = series.end().plus(series.step().multipliedBy(horizon - 1L));
        } catch (DateTimeException | ArithmeticException e) {
            last = Instant.MAX;
        }
        if (last.isAfter(SeriesCsv.LATEST)) {
            String fits = series.end().isAfter(SeriesCsv.LATEST) ? "even its first step, at " + series.end() + ", is"
                    : String.format(Locale.ROOT, "at most %d steps fit, step %d at %s would be",
                            Duration.between(series.end(), SeriesCsv.LATEST).dividedBy(series.step()) + 1, horizon,
                            last.equals(Instant.MAX) ? "a time past Instant.MAX" : last.toString());
            throw OptionValues.refused(spec, "--horizon", String.format(Locale.ROOT,
                    "the input's last value is at %s in steps of %s; %s past the year 9999, the latest an input or "
                            + "document holds", series.timeAt(series.size() - 1), series.step(), fits));
        }
    }

    /**
     * The values replaced before the fit under {@code --clean-outliers}. A value is named by its timestamp, or by
     * its position from 1 in a value column without timestamps.
     */
    record Screened(List<Outlier> found, boolean timestamped) {

        String text() {
            if (found.isEmpty()) {
                return "none found";
            }
            StringBuilder sb = new StringBuilder();
            sb.append(found.size()).append(" replaced before the fit (");
            for (int i = 0; i < found.size(); i++) {
                Outlier o = found.get(i);
                sb.append(i == 0 ? "" : ", ").append(timestamped ? o.time().toString() : "value " + (o.index() + 1))
                        .append(": ").append(Numbers.text(o.value())).append(" -> ")
                        .append(Numbers.text(o.replacement()));
            }
            return sb.append(')').toString();
        }

        List<Map<String, Object>> json() {
            List<Map<String, Object>> values = new ArrayList<>();
            for (Outlier o : found) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("index", o.index());
                v.put("timestamp", timestamped ? o.time().toString() : null);
                v.put("value", o.value());
                v.put("replacement", o.replacement());
                values.add(v);
            }
            return values;
        }
    }

    /**
     * A level as a key and in a message: {@code 95}, {@code 99.5}, {@code 0.00001}, the shortest decimal that
     * reads back as the level, without an exponent from a millionth up. Only a whole number a long holds is written
     * without its fraction; a refused {@code --level 1e999} is infinite, not {@code Long.MAX_VALUE}.
     */
    static String levelName(double level) {
        if (!Double.isFinite(level)) {
            return Double.toString(level);
        }
        if (Math.abs(level) < 1e15 && level == Math.rint(level)) {
            return Long.toString((long) level);
        }
        java.math.BigDecimal shortest = java.math.BigDecimal.valueOf(level).stripTrailingZeros();
        return Math.abs(level) >= 1e-6 && Math.abs(level) < 1e15 ? shortest.toPlainString() : shortest.toString();
    }
}
