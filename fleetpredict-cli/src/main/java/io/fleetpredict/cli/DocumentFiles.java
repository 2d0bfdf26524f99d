package io.fleetpredict.cli;

import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.document.Document;
import io.fleetpredict.core.document.DocumentKind;
import io.fleetpredict.core.document.Documents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads the documents a command is given, so that every error names the file: the core codec reports the JSON
 * path but does not know where the text came from.
 */
final class DocumentFiles {

    /** The size of the largest document the codec reads, 8 MiB, beyond which no kind is told. */
    private static final long MAX_HINT_BYTES = 8L * 1024 * 1024;

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
            // Only a file the codec could have read whole: a device or a pipe may never end.
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_HINT_BYTES) {
                return "";
            }
            DocumentKind found = Documents.detect(Files.readString(file, StandardCharsets.UTF_8));
            DocumentKind wanted = DocumentKind.of(type);
            return found == wanted ? "" : " (this file is a document of another kind: " + found.displayName()
                    + ", not " + wanted.displayName() + ")";
        } catch (InvalidDocumentException | IOException | UncheckedIOException e) {
            return "";
        }
    }
}
