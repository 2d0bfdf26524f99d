package io.fleetpredict.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for the files and folders every command writes: missing parent folders are created, and a path
 * that cannot be written (a folder where a file is wanted, a file where a folder is wanted, no permission) is
 * invalid input, reported before the work is done where the command can check it first. A command that fails
 * takes back the folders it created and left empty ({@link #takeBackEmptyFolders()}), so a refused run leaves the
 * disk as it found it.
 */
final class OutputFiles {

    /**
     * The folders created by the command running on this thread, outermost first. The checks create them before
     * the work, which may still be refused; a thread of its own keeps two commands run side by side (the tests)
     * apart.
     */
    private static final ThreadLocal<List<Path>> CREATED = ThreadLocal.withInitial(ArrayList::new);

    private OutputFiles() {
    }

    /**
     * Removes the folders the command running on this thread created that are still empty, innermost first, and
     * forgets them; a folder that existed before, or that holds anything, stays.
     */
    static void takeBackEmptyFolders() {
        List<Path> created = CREATED.get();
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException e) {
                // Not empty (something was written) or not ours to remove any more: it stays, as it should.
            }
        }
        forgetCreatedFolders();
    }

    /** Forgets the folders created so far, leaving them in place: the command that created them has done its work. */
    static void forgetCreatedFolders() {
        CREATED.remove();
    }

    /**
     * Checks that {@code file} can be written, creating its missing parent folders.
     *
     * @throws InvalidInputException naming the path and why it cannot be written
     */
    static void checkFile(Path file) {
        if (Files.isDirectory(file)) {
            throw cannotWrite(file, "is a folder, not a file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            checkFolder(parent, file);
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw cannotWrite(file, "permission denied");
        }
    }

    /**
     * Checks that files can be written into {@code dir}, creating it and its missing parents.
     *
     * @throws InvalidInputException naming the path and why it cannot be written
     */
    static void checkFolder(Path dir) {
        checkFolder(dir, dir);
    }

    private static void checkFolder(Path dir, Path named) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw cannotWrite(named, (dir.equals(named) ? "" : dir + " ") + "is a file, not a folder");
        }
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw cannotWrite(named, e);
        } finally {
            // Recorded whether or not all were made: the ones that were are this command's to take back.
            missing.stream().filter(Files::isDirectory).forEach(CREATED.get()::add);
        }
        if (!Files.isWritable(dir)) {
            throw cannotWrite(named, "permission denied" + (dir.equals(named) ? "" : " in " + dir));
        }
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file beside it and a move, so that a reader never
     * sees half a file and a failure leaves the old content in place.
     *
     * @throws InvalidInputException naming the file and why it cannot be written
     */
    static void write(Path file, String text) {
        checkFile(file);
        @Nullable Path tmp = null;
        try {
            // Not Files.createTempFile: its file is readable by the owner alone, and the move would hand that mode
            // to every document and chart written. Created this way the file gets the mode any new file gets.
            tmp = file.toAbsolutePath().resolveSibling(temporaryName(file.getFileName().toString()));
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            keepMode(file, tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw cannotWrite(file, e);
        }
    }

    /** The longest file name most file systems take, in bytes of UTF-8. */
    static final int MAX_NAME_BYTES = 255;

    /**
     * A hidden name beside the file, unique and at most {@value #MAX_NAME_BYTES} bytes: the file's own name cut short
     * enough, so a name the file system takes for the file is never refused for its temporary one.
     */
    static String temporaryName(String name) {
        String suffix = "." + UUID.randomUUID() + ".tmp";
        int room = MAX_NAME_BYTES - 1 - suffix.length();
        int end = 0;
        int bytes = 0;
        while (end < name.length()) {
            int c = name.codePointAt(end);
            int length = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + length > room) {
                break;
            }
            bytes += length;
            end += Character.charCount(c);
        }
        return "." + name.substring(0, end) + suffix;
    }

    /** A file replaced keeps its permissions: a document someone made readable to others stays so. */
    private static void keepMode(Path file, Path tmp) throws IOException {
        if (Files.exists(file) && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
        }
    }

    /** The error for a path that cannot be written, saying why without repeating the path. */
    static InvalidInputException cannotWrite(Path path, IOException e) {
        return new InvalidInputException(path + ": cannot write: " + reason(path, e), e);
    }

    private static InvalidInputException cannotWrite(Path path, String reason) {
        return new InvalidInputException(path + ": cannot write: " + reason);
    }

    static String reason(Path path, IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            // createDirectories met a file where a folder was wanted.
            return (f.getFile() == null || Path.of(f.getFile()).equals(path) ? "" : f.getFile() + " ")
                    + "is a file, not a folder";
        }
        if (e instanceof NoSuchFileException) {
            return "no such folder";
        }
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return switch (reason) {
            case "Is a directory" -> "is a folder, not a file";
            case "Not a directory" -> "a parent is a file, not a folder";
            case "Permission denied" -> "permission denied";
            default -> reason;
        };
    }

    private static void deleteQuietly(@Nullable Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // The write has failed already; its error is the one to report.
        }
    }
}
