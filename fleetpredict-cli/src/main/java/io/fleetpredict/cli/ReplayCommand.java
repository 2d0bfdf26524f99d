package io.fleetpredict.cli;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.internal.Decimals;
import io.fleetpredict.replay.FleetLoop;
import io.fleetpredict.replay.InvalidBootTimeException;
import io.fleetpredict.replay.InvalidWarmUpException;
import io.fleetpredict.replay.OversizedFleet;
import io.fleetpredict.replay.Policies;
import io.fleetpredict.replay.Replay;
import io.fleetpredict.replay.ReplayOutcome;
import io.fleetpredict.replay.ReplayResult;
import io.fleetpredict.replay.ReplayPolicy;
import io.fleetpredict.replay.Scores;
import io.fleetpredict.replay.Sweep;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetpredict replay}: a demand trace replayed under the library's loop and the reference policies. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a demand trace (CSV timestamp,value; value = requests per step) under the library's "
                + "own loop (fleetpredict: FleetPredictor against the simulated cloud, sized by --sla-target) and "
                + "reference policies (static, reactive target tracking, AWS's default alarm), and compare cost and "
                + "SLA-violation minutes.")
final class ReplayCommand implements Callable<Integer>, WritesIntoFolder {

    /** The policy families, in the order they are reported. */
    static final List<String> FAMILIES = List.of("fleetpredict", "static", "reactive", "aws-default");

    /** Up to 200 times the warm-up's percentile, so that a trace whose demand outgrows its warm-up still has a static point without violations. */
    static final double[] STATIC_HEADROOMS = {0, 0.25, 0.5, 1, 1.5, 2, 3, 5, 8, 12, 25, 50, 100, 200};
    static final double[] REACTIVE_TARGETS = {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    static final double[] THRESHOLDS = {0.001, 0.0025, 0.005, 0.01};

    /** What {@code --out} holds after a run: frontier.svg is written with a sweep and removed without one. */
    static final List<String> OUTPUT_FILES = List.of("replay.json", "replay.md", "capacity.svg", "frontier.svg");

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "the demand trace, CSV")
    Path trace;

    @Option(names = "--per-instance", required = true, paramLabel = "N",
            description = "requests one instance serves per step at full capacity")
    double perInstance;

    @Option(names = "--boot-time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "launch to ready (default: the offer's), such as 5m")
    @Nullable Duration bootTime;

    @Option(names = "--warm-up", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "7d",
            description = "history used only for training, never scored (default: ${DEFAULT-VALUE})")
    Duration warmUp;

    @Option(names = "--policies", paramLabel = "LIST", split = ",", defaultValue = "fleetpredict,static,reactive,aws-default",
            description = "policies to replay (default: ${DEFAULT-VALUE})")
    List<String> policies;

    @Option(names = "--sla-target", paramLabel = "SHARE", defaultValue = "0.999",
            description = "fleetpredict: the share of time demand must be served, such as 0.999; the loop chooses its "
                    + "own quantile and headroom to meet it (default: ${DEFAULT-VALUE})")
    double slaTarget;

    @Option(names = "--instance-type", paramLabel = "TYPE", defaultValue = "m.large",
            description = "offer of the simulated cloud's catalogue giving price and default boot time (default: ${DEFAULT-VALUE})")
    String instanceType;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east", description = "the offer's region (default: ${DEFAULT-VALUE})")
    String region;

    @Option(names = "--static-percentile", paramLabel = "P", defaultValue = "99", description = "static: warm-up percentile (default: ${DEFAULT-VALUE})")
    double staticPercentile;

    @Option(names = "--static-headroom", paramLabel = "SHARE", defaultValue = "0.5", description = "static: headroom share (default: ${DEFAULT-VALUE})")
    double staticHeadroom;

    @Option(names = "--target", paramLabel = "SHARE", defaultValue = "0.7",
            description = "reactive and aws-default: target utilisation (default: ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--events", paramLabel = "FILE",
            description = "an event feed document of events known in advance (such as a match schedule) for the "
                    + "loop's near-term forecast")
    Path events;

    @Option(names = "--no-sweep", description = "skip the knob sweeps (no frontier)")
    boolean noSweep;

    @Option(names = "--gaps", paramLabel = "POLICY", defaultValue = "linear",
            description = "missing timestamps: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = OptionChoices.Gaps.class)
    GapPolicy gaps;

    @Option(names = "--max-gap", paramLabel = "STEPS", defaultValue = "5",
            description = "the most missing steps in a row --gaps fills; a longer gap is refused (default: "
                    + "${DEFAULT-VALUE})")
    long maxGap;

    /** The steps of the trace its gap policy filled. */
    private SeriesCsv.Gaps filled = SeriesCsv.Gaps.NONE;

    @Option(names = "--window-start", paramLabel = "TIME", converter = InstantConverter.class,
            description = "start of the capacity chart's window (default: a day before the highest demand)")
    @Nullable Instant windowStart;

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "2d",
            description = "length of the capacity chart's window (default: ${DEFAULT-VALUE})")
    Duration window;

    @Option(names = "--out", paramLabel = "DIR", description = "write replay.json, replay.md, capacity.svg and frontier.svg here")
    @Nullable Path out;

    @Mixin
    SeriesZone zone;

    @Mixin
    ReportFormat output;

    /**
     * One policy run with the family and knob it belongs to: its result, or where it needed more instances than
     * any fleet can have.
     */
    record Run(String family, String knob, double value, boolean chosen, ReplayOutcome outcome) {

        /** The scores, or {@code null} for a setting that needed more instances than it can have. */
        @Nullable Scores scores() {
            return outcome instanceof ReplayResult r ? r.scores() : null;
        }
    }

    /** A policy to run, before it has run. */
    private record Setting(String family, String knob, double value, boolean chosen) {
    }

    @Override
    public Integer call() {
        windowStart = zone.reread(spec, "--window-start", windowStart);
        if (!(slaTarget >= 0.5 && slaTarget < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--sla-target: the share of time demand must be served, in [0.5, 1), was %s", slaTarget));
        }
        // The chart would otherwise quietly show two steps, which is not what was asked for.
        OptionValues.requirePositive(spec, "--window", window);
        for (String p : policies) {
            if (!FAMILIES.contains(p.strip().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--policies: unknown policy '" + p + "'; known: " + String.join(",", FAMILIES));
            }
        }
        Offer offer = SimulatedCloud.defaultCatalogue().stream()
                .filter(o -> o.instanceType().equals(instanceType) && o.region().equals(region))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT,
                        "--instance-type '%s' in --region '%s' is not in the simulated cloud's catalogue", instanceType, region)));
        Replay.Builder builder = Replay.builder();
        OptionValues.use(spec, "--per-instance", () -> builder.perInstance(perInstance));
        // Unset, the library's default applies: the whole steps within a week, whatever the trace's step.
        boolean warmUpGiven = !OptionValues.defaulted(spec, "--warm-up");
        if (warmUpGiven) {
            OptionValues.use(spec, "--warm-up", () -> builder.warmUp(warmUp));
        }
        Duration boot = bootTime;
        if (boot != null) {
            OptionValues.use(spec, "--boot-time", () -> builder.bootTime(boot));
        }
        OptionValues.use(spec, "--target", () -> Policies.reactive(target));
        OptionValues.use(spec, "--static-percentile", () -> Policies.staticCapacity(staticPercentile, 0));
        OptionValues.use(spec, "--static-headroom", () -> Policies.staticCapacity(staticPercentile, staticHeadroom));
        if (out != null) {
            // Every file, before hours of replay: a path that cannot be written fails now, with nothing printed.
            OutputFiles.checkFolder(out);
            for (String file : OUTPUT_FILES) {
                OutputFiles.checkFile(out.resolve(file));
            }
        }
        if (maxGap < 0) {
            throw OptionValues.refused(spec, "--max-gap", "must not be negative");
        }
        SeriesCsv.Amounts amounts = SeriesCsv.readAmounts(trace, gaps, zone.zone, this::unservable, maxGap);
        TimeSeries series = amounts.series();
        filled = amounts.gaps();
        Replay replay;
        try {
            replay = builder.trace(series).offer(offer).build();
        } catch (InvalidWarmUpException e) {
            throw OptionValues.refused(spec, "--warm-up", warmUpRefused(e));
        } catch (InvalidBootTimeException e) {
            // The offer's boot time is minutes; only a --boot-time given reaches this far.
            throw OptionValues.refused(spec, "--boot-time", String.format(Locale.ROOT,
                    "is not shorter than the scored span of %s, %d steps of %s after the %s warm-up: an instance "
                            + "launched at the first scored step would be ready only after the trace ends", DurationConverter.format(
                            e.scoredSpan()), e.scoredSteps(), DurationConverter.format(e.step()),
                    DurationConverter.format(e.step().multipliedBy(series.size() - e.scoredSteps()))));
        }
        Duration step = series.step();
        if (replay.firstStep() == 0 && wants("static")) {
            throw OptionValues.refused(spec, "--warm-up", String.format(Locale.ROOT,
                    "static sizes its fleet on the warm-up; give at least one step (%s) or leave static out of --policies",
                    DurationConverter.format(step)));
        }
        if (wants("fleetpredict")) {
            // The loop refuses, when built, a near-term reach (its boot time, a cooldown of one boot time, a step)
            // of more steps than its error window holds; built here once, that is a usage error before any replay.
            try {
                Policies.fleetpredict(slaTarget, List.of()).start(series.start(), step, perInstance, replay.bootTime(),
                        replay.pricePerHour());
            } catch (IllegalStateException e) {
                throw OptionValues.refused(spec, "--boot-time", "too long for the loop fleetpredict at the trace's "
                        + "step of " + DurationConverter.format(step) + ": " + e.getMessage());
            }
        }
        Instant scoredFrom = series.timeAt(replay.firstStep());
        Instant chartStart = windowStart;
        if (chartStart != null && (!chartStart.isBefore(series.end()) || !chartStart.plus(window).isAfter(scoredFrom))) {
            throw OptionValues.refused(spec, "--window-start", String.format(Locale.ROOT,
                    "the chart's %s window from it holds no scored step; they run from %s to %s",
                    OptionValues.typed(spec, "--window"), scoredFrom, series.end()));
        }
        PrintWriter err = spec.commandLine().getErr();
        if (filled.filled() > 0) {
            // Made-up demand is scored like measured demand: said where it cannot be missed, as well as in the report.
            err.printf(Locale.ROOT, "warning: %s: %s%n", Checks.printable(String.valueOf(trace.getFileName())),
                    filledInWords(series.size()));
            err.flush();
        }
        long started = System.nanoTime();
        List<Run> runs = replay(replay);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!verbosity.quiet) {
            // On stderr, not in the report, so that two runs of one trace write the same files.
            err.printf(Locale.ROOT, "%d replays in %.1f s%n", runs.size(), seconds);
            err.flush();
        }

        Map<String, Object> json = json(replay, offer, runs);
        PrintWriter w = spec.commandLine().getOut();
        if (output.json()) {
            w.print(JsonWriter.write(json));
        } else {
            w.print(markdown(replay, offer, runs));
        }
        w.flush();
        Path dir = out;
        if (dir != null) {
            write(dir, replay, offer, runs, json);
        }
        return ExitCodes.OK;
    }

    /** The library's refusal of the warm-up, in the words of the command line: the file, and durations as typed. */
    private String warmUpRefused(InvalidWarmUpException e) {
        return switch (e.reason()) {
            case COVERS_TRACE -> String.format(Locale.ROOT, "covers the whole trace %s (%d steps of %s); nothing is left to score",
                    trace, e.traceSteps(), e.step());
            case NOT_WHOLE_STEPS -> String.format(Locale.ROOT, "not a whole number of the trace's steps of %s; the nearest %s",
                    DurationConverter.format(e.step()), e.nearestInWords(DurationConverter::format));
        };
    }

    /** Whether {@code --policies} names {@code family}. */
    private boolean wants(String family) {
        return policies.stream().anyMatch(p -> p.strip().equalsIgnoreCase(family));
    }

    /**
     * Why a demand of the trace cannot be replayed, or {@code null} if it can. The library's builder checks the
     * same, but on the filled series, by index: checked here as the file is read, the refusal names its line.
     */
    private @Nullable String unservable(double demand) {
        if (demand < 0) {
            return "is negative; a demand cannot be";
        }
        if (demand / perInstance > Replay.MAX_INSTANCES) {
            return String.format(Locale.ROOT, "needs more than %d instances of --per-instance %s; no fleet can serve it",
                    Replay.MAX_INSTANCES, OptionValues.typed(spec, "--per-instance"));
        }
        return null;
    }

    private List<Run> replay(Replay replay) {
        List<FleetEvent> known = events == null ? List.of() : DocumentFiles.read(events, EventFeed.class).events();
        List<Setting> plan = new ArrayList<>();
        List<ReplayPolicy> list = new ArrayList<>();
        for (String family : FAMILIES) {
            if (!wants(family)) {
                continue;
            }
            switch (family) {
                case "fleetpredict" -> add(plan, list, family, "sla_target", slaTarget, true,
                        Policies.fleetpredict(slaTarget, known));
                case "static" -> {
                    add(plan, list, family, "headroom", staticHeadroom, true, Policies.staticCapacity(staticPercentile, staticHeadroom));
                    if (!noSweep) {
                        for (double h : STATIC_HEADROOMS) {
                            add(plan, list, family, "headroom", h, false, Policies.staticCapacity(staticPercentile, h));
                        }
                    }
                }
                case "reactive" -> {
                    add(plan, list, family, "target", target, true, Policies.reactive(target));
                    if (!noSweep) {
                        for (double t : REACTIVE_TARGETS) {
                            add(plan, list, family, "target", t, false, Policies.reactive(t));
                        }
                    }
                }
                default -> {
                    add(plan, list, family, "target", target, true, Policies.reactiveAwsAlarm(target));
                    if (!noSweep) {
                        for (double t : REACTIVE_TARGETS) {
                            add(plan, list, family, "target", t, false, Policies.reactiveAwsAlarm(t));
                        }
                    }
                }
            }
        }
        long steps = list.stream().mapToLong(replay::steps).sum();
        ReplayRemaining remaining = new ReplayRemaining();
        list.forEach(p -> remaining.add(p instanceof FleetLoop, replay.steps(p)));
        List<ReplayOutcome> results;
        try (Progress progress = verbosity.progress("replay " + list.size() + " policies", steps, "steps")
                .estimatingWith(remaining::secondsLeft)) {
            // One setting no fleet can size (a static headroom of 200 on a busy trace) is reported in its row,
            // not allowed to fail the other settings.
            results = replay.runEachReporting(list, policy -> {
                ReplayRemaining.Group group = remaining.group(policy instanceof FleetLoop);
                return walked -> {
                    group.advanced(walked);
                    progress.advance(walked);
                };
            });
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Setting p = plan.get(i);
            runs.add(new Run(p.family(), p.knob(), p.value(), p.chosen(), results.get(i)));
        }
        return runs;
    }

    private static void add(List<Setting> plan, List<ReplayPolicy> list, String family, String knob, double value,
            boolean chosen, ReplayPolicy policy) {
        plan.add(new Setting(family, knob, value, chosen));
        list.add(policy);
    }

    /**
     * One policy's scores for the JSON, as computed: the writer rounds every figure by the one rule of
     * {@link Numbers#json} (six significant digits), so a cost of a fraction of a cent or a few minutes of
     * instance-hours keeps its digits.
     */
    static Map<String, Object> scores(String name, Scores s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("cost", s.cost());
        m.put("violation_minutes", s.violationMinutes());
        m.put("violation_share", s.violationShare());
        m.put("unserved_share", s.unservedShare());
        m.put("mean_utilisation", s.meanUtilisation());
        m.put("scaling_actions", s.scalingActions());
        m.put("instance_hours", s.instanceHours());
        return m;
    }

    private Map<String, Object> json(Replay replay, Offer offer, List<Run> runs) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("file", trace.getFileName().toString());
        setup.put("steps", replay.trace().size());
        setup.put("step", replay.trace().step().toString());
        setup.put("scored_from", replay.trace().timeAt(replay.firstStep()).toString());
        setup.put("scored_steps", replay.trace().size() - replay.firstStep());
        setup.put("per_instance", perInstance);
        setup.put("boot_time", replay.bootTime().toString());
        setup.put("instance_type", offer.instanceType());
        setup.put("region", offer.region());
        setup.put("price_per_hour", replay.pricePerHour());
        setup.put("sla_target", slaTarget);
        setup.put("filled_steps", filled.filled());
        setup.put("longest_gap_steps", filled.longest());
        if (events != null) {
            setup.put("events", events.getFileName().toString());
        }
        root.put("replay", setup);
        List<Object> chosen = new ArrayList<>();
        List<Object> frontier = new ArrayList<>();
        for (Run r : runs) {
            Scores s = r.scores();
            if (r.chosen()) {
                Map<String, Object> m;
                if (s != null) {
                    m = scores(r.family(), s);
                } else {
                    m = new LinkedHashMap<>();
                    m.put("name", r.family());
                    m.put("oversized", oversized((OversizedFleet) r.outcome()));
                }
                m.put("policy", r.outcome().policy());
                chosen.add(m);
            } else {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("policy", r.family());
                f.put("knob", r.knob());
                f.put("value", r.value());
                if (s != null) {
                    Map<String, Object> m = scores(r.family(), s);
                    f.put("cost", m.get("cost"));
                    f.put("violation_minutes", m.get("violation_minutes"));
                    f.put("violation_share", m.get("violation_share"));
                } else {
                    f.put("oversized", oversized((OversizedFleet) r.outcome()));
                }
                frontier.add(f);
            }
        }
        root.put("policies", chosen);
        root.put("frontier", frontier);
        return root;
    }

    /** Where a policy needed more instances than it can have, for the JSON. */
    private static Map<String, Object> oversized(OversizedFleet fleet) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", fleet.step());
        m.put("time", fleet.time().toString());
        m.put("instances_needed", Double.isInfinite(fleet.instancesNeeded()) ? Double.MAX_VALUE : fleet.instancesNeeded());
        m.put("instance_limit", fleet.instanceLimit());
        return m;
    }

    /** The reference policies' sweep points: every run but the chosen rows, the oversized ones kept apart. */
    static Sweep sweep(List<Run> runs) {
        List<Sweep.Point> points = new ArrayList<>();
        List<Sweep.Oversized> oversized = new ArrayList<>();
        for (Run r : runs) {
            if (r.chosen()) {
                continue;
            }
            if (r.outcome() instanceof ReplayResult result) {
                points.add(new Sweep.Point(r.family(), r.knob(), r.value(), result));
            } else {
                oversized.add(new Sweep.Oversized(r.family(), r.knob(), r.value(), (OversizedFleet) r.outcome()));
            }
        }
        return Sweep.of(points, oversized);
    }

    /**
     * The runs that needed more instances than they can have, each as one sentence; empty when every run was
     * scored. A chosen row and the sweep point at the same setting are one sentence.
     */
    private static List<String> oversized(List<Run> runs) {
        return runs.stream().filter(r -> r.outcome() instanceof OversizedFleet)
                .map(r -> ((OversizedFleet) r.outcome()).describe()).distinct().toList();
    }

    /** The cheapest sweep point of a family with a violation share at or under the threshold, or NaN. */
    private static double cheapest(Sweep sweep, String family, double threshold) {
        return sweep.cheapest(family, threshold).map(Sweep.Point::cost).orElse(Double.NaN);
    }

    /** The filled steps of the trace, in words: how many of its steps, and the longest gap. */
    private String filledInWords(int steps) {
        return String.format(Locale.ROOT, "%d of %d steps missing, filled by --gaps %s; the longest gap %d step%s, "
                        + "from %s to %s (line %d)", filled.filled(), steps, gaps.name().toLowerCase(Locale.ROOT),
                filled.longest(), filled.longest() == 1 ? "" : "s", filled.from(), filled.to(), filled.line());
    }

    private String markdown(Replay replay, Offer offer, List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Trace %s: %d steps of %s, scored from %s (%d steps); %s per instance per step; "
                        + "boot %s; %s in %s at %s/h; %d replays",
                Checks.printable(String.valueOf(trace.getFileName())), replay.trace().size(), replay.trace().step(),
                replay.trace().timeAt(replay.firstStep()),
                replay.trace().size() - replay.firstStep(), Numbers.plain(perInstance), replay.bootTime(),
                offer.instanceType(), offer.region(), Decimals.text(replay.pricePerHour()), runs.size()));
        sb.append(filled.filled() > 0 ? "; " + filledInWords(replay.trace().size()) : "").append("\n\n");
        sb.append("| policy | cost | violation minutes | violation share | unserved share | mean utilisation | scaling actions |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Run r : runs) {
            Scores s = r.scores();
            if (!r.chosen()) {
                continue;
            }
            if (s == null) {
                sb.append("| ").append(r.outcome().policy()).append(" | too large to size (see below) | | | | | |\n");
            } else {
                // Money to four decimals, every other figure to four significant digits (docs/cli.md).
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s%% | %s%% | %s%% | %d |%n",
                        r.outcome().policy(), Decimals.text(s.cost()), Numbers.text(s.violationMinutes()),
                        Numbers.text(100 * s.violationShare()), Numbers.text(100 * s.unservedShare()),
                        Numbers.text(100 * s.meanUtilisation()), s.scalingActions()));
            }
        }
        if (runs.stream().anyMatch(r -> !r.chosen())) {
            sb.append("\nFrontier: the cheapest sweep point of each policy whose violations stay under a share of the time\n\n");
            sb.append("| violations at most |");
            List<String> fams = FAMILIES.stream()
                    .filter(f -> runs.stream().anyMatch(r -> !r.chosen() && r.family().equals(f))).toList();
            for (String f : fams) {
                sb.append(' ').append(f).append(" |");
            }
            sb.append('\n').append("| ---: |").append(" ---: |".repeat(fams.size())).append('\n');
            Sweep sweep = sweep(runs);
            for (double t : THRESHOLDS) {
                sb.append(String.format(Locale.ROOT, "| %.2f%% |", 100 * t));
                for (String f : fams) {
                    double c = cheapest(sweep, f, t);
                    sb.append(Double.isNaN(c) ? " none |" : " " + Decimals.text(c) + " |");
                }
                sb.append('\n');
            }
        }
        List<String> oversized = oversized(runs);
        if (!oversized.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nThese settings needed more instances than they can have, so they"
                    + " have no scores and no place on the frontier (a count cut down to the limit would score a fleet"
                    + " the policy never asked for):%n%n"));
            oversized.forEach(line -> sb.append("- ").append(line).append('\n'));
        }
        return sb.toString();
    }

    private void write(Path dir, Replay replay, Offer offer, List<Run> runs, Map<String, Object> json) {
        OutputFiles.write(dir.resolve("replay.json"), JsonWriter.write(json));
        OutputFiles.write(dir.resolve("replay.md"), markdown(replay, offer, runs));
        OutputFiles.write(dir.resolve("capacity.svg"), capacityChart(replay, runs));
        Path frontier = dir.resolve("frontier.svg");
        if (runs.stream().anyMatch(r -> !r.chosen())) {
            OutputFiles.write(frontier, frontierChart(runs));
        } else {
            // An earlier run's frontier beside this run's tables would pass for this run's.
            try {
                Files.deleteIfExists(frontier);
            } catch (IOException e) {
                throw OutputFiles.cannotWrite(frontier, e);
            }
        }
    }

    private String capacityChart(Replay replay, List<Run> runs) {
        TimeSeries demand = replay.scoredDemand();
        int n = demand.size();
        int from;
        if (windowStart != null) {
            Instant t = windowStart;
            from = (int) Math.max(0, Math.min(n - 1, Duration.between(demand.start(), t).dividedBy(demand.step())));
        } else {
            int peak = 0;
            for (int i = 1; i < n; i++) {
                if (demand.get(i) > demand.get(peak)) {
                    peak = i;
                }
            }
            from = (int) Math.max(0, peak - window.dividedBy(demand.step()) / 2);
        }
        int to = (int) Math.min(n, from + Math.max(2, window.dividedBy(demand.step())));
        double[] times = new double[to - from];
        double[] d = new double[to - from];
        for (int i = from; i < to; i++) {
            times[i - from] = SvgChart.seconds(demand.timeAt(i));
            d[i - from] = demand.get(i);
        }
        SvgChart chart = SvgChart.titled(String.format(Locale.ROOT, "%s: demand and ready capacity from %s",
                trace.getFileName(), demand.timeAt(from))).x("time (UTC)", SvgChart.Axis.TIME).y("requests per step")
                .line("demand", 0, times, d);
        List<String> unsized = new ArrayList<>();
        for (Run r : runs) {
            if (r.chosen() && r.outcome() instanceof OversizedFleet) {
                unsized.add(r.family());
            } else if (r.chosen() && r.outcome() instanceof ReplayResult result) {
                double[] ready = result.readyCapacity();
                double[] c = new double[to - from];
                for (int i = from; i < to; i++) {
                    c[i - from] = ready[i] * perInstance;
                }
                chart.line(r.family(), FAMILIES.indexOf(r.family()) + 1, times, c);
            }
        }
        if (!unsized.isEmpty()) {
            chart.note("not drawn, too large to size: " + String.join(", ", unsized));
        }
        return chart.svg();
    }

    private String frontierChart(List<Run> runs) {
        // The range that matters: twice the cheapest cost that keeps violations under 1% of the time
        // (static's dearest points would flatten every other line); dearer points sit on the top edge.
        Sweep sweep = sweep(runs);
        double cheapest = FAMILIES.stream().mapToDouble(f -> cheapest(sweep, f, 0.01)).filter(c -> !Double.isNaN(c)).min()
                .orElse(Double.POSITIVE_INFINITY);
        SvgChart chart = SvgChart.titled(trace.getFileName() + ": cost against SLA violations, each policy swept over its knob")
                .x("share of time in violation, % (log scale; 0 drawn at 0.0001%)", SvgChart.Axis.LOG)
                .y("cost (cut at 2x the cheapest under 1% violations)").yCap(2 * cheapest);
        for (String f : FAMILIES) {
            // The Pareto frontier: points that no other point beats on both cost and violations.
            List<Sweep.Point> hull = sweep.frontier(f);
            if (hull.isEmpty()) {
                continue;
            }
            chart.linePoints(f, FAMILIES.indexOf(f) + 1,
                    hull.stream().mapToDouble(p -> Math.max(1e-4, 100 * p.violationShare())).toArray(),
                    hull.stream().mapToDouble(Sweep.Point::cost).toArray());
        }
        // The loop chooses its own point: drawn as one point beside the swept frontiers.
        for (Run r : runs) {
            Scores s = r.scores();
            if (r.chosen() && r.family().equals("fleetpredict") && s != null) {
                chart.points("fleetpredict (its own choice)", 0,
                        new double[] {Math.max(1e-4, 100 * s.violationShare())}, new double[] {s.cost()});
            }
        }
        if (!sweep.oversized().isEmpty()) {
            chart.note("left out, too large to size: " + String.join(", ", sweep.oversized().stream()
                    .map(o -> o.family() + " " + o.knob() + "=" + Numbers.plain(o.value())).toList()));
        }
        return chart.svg();
    }

    @Override
    public List<String> filesWrittenIntoOut() {
        return List.of("replay.json", "replay.md", "capacity.svg", "frontier.svg");
    }
}
