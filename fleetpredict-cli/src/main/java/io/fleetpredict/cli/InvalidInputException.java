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

    /** An input file that is not there or is a folder: the same words whichever command reads it. */
    static void checkReadable(java.nio.file.Path file) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new InvalidInputException(file + ": is a folder, not a file");
        }
        if (!java.nio.file.Files.exists(file)) {
            throw new InvalidInputException(file + ": no such file");
        }
    }

    /** The error of an input file that cannot be read, saying why without repeating the path. */
    static InvalidInputException unreadable(java.nio.file.Path file, java.io.IOException e) {
        String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : OutputFiles.reason(file, e);
        return new InvalidInputException(file + ": " + (why.startsWith("is a ") || why.equals("no such file") ? why
                : "cannot read: " + why), e);
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
            throw new InvalidInputException(files + ": cannot be used: " + message(e), e);
        }
    }

    /**
     * The message of {@code e}, or of the exception it stands for: a failure in a fork-join task is thrown again in
     * the waiting thread as a copy of its kind whose message is the original's {@code toString()}
     * ({@code java.lang.IllegalArgumentException: ...}), a class name no user needs to read.
     */
    static String message(Throwable e) {
        Throwable cause = e.getCause();
        if (cause != null && cause.getClass() == e.getClass() && cause.toString().equals(e.getMessage())) {
            return message(cause);
        }
        return String.valueOf(e.getMessage());
    }
}
