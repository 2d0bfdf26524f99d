package io.fleetpredict.core.document;

import io.fleetpredict.core.FleetPredictException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A JSON document, or a value read from one, is not valid.
 *
 * <p>The exception names the document kind (when it is known), the JSONPath of the offending field
 * (for example {@code $.resource_requirements[1].units}; {@code $} is the whole document) and the
 * problem in plain words. The message combines all three, so it can be shown to a person as is.
 */
public final class InvalidDocumentException extends FleetPredictException {
    private static final long serialVersionUID = 1L;

    private final @Nullable DocumentKind documentKind;
    private final String jsonPath;
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param documentKind the kind of document being read, or {@code null} when it is not known
     * @param jsonPath the JSONPath of the offending field, {@code $} for the whole document
     * @param problem what is wrong with the field, in plain words
     */
    public InvalidDocumentException(@Nullable DocumentKind documentKind, String jsonPath, String problem) {
        this(documentKind, jsonPath, problem, null);
    }

    /**
     * Creates the exception with an underlying cause.
     *
     * @param documentKind the kind of document being read, or {@code null} when it is not known
     * @param jsonPath the JSONPath of the offending field, {@code $} for the whole document
     * @param problem what is wrong with the field, in plain words
     * @param cause the underlying failure, or {@code null}
     */
    public InvalidDocumentException(
            @Nullable DocumentKind documentKind, String jsonPath, String problem, @Nullable Throwable cause) {
        super(message(documentKind, jsonPath, problem), cause);
        this.documentKind = documentKind;
        this.jsonPath = Objects.requireNonNull(jsonPath, "jsonPath");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    private static String message(@Nullable DocumentKind kind, String jsonPath, String problem) {
        String what = kind == null ? "document" : kind.displayName();
        return what + " " + jsonPath + ": " + problem;
    }

    /**
     * Returns the kind of document that was being read.
     *
     * @return the kind, or empty when it could not be determined (for example unparseable JSON)
     */
    public Optional<DocumentKind> documentKind() {
        return Optional.ofNullable(documentKind);
    }

    /**
     * Returns the JSONPath of the offending field.
     *
     * @return a path such as {@code $.resource_requirements[1].units}; {@code $} for the whole document
     */
    public String jsonPath() {
        return jsonPath;
    }

    /**
     * Returns what is wrong, without the kind and path.
     *
     * @return the problem in plain words
     */
    public String problem() {
        return problem;
    }
}
