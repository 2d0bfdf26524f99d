package io.fleetpredict.cli;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.core.FleetPredictException;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.forecast.ForecastException;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.GlobalAutoregression;
import io.fleetpredict.prometheus.WarningPolicy;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fleetpredict} command: forecast, validate, plan and provision from the command line. */
@Command(name = "fleetpredict",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Forecast the resources a fleet will need and provision them ahead of demand.",
        subcommands = {
            DemoCommand.class,
            ForecastCommand.class,
            EvaluateCommand.class,
            ValidateCommand.class,
            ReplayCommand.class,
            PredictCommand.class,
            AccuracyCommand.class,
            OverrideCommand.class,
            PlanCommand.class,
            ProvisionCommand.class,
            HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main() {
    }

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(StandardOutput.ofProcess(), new PrintWriter(System.err, true), Display.ofProcess(), args));
    }

    /**
     * Runs the command with the given output streams and returns its exit code instead of exiting.
     *
     * @param out where results go
     * @param err where errors go
     * @param args the command line
     * @return 0 success, 2 usage, 3 invalid input, 4 provider failure, 1 anything else
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, Display.PLAIN, args);
    }

    /** As {@link #run(PrintWriter, PrintWriter, String...)}, showing progress on {@code err} as {@code display} says. */
    static int run(PrintWriter out, PrintWriter err, Display display, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.registerConverter(java.nio.file.Path.class, Main::path);
        WholeNumbers.register(cli);
        DecimalNumbers.register(cli);
        // Read in any case, as picocli would, but a value that is none of them lists them as the help does.
        cli.registerConverter(GapPolicy.class, OptionChoices.converter(GapPolicy.class));
        cli.registerConverter(WarningPolicy.class, OptionChoices.converter(WarningPolicy.class));
        cli.registerConverter(OutputFormat.class, OptionChoices.converter(OutputFormat.class));
        cli.registerConverter(GlobalAutoregression.Normalisation.class,
                OptionChoices.converter(GlobalAutoregression.Normalisation.class));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String name = commandLine.getCommandSpec().qualifiedName();
            // Escaped: a file name in the message must not write to the terminal or start a line of its own.
            commandLine.getErr().println(name + ": " + Checks.printable(message(e)));
            for (Throwable later : e.getSuppressed()) {
                // A failure met after the first, while keeping what the command had done (a record that could not
                // be written either), is said after it; one the first's message already tells is not said twice.
                if (!message(e).contains(message(later))) {
                    commandLine.getErr().println(name + ": " + Checks.printable(message(later)));
                }
            }
            int code = exitCode(e);
            if (code == ExitCodes.USAGE) {
                // A value refused once the command runs is a usage error like one picocli refuses: said the same way.
                commandLine.getErr().println("try '" + name + " --help'");
            }
            return code;
        });
        cli.setExecutionStrategy(parseResult -> {
            CommandLine.ParseResult last = parseResult;
            while (last.hasSubcommand()) {
                last = last.subcommand();
            }
            Verbosity verbosity = last.commandSpec().mixins().values().stream()
                    .map(CommandLine.Model.CommandSpec::userObject)
                    .filter(Verbosity.class::isInstance).map(Verbosity.class::cast).findFirst().orElse(null);
            if (verbosity != null) {
                verbosity.display = display;
            }
            CommandLogs.sendTo(verbosity != null && verbosity.verbose ? err : null);
            boolean succeeded = false;
            try {
                if (!helpRequested(parseResult)) {
                    OutputFiles.checkDistinct(last.commandSpec());
                }
                int code = new CommandLine.RunLast().execute(parseResult);
                if (code == ExitCodes.OK) {
                    code = checkWritten(out, err, last.commandSpec().qualifiedName());
                }
                succeeded = code == ExitCodes.OK;
                return code;
            } finally {
                CommandLogs.sendTo(null);
                // A refused run must not leave behind an empty output folder it made itself.
                if (succeeded) {
                    OutputFiles.forgetCreatedFolders();
                } else {
                    OutputFiles.takeBackEmptyFolders();
                }
            }
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static boolean helpRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A result that did not reach standard output (a full disk, a closed pipe) is a failure, not exit 0: the
     * writer swallowed the error, so it is asked for it here, once the command has printed everything.
     */
    private static int checkWritten(PrintWriter out, PrintWriter err, String command) {
        try {
            StandardOutput.flush(out);
            return ExitCodes.OK;
        } catch (InvalidInputException e) {
            err.println(command + ": " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }

    /**
     * A path as given; an empty one would name the working folder, so {@code --out "$DIR"} with {@code DIR} unset
     * would write there (and {@code --input ""} report {@code : is a folder}).
     */
    private static java.nio.file.Path path(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a path: it is blank (an unset variable?)");
        }
        return java.nio.file.Path.of(value);
    }

    static int exitCode(Throwable e) {
        if (e instanceof InvalidInputException || e instanceof FleetPredictException
                || e instanceof ForecastException) {
            return ExitCodes.INVALID_INPUT;
        }
        if (e instanceof IllegalArgumentException) {
            // Raised by a precondition on a value the user gave as an option (a level of 120, a horizon of 0).
            return ExitCodes.USAGE;
        }
        if (e instanceof CloudException) {
            return ExitCodes.PROVIDER_FAILURE;
        }
        return ExitCodes.FAILURE;
    }

    /**
     * A usage error in one line naming the option and the value, and where to read the usage: the whole usage
     * (twenty lines and more) would bury the one line that says what was wrong. Only a command that groups
     * subcommands and was given none prints its usage, since it has nothing else to say.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        String m = Checks.printable(usageMessage(e));
        err.println(m.startsWith(name + ":") ? m : name + ": " + m);
        if (e.getMessage() != null && e.getMessage().startsWith(name + ": missing subcommand")) {
            command.usage(err);
        } else {
            err.println("try '" + name + " --help'");
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    private static String usageMessage(CommandLine.ParameterException e) {
        CommandLine.ParseResult parsed = e.getCommandLine().getParseResult();
        if (e instanceof CommandLine.MissingParameterException && parsed != null && !parsed.unmatched().isEmpty()) {
            // Picocli checks the required options before the unknown ones, but an unknown option is often a
            // misspelt required one: said first, it is the mistake to correct.
            return unmatched(parsed.unmatched().get(0), e.getCommandLine());
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
            // Picocli names an option by its longest name, which for --catalog is its alias --catalogue.
            return "missing " + missing.getMissing().stream().map(Main::displayName)
                    .collect(java.util.stream.Collectors.joining(", "));
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return unmatched(unmatched.getUnmatched().get(0), unmatched.getCommandLine());
        }
        return message(e);
    }

    /** What an argument the command does not know is: an unknown option, command or argument. */
    private static String unmatched(String first, CommandLine command) {
        boolean expectsCommand = !command.getSubcommands().isEmpty();
        return first.startsWith("-") ? "unknown option '" + first + "'"
                : expectsCommand ? "unknown command '" + first + "'; known: " + String.join(", ",
                        command.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList())
                : "unexpected argument '" + first + "'";
    }

    private static String displayName(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec option) {
            return option.names()[0] + (option.typeInfo().isBoolean() ? "" : " " + option.paramLabel());
        }
        return arg.paramLabel();
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Without a subcommand there is nothing to do: a usage error, with the usage on stderr. */
    @Override
    public void run() {
        throw missingSubcommand(spec);
    }

    /**
     * The error of a command that only groups subcommands and was given none. Picocli prints its message and
     * the command's usage to stderr and exits with {@link ExitCodes#USAGE}.
     */
    static CommandLine.ParameterException missingSubcommand(CommandLine.Model.CommandSpec spec) {
        return new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                "%s: missing subcommand, one of %s", spec.qualifiedName(),
                String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList())));
    }

    /** Reads the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"fleetpredict " + (v == null ? "(development build)" : v)};
        }
    }
}
