package io.fleetpredict.cli;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.internal.TextFiles;
import io.fleetpredict.core.internal.Decimals;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.CostGate;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.GateDecision;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.ProvisioningReport;
import io.fleetpredict.core.provision.Recommendation;
import io.fleetpredict.core.provision.StoredFleet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetpredict provision}: the cost gate, then (with --apply) provisioning through a cloud provider. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Weigh a provisional fleet state's cost against a threshold and, with --apply, provision the "
                + "approved changes through the provider (the simulated cloud by default, selling from --catalog).",
            "Plan-only by default: nothing is provisioned without --apply. Either way, every proposed launch is "
                + "first checked against the provider's offers; if any is not offered, the command names them, "
                + "provisions nothing and exits 4."})
final class ProvisionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--provisional", required = true, paramLabel = "FILE", description = "provisional fleet state document")
    Path provisional;

    @Option(names = "--threshold", required = true, paramLabel = "AMOUNT",
            description = "the most the approved changes may add per hour")
    double threshold;

    @Option(names = "--threshold-per-cycle", paramLabel = "AMOUNT",
            description = "the most the approved changes may cost over one cycle (default: no limit)")
    @Nullable Double thresholdPerCycle;

    @Option(names = "--cycle", paramLabel = "DURATION", defaultValue = "PT5M", converter = DurationConverter.class,
            description = "the scheduler cycle, such as 5m, 15m or PT5M (default: ${DEFAULT-VALUE})")
    Duration cycle;

    @Option(names = "--sla", paramLabel = "FILE",
            description = "SLA policies (JSON), those the plan was made with: spot shares, on-demand bases, lead times "
                    + "and headroom for the recommendations, allowed stand-in offers (default: none, and only "
                    + "scale-downs are recommended)")
    @Nullable Path sla;

    @Mixin
    ProviderOptions provider;

    @Option(names = "--apply", description = "provision the approved changes (default: plan only)")
    boolean apply;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "keep the fleet state in this directory (default: in memory, seeded from the document)")
    @Nullable Path stateDir;

    @Option(names = "--keep-versions", paramLabel = "N",
            description = "with --state-dir, keep the history files of the newest N versions only, at least 2 "
                    + "(default: every version)")
    @Nullable Integer keepVersions;

    @Mixin
    ReportFormat output;

    @Override
    public Integer call() {
        try {
            return provision();
        } finally {
            if (lock != null) {
                lock.close();
                lock = null;
            }
        }
    }

    /** The folder lock this run holds on {@code --state-dir}, from before it reads the files there until it ends. */
    private @Nullable FolderLock lock;

    private int provision() {
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            // Named with its value as typed (-1, not -1.0), as every usage error names it.
            throw OptionValues.refused(spec, "--threshold", "must be a finite amount, not negative");
        }
        CostGate.Builder gate = CostGate.builder(threshold);
        OptionValues.use(spec, "--cycle", () -> gate.cycle(cycle));
        Double perCycle = thresholdPerCycle;
        if (perCycle != null) {
            OptionValues.use(spec, "--threshold-per-cycle", () -> gate.maxCostPerCycle(perCycle));
        }
        Integer kept = keepVersions;
        if (kept != null && stateDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--keep-versions needs --state-dir (the in-memory store keeps no files)");
        }
        if (kept != null && kept < 2) {
            throw OptionValues.refused(spec, "--keep-versions",
                    "must be at least 2 (the current version and the one before it)");
        }
        if (stateDir != null) {
            OutputFiles.checkFolder(stateDir);
        }
        ProvisionalFleetState plan = DocumentFiles.read(provisional, ProvisionalFleetState.class);
        SlaPolicies policies = sla == null ? null : DocumentFiles.read(sla, SlaPolicies.class);
        if (policies != null) {
            gate.slaPolicies(policies);
        }
        MutableClock clock = MutableClock.at(plan.fleet().asOf());
        CloudProvider cloud = provider.open(clock, Optional.empty());
        List<String> missing = ProviderOptions.missingOffers(plan.provisionalChanges(), cloud.offers());
        if (!missing.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "fleetpredict provision: %d proposed change%s not offered by provider '%s'; "
                    + "nothing was provisioned:%n", missing.size(), missing.size() == 1 ? " is" : "s are", provider.provider);
            missing.forEach(m -> err.println("  " + m));
            err.flush();
            return ExitCodes.PROVIDER_FAILURE;
        }
        if (stateDir != null) {
            // Held until the run ends: the store, the simulated clock and the simulated cloud's record are read
            // and written as one, and a second run on the folder at the same time would hand out the same ids.
            lock = FolderLock.take(stateDir);
        }
        // The simulated cloud's files are read and checked before the store writes anything: a run refused for
        // one of them (or for the --cycle its clock is read with) leaves the state folder as it found it.
        // The simulated cloud's time: the fleet's as_of, or with --state-dir the cycle after the last --apply run
        // there, so that repeated runs go on in simulated time and a change due later is carried out in its cycle.
        Path clockFile = provider.simulated() && stateDir != null
                ? stateDir.resolve(plan.fleet().fleetId()).resolve(SIMULATED_CLOCK) : null;
        Optional<Instant> lastRun = clockFile == null ? Optional.empty() : lastRun(clockFile, cycle);
        Instant start = lastRun.map(t -> later(t.plus(cycle), plan.fleet().asOf())).orElse(plan.fleet().asOf());
        // And the simulated cloud's instances: the earlier --apply runs' calls, replayed into this run's fresh cloud,
        // so that it knows the instances they launched and reconcile does not take them for lost.
        SimulatedCloudJournal journal = clockFile == null ? null
                : SimulatedCloudJournal.replay(cloud, clock, clockFile.resolveSibling(SimulatedCloudJournal.FILE));
        clock.set(start);
        FleetStateStore store = stateDir == null ? FleetStateStores.inMemory()
                : kept == null ? FleetStateStores.directory(stateDir) : FleetStateStores.directory(stateDir, kept);
        try {
            store.create(StoredFleet.of(plan.fleet()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(provisional + ": $.fleet_id: " + e.getMessage(), e);
        }
        PreProvisioner.Builder builder = PreProvisioner.builder(provider.guarded(journal == null ? cloud : journal, clock))
                .store(store).gate(gate.build()).clock(provider.simulated() ? clock : Clock.systemUTC())
                .mode(apply ? PreProvisioner.Mode.APPLY : PreProvisioner.Mode.PLAN_ONLY);
        if (policies != null) {
            builder.slaPolicies(policies);
        }
        PreProvisioner provisioner = builder.build();
        ProvisioningReport report;
        try {
            report = InvalidInputException.from(provisional.toString(), () -> provisioner.run(plan));
        } catch (RuntimeException | Error e) {
            // Kept even when the run stops half-way: the calls it made were applied to the simulated cloud.
            if (journal != null && apply) {
                saveAfterFailure(journal, e);
            }
            throw e;
        }
        if (journal != null && apply) {
            journal.save();
        }
        if (clockFile != null && apply) {
            recordRun(clockFile, start);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.print(JsonWriter.write(json(report)));
        } else {
            text(report, out);
            if (provider.simulated() && report.outcomes().stream().anyMatch(ChangeOutcome.Waiting.class::isInstance)) {
                out.println(simulatedTime(start, lastRun.isPresent()));
            }
        }
        out.flush();
        boolean failed = report.outcomes().stream().anyMatch(ChangeOutcome.Failed.class::isInstance);
        if (failed) {
            PrintWriter err = spec.commandLine().getErr();
            report.outcomes().stream().filter(ChangeOutcome.Failed.class::isInstance).map(ChangeOutcome.Failed.class::cast)
                    .forEach(f -> err.printf(Locale.ROOT, "fleetpredict provision: change %s failed (%s): %s%n",
                            f.changeId(), f.kind(), f.message()));
            err.flush();
            return ExitCodes.PROVIDER_FAILURE;
        }
        return ExitCodes.OK;
    }

    /**
     * With the simulated cloud and {@code --state-dir}: the file in the fleet's directory that holds the simulated
     * time of the last {@code --apply} run, one ISO-8601 instant.
     */
    static final String SIMULATED_CLOCK = "simulated-clock";

    /** The simulated time of the last {@code --apply} run kept in {@code file}, if there was one. */
    private static Optional<Instant> lastRun(Path file, Duration cycle) {
        Optional<String> kept = keptText(file, "the simulated time of the last --apply run");
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        String text = kept.get().strip();
        Instant last;
        try {
            last = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(Checks.printable(file.toString()) + ": not an ISO-8601 instant; it holds "
                    + "the simulated time of the last --apply run: correct it, or remove it to start again at the "
                    + "fleet's as_of", e);
        }
        if (last.isBefore(Documents.EARLIEST_INSTANT) || last.isAfter(Documents.LATEST_INSTANT.minus(cycle))) {
            // The next cycle's time goes into the documents this run writes, which hold four-digit years.
            throw new InvalidInputException(Checks.printable(file.toString()) + ": " + last + " is outside the times a "
                    + "document holds (from " + Documents.EARLIEST_INSTANT + " to one cycle before "
                    + Documents.LATEST_INSTANT + "); it holds the simulated time of the last --apply run: correct it, or "
                    + "remove it to start again at the fleet's as_of");
        }
        return Optional.of(last);
    }

    /**
     * The text of a file the simulated cloud keeps in the fleet's folder between {@code --apply} runs (its clock,
     * its calls), or empty when no run has kept one yet. Only a regular file is read: a folder, a link or a device
     * in its place is not a file an earlier run wrote.
     *
     * @param holds what the file holds, for the error
     * @throws InvalidInputException naming the file when it is not a regular file or cannot be read
     */
    static Optional<String> keptText(Path file, String holds) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(file + ": is not a regular file; it should hold " + holds);
        }
        try {
            // Bounded as every file read whole: a planted file of gigabytes is refused, not read into memory.
            return Optional.of(TextFiles.read(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        } catch (TextFiles.TooLargeException e) {
            throw new InvalidInputException(Checks.printable(file.toString()) + ": " + e.problem() + "; it should hold "
                    + holds, e);
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(Checks.printable(file.toString()) + ": not valid UTF-8; it should hold "
                    + holds, e);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
    }

    /**
     * Keeps the simulated cloud's calls of a run that failed. The run's failure stays the one reported: a record
     * that cannot be written either (the disk that refused the store is most often full for it too) is attached to
     * it, saying what it leaves unwritten, and never takes its place.
     */
    private static void saveAfterFailure(SimulatedCloudJournal journal, Throwable failure) {
        try {
            journal.save();
        } catch (RuntimeException unwritten) {
            failure.addSuppressed(new InvalidInputException("not written either: " + unwritten.getMessage()
                    + "; the simulated cloud the next --apply run replays is that of the runs before this one, without"
                    + " the calls this run made", unwritten));
        }
    }

    /** Keeps the simulated time of this run for the next, replacing the file whole. */
    private static void recordRun(Path file, Instant at) {
        try {
            OutputFiles.write(file, at + "\n");
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.getMessage() + "; it is to hold the simulated time of this run", e);
        }
    }

    /** Where the simulated cloud's time came from and when a waiting change's cycle comes, for the text report. */
    private String simulatedTime(Instant start, boolean afterLastRun) {
        String at = "simulated cloud at " + start + (afterLastRun ? ", the cycle after the last --apply run in "
                + Checks.printable(String.valueOf(stateDir)) : ", the fleet's as_of");
        if (stateDir == null) {
            return at + "; every run starts there: with --state-dir DIR each --apply run is the next cycle (" + cycle
                    + " on), so a waiting change is carried out in its cycle";
        }
        return at + (apply ? "; the next --apply run is the cycle at " + start.plus(cycle)
                : "; plan only, so the next --apply run is this cycle");
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static void text(ProvisioningReport report, PrintWriter out) {
        GateDecision d = report.decision();
        out.printf(Locale.ROOT, "fleet %s (version %d), %s%n", report.fleetId(), report.version(),
                report.mode() == PreProvisioner.Mode.APPLY ? "apply" : "plan only");
        out.printf(Locale.ROOT, "estimated cost: %s per hour, %s per cycle%n", Decimals.text(d.costPerHour()),
                Decimals.text(d.costPerCycle()));
        if (d instanceof GateDecision.OverThreshold o) {
            out.printf(Locale.ROOT, "WARNING: over %s; %d of %d changes approved "
                    + "in priority order, held back: %s%s%n", exceeded(o), o.approved().size(),
                    o.approved().size() + o.refused().size(),
                    String.join(", ", o.refused().stream().map(ProvisionalChange::id).toList()), waiting(o));
            out.println("recommendations (cheapest to give up first):");
            for (Recommendation r : o.recommendations()) {
                out.printf(Locale.ROOT, "  %d. %s%n     SLA: %s%n", r.rank(), r.summary(), r.slaImpact());
            }
        } else {
            int n = d.approved().size();
            out.println("under the threshold: " + switch (n) {
                case 0 -> d.waiting().isEmpty() ? "no change proposed" : "no change due this cycle";
                case 1 -> "the 1 proposed change approved";
                default -> "all " + n + " proposed changes approved";
            } + waiting(d));
        }
        for (ChangeOutcome o : report.outcomes()) {
            out.println(line(o));
        }
        if (report.mode() == PreProvisioner.Mode.PLAN_ONLY) {
            out.println("plan only: nothing was provisioned; add --apply to provision");
        }
    }

    /**
     * The thresholds the weighed cost goes over, each in its own unit and by how much: the per-cycle one may be
     * the only one, and then the hourly excess is nothing.
     */
    private static String exceeded(GateDecision.OverThreshold o) {
        List<String> over = new ArrayList<>();
        if (o.costPerHour() > o.maxCostPerHour()) {
            over.add("the threshold of " + Decimals.text(o.maxCostPerHour()) + " per hour by "
                    + Decimals.text(o.excessPerHour()));
        }
        if (o.costPerCycle() > o.maxCostPerCycle()) {
            over.add("the threshold of " + Decimals.text(o.maxCostPerCycle()) + " per cycle by "
                    + Decimals.text(o.costPerCycle() - o.maxCostPerCycle()));
        }
        if (over.isEmpty()) {
            // The gate refuses only a cost over one of them; this keeps the line naming a threshold whatever.
            over.add("the threshold of " + Decimals.text(o.maxCostPerHour()) + " per hour");
        }
        return String.join(" and ", over);
    }

    /** The changes of services with nothing due this cycle: not charged now, weighed when they fall due. */
    private static String waiting(GateDecision d) {
        int n = d.waiting().size();
        return switch (n) {
            case 0 -> "";
            case 1 -> "; 1 change is weighed in a later cycle, when it falls due";
            default -> "; " + n + " changes are weighed in a later cycle, when they fall due";
        };
    }

    private static String line(ChangeOutcome o) {
        if (o instanceof ChangeOutcome.Provisioned p) {
            return String.format(Locale.ROOT, "provisioned %s (%s): %d x %s in %s, %s, %s per hour%s%s, ids %s",
                    p.changeId(), p.service(), p.instanceIds().size(), p.instanceType(), p.region(),
                    p.purchaseOption().jsonName(), Decimals.text(p.costPerHour()), p.partial() ? ", PARTIAL of " + p.requested() : "",
                    p.limitedBy().isEmpty() ? "" : ", capped by " + p.limitedBy(), String.join(" ", p.instanceIds()));
        } else if (o instanceof ChangeOutcome.Planned p) {
            return String.format(Locale.ROOT, "would provision %s (%s): %d x %s in %s, %s, %s per hour%s",
                    p.changeId(), p.service(), p.count(), p.instanceType(), p.region(), p.purchaseOption().jsonName(),
                    Decimals.text(p.costPerHour()), p.limitedBy().isEmpty() ? "" : ", capped by " + p.limitedBy());
        } else if (o instanceof ChangeOutcome.Capped c) {
            return "capped " + c.changeId() + ": " + c.wanted() + " wanted, caps reached " + c.limitedBy();
        } else if (o instanceof ChangeOutcome.AlreadySatisfied s) {
            return "satisfied " + s.changeId() + ": " + s.reason();
        } else if (o instanceof ChangeOutcome.Skipped s) {
            return "skipped " + s.changeId() + ": " + s.reason();
        } else if (o instanceof ChangeOutcome.Waiting w) {
            return "waiting " + w.changeId() + ": launches at " + w.launchAt() + ", after the next cycle";
        } else if (o instanceof ChangeOutcome.Released r) {
            return String.format(Locale.ROOT, "released %s (%s): %d x %s in %s, %s, saves %s per hour%s, ids %s",
                    r.changeId(), r.service(), r.instanceIds().size(), r.instanceType(), r.region(),
                    r.purchaseOption().jsonName(), Decimals.text(r.savingPerHour()),
                    r.limitedBy().isEmpty() ? "" : ", capped by " + r.limitedBy(), String.join(" ", r.instanceIds()));
        } else if (o instanceof ChangeOutcome.PlannedRelease r) {
            return String.format(Locale.ROOT, "would release %s (%s): %d x %s in %s, %s, saves %s per hour%s, ids %s",
                    r.changeId(), r.service(), r.instanceIds().size(), r.instanceType(), r.region(),
                    r.purchaseOption().jsonName(), Decimals.text(r.savingPerHour()),
                    r.limitedBy().isEmpty() ? "" : ", capped by " + r.limitedBy(), String.join(" ", r.instanceIds()));
        }
        ChangeOutcome.Failed f = (ChangeOutcome.Failed) o;
        return "failed " + f.changeId() + " (" + f.kind() + "): " + f.message();
    }

    private static Map<String, Object> json(ProvisioningReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        GateDecision d = report.decision();
        root.put("fleet_id", report.fleetId());
        root.put("mode", report.mode() == PreProvisioner.Mode.APPLY ? "apply" : "plan_only");
        root.put("version", report.version());
        root.put("cost_per_hour", d.costPerHour());
        root.put("cost_per_cycle", d.costPerCycle());
        root.put("over_threshold", d instanceof GateDecision.OverThreshold);
        root.put("approved", d.approved().stream().map(ProvisionalChange::id).toList());
        root.put("waiting", d.waiting().stream().map(ProvisionalChange::id).toList());
        if (d instanceof GateDecision.OverThreshold o) {
            root.put("threshold_per_hour", o.maxCostPerHour());
            if (!Double.isInfinite(o.maxCostPerCycle())) {
                root.put("threshold_per_cycle", o.maxCostPerCycle());
            }
            root.put("refused", o.refused().stream().map(ProvisionalChange::id).toList());
            List<Object> recs = new ArrayList<>();
            for (Recommendation r : o.recommendations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rank", r.rank());
                m.put("kind", r.getClass().getSimpleName());
                m.put("service", r.service());
                m.put("sla_tier", r.slaTier());
                m.put("saving_per_hour", r.savingPerHour());
                m.put("summary", r.summary());
                m.put("sla_impact", r.slaImpact());
                recs.add(m);
            }
            root.put("recommendations", recs);
        }
        List<Object> outcomes = new ArrayList<>();
        for (ChangeOutcome o : report.outcomes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("change_id", o.changeId());
            m.put("outcome", o.getClass().getSimpleName());
            if (o instanceof ChangeOutcome.Provisioned p) {
                m.put("service", p.service());
                m.put("instance_type", p.instanceType());
                m.put("region", p.region());
                m.put("purchase_option", p.purchaseOption().jsonName());
                m.put("requested", p.requested());
                m.put("count", p.instanceIds().size());
                m.put("instance_ids", p.instanceIds());
                m.put("cost_per_hour", p.costPerHour());
                m.put("partial", p.partial());
                m.put("capped_by", p.limitedBy().stream().map(Enum::name).toList());
            } else if (o instanceof ChangeOutcome.Planned p) {
                m.put("service", p.service());
                m.put("instance_type", p.instanceType());
                m.put("region", p.region());
                m.put("purchase_option", p.purchaseOption().jsonName());
                m.put("count", p.count());
                m.put("cost_per_hour", p.costPerHour());
                m.put("capped_by", p.limitedBy().stream().map(Enum::name).toList());
            } else {
                m.put("detail", line(o));
            }
            outcomes.add(m);
        }
        root.put("outcomes", outcomes);
        return root;
    }
}
