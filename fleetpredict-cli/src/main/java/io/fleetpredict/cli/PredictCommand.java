package io.fleetpredict.cli;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.predict.CapacityRemoval;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.core.predict.Prediction;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.forecast.ForecastException;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import io.fleetpredict.prometheus.PrometheusSource;
import io.fleetpredict.prometheus.PrometheusWarningsException;
import io.fleetpredict.prometheus.QuerySet;
import io.fleetpredict.prometheus.WarningPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetpredict predict}: the predicted fleet state of each horizon from a history folder and an event feed. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {
            "Predict the fleet's resource needs for the short, medium and long term.",
            "The history folder holds one CSV (timestamp,value) per series:",
            "<service>.<resource>.<unit>.csv for resource use (checkout.cpu.cores.csv,",
            "checkout.memory.GiB.csv) and <service>.activity.<metric>.csv for activity",
            "(checkout.activity.transactions.csv). Files not ending in .csv are ignored; a",
            ".csv named otherwise is an error (exit 3), so a misnamed series is never",
            "silently left out. Instead of a folder, --prometheus URL --query-file FILE reads",
            "the same series from a Prometheus server: the query file maps one PromQL",
            "expression to each series and sets the step."
        })
final class PredictCommand implements Callable<Integer>, WritesIntoFolder {

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--history", paramLabel = "DIR", description = "the history folder")
    @Nullable Path history;

    @Option(names = "--prometheus", paramLabel = "URL",
            description = "read the history from this Prometheus server instead of a folder (with --query-file)")
    @Nullable URI prometheus;

    @Option(names = "--query-file", paramLabel = "FILE",
            description = "the PromQL expression of each series and the step (JSON; with --prometheus)")
    @Nullable Path queryFile;

    @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class,
            description = "with --prometheus: the last time read (ISO-8601; default: now, down to the step)")
    @Nullable Instant to;

    @Option(names = "--range", paramLabel = "DURATION", defaultValue = "28d", converter = DurationConverter.class,
            description = "with --prometheus: how much history before --to is read (default: ${DEFAULT-VALUE})")
    Duration range;

    @Option(names = "--prometheus-warnings", paramLabel = "POLICY", defaultValue = "refuse",
            description = "with --prometheus: an answer that succeeded with warnings (a partial answer) is refused "
                    + "(refuse) or read with a warning line on stderr (accept) (default: ${DEFAULT-VALUE})")
    WarningPolicy prometheusWarnings;

    @Option(names = "--events", paramLabel = "FILE", description = "the event feed (JSON); none by default")
    @Nullable Path events;

    @Option(names = "--sla", paramLabel = "FILE", description = "SLA policies (JSON) giving each service's quantile")
    @Nullable Path sla;

    @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
            description = "the prediction time (ISO-8601); only history before it is used (default: the history's end)")
    @Nullable Instant at;

    @Option(names = "--quantile", paramLabel = "Q", defaultValue = "0.9",
            description = "the quantile of services without SLA policies (default: ${DEFAULT-VALUE})")
    double quantile;

    @Option(names = "--fleet-id", paramLabel = "ID", description = "the fleet id written into the documents")
    @Nullable String fleetId;

    @Option(names = "--out", paramLabel = "DIR",
            description = "write predicted-fleet-state-<horizon>.json files here instead of a JSON array to stdout")
    @Nullable Path out;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "also draw each horizon's band (p50 to p99) and quantity per resource, after the last week"
                    + " of the fleet's use (SVG)")
    Path plot;

    @Option(names = "--gaps", paramLabel = "POLICY", defaultValue = "reject",
            description = "missing timestamps: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = OptionChoices.Gaps.class)
    GapPolicy gaps;

    @Mixin
    SeriesZone zone;

    @Override
    public Integer call() {
        at = zone.reread(spec, "--at", at);
        if (plot != null) {
            OutputFiles.checkFile(plot);
        }
        if (out != null) {
            // Every file, before the fits: one that cannot be written would otherwise fail after the first is written.
            OutputFiles.checkFolder(out);
            outputFiles().forEach(name -> OutputFiles.checkFile(out.resolve(name)));
        }
        Predictor.Builder b = OptionValues.use(spec, "--quantile", () -> Predictor.builder().defaultQuantile(quantile));
        FleetHistory h = history();
        EventFeed feed = events == null ? new EventFeed(1, List.of()) : DocumentFiles.read(events, EventFeed.class);
        if (sla != null) {
            b.slaPolicies(DocumentFiles.read(sla, SlaPolicies.class));
        }
        if (fleetId != null) {
            String id = fleetId;
            OptionValues.use(spec, "--fleet-id", () -> b.fleetId(id));
        }
        Instant time = at == null ? h.end() : at;
        Prediction p;
        try (Progress progress = verbosity.progress("predict", 0, "models fitted")) {
            p = CountedForecaster.countFits(b, h.step(), progress).build().fit(h, feed, time).predict();
        } catch (IllegalArgumentException e) {
            // A time before the history or too far after it (refused before any model is fitted); without the
            // option's name the message leaves the reader guessing which time is meant.
            throw at == null ? e : OptionValues.refused(spec, "--at", reason(e.getMessage(), h));
        } catch (ForecastException e) {
            // A forecast that overflows a double, which names its horizon, series and any event: the input files
            // are where to look.
            String inputs = (history != null ? history.toString() : String.valueOf(queryFile))
                    + (events != null ? ", " + events : "");
            throw new InvalidInputException(inputs + ": " + e.getMessage(), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        p.warnings().forEach(w -> err.println("warning: " + w));
        if (plot != null) {
            SvgChart.write(plot, plot(p, h));
        }
        Path dir = out;
        if (dir == null) {
            o.print(array(p.states()));
        } else {
            write(p, dir);
            o.print("prediction at " + p.at() + ", written to " + Checks.printable(String.valueOf(out)) + '\n');
            o.print(summary(p));
        }
        o.flush();
        err.flush();
        return ExitCodes.OK;
    }

    private FleetHistory history() {
        if ((history == null) == (prometheus == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give exactly one of --history DIR or --prometheus URL");
        }
        if (history != null) {
            if (queryFile != null || to != null || !OptionValues.defaulted(spec, "--range")
                    || !OptionValues.defaulted(spec, "--prometheus-warnings")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--query-file, --to, --range and --prometheus-warnings go with --prometheus, not --history");
            }
            return readHistory(history, gaps, zone.zone);
        }
        if (!OptionValues.defaulted(spec, "--zone")) {
            // Prometheus answers with instants, so there is no local time to place.
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--zone goes with --history, not --prometheus: Prometheus gives instants");
        }
        if (queryFile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prometheus needs --query-file FILE");
        }
        OptionValues.requirePositive(spec, "--range", range);
        QuerySet queries = readQueries(queryFile);
        long stepMs = queries.step().toMillis();
        Instant end = to == null ? Instant.ofEpochMilli(Math.floorDiv(Instant.now().toEpochMilli(), stepMs) * stepMs)
                : to;
        PrometheusSource source;
        try {
            PrintWriter err = spec.commandLine().getErr();
            source = PrometheusSource.builder(prometheus).warningPolicy(prometheusWarnings)
                    .warningListener(w -> err.println("warning: the answer to " + w.describe()
                            + "; read anyway, its missing points as gaps"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prometheus: " + e.getMessage());
        }
        try {
            return source.history(queries, end.minus(range), end, gaps);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(queryFile + ": " + e.getMessage(), e);
        } catch (PrometheusWarningsException e) {
            // The library names its policy; a user of the command sets it with an option.
            throw new InvalidInputException(e.getMessage() + "; --prometheus-warnings accept reads such answers, "
                    + "their missing points as gaps", e);
        }
    }

    /** The library's words, which name what the time does not fit, with the end of the history it was held to. */
    private static String reason(@Nullable String message, FleetHistory h) {
        return message + " (the history ends at " + h.end() + ")";
    }

    /**
     * The query file, its errors worded as those of the other documents: the file first, then the JSON path and
     * the problem ({@code q.json: query file $.step: must be ...}).
     */
    static QuerySet readQueries(Path file) {
        InvalidInputException.checkReadable(file);
        try {
            return QuerySet.read(file);
        } catch (UncheckedIOException e) {
            // An UncheckedIOException always has its IOException as the cause.
            throw InvalidInputException.unreadable(file, Objects.requireNonNull(e.getCause()));
        } catch (InvalidDocumentException e) {
            String problem = e.problem().startsWith(file + ": ") ? e.problem().substring(file.toString().length() + 2)
                    : e.problem();
            throw new InvalidInputException(file + ": query file " + e.jsonPath() + ": " + problem, e);
        }
    }

    static String array(List<PredictedFleetState> states) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < states.size(); i++) {
            sb.append(Documents.write(states.get(i)).strip()).append(i + 1 < states.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }

    /**
     * One panel per fleet-level resource: the fleet's use over the week before the prediction (the services'
     * series summed in the prediction's unit) and, for each horizon over its validity, the band from p50 to p99
     * and the quantity.
     */
    static String plot(Prediction p, FleetHistory h) {
        java.util.Map<ResourceType, SvgChart> panels = new java.util.LinkedHashMap<>();
        int colour = 1;
        for (PredictedFleetState s : p.states()) {
            double from = SvgChart.seconds(s.validFrom() == null ? s.timestamp() : s.validFrom());
            double until = SvgChart.seconds(s.validUntil() == null ? s.timestamp() : s.validUntil());
            double[] x = {from, until};
            for (ResourceRequirement r : s.resourceRequirements()) {
                SvgChart chart = panels.computeIfAbsent(r.resourceType(), t -> usage(SvgChart.titled(String.format(
                        Locale.ROOT, "%s predicted at %s", t.jsonName(), p.at())).x("time (UTC)", SvgChart.Axis.TIME)
                        .y(t.jsonName() + ", " + r.units().symbol()), h, t, r.units(), p.at()));
                String name = horizonName(s);
                if (r.p50() != null && r.p99() != null) {
                    chart.band(name + " p50 to p99", colour, x, new double[] {r.p50(), r.p50()},
                            new double[] {r.p99(), r.p99()});
                }
                chart.line(name + " quantity", colour, x, new double[] {r.quantity(), r.quantity()});
            }
            colour++;
        }
        return SvgChart.stack(List.copyOf(panels.values()));
    }

    /** The chart with the fleet's use of one resource over the week before {@code at}, summed over the services. */
    private static SvgChart usage(SvgChart chart, FleetHistory h, ResourceType type, ResourceUnit unit, Instant at) {
        java.util.TreeMap<Instant, Double> sum = new java.util.TreeMap<>();
        Instant since = at.minus(Duration.ofDays(7));
        for (String service : h.services()) {
            TimeSeries series = h.usage(service).get(type);
            if (series == null) {
                continue;
            }
            ResourceUnit from = h.unit(service, type);
            for (int i = 0; i < series.size(); i++) {
                Instant t = series.timeAt(i);
                if (!t.isBefore(since) && t.isBefore(at)) {
                    sum.merge(t, from.convert(series.get(i), unit), Double::sum);
                }
            }
        }
        if (!sum.isEmpty()) {
            chart.line("fleet use", 0, sum.keySet().stream().mapToDouble(SvgChart::seconds).toArray(),
                    sum.values().stream().mapToDouble(Double::doubleValue).toArray());
        }
        return chart;
    }

    private static void write(Prediction p, Path dir) {
        for (PredictedFleetState s : p.states()) {
            OutputFiles.write(dir.resolve(fileName(s)), Documents.write(s));
        }
    }

    /** The file a predicted fleet state is written to in an output folder. */
    static String fileName(PredictedFleetState s) {
        return "predicted-fleet-state-" + horizonName(s) + ".json";
    }

    /** The files {@code --out} receives, one per horizon, known before the prediction is made. */
    static List<String> outputFiles() {
        return Stream.of(Horizon.values()).map(h -> "predicted-fleet-state-" + h.jsonName() + ".json").toList();
    }

    static String summary(Prediction p) {
        StringBuilder sb = new StringBuilder();
        for (PredictedFleetState s : p.states()) {
            sb.append(String.format(Locale.ROOT, "%-12s %s to %s%n", horizonName(s), s.validFrom(), s.validUntil()));
            for (ResourceRequirement r : s.resourceRequirements()) {
                sb.append(String.format(Locale.ROOT, "  %-10s %12s %-6s (p50 %s, p90 %s, p99 %s)%n",
                        r.resourceType().jsonName(), Numbers.text(r.quantity()), r.units().symbol(), quantile(r.p50()),
                        quantile(r.p90()), quantile(r.p99())));
            }
        }
        for (CapacityRemoval m : p.maintenance()) {
            sb.append(String.format(Locale.ROOT, "maintenance %s: %s to %s, %s%n", m.eventId(), m.window().start(),
                    m.window().end(), m.instancesRemoved() > 0 ? m.instancesRemoved() + " instances removed"
                            : "removes " + m.capacityRemoved().stream()
                                    .map(c -> String.format(Locale.ROOT, "%s %s %s", c.type().jsonName(),
                                            JsonWriter.write(c.amount()).strip(), c.unit().symbol()))
                                    .collect(Collectors.joining(", "))));
        }
        return sb.toString();
    }

    private static String quantile(@Nullable Double q) {
        return q == null ? "-" : Numbers.text(q);
    }

    /** The horizon's name, or {@code prediction} for a predicted state that names none. */
    static String horizonName(PredictedFleetState s) {
        Horizon h = s.horizon();
        return h == null ? "prediction" : h.jsonName();
    }

    /** Reads every {@code .csv} of a folder by the naming convention in the command's description. */
    static FleetHistory readHistory(Path dir, GapPolicy gaps, ZoneId zone) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir + ": not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw new InvalidInputException(dir + ": cannot list: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(dir + ": no .csv series");
        }
        FleetHistory.Builder b = FleetHistory.builder();
        for (Path f : files) {
            String stem = f.getFileName().toString();
            if (Checks.firstControl(stem) >= 0) {
                // Its name becomes a service or metric name, and every message about the file repeats it.
                throw new InvalidInputException(dir + ": the file name \"" + Checks.printable(stem) + "\" holds a control"
                        + " character; service and metric names are text");
            }
            if (Files.exists(f) && !Files.isRegularFile(f)) {
                // Found by listing, never named by the user: opening a named pipe would wait for a writer for ever.
                throw new InvalidInputException(Checks.printable(f.toString()) + ": not a regular file (a folder, pipe,"
                        + " device or socket); a --history folder is read for its .csv files");
            }
            String[] parts = stem.substring(0, stem.length() - 4).split("\\.", -1);
            if (parts.length != 3 || Stream.of(parts).anyMatch(String::isBlank)) {
                throw new InvalidInputException(f + ": name must be <service>.<resource>.<unit>.csv or"
                        + " <service>.activity.<metric>.csv");
            }
            try {
                if (parts[1].equals("activity")) {
                    b.activity(parts[0], parts[2], SeriesCsv.read(f, gaps, zone));
                    continue;
                }
                Optional<ResourceType> type = ResourceType.find(parts[1]);
                if (type.isEmpty()) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "%s: unknown metric '%s'; expected cpu, memory, bandwidth, storage or activity", f, parts[1]));
                }
                // Refused, as documents refuse a unit, with the case meant and the units the type accepts.
                ResourceUnit unit = type.get().unit(parts[2]);
                b.usage(parts[0], type.get(), unit, SeriesCsv.read(f, gaps, zone));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(f + ": " + e.getMessage(), e);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> filesWrittenIntoOut() {
        return outputFiles();
    }
}
