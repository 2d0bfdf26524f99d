package io.fleetpredict.cli;

import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.document.Document;
import io.fleetpredict.core.document.Documents;
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
                    out.printf(Locale.ROOT, "%s: valid %s%n", file, doc.kind().displayName());
                }
            } catch (InvalidDocumentException e) {
                allValid = false;
                r.put("valid", false);
                e.documentKind().ifPresent(k -> r.put("document", k.id()));
                r.put("path", e.jsonPath());
                r.put("error", e.problem());
                if (!output.json()) {
                    err.printf(Locale.ROOT, "%s: %s%n", file, e.getMessage());
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
                    err.printf(Locale.ROOT, "%s%n", message);
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
}
