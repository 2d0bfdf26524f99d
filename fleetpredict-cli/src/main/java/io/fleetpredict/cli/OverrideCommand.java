package io.fleetpredict.cli;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.ExpertOverride;
import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.document.OverrideAction;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.feedback.AuditEntry;
import io.fleetpredict.core.feedback.AuditEntry.AuditEvent;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.feedback.ExpertOverrides;
import io.fleetpredict.core.feedback.OverrideResult;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.internal.TextFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetpredict override add|list|apply}: expert overrides kept in a document, with an audit log. */
@Command(name = "override", mixinStandardHelpOptions = true,
        description = "Add, list and apply expert overrides (pin, floor, ceiling, scale, disable).",
        subcommands = {OverrideCommand.Add.class, OverrideCommand.ListCommand.class, OverrideCommand.Apply.class})
final class OverrideCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Main.missingSubcommand(spec);
    }

    /** What every subcommand has: the overrides document it works on, the command's spec and verbosity. */
    abstract static class OnOverridesFile implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Verbosity verbosity;

        @Option(names = "--overrides", required = true, paramLabel = "FILE", description = "the overrides document")
        Path file;

        OverrideSet readSet() {
            return DocumentFiles.read(file, OverrideSet.class);
        }
    }

    /** {@code override add}: validates an override, records it in the audit log, then appends it to the document. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Append a validated override to the overrides file (created if absent) and the audit log.")
    static final class Add extends OnOverridesFile {

        @Option(names = "--audit", required = true, paramLabel = "FILE", description = "the audit log (JSON lines)")
        Path audit;

        @Option(names = "--id", paramLabel = "ID", required = true, description = "identifier, unique in the file")
        String id;

        @Option(names = "--action", required = true, paramLabel = "ACTION",
                description = "pin, floor, ceiling, scale or disable")
        String action;

        @Option(names = "--service", paramLabel = "S", description = "the service (default: the fleet-level requirements)")
        @Nullable String service;

        @Option(names = "--resource", paramLabel = "TYPE", description = "CPU, Memory, Bandwidth or Storage")
        @Nullable String resource;

        @Option(names = "--quantity", paramLabel = "Q", description = "amount of a pin, floor or ceiling")
        @Nullable Double quantity;

        @Option(names = "--units", paramLabel = "U", description = "unit of the quantity, e.g. cores or GiB")
        @Nullable String units;

        @Option(names = "--factor", paramLabel = "F", description = "factor of a scale")
        @Nullable Double factor;

        @Option(names = "--start", paramLabel = "INSTANT", converter = InstantConverter.class, description = "first instant it applies to (default: now)")
        @Nullable Instant start;

        @Option(names = "--expiry", required = true, paramLabel = "INSTANT", converter = InstantConverter.class,
                description = "first instant it no longer applies to")
        Instant expiry;

        @Option(names = "--author", paramLabel = "NAME", required = true, description = "who makes the override")
        String author;

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why")
        String reason;

        @Mixin
        SeriesZone zone;

        @Override
        public Integer call() {
            Instant from = zone.reread(spec, "--start", start);
            Instant until = Objects.requireNonNull(zone.reread(spec, "--expiry", expiry), "--expiry");
            OverrideAction a = OverrideAction.find(action.toLowerCase(Locale.ROOT)).orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "--action: unknown action \"" + action
                            + "\"; expected pin, floor, ceiling, scale or disable"));
            ResourceType type = resource == null ? null : ResourceType.find(resource).orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "--resource: unknown resource type \""
                            + resource + "\""));
            // What the action allows comes first: a quantity on a scale is wrong whatever other options come with it.
            if (!a.takesAmount() && (quantity != null || units != null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), (quantity != null ? "--quantity" : "--units")
                        + ": not allowed for a " + a.jsonName() + " override");
            }
            if (a != OverrideAction.SCALE && factor != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--factor: only allowed for a scale override");
            }
            ResourceAmount amount = null;
            if (quantity != null || units != null) {
                if (quantity == null || units == null || type == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--quantity needs --units and --resource");
                }
                ResourceUnit unit;
                try {
                    unit = type.unit(units); // as documents say it: the case meant, and the units the type accepts
                } catch (IllegalArgumentException e) {
                    throw OptionValues.refused(spec, "--units", String.valueOf(e.getMessage()));
                }
                double q = quantity;
                amount = OptionValues.use(spec, "--quantity", () -> ResourceAmount.of(type, q, unit));
            }
            // The record rejects these too, but with a null check that would end the command with exit 1.
            boolean needsAmount = a == OverrideAction.PIN || a == OverrideAction.FLOOR || a == OverrideAction.CEILING;
            if (needsAmount && amount == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "a " + a.jsonName()
                        + " override needs --resource, --quantity and --units");
            }
            if (a == OverrideAction.SCALE && factor == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "a scale override needs --factor");
            }
            if (factor != null && !(factor > 0 && Double.isFinite(factor))) {
                // A factor of 0 would silently zero the service's needs: disable says that plainly.
                throw OptionValues.refused(spec, "--factor", "must be positive and finite (to remove a service's needs,"
                        + " use --action disable)");
            }
            Clock clock = Clock.systemUTC();
            ExpertOverride o;
            try {
                o = new ExpertOverride(id, a, service, type, amount, factor,
                        from == null ? clock.instant().truncatedTo(ChronoUnit.SECONDS) : from, until, author, reason);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), asOption(String.valueOf(e.getMessage())));
            }
            checkWritable(o);
            // Checked before the lock is taken beside the file, so that a path that cannot be written is refused for
            // what is wrong with it, not as a lock file that cannot be made.
            OutputFiles.checkFile(file);
            OutputFiles.checkFile(audit);
            // Held from the read to the document's write: two runs at once would each add to the same text, and the
            // one that wrote last would drop the other's override though its audit line stays.
            FolderLock lock = FolderLock.beside(file);
            try {
                return add(o, clock);
            } finally {
                lock.close();
            }
        }

        private int add(ExpertOverride o, Clock clock) {
            // Read once: the override is added to this text, which must still be the file's when it is recorded.
            DocumentFiles.@Nullable Read<OverrideSet> read = Files.exists(file)
                    ? DocumentFiles.readWithText(file, OverrideSet.class) : null;
            OverrideSet current = read == null ? new OverrideSet(Documents.SCHEMA_VERSION, List.of()) : read.document();
            AuditLog pending = AuditLog.inMemory();
            OverrideSet next = ExpertOverrides.add(current, o, pending, clock);
            unchangedSince(file, read == null ? null : read.text());
            recordThenWrite(file, Documents.write(next), pending, audit, clock);
            spec.commandLine().getOut().printf(Locale.ROOT, "added override %s to %s%n", id,
                    Checks.printable(file.toString()));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }

        /**
         * The text the override was added to, once the file is found to hold it still (null: still no file). A
         * change another writer made since it was read (one that takes no lock: an editor) would be overwritten by
         * this one: refused instead, before anything is recorded, the file left as that writer left it.
         */
        static @Nullable String unchangedSince(Path file, @Nullable String read) {
            if (!Objects.equals(textNow(file), read)) {
                throw new InvalidInputException(file + ": changed while the override was being added (by another"
                        + " override add?); it was left as it is and nothing was recorded: run the command again");
            }
            return read;
        }

        /**
         * The override's refusal ({@code "id: must not contain ..."}) said of the option that gave the field; the
         * record shows the value escaped, so a line break in it does not break the error line.
         */
        private static String asOption(String refusal) {
            int colon = refusal.indexOf(": ");
            String option = colon < 0 ? null : optionOf(refusal.substring(0, colon));
            return option == null ? refusal : option + refusal.substring(colon);
        }

        /** The option that gives an override's field, or null for a field no option gives. */
        private static @Nullable String optionOf(String field) {
            return switch (field) {
                case "id", "service", "author", "reason", "start", "expiry", "factor" -> "--" + field;
                case "resourceType" -> "--resource";
                case "amount" -> "--quantity";
                default -> null;
            };
        }

        /**
         * Refuses an override the overrides document could not read back (a reason longer than the reader's
         * limit on a string, say): the record takes it, but once written, every later {@code list},
         * {@code apply} and {@code add} would fail on the file.
         */
        private void checkWritable(ExpertOverride o) {
            try {
                Documents.read(Documents.write(new OverrideSet(Documents.SCHEMA_VERSION, List.of(o))), OverrideSet.class);
            } catch (InvalidDocumentException e) {
                String field = e.jsonPath().substring(e.jsonPath().lastIndexOf('.') + 1);
                String option = optionOf(field);
                // Not OptionValues.refused: it would echo the value as typed, line breaks and all.
                throw new CommandLine.ParameterException(spec.commandLine(),
                        (option == null ? "the override's " + field : option) + ": " + e.problem());
            }
        }
    }

    /** {@code override list}: the overrides in a document, optionally only those active at an instant. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the overrides in a file.")
    static final class ListCommand extends OnOverridesFile {

        @Option(names = "--at", paramLabel = "INSTANT", converter = InstantConverter.class, description = "only those active at this instant")
        @Nullable Instant at;

        @Mixin
        ReportFormat output;

        @Mixin
        SeriesZone zone;

        @Override
        public Integer call() {
            Instant when = zone.reread(spec, "--at", at);
            List<ExpertOverride> overrides = readSet().overrides().stream()
                    .filter(o -> when == null || o.activeAt(when)).toList();
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                out.print(Documents.write(new OverrideSet(Documents.SCHEMA_VERSION, overrides)));
            } else {
                for (ExpertOverride o : overrides) {
                    // Figures as in the command's other sentences (96, not 96.0; 10000000, not 1.0E7).
                    String what = o.amount() != null
                            ? " " + Numbers.plain(o.amount().amount()) + " " + o.amount().unit().symbol()
                            : o.factor() != null ? " x" + Numbers.plain(o.factor()) : "";
                    out.printf(Locale.ROOT, "%s: %s%s on %s/%s from %s until %s by %s (%s)%n", o.id(), o.action().jsonName(), what,
                            o.service() == null ? "fleet" : o.service(),
                            o.resourceType() == null ? "all" : o.resourceType().jsonName(), o.start(), o.expiry(),
                            o.author(), o.reason());
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code override apply}: the predicted fleet state with the active overrides applied. */
    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply the overrides active at a predicted fleet state's timestamp and print the result.")
    static final class Apply extends OnOverridesFile {

        @Option(names = "--predicted", required = true, paramLabel = "FILE", description = "a predicted fleet state")
        Path predicted;

        @Option(names = "--audit", required = true, paramLabel = "FILE", description = "the audit log (JSON lines)")
        Path audit;

        @Option(names = "--output", paramLabel = "FILE", description = "write here instead of standard output")
        @Nullable Path output;

        @Override
        public Integer call() {
            if (output != null) {
                OutputFiles.checkFile(output);
            }
            OutputFiles.checkFile(audit);
            if (output == null) {
                return apply();
            }
            // Held from the output's write (or removal) to the audit lines: a run whose lines cannot be appended
            // puts back what the output held before, which would take away the output of another run that wrote
            // it in between, said so and recorded it. The overrides file needs no lock: it is only read, and
            // override add replaces it whole, in one move, after the line that records its change.
            FolderLock lock = FolderLock.beside(output);
            try {
                return apply();
            } finally {
                lock.close();
            }
        }

        private int apply() {
            PredictedFleetState state = DocumentFiles.read(predicted, PredictedFleetState.class);
            List<ExpertOverride> overrides = readSet().overrides();
            AuditLog pending = AuditLog.inMemory();
            OverrideResult result = InvalidInputException.from(file + ", " + predicted,
                    () -> ExpertOverrides.apply(state, overrides, pending, Clock.systemUTC()));
            PrintWriter out = spec.commandLine().getOut();
            // An override that matched nothing is most often a misspelt service: it would otherwise pass unseen.
            PrintWriter err = spec.commandLine().getErr();
            result.unmatched().forEach(u -> err.println("warning: " + u.describe()));
            err.flush();
            if (result instanceof OverrideResult.Overridden o) {
                String json = Documents.write(o.document());
                if (output != null) {
                    writeThenRecord(output, json, pending, audit);
                    out.printf(Locale.ROOT, "%d override applications; wrote %s%n", o.applied().size(),
                            Checks.printable(output.toString()));
                } else {
                    out.print(json);
                    // Recorded only once the document is known to have reached stdout (not a full disk).
                    StandardOutput.flush(out);
                    record(pending, audit);
                }
                out.flush();
                return ExitCodes.OK;
            }
            // There is no predicted fleet state to write: --output keeps none, not an earlier run's one that a
            // later plan would then read as if the prediction were still on.
            if (output != null && OutputFiles.remove(output)) {
                err.printf(Locale.ROOT, "%s: removed: the prediction is switched off, so there is no predicted fleet"
                        + " state to write%n", Checks.printable(output.toString()));
                err.flush();
            }
            Map<String, Object> disabled = new LinkedHashMap<>();
            disabled.put("prediction_disabled", true);
            disabled.put("overrides", switchedOffBy(result, state, overrides));
            out.print(JsonWriter.write(disabled));
            StandardOutput.flush(out);
            record(pending, audit);
            return ExitCodes.OK;
        }

        /**
         * The ids of the overrides that switched the prediction off, once each, in the order applied: the
         * fleet-level disables of this application. The result also lists one entry per requirement each
         * override changed, after those the document already carried, which did not switch it off.
         */
        private static List<String> switchedOffBy(OverrideResult result, PredictedFleetState state,
                List<ExpertOverride> overrides) {
            int before = state.overridesApplied() == null ? 0 : state.overridesApplied().size();
            Set<String> disables = new HashSet<>();
            overrides.stream().filter(o -> o.action() == OverrideAction.DISABLE && o.service() == null)
                    .forEach(o -> disables.add(o.id()));
            Set<String> ids = new LinkedHashSet<>();
            result.applied().subList(Math.min(before, result.applied().size()), result.applied().size()).stream()
                    .filter(a -> a.service() == null && disables.contains(a.id()))
                    .forEach(a -> ids.add(a.id()));
            return List.copyOf(ids);
        }
    }

    /**
     * Appends the audit entry of an override add, then writes the overrides document that holds the override.
     *
     * <p>The entry goes first so that no override is ever in force without it: a run killed between the two
     * writes leaves an {@code override_added} line for an add that did not happen, which a reader tells by its id
     * missing from the document, never an override in force that the log does not name. When the document cannot
     * be written, an {@code override_not_added} line is appended after it rather than the log cut back to its
     * length before: an audit log is only ever appended to (another run sharing it may have appended since, and a
     * cut would take its lines; a reader may have seen the line already), and the two lines together still say
     * who tried what and why it did not take.
     */
    private static void recordThenWrite(Path file, String text, AuditLog pending, Path audit, Clock clock) {
        record(pending, audit);
        try {
            OutputFiles.write(file, text);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            AuditLog notAdded = AuditLog.inMemory();
            for (AuditEntry added : pending.entries()) {
                notAdded.append(new AuditEntry(clock.instant(), AuditEvent.OVERRIDE_NOT_ADDED, added.overrideId(),
                        added.author(), added.reason(), added.subject(), null, "not added: " + why));
            }
            String log = Checks.printable(audit.toString());
            String said;
            try {
                record(notAdded, audit);
                said = log + " says so (override_not_added, after its override_added line)";
            } catch (InvalidInputException again) {
                e.addSuppressed(again);
                said = "its override_added line stands in " + log + " with no override_not_added line after it ("
                        + again.getMessage() + "); the id missing from the overrides file tells it did not take";
            }
            if (e instanceof InvalidInputException) {
                throw new InvalidInputException(e.getMessage() + "; the override was not added, and " + said, e);
            }
            throw e;
        }
    }

    /**
     * Writes a document over an output file, then appends the audit entries of the change it holds; when they
     * cannot be appended (a full disk, an unwritable log) the file is put back as it was (removed, if it was not
     * there), so that no output stands with changes its audit lines do not record, and the failure names the log.
     * The caller holds the file's lock, so what is put back is no other run's output.
     */
    private static void writeThenRecord(Path file, String text, AuditLog pending, Path audit) {
        @Nullable String before = textNow(file);
        OutputFiles.write(file, text);
        try {
            record(pending, audit);
        } catch (InvalidInputException e) {
            if (before == null) {
                OutputFiles.remove(file);
            } else {
                OutputFiles.write(file, before);
            }
            throw new InvalidInputException(e.getMessage() + "; " + Checks.printable(file.toString())
                    + " was put back as it was, so nothing of this change is kept", e);
        }
    }

    /** The text of the file a write to {@code file} replaces (a link's target), or null when there is none. */
    private static @Nullable String textNow(Path file) {
        Path target = OutputFiles.destination(file);
        if (!Files.isRegularFile(target)) {
            return null;
        }
        try {
            // Kept in memory to be put back, so bounded as every file read whole.
            return TextFiles.read(target);
        } catch (TextFiles.TooLargeException e) {
            throw new InvalidInputException(Checks.printable(file.toString()) + ": exists and is " + e.problem()
                    + "; it would be replaced, and is kept until the audit log is written so that it can be put back:"
                    + " move it away or name another file", e);
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(Checks.printable(file.toString()) + ": exists and is not valid UTF-8, so "
                    + "it holds no document this command writes; it would be replaced: move it away or name another"
                    + " file", e);
        } catch (IOException e) {
            throw OutputFiles.cannotWrite(file, e);
        }
    }

    /**
     * Appends the audit entries of a change, all of them or none; they are gathered in memory while the change
     * is computed.
     */
    private static void record(AuditLog pending, Path audit) {
        AuditLog log = AuditLog.jsonLines(audit);
        try {
            log.appendAll(pending.entries());
        } catch (UncheckedIOException e) {
            throw OutputFiles.cannotWrite(audit, Objects.requireNonNull(e.getCause()));
        } catch (IllegalStateException e) {
            // The log refuses to append to a file that is not one of its own (a last line no entry could be).
            throw new InvalidInputException(String.valueOf(e.getMessage()), e);
        }
    }
}
