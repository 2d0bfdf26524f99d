package io.fleetpredict.cli;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.OverrideApplied;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.internal.Decimals;
import io.fleetpredict.core.projection.CapacityOffer;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.InfeasibilityReason;
import io.fleetpredict.core.projection.Projection;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.projection.ProjectionState;
import io.fleetpredict.core.projection.ServiceDecision;
import io.fleetpredict.core.projection.SlaDefaults;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetpredict plan}: the provisional fleet state for a prediction, a fleet, SLA policies and a catalogue. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Project predicted fleet states onto the current fleet and write the provisional fleet state: "
                + "the fleet plus proposed and deferred changes. JSON goes to stdout (or --out), a summary to stderr.")
final class PlanCommand implements Callable<Integer> {

    /** The basis's SLA policy source when no --sla file is given. */
    static final String DEFAULT_SLA_SOURCE = "built-in default tiers";

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--predicted", required = true, paramLabel = "FILE",
            description = "predicted fleet state; repeat for several steps or horizons")
    List<Path> predicted;

    @Option(names = "--fleet", required = true, paramLabel = "FILE", description = "the current fleet state")
    Path fleet;

    @Option(names = "--sla", paramLabel = "FILE",
            description = "SLA policies (default: the documented tiers critical, standard, best_effort)")
    @Nullable Path sla;

    @Option(names = {"--catalog", "--catalogue"}, required = true, paramLabel = "FILE",
            description = "instance catalogue: the offers to buy from")
    Path catalogue;

    @Option(names = "--events", paramLabel = "FILE", description = "event feed; its maintenance windows remove capacity")
    @Nullable Path events;

    @Option(names = "--budget-per-hour", paramLabel = "AMOUNT",
            description = "the most the proposed scale-outs may add per hour (default: unlimited)")
    @Nullable Double budgetPerHour;

    @Option(names = "--cycle", paramLabel = "DURATION", defaultValue = "PT5M", converter = DurationConverter.class,
            description = "the scheduler cycle: the budget is charged with the services that have a change launching "
                    + "before the plan's time plus the cycle, as provision --cycle weighs them; such as 5m or PT5M "
                    + "(default: ${DEFAULT-VALUE})")
    Duration cycle;

    @Option(names = "--max-changes", paramLabel = "N", defaultValue = "50",
            description = "the most changes proposed in one cycle (default: ${DEFAULT-VALUE})")
    int maxChanges;

    @Option(names = "--now", paramLabel = "TIME",
            description = "the time to plan at, ISO-8601 UTC (default: the fleet state's as_of)")
    @Nullable String now;

    @Option(names = "--out", paramLabel = "FILE", description = "write the provisional fleet state here instead of stdout")
    @Nullable Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json: the document on stdout, summary on stderr; text: the summary on stdout "
                    + "(default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Override
    public Integer call() {
        if (out != null) {
            OutputFiles.checkFile(out);
        }
        if (maxChanges <= 0) {
            throw new IllegalArgumentException("--max-changes: must be > 0, was " + maxChanges);
        }
        if (budgetPerHour != null && !(budgetPerHour >= 0)) {
            throw new IllegalArgumentException("--budget-per-hour: must be >= 0, was " + budgetPerHour);
        }
        OptionValues.requirePositive(spec, "--cycle", cycle);
        // Read before the files, as every option is.
        Instant nowGiven = null;
        if (now != null) {
            try {
                nowGiven = Instant.parse(now);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--now: not an ISO-8601 instant such as 2024-11-29T17:40:00Z: " + now);
            }
            // A change planned after the prediction is needed and launched at the plan's time, which the plan's
            // document then holds. The document's records refuse such an instant too, but only after every
            // file is read and the projection run; said here, the mistake is named as the option's.
            if (nowGiven.isBefore(Documents.EARLIEST_INSTANT) || nowGiven.isAfter(Documents.LATEST_INSTANT)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--now: must lie from %s to %s, the instants a document holds, was %s",
                        Documents.EARLIEST_INSTANT, Documents.LATEST_INSTANT, now));
            }
        }
        List<PredictedFleetState> states = new ArrayList<>();
        for (Path p : predicted) {
            states.add(DocumentFiles.read(p, PredictedFleetState.class));
        }
        FleetState current = DocumentFiles.read(fleet, FleetState.class);
        for (int i = 0; i < states.size(); i++) {
            String fleetId = states.get(i).fleetId();
            if (fleetId != null && !fleetId.equals(current.fleetId())) {
                throw new InvalidInputException(predicted.get(i) + ": $.fleet_id: the prediction is for fleet \""
                        + fleetId + "\", but " + fleet + " is fleet \"" + current.fleetId() + "\"");
            }
        }
        SlaPolicies policies = sla == null ? SlaDefaults.policies() : DocumentFiles.read(sla, SlaPolicies.class);
        InstanceCatalogue offers = DocumentFiles.read(catalogue, InstanceCatalogue.class);
        EventFeed feed = events == null ? new EventFeed(1, List.of()) : DocumentFiles.read(events, EventFeed.class);
        Instant at = nowGiven == null ? current.asOf() : nowGiven;
        PrintWriter stderr = spec.commandLine().getErr();
        for (int i = 0; i < states.size(); i++) {
            Instant validUntil = states.get(i).validUntil();
            if (validUntil != null && !validUntil.isAfter(at)) {
                // Still planned: a scheduler replaying old documents means to. But a plan from a prediction whose
                // time has passed sizes the fleet for a past that the loop no longer has to serve.
                stderr.printf(Locale.ROOT, "warning: %s: the prediction was valid until %s, not after the plan's time %s;"
                        + " planned as given, predict again to plan for now%n", Checks.printable(predicted.get(i).toString()),
                        validUntil, at);
            }
        }
        warnUnknownServices(feed, current, states, stderr);
        List<CapacityOffer> offerList = CapacityOffers.fromCatalogue(offers);
        warnUnpricedGroups(current, offerList, stderr);
        ProjectionEngine.Builder builder = ProjectionEngine.builder().slaPolicies(policies)
                .offers(offerList).maxChangesPerCycle(maxChanges).cycle(cycle)
                .catalogueSource(fileName(catalogue))
                .slaPoliciesSource(sla == null ? DEFAULT_SLA_SOURCE : fileName(sla))
                .clock(Clock.fixed(at, ZoneOffset.UTC));
        if (budgetPerHour != null) {
            builder.budgetPerHour(budgetPerHour);
        }
        List<Path> files = new ArrayList<>(predicted);
        java.util.stream.Stream.of(fleet, sla, catalogue, events).filter(java.util.Objects::nonNull).forEach(files::add);
        String inputs = files.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "));
        Projection projection = InvalidInputException.from(inputs,
                () -> builder.build().project(states, current, feed.events(), ProjectionState.empty()));
        for (ServiceDecision d : projection.decisions()) {
            // A requirement beyond any fleet is a number the plan cannot be computed with, not a plan to write.
            if (d.infeasibility() == InfeasibilityReason.NEED_TOO_LARGE) {
                throw new InvalidInputException(inputs + ": cannot be used: " + d.reason());
            }
        }
        String json = Documents.write(projection.document());
        PrintWriter stdout = spec.commandLine().getOut();
        if (out != null) {
            OutputFiles.write(out, json);
        }
        String summary = summary(projection, at, states);
        if (format == OutputFormat.JSON) {
            if (out == null) {
                stdout.print(json);
            }
            stderr.print(summary);
        } else {
            stdout.print(summary);
        }
        stdout.flush();
        stderr.flush();
        return ExitCodes.OK;
    }

    /**
     * Warns of each maintenance event that names a service in neither the fleet state nor the predictions: most
     * often a misspelt name, which would remove no capacity and say nothing. Demand events are the predict
     * command's (which warns of them); the plan uses maintenance alone.
     */
    private void warnUnknownServices(EventFeed feed, FleetState current, List<PredictedFleetState> states,
            PrintWriter stderr) {
        Set<String> known = new TreeSet<>();
        current.services().forEach(s -> known.add(s.name()));
        for (PredictedFleetState p : states) {
            List<ServiceRequirements> services = p.services();
            if (services != null) {
                services.forEach(s -> known.add(s.service()));
            }
        }
        for (FleetEvent e : feed.events()) {
            if (e.type() != EventType.MAINTENANCE) {
                continue;
            }
            for (String service : e.scope()) {
                if (!known.contains(service)) {
                    stderr.printf(Locale.ROOT, "warning: %s: maintenance event %s names service %s, in neither the fleet"
                            + " state nor the predictions (their services: %s): it removes no capacity%n",
                            Checks.printable(String.valueOf(events)),
                            e.id(), service, String.join(", ", known));
                }
            }
        }
    }

    /**
     * Warns of each on-demand or spot group of the fleet whose type, region and purchase option the catalogue has
     * no price for: most often an older instance generation or a misspelt type. Such a group is still billed, so
     * a scale-in releases it after the priced groups and before reserved ones, but what that saves is unknown.
     */
    private void warnUnpricedGroups(FleetState current, List<CapacityOffer> offerList, PrintWriter stderr) {
        for (ServiceState s : current.services()) {
            for (InstanceGroup g : s.instanceGroups()) {
                boolean priced = g.purchaseOption() == PurchaseOption.RESERVED
                        || CapacityOffers.find(offerList, g.instanceType(), g.region(), g.purchaseOption()).isPresent();
                if (!priced) {
                    stderr.printf(Locale.ROOT, "warning: %s: service %s runs %d %s %s in %s, which %s has no price for:"
                            + " a scale-in releases them after the priced groups and before reserved ones, its saving"
                            + " unknown%n", Checks.printable(fleet.toString()), Checks.printable(s.name()), g.count(),
                            Checks.printable(g.instanceType()), g.purchaseOption().jsonName(),
                            Checks.printable(g.region()), Checks.printable(fileName(catalogue)));
                }
            }
        }
    }

    /** The file name without its directory: the same input planned on another machine names the same source. */
    private static String fileName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    /**
     * The plan in a few lines: what it was based on (each horizon given, and those that were not), the changes,
     * and why services without a change have none.
     */
    static String summary(Projection projection, Instant at, List<PredictedFleetState> states) {
        StringBuilder sb = new StringBuilder();
        List<ProvisionalChange> changes = projection.document().provisionalChanges();
        long deferred = changes.stream().filter(c -> c.deferredReason() != null).count();
        double added = changes.stream().filter(c -> c.deferredReason() == null)
                .mapToDouble(ProvisionalChange::estimatedCostPerHour).sum();
        var basis = projection.document().basis();
        List<Horizon> given = states.stream().map(PredictedFleetState::horizon).filter(java.util.Objects::nonNull)
                .distinct().sorted().toList();
        String from = given.isEmpty()
                ? String.format(Locale.ROOT, "%d prediction%s", states.size(), states.size() == 1 ? "" : "s")
                : "the " + given.stream().map(Horizon::jsonName).collect(Collectors.joining(", "))
                        + " prediction" + (states.size() == 1 ? "" : "s");
        sb.append(String.format(Locale.ROOT, "plan at %s for fleet %s version %d, from %s of %s: "
                        + "%d change%s (%d proposed, %d deferred), +%s per hour proposed%n",
                at, projection.document().fleet().fleetId(), basis.fleetVersion(), from, basis.predictedTimestamp(),
                changes.size(), changes.size() == 1 ? "" : "s", changes.size() - deferred, deferred, Decimals.text(added)));
        List<String> missing = java.util.Arrays.stream(Horizon.values()).filter(h -> !given.isEmpty() && !given.contains(h))
                .map(Horizon::jsonName).toList();
        if (!missing.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "  no %s prediction was given, so what %s would need is not planned"
                    + " (predict writes one file per horizon; give each with --predicted)%n",
                    String.join(" or ", missing), missing.size() == 1 ? "it" : "they"));
        }
        for (ProvisionalChange c : changes) {
            Double total = c.estimatedTotalCost();
            sb.append(String.format(Locale.ROOT,
                    "  %s p%d %s %s %d x %s %s in %s, %s/h%s, launch %s, needed by %s: %s%n",
                    c.id(), c.priority(), c.service(), c.action().jsonName(), c.count(), c.instanceType(),
                    c.purchaseOption().jsonName(), c.region(), Decimals.text(c.estimatedCostPerHour()),
                    total == null ? "" : " (" + Decimals.text(total) + " in total)",
                    c.launchAt(), c.neededBy(),
                    c.deferredReason() == null ? "proposed" : "deferred (" + c.deferredReason() + ")"));
        }
        List<OverrideApplied> overrides = projection.document().overridesApplied();
        if (overrides != null && !overrides.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "  expert overrides in the prediction: %s%n", overrides.stream()
                    .map(OverrideApplied::id).distinct().collect(Collectors.joining(", "))));
        }
        for (ServiceDecision d : projection.decisions()) {
            if (d.changes().isEmpty()) {
                sb.append(String.format(Locale.ROOT, "  %s: %s, %s%n", d.service(),
                        d.outcome().name().toLowerCase(Locale.ROOT), d.reason()));
            }
        }
        return sb.toString();
    }
}
