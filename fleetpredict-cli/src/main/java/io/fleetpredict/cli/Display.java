package io.fleetpredict.cli;

import java.time.Duration;

/**
 * Where the command's stderr goes, and so how progress is shown there: on a terminal a bar redrawn in place,
 * otherwise (a file, a pipe, a CI log) a plain line now and then.
 *
 * @param terminal whether stderr is a terminal, where a carriage return redraws a line
 * @param delay how long work runs before its progress is first shown, so quick commands stay silent
 * @param interval the least time between two redraws (terminal) or two lines (otherwise)
 */
record Display(boolean terminal, Duration delay, Duration interval) {

    /** A terminal: a bar after half a second, redrawn up to ten times a second. */
    static final Display TERMINAL = new Display(true, Duration.ofMillis(500), Duration.ofMillis(100));

    /** Not a terminal: a line once work has run two seconds, then one every ten seconds, and one at the end. */
    static final Display PLAIN = new Display(false, Duration.ofSeconds(2), Duration.ofSeconds(10));

    /** The display of this process: a terminal when the JVM has a console (neither input nor output redirected). */
    static Display ofProcess() {
        return System.console() != null ? TERMINAL : PLAIN;
    }
}
