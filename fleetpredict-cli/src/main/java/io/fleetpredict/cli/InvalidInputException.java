package io.fleetpredict.cli;

/** Input a command cannot use: the message names the file, the place in it and what was wrong. */
final class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidInputException(String message) {
        super(message);
    }

    InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Runs a computation over input the options have already been checked for, so that a precondition or
     * an arithmetic overflow it meets was caused by the files: reported as invalid input naming them, not
     * as a usage error or a crash.
     */
    static <T> T from(String files, java.util.function.Supplier<T> computation) {
        try {
            return computation.get();
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw new InvalidInputException(files + ": cannot be used: " + e.getMessage(), e);
        }
    }
}
