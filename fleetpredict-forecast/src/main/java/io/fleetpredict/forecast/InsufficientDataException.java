package io.fleetpredict.forecast;

/** The series is too short (or otherwise too poor) for the model asked for. */
public final class InsufficientDataException extends ForecastException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the model needed and what it got
     */
    public InsufficientDataException(String message) {
        super(message);
    }
}
