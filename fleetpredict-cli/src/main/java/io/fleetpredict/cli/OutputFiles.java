package io.fleetpredict.cli;

import io.fleetpredict.core.internal.Checks;
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
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

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
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // Replacing it would turn a device (/dev/null, a terminal) or a pipe into a plain file, for everyone.
            throw cannotWrite(file, "not a regular file (a device, a pipe or a socket); give a file to write");
        }
        Path target = destination(file);
        Path parent = target.getParent();
        if (parent != null) {
            checkFolder(parent, file);
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw cannotWrite(file, "permission denied");
        }
    }

    /** The options that name a file the command writes (replaces or appends to); every other path is read. */
    private static final Set<String> WRITTEN = Set.of("--out", "--output", "--plot", "--audit");

    /** A path option's value, with the option as the command names it. */
    private record Named(String option, Path path) {
        String shown() {
            return option + " " + Checks.printable(path.toString());
        }
    }

    /**
     * Refuses a command whose output would destroy one of its inputs or another of its outputs: an output that is
     * the same file as an existing input, or as another output, given by its own path, a symbolic link or a hard
     * link ({@code forecast --input in.csv --plot in.csv}, {@code override add --overrides o.json --audit o.json}).
     * The {@code --out DIR} of {@code predict}, {@code demo} and {@code replay} counts as the files it receives
     * ({@link WritesIntoFolder}); an output that is an existing file inside a folder the command reads
     * ({@code predict --history DIR}) is refused too, as overwriting one of its inputs.
     *
     * @throws CommandLine.ParameterException naming both options and the path, a usage error
     */
    static void checkDistinct(CommandSpec command) {
        List<Named> outputs = new ArrayList<>();
        List<Named> inputs = new ArrayList<>();
        for (CommandLine.Model.OptionSpec option : command.options()) {
            String name = option.names()[0];
            boolean written = WRITTEN.contains(name)
                    // add reads the overrides document, then replaces it.
                    || (command.userObject() instanceof OverrideCommand.Add && name.equals("--overrides"));
            paths(name, option.getValue(), written ? outputs : inputs);
        }
        for (CommandLine.Model.PositionalParamSpec p : command.positionalParameters()) {
            paths(p.paramLabel(), p.getValue(), inputs);
        }
        if (command.userObject() instanceof WritesIntoFolder w) {
            // An --out folder is the files it receives: a --plot among them would be overwritten, or overwrite one.
            List<Named> expanded = new ArrayList<>();
            for (Named o : outputs) {
                if (o.option().equals("--out")) {
                    w.filesWrittenIntoOut().forEach(name -> expanded.add(new Named("--out", o.path().resolve(name))));
                } else {
                    expanded.add(o);
                }
            }
            outputs = expanded;
        }
        outputs.removeIf(o -> Files.isDirectory(o.path()));
        for (int i = 0; i < outputs.size(); i++) {
            Named output = outputs.get(i);
            for (Named other : outputs.subList(0, i)) {
                if (same(output.path(), other.path())) {
                    throw new CommandLine.ParameterException(command.commandLine(), output.shown()
                            + ": the same file as " + other.shown() + "; each output needs a file of its own");
                }
            }
            for (Named input : inputs) {
                if (Files.exists(input.path()) && same(output.path(), input.path())) {
                    throw new CommandLine.ParameterException(command.commandLine(), output.shown()
                            + ": the same file as " + input.shown() + ", which would be overwritten");
                }
                if (Files.isDirectory(input.path()) && Files.isRegularFile(output.path())
                        && place(output.path()).startsWith(place(input.path()))) {
                    // A file of a folder the command reads (predict's --history) would be overwritten by it.
                    throw new CommandLine.ParameterException(command.commandLine(), output.shown()
                            + ": a file in " + input.shown() + ", which is read, and would be overwritten");
                }
            }
        }
    }

    private static void paths(String option, @Nullable Object value, List<Named> into) {
        if (value instanceof Path p) {
            into.add(new Named(option, p));
        } else if (value instanceof Collection<?> values) {
            values.forEach(v -> paths(option, v, into));
        }
    }

    /** Whether two paths name one file: the same file when both exist, else the same place once resolved. */
    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // Then compared by where they lead, below.
        }
        return place(a).equals(place(b));
    }

    /**
     * Where a path leads, so that two spellings of one new file compare equal: its symbolic links followed, and
     * its longest existing folder as a real path.
     */
    private static Path place(Path file) {
        Path target;
        try {
            target = destination(file);
        } catch (InvalidInputException e) {
            target = file.toAbsolutePath();
        }
        Path rest = Path.of("");
        for (Path p = target; p != null; p = p.getParent()) {
            try {
                return p.toRealPath().resolve(rest).normalize();
            } catch (IOException e) {
                Path name = p.getFileName();
                rest = name == null ? rest : name.resolve(rest);
            }
        }
        return target.normalize();
    }

    /** The most symbolic links followed from one path, as Linux's own limit. */
    private static final int MAX_LINKS = 40;

    /**
     * The file a write to {@code file} replaces: {@code file} itself or, for a symbolic link, the file it points
     * to, followed link by link, so that a link to a file not there yet names where it will be. Replacing the link
     * itself would break it (a link kept by configuration management, {@code /dev/stdout}) and leave its target
     * as it was.
     *
     * @return an absolute path that is not a symbolic link
     * @throws InvalidInputException naming {@code file} when its links cannot be read or form a loop
     */
    static Path destination(Path file) {
        Path p = file.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(p); links++) {
            if (links == MAX_LINKS) {
                throw cannotWrite(file, "too many levels of symbolic links");
            }
            try {
                // A relative link is relative to the folder holding it; an absolute one replaces the path.
                p = p.resolveSibling(Files.readSymbolicLink(p));
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
        }
        return p;
    }

    /**
     * Removes the file a write to {@code file} would replace (a symbolic link's target), when there is one: the
     * output of a run that has none to write, so an earlier run's file is not read as this one's.
     *
     * @return whether a file was removed
     * @throws InvalidInputException naming {@code file} when it cannot be removed
     */
    static boolean remove(Path file) {
        checkFile(file);
        try {
            return Files.deleteIfExists(destination(file));
        } catch (IOException e) {
            throw cannotWrite(file, e);
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
        for (Path p : missing) {
            if (Files.isSymbolicLink(p)) {
                // A link whose target is not there: creating the folder would meet the link, "a file".
                throw cannotWrite(named, brokenLink(p));
            }
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

    /** What is wrong with a symbolic link that leads nowhere: where it points, or that its links form a loop. */
    private static String brokenLink(Path link) {
        try {
            Path end = destination(link);
            return link + " is a symbolic link to " + end + ", which is not there";
        } catch (InvalidInputException e) {
            return link + " is a symbolic link in a loop of links (too many levels of symbolic links)";
        }
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file beside it and a move, so that a reader never
     * sees half a file and a failure leaves the old content in place. A symbolic link is written through: its
     * target is replaced ({@link #destination}).
     *
     * @throws InvalidInputException naming the file and why it cannot be written
     */
    static void write(Path file, String text) {
        checkFile(file);
        Path target = destination(file);
        @Nullable Path tmp = null;
        try {
            // Not Files.createTempFile: its file is readable by the owner alone, and the move would hand that mode
            // to every document and chart written. Created this way the file gets the mode any new file gets.
            // Beside the target, not the link: a move across file systems could not be atomic.
            tmp = target.resolveSibling(temporaryName(String.valueOf(target.getFileName())));
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            keepMode(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
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
