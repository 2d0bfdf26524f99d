package io.fleetpredict.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetpredict help [COMMAND [SUBCOMMAND]...]}: the usage of the command named, down to a subcommand
 * ({@code help override add}); picocli's own help command reads only the first name and shows {@code override}'s.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of a command, or of a subcommand of it (help override add).")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean helpRequested;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "the command, and a subcommand of it, whose usage to show (default: the commands)")
    List<String> commands = new ArrayList<>();

    private @Nullable CommandLine self;
    private CommandLine.Help.@Nullable ColorScheme colours;
    private @Nullable PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter outWriter,
            PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colours = colorScheme;
        this.out = outWriter;
    }

    @Override
    public void run() {
        CommandLine help = self;
        CommandLine.Help.ColorScheme scheme = colours;
        PrintWriter writer = out;
        if (help == null || scheme == null || writer == null || help.getParent() == null) {
            return;
        }
        CommandLine target = help.getParent();
        for (String name : commands) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(help, String.format(java.util.Locale.ROOT,
                        "unknown command '%s'; known: %s", name, String.join(", ", target.getSubcommands().keySet()
                                .stream().filter(n -> !n.equals("help")).toList())));
            }
            target = sub;
        }
        target.usage(writer, scheme);
        writer.flush();
    }
}
