package io.fleetpredict.core.provision;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/** The fleet state stores that come with the library. */
public final class FleetStateStores {

    private FleetStateStores() {
    }

    /**
     * A store in memory, for tests and single-process hosts that rebuild state on start. Its
     * {@link FleetStateStore#history} holds every committed state; of the intents, only the latest
     * version's are kept, so its memory grows with the number of versions by the size of a state alone.
     *
     * @return a new, empty store
     */
    public static FleetStateStore inMemory() {
        return new InMemoryFleetStateStore();
    }

    /**
     * A store in a directory: one sub-directory per fleet holding {@code state.json} (the current
     * fleet state document) and {@code history/} (every committed version with its intents, kept for ever:
     * {@link #directory(Path, int)} bounds it). Writes go
     * to a temporary file that is forced to disk and then renamed over the old one, so a crash leaves
     * either the old or the new version; compare-and-set holds across threads and, through a file
     * lock, across processes. A fleet id must be a plain name ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}},
     * so never {@code .} or {@code ..}) and no symbolic link inside the directory is followed, so nothing
     * is read or written outside it.
     *
     * A fleet whose {@code state.json} is gone while its history remains is refused by every read and by
     * {@link FleetStateStore#create} ({@link StateStoreException.Reason#MISSING}, naming the newest version the
     * history holds), rather than started again as a new fleet.
     *
     * @param directory the root directory; created if absent
     * @return the store
     * @throws IllegalArgumentException if the path exists and is not a folder (or a link to one)
     */
    public static FleetStateStore directory(Path directory) {
        return new FileFleetStateStore(Objects.requireNonNull(directory, "directory"), OptionalInt.empty());
    }

    /**
     * A store in a directory, as {@link #directory(Path)}, that keeps the history files of the newest
     * {@code keptVersions} versions of each fleet only: after each commit it removes the state and intents files
     * of older versions, oldest first, so {@link FleetStateStore#history} holds the newest versions without a
     * gap. The current state is always kept, and so is every intent still open (the current version's intents
     * file carries each one; nothing reads an earlier version's). A removal that fails is logged (WARN) and
     * tried again at the next commit; the commit itself stands. Versions are counted, not time: each
     * launch or release writes two or more (its intent, then its settlement) and a cycle with nothing to change
     * writes none, so a count sized from the versions a past week wrote keeps about a week.
     *
     * @param directory the root directory; created if absent
     * @param keptVersions how many of the newest versions to keep, at least 2: the current one and the one
     *     before it, so a fleet whose {@code state.json} is lost still shows a history that no create can mistake
     *     for a crashed first commit
     * @return the store
     * @throws IllegalArgumentException if {@code keptVersions} is below 2, or the path exists and is not a folder
     */
    public static FleetStateStore directory(Path directory, int keptVersions) {
        Objects.requireNonNull(directory, "directory");
        if (keptVersions < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "keptVersions must be at least 2 (the current version and the one before it), was %d",
                    keptVersions));
        }
        return new FileFleetStateStore(directory, OptionalInt.of(keptVersions));
    }

    static void checkNext(long expectedVersion, StoredFleet next) {
        Objects.requireNonNull(next, "next");
        if (next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "next.version must be expectedVersion + 1 = %d, was %d", expectedVersion + 1, next.version()));
        }
    }
}
