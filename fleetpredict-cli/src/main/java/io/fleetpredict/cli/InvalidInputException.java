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
}
