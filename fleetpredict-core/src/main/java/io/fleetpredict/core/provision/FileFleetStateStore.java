package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.internal.TextFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FleetStateStore} on the file system.
 *
 * <p>Layout per fleet: {@code history/state-<version>.json} and {@code history/intents-<version>.json}
 * hold each version; {@code state.json} is a copy of the current state document and the commit point.
 * A commit writes the version's intents file, then replaces {@code state.json}, then writes the version's
 * history state file, each by writing a temporary file, forcing it to disk, moving it into place and forcing
 * the directory. A history file is only ever created, never replaced: history records what was done, and a
 * version written twice would lose what the first write of it did. A crash before {@code state.json} is
 * replaced leaves at most an intents file of a version that never became current (never read, and removed by
 * the next commit, which writes that version); a crash after it leaves the current version without its history
 * state file, which {@link #history} takes from {@code state.json} and the next commit writes.
 *
 * <p>So a history state file above the version of {@code state.json} (or an intents file more than one above)
 * was committed: {@code state.json} was restored from an older copy or rolled back, and acting on it would make
 * changes already made again and write their versions a second time. Reads refuse it ({@code MISSING}, naming
 * both files and versions), as they refuse a {@code state.json} that differs from its own version's history state
 * file (edited by hand, or copied from another fleet folder).
 *
 * <p>{@code state.json} missing while {@code history} holds files of a version is a fleet whose current state
 * was lost, not a fleet never stored: reads refuse it ({@code MISSING}, naming the newest version), and so does
 * {@link #create}, which would otherwise start a new fleet over the old one. The one exception is what a crash
 * in the first commit leaves (an empty {@code history}, or files of the very version being created): a create
 * of that version goes on and overwrites them.
 *
 * <p>With a number of versions to keep, each successful commit then removes the history files of older
 * versions, oldest first, so what is left is always the newest versions without a gap. Nothing reads an earlier
 * version's intents file (every intent still open is carried in the current version's), so removing it loses
 * nothing recovery needs. A removal that fails is logged and retried by the next commit; the commit stands.
 *
 * <p>Every operation holds the fleet's {@code .lock} file: exclusively to write, shared to read, so a
 * reader in another process never lists a half-made version. Within one JVM a monitor per fleet
 * directory, keyed by its real path, comes first, since a file lock is held per process.
 *
 * <p>The store never follows a symbolic link inside the root: a link planted as the fleet directory,
 * {@code history}, {@code state.json}, a temporary file or the lock file is refused (or, for a leftover
 * temporary file, removed) rather than written through, so nothing is written outside the root.
 */
final class FileFleetStateStore implements FleetStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileFleetStateStore.class);
    private static final Pattern HISTORY_STATE = Pattern.compile("state-(\\d{19})\\.json");
    /** A version's state or intents file; temporary files are never complete and never count. */
    private static final Pattern HISTORY_FILE = Pattern.compile("(?:state|intents)-(\\d{19})\\.json");
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final OptionalInt keptVersions;

    /**
     * @param root the root directory
     * @param keptVersions how many of the newest versions' history files to keep, or empty to keep every one
     */
    FileFleetStateStore(Path root, OptionalInt keptVersions) {
        this.root = root.toAbsolutePath().normalize();
        this.keptVersions = keptVersions;
        // A file in the root's place would make every read say the fleet is missing and every create fail on the
        // fleet directory, far from the cause. A link to a folder is a folder here.
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("directory: " + Checks.printable(this.root.toString())
                    + " exists and is not a folder; a directory store keeps each fleet in a folder under it");
        }
    }

    @Override
    public StoredFleet read(String fleetId) {
        Path dir = fleetDir(fleetId);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, dir + " does not exist", null);
        }
        synchronized (lockFor(fleetId, dir)) {
            try (ProcessLock held = processLock(fleetId, dir, true)) {
                held.check();
                return readUnlocked(fleetId, dir);
            } catch (IOException e) {
                throw io(fleetId, e);
            }
        }
    }

    @Override
    public boolean create(StoredFleet initial) {
        String fleetId = initial.fleetId();
        Path dir = fleetDir(fleetId);
        synchronized (lockFor(fleetId, dir)) {
            try (ProcessLock held = processLock(fleetId, dir, false)) {
                held.check();
                if (Files.exists(dir.resolve("state.json"), LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
                refuseLostFleet(fleetId, dir, initial.version());
                // What a crashed first commit of this very version left (refuseLostFleet allows nothing else) is
                // removed, so the commit below creates its history files afresh.
                Path history = dir.resolve("history");
                if (Files.isDirectory(history, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(history.resolve(intentsName(initial.version())));
                    Files.deleteIfExists(history.resolve(stateName(initial.version())));
                }
                commit(fleetId, dir, initial, null);
                return true;
            } catch (IOException e) {
                throw io(fleetId, e);
            }
        }
    }

    @Override
    public boolean compareAndSet(long expectedVersion, StoredFleet next) {
        FleetStateStores.checkNext(expectedVersion, next);
        String fleetId = next.fleetId();
        Path dir = fleetDir(fleetId);
        synchronized (lockFor(fleetId, dir)) {
            try (ProcessLock held = processLock(fleetId, dir, false)) {
                held.check();
                StoredFleet current = readUnlocked(fleetId, dir);
                if (current.version() != expectedVersion) {
                    return false;
                }
                commit(fleetId, dir, next, current.state());
                return true;
            } catch (IOException e) {
                throw io(fleetId, e);
            }
        }
    }

    @Override
    public List<FleetState> history(String fleetId) {
        Path dir = fleetDir(fleetId);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        synchronized (lockFor(fleetId, dir)) {
            try (ProcessLock held = processLock(fleetId, dir, true)) {
                held.check();
                if (!Files.exists(dir.resolve("state.json"), LinkOption.NOFOLLOW_LINKS)
                        && versionsOnFile(fleetId, dir).isEmpty()) {
                    return List.of(); // never stored, or a first commit that never finished
                }
                FleetState currentState = readUnlocked(fleetId, dir).state();
                long current = currentState.version();
                Path history = directory(fleetId, dir.resolve("history"));
                List<Path> files;
                try (Stream<Path> listed = Files.list(history)) {
                    // Only committed versions: leftover temporary files and a version a crash left
                    // uncommitted (above the current one) are not history.
                    files = listed.filter(f -> versionOf(f) >= 0 && versionOf(f) <= current).sorted().toList();
                }
                List<FleetState> states = new ArrayList<>(files.size());
                for (Path file : files) {
                    FleetState state = readState(fleetId, file);
                    if (state.version() != versionOf(file)) {
                        throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                                file + " holds version " + state.version(), null);
                    }
                    states.add(state);
                }
                if (files.isEmpty() || versionOf(files.get(files.size() - 1)) != current) {
                    // A crash between replacing state.json and writing its history file: state.json is that version.
                    states.add(currentState);
                }
                return states;
            } catch (IOException | UncheckedIOException e) {
                throw io(fleetId, e);
            }
        }
    }

    /** The version a history state file holds by its name, or -1 for any other name (one too large for a version too). */
    private static long versionOf(Path file) {
        return versionIn(HISTORY_STATE, file);
    }

    /** The version of a history state or intents file by its name, or -1 for any other name. */
    private static long versionOfAny(Path file) {
        return versionIn(HISTORY_FILE, file);
    }

    private static long versionIn(Pattern pattern, Path file) {
        Matcher m = pattern.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1; // nineteen digits above Long.MAX_VALUE: no commit writes it, so it is no version of this fleet
        }
    }

    private static StateStoreException io(String fleetId, Exception e) {
        return new StateStoreException(StateStoreException.Reason.IO, fleetId, e.toString(), e);
    }

    private StoredFleet readUnlocked(String fleetId, Path dir) throws IOException {
        Path stateFile = dir.resolve("state.json");
        if (!Files.exists(stateFile, LinkOption.NOFOLLOW_LINKS)) {
            NavigableSet<Long> versions = versionsOnFile(fleetId, dir);
            if (!versions.isEmpty()) {
                throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, stateFile
                        + " does not exist, though " + dir.resolve("history") + " holds versions up to "
                        + versions.last() + newestState(dir, versions), null);
            }
        }
        FleetState state = readState(fleetId, stateFile);
        if (!state.fleetId().equals(fleetId)) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    stateFile + " holds fleet '" + state.fleetId() + "'", null);
        }
        refuseRolledBack(fleetId, dir, state);
        Path intentsFile = dir.resolve("history").resolve(intentsName(state.version()));
        String intents;
        try {
            directory(fleetId, dir.resolve("history"));
            intents = readText(intentsFile);
        } catch (IOException e) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    intentsFile + " cannot be read: " + e, e);
        } catch (InvalidDocumentException e) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    intentsFile + ": " + e.getMessage(), e);
        }
        try {
            return new StoredFleet(state, IntentsFile.read(intents, state.version()));
        } catch (RuntimeException e) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    intentsFile + ": " + e.getMessage(), e);
        }
    }

    private static String intentsName(long version) {
        return String.format(Locale.ROOT, "intents-%019d.json", version);
    }

    private static String stateName(long version) {
        return String.format(Locale.ROOT, "state-%019d.json", version);
    }

    /**
     * Refuses a {@code state.json} that is not the fleet's current state by its own history: a history state file
     * of a later version (only a committed version has one), an intents file more than one version later (a crash
     * leaves at most the next version's), or a history state file of the same version with other content.
     */
    private static void refuseRolledBack(String fleetId, Path dir, FleetState state) throws IOException {
        Path stateFile = dir.resolve("state.json");
        Path history = dir.resolve("history");
        long version = state.version();
        if (!Files.exists(history, LinkOption.NOFOLLOW_LINKS)) {
            return; // the intents file is missing too, refused as unreadable
        }
        directory(fleetId, history);
        Path newer = null;
        long newest = -1;
        try (Stream<Path> listed = Files.list(history)) {
            for (Path file : (Iterable<Path>) listed::iterator) {
                long v = versionOf(file);
                long any = versionOfAny(file);
                boolean committed = v > version || v < 0 && any > version + 1;
                if (committed && (any > newest || any == newest && v >= 0)) { // the state file of a version first
                    newest = any;
                    newer = file;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (newer != null) {
            throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, stateFile + " holds version "
                    + version + ", but " + newer + " holds version " + newest + ", a later one: state.json was "
                    + "restored from an older copy or rolled back, and going on from it would make changes already made "
                    + "again and write their versions a second time. Nothing was written. Copy the newest state in "
                    + history + " to state.json to go on from it", null);
        }
        Path own = history.resolve(stateName(version));
        if (Files.exists(own, LinkOption.NOFOLLOW_LINKS) && !readState(fleetId, own).equals(state)) {
            throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, stateFile + " holds version "
                    + version + " but differs from " + own + ", the state committed as that version: state.json was "
                    + "edited or copied from elsewhere. Nothing was written. Copy " + own + " to state.json to go on "
                    + "from the committed state", null);
        }
    }

    private static FleetState readState(String fleetId, Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    file + " is a symbolic link; the store does not follow links", null);
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            // Reading it would fail with a bare "Is a directory" that names no file.
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    file + " is a directory, not a file", null);
        }
        try {
            String text = readText(file);
            if (text.isEmpty()) {
                throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId, file + " is empty", null);
            }
            return Documents.read(text, FleetState.class);
        } catch (NoSuchFileException e) {
            throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, file + " does not exist", e);
        } catch (FileSystemException e) {
            // ELOOP from a refused link, a permission, a directory where a file should be.
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    file + " cannot be read: " + e.getMessage(), e);
        } catch (IOException e) {
            throw io(fleetId, e);
        } catch (InvalidDocumentException e) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId, file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a UTF-8 file without following a link in its last component, to the documents' size limit: a planted
     * file of gigabytes, or a device that never ends, is refused instead of read into memory, and a pipe, device
     * or socket is refused unopened.
     */
    private static String readText(Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            // Opening a named pipe waits for a writer that may never come.
            throw new FileSystemException(file.toString(), null,
                    "not a regular file (a directory, pipe, device or socket); the store reads only files");
        }
        try {
            return TextFiles.read(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (TextFiles.TooLargeException e) {
            throw new InvalidDocumentException(null, "$", e.problem(), e);
        } catch (CharacterCodingException e) {
            throw new InvalidDocumentException(null, "$", "not valid UTF-8", e);
        }
    }

    /**
     * Refuses to create a fleet whose {@code state.json} is gone while its history holds another version than the
     * one being created: that fleet existed, and a new one over it would forget the instances it runs. Files of
     * the version being created alone are what a crash in the first commit leaves (it writes the intents file,
     * then {@code state.json}, then the history state file); such a fleet never held anything but its first version, so
     * writing that version again loses nothing. Keeping at least two versions makes every fleet that moved past
     * its first version hold two, so at least one differs from any version a create could ask for.
     */
    private static void refuseLostFleet(String fleetId, Path dir, long creating) throws IOException {
        NavigableSet<Long> versions = versionsOnFile(fleetId, dir);
        if (versions.isEmpty() || versions.size() == 1 && versions.first() == creating) {
            return;
        }
        throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, dir.resolve("state.json")
                + " does not exist, but " + dir.resolve("history") + " holds versions up to " + versions.last()
                + newestState(dir, versions) + ": the fleet was stored before and its current state is lost, so no "
                + "new fleet is started over it (version " + creating + " was not written). Copy the newest state "
                + "to state.json to go on from it, or move " + dir + " away to start a new fleet", null);
    }

    /** Names the newest state file among the versions, if any has one. */
    private static String newestState(Path dir, NavigableSet<Long> versions) {
        for (long v : versions.descendingSet()) {
            Path file = dir.resolve("history").resolve(String.format(Locale.ROOT, "state-%019d.json", v));
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return " (newest state: " + file + ")";
            }
        }
        return " (intents files only)";
    }

    /** The versions that {@code history} holds a state or intents file of, by name; empty without a history. */
    private static NavigableSet<Long> versionsOnFile(String fleetId, Path dir) throws IOException {
        Path history = dir.resolve("history");
        NavigableSet<Long> versions = new TreeSet<>();
        if (!Files.exists(history, LinkOption.NOFOLLOW_LINKS)) {
            return versions;
        }
        directory(fleetId, history);
        try (Stream<Path> listed = Files.list(history)) {
            listed.mapToLong(FileFleetStateStore::versionOfAny).filter(v -> v >= 0).forEach(versions::add);
        }
        return versions;
    }

    /**
     * Commits {@code next} over {@code current} (null for a create). The history files are created, never
     * replaced: a history state file of {@code next}'s version already there is refused before anything is
     * written. An intents file of that version without its state file was never committed (a crash before
     * {@code state.json} was replaced) and is removed first.
     */
    private void commit(String fleetId, Path dir, StoredFleet next, @Nullable FleetState current) throws IOException {
        Path history = dir.resolve("history");
        if (!Files.exists(history, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(history);
        }
        directory(fleetId, history);
        Path stateHistory = history.resolve(stateName(next.version()));
        if (Files.exists(stateHistory, LinkOption.NOFOLLOW_LINKS)) {
            throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, stateHistory
                    + " exists: version " + next.version() + " was committed before and a commit never replaces "
                    + "history; nothing was written", null);
        }
        if (current != null && !Files.exists(history.resolve(stateName(current.version())), LinkOption.NOFOLLOW_LINKS)) {
            // A crash after the last commit replaced state.json and before it wrote its history state file.
            writeNew(fleetId, history, stateName(current.version()), Documents.write(current));
        }
        String state = Documents.write(next.state());
        Files.deleteIfExists(history.resolve(intentsName(next.version())));
        writeNew(fleetId, history, intentsName(next.version()), IntentsFile.write(next));
        writeAtomically(dir, "state.json", state);
        writeNew(fleetId, history, stateName(next.version()), state);
        prune(fleetId, history, next.version());
    }

    /**
     * Removes the history files of the versions before the newest {@code keptVersions}, oldest first and each
     * version's intents before its state, so a crash part way leaves the newest versions without a gap (and never
     * an intents file without its state). It stops at the first file it cannot remove, for the same reason; the
     * next commit tries again. The current version and any above it (a commit a crash left unfinished) are never
     * touched.
     */
    private void prune(String fleetId, Path history, long current) {
        if (keptVersions.isEmpty()) {
            return;
        }
        long oldestKept = current - keptVersions.getAsInt() + 1;
        if (oldestKept <= 0) {
            return;
        }
        List<Path> old;
        try (Stream<Path> listed = Files.list(history)) {
            old = listed.filter(f -> versionOfAny(f) >= 0 && versionOfAny(f) < oldestKept)
                    .sorted(Comparator.comparingLong(FileFleetStateStore::versionOfAny)
                            .thenComparing(f -> !f.getFileName().toString().startsWith("intents-")))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("fleet {}: history before version {} not pruned, cannot list {}: {}; version {} is committed, "
                    + "the next commit tries again", fleetId, oldestKept, history, e.toString(), current);
            return;
        }
        for (Path file : old) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("fleet {}: history before version {} not pruned, cannot remove {}: {}; version {} is "
                        + "committed, the next commit tries again", fleetId, oldestKept, file, e.toString(), current);
                return;
            }
        }
        if (!old.isEmpty()) {
            LOG.debug("fleet {}: removed {} history files before version {}", fleetId, old.size(), oldestKept);
        }
    }

    private static void writeAtomically(Path dir, String name, String content) throws IOException {
        Path tmp = writeTemporary(dir, name, content);
        try {
            // rename(2) replaces a link at the target with the file; it never writes through it.
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    /**
     * Writes a file that must not exist yet, as {@link #writeAtomically} does but failing rather than replacing one
     * that does: a hard link fails on an existing name (an atomic rename would replace it); where links are not
     * supported, a move without replacing, checked under the fleet's lock.
     */
    private static void writeNew(String fleetId, Path dir, String name, String content) throws IOException {
        Path tmp = writeTemporary(dir, name, content);
        Path target = dir.resolve(name);
        try {
            try {
                Files.createLink(target, tmp);
                Files.delete(tmp);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.move(tmp, target);
            }
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp);
            throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, target + " exists: a commit "
                    + "never replaces history", e);
        }
        forceDirectory(dir);
    }

    private static Path writeTemporary(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        // A leftover of a crash, or something planted: removed (a link itself, never its target), and the
        // new file is created afresh, so the write can only land in this directory.
        Files.deleteIfExists(tmp);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        return tmp;
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename durable on POSIX file systems; other systems refuse to open a directory.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // nothing more can be done portably
        }
    }

    /** Requires a real directory, not a link to one. */
    private static Path directory(String fleetId, Path dir) {
        if (Files.isSymbolicLink(dir) || (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId, dir
                    + " is not a directory but " + (Files.isSymbolicLink(dir) ? "a symbolic link" : "a file")
                    + "; the store does not follow links", null);
        }
        return dir;
    }

    /** A lock on the fleet's lock file, held across processes until closed. */
    private record ProcessLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        void check() throws IOException {
            if (!lock.isValid()) {
                throw new IOException("lock on " + channel + " was lost");
            }
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private ProcessLock processLock(String fleetId, Path dir, boolean shared) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
        }
        directory(fleetId, dir);
        FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            return new ProcessLock(channel, channel.lock(0, Long.MAX_VALUE, shared));
        } catch (OverlappingFileLockException e) {
            channel.close();
            // The same directory reached by two paths the real-path key could not unify (a bind mount).
            throw new StateStoreException(StateStoreException.Reason.IO, fleetId, dir
                    + " is already locked by this process under another path; open the store once", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private Path fleetDir(String fleetId) {
        // A plain name, so never ".", ".." nor a hidden or option-like name.
        Checks.fleetId("fleetId", fleetId);
        Path dir = root.resolve(fleetId).normalize();
        if (!root.equals(dir.getParent())) {
            throw new IllegalArgumentException("fleetId '" + fleetId + "' does not name a directory inside " + root);
        }
        return dir;
    }

    /**
     * The monitor of a fleet directory, keyed by its real path so two spellings of one directory (a
     * relative and an absolute path, a link to the root) share it and never ask this process's file lock
     * twice.
     */
    private Object lockFor(String fleetId, Path dir) {
        Path key;
        try {
            Files.createDirectories(root);
            key = root.toRealPath().resolve(dir.getFileName());
        } catch (IOException e) {
            throw io(fleetId, e);
        }
        return LOCKS.computeIfAbsent(key, d -> new Object());
    }
}
