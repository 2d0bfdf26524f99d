package io.fleetpredict.cli;

/** The exit codes of the command, as the blueprint fixes them. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int INVALID_INPUT = 3;
    static final int PROVIDER_FAILURE = 4;

    private ExitCodes() {
    }
}
