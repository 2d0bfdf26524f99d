package io.fleetpredict.core.provision;

import java.nio.file.Path;
import java.util.Objects;

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
     * fleet state document) and {@code history/} (every committed version with its intents). Writes go
     * to a temporary file that is forced to disk and then renamed over the old one, so a crash leaves
     * either the old or the new version; compare-and-set holds across threads and, through a file
     * lock, across processes. A fleet id must be a plain name ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}},
     * so never {@code .} or {@code ..}) and no symbolic link inside the directory is followed, so nothing
     * is read or written outside it.
     *
     * @param directory the root directory; created if absent
     * @return the store
     * @throws IllegalArgumentException if the path exists and is not a folder (or a link to one)
     */
    public static FleetStateStore directory(Path directory) {
        return new FileFleetStateStore(Objects.requireNonNull(directory, "directory"));
    }

    static void checkNext(long expectedVersion, StoredFleet next) {
        Objects.requireNonNull(next, "next");
        if (next.version() != expectedVersion + 1) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "next.version must be expectedVersion + 1 = %d, was %d", expectedVersion + 1, next.version()));
        }
    }
}
