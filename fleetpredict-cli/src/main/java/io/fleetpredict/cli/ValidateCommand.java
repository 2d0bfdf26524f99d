package io.fleetpredict.cli;

import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.document.Document;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.internal.Checks;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fleetpredict validate}: which document each file is, and whether it is valid. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Tell which document each file is and whether it is valid; exit 3 if any is not.")
final class ValidateCommand implements Callable<Integer> {

    /** What a file that is no document is told, in case it was meant as a query file. */
    private static final String QUERY_FILE_HINT = "; a Prometheus query file (schema_version, step, queries) is read by"
            + " predict --query-file";
    private static final String QUERY_FILE_ID = "prometheus-queries";
    private static final String QUERY_FILE_NAME = "Prometheus query file";

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JSON documents")
    List<Path> files;

    @Mixin
    ReportFormat output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Object> results = new ArrayList<>();
        boolean allValid = true;
        for (Path file : files) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("file", file.toString());
            try {
                InvalidInputException.checkReadable(file);
                Document doc = Documents.read(file);
                r.put("valid", true);
                r.put("document", doc.kind().id());
                if (!output.json()) {
                    out.printf(Locale.ROOT, "%s: valid %s%n", shown(file), doc.kind().displayName());
                }
            } catch (InvalidDocumentException e) {
                boolean unknownKind = e.documentKind().isEmpty() && e.problem().startsWith("not a known document");
                if (unknownKind && queryFile(file, r, out, err)) {
                    allValid &= Boolean.TRUE.equals(r.get("valid"));
                    results.add(r);
                    continue;
                }
                allValid = false;
                r.put("valid", false);
                e.documentKind().ifPresent(k -> r.put("document", k.id()));
                r.put("path", e.jsonPath());
                // Not a document, but perhaps a query file with a misspelt field: say which command reads those.
                String hint = unknownKind ? QUERY_FILE_HINT : "";
                r.put("error", e.problem() + hint);
                if (!output.json()) {
                    err.printf(Locale.ROOT, "%s: %s%s%n", shown(file), Checks.printable(String.valueOf(e.getMessage())), hint);
                }
            } catch (InvalidInputException | UncheckedIOException e) {
                allValid = false;
                // The reader's own words name the file but not why it could not be read: say it as every command does.
                String message = e instanceof UncheckedIOException u
                        ? InvalidInputException.unreadable(file, Objects.requireNonNull(u.getCause())).getMessage()
                        : e.getMessage();
                r.put("valid", false);
                r.put("error", message);
                if (!output.json()) {
                    err.printf(Locale.ROOT, "%s%n", Checks.printable(String.valueOf(message)));
                }
            }
            results.add(r);
        }
        if (output.json()) {
            out.print(JsonWriter.write(Map.of("files", results)));
        }
        out.flush();
        err.flush();
        return allValid ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }

    /**
     * The file's name as the text report shows it: a name may hold a line break or a terminal's escape sequence
     * (a glob matches any file), which would forge a line of the report or write to the terminal.
     */
    private static String shown(Path file) {
        return Checks.printable(file.toString());
    }

    /**
     * Validates a file that is no document as a Prometheus query file, which {@code predict --query-file} reads
     * and which is not a document of the core library. The file is taken for one when the query file's reader
     * reads it, or refuses it inside its {@code step} or {@code queries} (so its top-level fields are a query
     * file's); otherwise nothing is reported here and the file stays "not a known document".
     *
     * @return whether the file was reported (in {@code r}, and on {@code out} or {@code err} in text)
     */
    private boolean queryFile(Path file, Map<String, Object> r, PrintWriter out, PrintWriter err) {
        try {
            PredictCommand.readQueries(file);
            r.put("valid", true);
            r.put("document", QUERY_FILE_ID);
            if (!output.json()) {
                out.printf(Locale.ROOT, "%s: valid %s (read by predict --query-file)%n", shown(file), QUERY_FILE_NAME);
            }
            return true;
        } catch (InvalidInputException e) {
            if (!(e.getCause() instanceof InvalidDocumentException d)
                    || !(d.jsonPath().startsWith("$.step") || d.jsonPath().startsWith("$.queries"))) {
                return false;
            }
            String problem = d.problem().startsWith(file + ": ") ? d.problem().substring(file.toString().length() + 2)
                    : d.problem();
            r.put("valid", false);
            r.put("document", QUERY_FILE_ID);
            r.put("path", d.jsonPath());
            r.put("error", problem);
            if (!output.json()) {
                err.printf(Locale.ROOT, "%s: %s %s: %s%n", shown(file), QUERY_FILE_NAME, d.jsonPath(),
                        Checks.printable(problem));
            }
            return true;
        }
    }
}
