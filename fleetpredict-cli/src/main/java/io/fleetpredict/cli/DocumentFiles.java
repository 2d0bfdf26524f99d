package io.fleetpredict.cli;

import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.document.Document;
import io.fleetpredict.core.document.DocumentKind;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.internal.TextFiles;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Reads the documents a command is given, so that every error names the file: the core codec reports the JSON
 * path but does not know where the text came from.
 */
final class DocumentFiles {

    private DocumentFiles() {
    }

    /**
     * A document and the text it was read from.
     *
     * @param document the document
     * @param text the file's text, as read once
     */
    record Read<T extends Document>(T document, String text) {}

    static <T extends Document> T read(Path file, Class<T> type) {
        return readWithText(file, type).document();
    }

    /**
     * Reads a document and keeps the text it was read from, as {@link Documents#read(Path, Class)} reads it (at
     * most 8 MiB of strict UTF-8): what a command that replaces the file puts back when it cannot finish is then
     * the text it worked from, not the file read a second time, which may have changed in between.
     */
    static <T extends Document> Read<T> readWithText(Path file, Class<T> type) {
        InvalidInputException.checkReadable(file);
        DocumentKind kind = DocumentKind.of(type);
        String text;
        try {
            text = TextFiles.read(file);
        } catch (TextFiles.TooLargeException e) {
            throw invalid(file, new InvalidDocumentException(kind, "$", e.problem(), e), kind, null);
        } catch (CharacterCodingException e) {
            throw invalid(file, new InvalidDocumentException(kind, "$", "not valid UTF-8", e), kind, null);
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
        try {
            return new Read<>(Documents.read(text, type), text);
        } catch (InvalidDocumentException e) {
            throw invalid(file, e, kind, text);
        }
    }

    private static InvalidInputException invalid(Path file, InvalidDocumentException e, DocumentKind wanted,
            @Nullable String text) {
        return new InvalidInputException(file + ": " + e.getMessage() + otherKind(text, wanted), e);
    }

    /** Says which document the text is when it is another kind, since "unknown field" alone misleads then. */
    private static String otherKind(@Nullable String text, DocumentKind wanted) {
        if (text == null) {
            return "";
        }
        try {
            DocumentKind found = Documents.detect(text);
            return found == wanted ? "" : " (this file is a document of another kind: " + found.displayName()
                    + ", not " + wanted.displayName() + ")";
        } catch (InvalidDocumentException e) {
            return "";
        }
    }
}
