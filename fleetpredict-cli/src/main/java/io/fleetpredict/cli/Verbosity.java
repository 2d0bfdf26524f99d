package io.fleetpredict.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --quiet} and {@code --verbose}, on every command: how much goes to stderr besides errors. Progress
 * of long work is shown unless {@code --quiet}; the library's log lines (warnings about degraded operation,
 * such as a model falling back to a simpler one) only with {@code --verbose}.
 */
final class Verbosity {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-q", "--quiet"}, description = "show no progress on stderr (errors are still shown)")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "also show the library's log lines (warnings and notes) on stderr")
    boolean verbose;

    /** Set by {@link Main} before the command runs. */
    Display display = Display.PLAIN;

    /**
     * The progress of a piece of work on the command's stderr, or nothing with {@code --quiet}.
     *
     * @param task what the work is
     * @param total how many units it has, or 0 when not known
     * @param unit the units' name in the plural
     * @return the progress
     */
    Progress progress(String task, long total, String unit) {
        return quiet ? Progress.NONE : Progress.start(mixee.commandLine().getErr(), display, task, total, unit);
    }
}
