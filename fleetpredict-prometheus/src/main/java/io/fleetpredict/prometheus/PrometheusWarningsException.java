package io.fleetpredict.prometheus;

/**
 * An answer refused because it came with warnings, under {@link WarningPolicy#REFUSE}: its points may not be
 * all there are (a store or a remote read did not answer). The message names the query, the address that
 * answered and the warnings, cut short; {@link #warnings()} holds them whole.
 *
 * <p>Not {@linkplain #retryable() retryable}, and not retried: a server that warns about a query usually
 * warns again until whatever it warns about is mended.
 */
public final class PrometheusWarningsException extends PrometheusException {
    private static final long serialVersionUID = 1L;

    private final AnswerWarnings warnings;

    PrometheusWarningsException(String message, AnswerWarnings warnings) {
        super(message, false);
        this.warnings = warnings;
    }

    PrometheusWarningsException(String message, AnswerWarnings warnings, Throwable cause) {
        super(message, false, cause);
        this.warnings = warnings;
    }

    /**
     * The query and the warnings its answer came with.
     *
     * @return the warnings
     */
    public AnswerWarnings warnings() {
        return warnings;
    }

    @Override
    PrometheusException named(String name) {
        return new PrometheusWarningsException(name + ": " + getMessage(), warnings, this);
    }
}
