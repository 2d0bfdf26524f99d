package io.fleetpredict.forecast;

/** A model could not be estimated on the series (no admissible parameters, numerical failure). */
public final class ModelFitException extends ForecastException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which model failed and why
     */
    public ModelFitException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message which model failed and why
     * @param cause the underlying failure
     */
    public ModelFitException(String message, Throwable cause) {
        super(message, cause);
    }
}
