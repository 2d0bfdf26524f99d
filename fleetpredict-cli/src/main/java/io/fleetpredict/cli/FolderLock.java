package io.fleetpredict.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a folder's {@code .lock} file (or a file's {@code FILE.lock} beside it), held by one
 * command run for as long as it reads and writes the files there, so that two runs on the same folder do not
 * overwrite each other's files. A second run is refused at
 * once rather than made to wait: the first may be a long run, and the user had better know.
 */
final class FolderLock implements AutoCloseable {
    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code folder/.lock}, making the folder if need be.
     *
     * @throws InvalidInputException when another run holds it, or the lock file cannot be made
     */
    static FolderLock take(Path folder) {
        return take(folder, folder.resolve(FILE));
    }

    /**
     * Takes the lock on {@code FILE.lock} beside {@code guarded}, for a run that reads, changes and writes it back.
     *
     * @throws InvalidInputException when another run holds it, or the lock file cannot be made
     */
    static FolderLock beside(Path guarded) {
        return take(guarded, guarded.resolveSibling(guarded.getFileName() + ".lock"));
    }

    private static FolderLock take(Path guarded, Path file) {
        FileChannel channel;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be used as the lock file: " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Held by another run in this same process: the file system lock is per process, not per thread.
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new InvalidInputException(file + ": cannot be locked: " + e.getMessage(), e);
        }
        if (lock == null) {
            close(channel);
            throw new InvalidInputException(guarded + ": in use by another fleetpredict run (it holds " + file
                    + "); try again when that run has finished");
        }
        return new FolderLock(channel, lock);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was locked through it; nothing to undo.
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases it as well.
        }
        close(channel);
    }
}
