package io.fleetpredict.forecast;

/** Base of the unchecked exceptions thrown by the forecasting library. */
public class ForecastException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, and where
     */
    public ForecastException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, and where
     * @param cause the underlying failure
     */
    public ForecastException(String message, Throwable cause) {
        super(message, cause);
    }
}
