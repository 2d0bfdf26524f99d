package io.fleetpredict.cli;

import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.document.Document;
import io.fleetpredict.core.document.DocumentKind;
import io.fleetpredict.core.document.Documents;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads the documents a command is given, so that every error names the file: the core codec reports the JSON
 * path but does not know where the text came from.
 */
final class DocumentFiles {

    private DocumentFiles() {
    }

    static <T extends Document> T read(Path file, Class<T> type) {
        InvalidInputException.checkReadable(file);
        try {
            return Documents.read(file, type);
        } catch (InvalidDocumentException e) {
            throw new InvalidInputException(file + ": " + e.getMessage() + otherKind(file, type), e);
        } catch (UncheckedIOException e) {
            // An UncheckedIOException always has its IOException as the cause.
            throw InvalidInputException.unreadable(file, Objects.requireNonNull(e.getCause()));
        }
    }

    /** Says which document the file is when it is another kind, since "unknown field" alone misleads then. */
    private static String otherKind(Path file, Class<? extends Document> type) {
        try {
            // A device or a pipe was read once already: read again it may wait for a writer, or never end.
            if (!Files.isRegularFile(file)) {
                return "";
            }
            DocumentKind found = Documents.detect(file);
            DocumentKind wanted = DocumentKind.of(type);
            return found == wanted ? "" : " (this file is a document of another kind: " + found.displayName()
                    + ", not " + wanted.displayName() + ")";
        } catch (InvalidDocumentException | UncheckedIOException e) {
            return "";
        }
    }
}
