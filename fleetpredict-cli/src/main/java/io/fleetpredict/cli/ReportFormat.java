package io.fleetpredict.cli;

import picocli.CommandLine.Option;

/** The {@code --format} option of the commands that print a report: text for people, JSON for scripts. */
final class ReportFormat {

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE})")
    OutputFormat format = OutputFormat.TEXT;

    boolean json() {
        return format == OutputFormat.JSON;
    }
}
