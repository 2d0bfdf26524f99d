package io.fleetpredict.core.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.internal.TextFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the JSON documents.
 *
 * <p>Reading is strict: unknown fields, duplicate keys, trailing content, {@code null} values, missing
 * required fields, wrong types, {@code NaN} or infinite numbers, negative amounts or counts, unknown
 * resource types or units, and oversized input (deep nesting, long strings, names or numbers) are each
 * an {@link InvalidDocumentException} naming the JSONPath of the offending field. A read either returns a
 * complete, valid document or throws; it never returns part of one.
 *
 * <p>Writing produces indented JSON in the field order of the schemas; optional fields that are absent
 * ({@code null}) in the record are left out, so a document read and written back keeps its shape.
 * Resource types are written as {@code CPU}, {@code Memory}, {@code Bandwidth}, {@code Storage};
 * instants as UTC ({@code 2024-10-27T10:00:00Z}), from {@link #EARLIEST_INSTANT} to {@link #LATEST_INSTANT}, the
 * only ones a record accepts; durations in ISO-8601 ({@code PT5M}); whole numbers
 * without a fraction.
 *
 * <p>All methods are thread-safe.
 */
public final class Documents {
    /** The {@code schema_version} this library reads and writes. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * The earliest instant a document holds: the schemas write instants with a four-digit year, so a
     * document record refuses an instant before this one.
     */
    public static final Instant EARLIEST_INSTANT = Checks.EARLIEST_DOCUMENT_INSTANT;

    /**
     * The latest instant a document holds: the schemas write instants with a four-digit year, so a
     * document record refuses an instant after this one.
     */
    public static final Instant LATEST_INSTANT = Checks.LATEST_DOCUMENT_INSTANT;

    private Documents() {}

    /**
     * Reads a document of a known type.
     *
     * @param json the JSON text
     * @param type the document record class, for example {@code PredictedFleetState.class}
     * @param <T> the document type
     * @return the document
     * @throws InvalidDocumentException when the text is not a valid document of that type
     */
    public static <T extends Document> T read(String json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        DocumentKind kind = DocumentKind.of(Objects.requireNonNull(type, "type"));
        JsonNode root = StrictJson.parse(json, kind);
        return type.cast(DocumentReader.read(new JsonIn(kind, root, "$"), kind));
    }

    /**
     * Reads a document of a known type from a UTF-8 file.
     *
     * @param file the file
     * @param type the document record class
     * @param <T> the document type
     * @return the document
     * @throws InvalidDocumentException when the file is not valid UTF-8 or not a valid document of that type
     * @throws UncheckedIOException when the file cannot be read; its message names the file and says why
     *     ({@code no such file}, {@code is a folder, not a file}, {@code permission denied})
     */
    public static <T extends Document> T read(Path file, Class<T> type) {
        return read(readText(file, DocumentKind.of(Objects.requireNonNull(type, "type"))), type);
    }

    /**
     * Reads a document of whichever kind the text is, as {@link #detect(String)} tells.
     *
     * @param json the JSON text
     * @return the document; its {@link Document#kind()} says which it is
     * @throws InvalidDocumentException when the kind cannot be told or the document is not valid
     */
    public static Document read(String json) {
        DocumentKind kind = detect(json);
        return read(json, kind.documentType());
    }

    /**
     * Reads a document of whichever kind a UTF-8 file holds.
     *
     * @param file the file
     * @return the document
     * @throws InvalidDocumentException when the kind cannot be told or the document is not valid
     * @throws UncheckedIOException when the file cannot be read; its message names the file and says why
     *     ({@code no such file}, {@code is a folder, not a file}, {@code permission denied})
     */
    public static Document read(Path file) {
        return read(readText(file, null));
    }

    /**
     * Tells which kind of document a JSON text is, from its top-level fields, without validating it.
     *
     * <p>The rules, in order: {@code provisional_changes} makes a provisional fleet state;
     * {@code resource_requirements} a predicted fleet state; {@code tiers} SLA policies; {@code events}
     * an event feed; {@code offers} an instance catalogue; {@code overrides} expert overrides; {@code version} or {@code as_of} a fleet state.
     *
     * @param json the JSON text
     * @return the kind
     * @throws InvalidDocumentException when the text is not JSON, not an object, or matches no kind
     */
    public static DocumentKind detect(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode root = StrictJson.parse(json, null);
        if (!root.isObject()) {
            throw new InvalidDocumentException(null, "$", "must be an object, was " + JsonIn.typeName(root));
        }
        if (root.has("provisional_changes")) {
            return DocumentKind.PROVISIONAL_FLEET_STATE;
        }
        if (root.has("resource_requirements")) {
            return DocumentKind.PREDICTED_FLEET_STATE;
        }
        if (root.has("tiers")) {
            return DocumentKind.SLA_POLICIES;
        }
        if (root.has("events")) {
            return DocumentKind.EVENT_FEED;
        }
        if (root.has("offers")) {
            return DocumentKind.INSTANCE_CATALOGUE;
        }
        if (root.has("overrides")) {
            return DocumentKind.OVERRIDES;
        }
        if (root.has("version") || root.has("as_of")) {
            return DocumentKind.FLEET_STATE;
        }
        throw new InvalidDocumentException(null, "$", "not a known document: expected one of the fields"
                + " resource_requirements, provisional_changes, tiers, events, offers, overrides, version or as_of");
    }

    /**
     * Tells which kind of document a file holds, as {@link #detect(String)} tells it of the file's text, read as
     * {@link #read(Path, Class)} reads it: at most 8 MiB of strict UTF-8.
     *
     * @param file the file
     * @return the kind
     * @throws InvalidDocumentException when the file is too large or not UTF-8, or its text is not JSON, not an
     *     object, or matches no kind
     * @throws UncheckedIOException when the file cannot be read; its message names the file and says why
     *     ({@code no such file}, {@code is a folder, not a file}, {@code permission denied})
     */
    public static DocumentKind detect(Path file) {
        return detect(readText(file, null));
    }

    /**
     * Writes a document as indented JSON ending with a newline; without indentation when indented it would be
     * longer than a read takes (8 MiB), so that every document written can be read back.
     *
     * @param document the document
     * @return the JSON text
     * @throws InvalidDocumentException when the document is longer than a reader takes even without indentation
     *     (a prediction for more than about 25,000 services of four resources); nothing is written
     */
    public static String write(Document document) {
        Objects.requireNonNull(document, "document");
        return StrictJson.write(DocumentWriter.write(document), document.kind());
    }

    /**
     * The text of a file. Its errors do not name it, as no other read error does: the caller knows where the
     * text came from and names it once.
     */
    private static String readText(Path file, @Nullable DocumentKind kind) {
        Objects.requireNonNull(file, "file");
        try {
            return TextFiles.read(file);
        } catch (TextFiles.TooLargeException e) {
            throw new InvalidDocumentException(kind, "$", e.problem(), e);
        } catch (CharacterCodingException e) {
            throw new InvalidDocumentException(kind, "$", "not valid UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + TextFiles.reason(file, e), e);
        }
    }

    /** Refuses a schema version other than the one this library reads; absent is allowed. */
    static void checkSchemaVersion(@Nullable Integer schemaVersion) {
        if (schemaVersion != null && schemaVersion != Documents.SCHEMA_VERSION) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "schemaVersion: unsupported version %d, expected %d",
                    schemaVersion, Documents.SCHEMA_VERSION));
        }
    }
}
