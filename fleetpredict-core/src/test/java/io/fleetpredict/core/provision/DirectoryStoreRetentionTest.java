package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.FleetState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A directory store bounded to a number of versions keeps the newest ones, reads back after a crash between a
 * commit and its prune, and never fails a commit because a prune did.
 */
class DirectoryStoreRetentionTest {

    @TempDir
    Path dir;

    private Path fleet() {
        return dir.resolve("shop");
    }

    private Path history() {
        return fleet().resolve("history");
    }

    private static String stateName(long version) {
        return String.format(Locale.ROOT, "state-%019d.json", version);
    }

    private static String intentsName(long version) {
        return String.format(Locale.ROOT, "intents-%019d.json", version);
    }

    private static StoredFleet initial(long version) {
        return StoredFleet.of(Fixtures.emptyFleet("shop", version, "checkout", "critical"));
    }

    /** Creates the fleet at version 0 and commits up to {@code last}, an open intent written at version 1. */
    private static StoredFleet commitUpTo(FleetStateStore store, long last) {
        StoredFleet s = initial(0);
        assertTrue(store.create(s));
        for (long v = 1; v <= last; v++) {
            StoredFleet next = Fixtures.next(s, v == 1 ? List.of(Fixtures.intent("a")) : s.intents());
            assertTrue(store.compareAndSet(v - 1, next));
            s = next;
        }
        return s;
    }

    /** Every file under the fleet's folder but the lock, with its content. */
    private Map<String, String> files() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walked = Files.walk(fleet())) {
            for (Path f : walked.filter(Files::isRegularFile).filter(f -> !f.endsWith(".lock")).toList()) {
                files.put(fleet().relativize(f).toString(), Files.readString(f));
            }
        }
        return files;
    }

    private List<String> historyNames() throws IOException {
        try (Stream<Path> listed = Files.list(history())) {
            return listed.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> namesOf(long first, long last) {
        List<String> names = new ArrayList<>();
        LongStream.rangeClosed(first, last).forEach(v -> names.add(intentsName(v)));
        LongStream.rangeClosed(first, last).forEach(v -> names.add(stateName(v)));
        return names.stream().sorted().toList();
    }

    @Test
    void bounded_manyCommits_keepsTheNewestVersionsAndTheOpenIntent() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir, 3);
        StoredFleet last = commitUpTo(store, 9);
        assertEquals(namesOf(7, 9), historyNames());
        assertEquals(List.of(7L, 8L, 9L), store.history("shop").stream().map(FleetState::version).toList());
        StoredFleet read = store.read("shop");
        assertEquals(last, read);
        assertEquals(ProvisioningIntent.Status.OPEN, read.intent("a").orElseThrow().status(),
                "the intent written at version 1 is still open, carried in the current version's file");
    }

    /**
     * A crash after a commit and before its prune (or part way through the prune, which removes the oldest
     * version first, its intents before its state) leaves more files than the bound: the store reads back, its
     * history is the versions left without a gap, and the next commit removes the rest.
     */
    @Test
    void bounded_crashBetweenCommitAndPrune_readsBackAndTheNextCommitPrunes() throws IOException {
        StoredFleet last = commitUpTo(FleetStateStores.directory(dir), 9);
        Files.delete(history().resolve(intentsName(0)));
        Files.delete(history().resolve(stateName(0)));
        Files.delete(history().resolve(intentsName(1)));

        FleetStateStore store = FleetStateStores.directory(dir, 2);
        assertEquals(last, store.read("shop"));
        assertEquals(LongStream.rangeClosed(1, 9).boxed().toList(),
                store.history("shop").stream().map(FleetState::version).toList());
        assertTrue(store.compareAndSet(9, Fixtures.next(last, last.intents())));
        assertEquals(namesOf(9, 10), historyNames());
        assertEquals(10, store.read("shop").version());
    }

    /**
     * A file the prune cannot remove (a folder with something in it where an old version's state file was) does
     * not fail the commit; the prune stops there, so the versions after it stay without a gap, and a later
     * commit finishes once the file can go.
     */
    @Test
    void bounded_pruneFails_commitStandsAndNoGapIsLeft() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir, 2);
        StoredFleet s = commitUpTo(FleetStateStores.directory(dir), 4);
        Path blocked = history().resolve(stateName(2));
        Files.delete(blocked);
        Files.createDirectories(blocked.resolve("inside"));

        StoredFleet next = Fixtures.next(s, s.intents());
        assertTrue(store.compareAndSet(4, next));
        assertEquals(next, store.read("shop"));
        List<String> left = new ArrayList<>(namesOf(3, 5));
        left.add(stateName(2));
        assertEquals(left.stream().sorted().toList(), historyNames(),
                "versions 0 and 1 and the intents of 2 removed, then it stopped at the folder");

        Files.delete(blocked.resolve("inside"));
        assertTrue(store.compareAndSet(5, Fixtures.next(next, next.intents())));
        assertEquals(namesOf(5, 6), historyNames());
    }

    /**
     * An old version's intents file the prune cannot remove stops it before that version's state file, so what is
     * left never holds an intents file without its state: the version stays in the history, whole, until a later
     * commit can remove both.
     */
    @Test
    void bounded_intentsFileCannotGo_itsStateStaysInTheHistory() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir, 2);
        StoredFleet s = commitUpTo(FleetStateStores.directory(dir), 1);
        Path blocked = history().resolve(intentsName(0));
        Files.delete(blocked);
        Files.createDirectories(blocked.resolve("inside"));

        StoredFleet next = Fixtures.next(s, s.intents());
        assertTrue(store.compareAndSet(1, next));
        List<String> left = new ArrayList<>(namesOf(1, 2));
        left.add(intentsName(0));
        left.add(stateName(0));
        assertEquals(left.stream().sorted().toList(), historyNames());
        assertEquals(List.of(0L, 1L, 2L), store.history("shop").stream().map(FleetState::version).toList());

        Files.delete(blocked.resolve("inside"));
        assertTrue(store.compareAndSet(2, Fixtures.next(next, next.intents())));
        assertEquals(namesOf(2, 3), historyNames());
    }

    /**
     * Two versions are the least a bounded store keeps, so a fleet that moved past its first version and lost its
     * {@code state.json} is still refused, even by a create of the very version it was at.
     */
    @Test
    void bounded_stateJsonGone_createOfTheCurrentVersionRefused() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir, 2);
        commitUpTo(store, 5);
        Files.delete(fleet().resolve("state.json"));
        Map<String, String> before = files();
        StateStoreException e = assertThrows(StateStoreException.class, () -> store.create(initial(5)));
        assertEquals(StateStoreException.Reason.MISSING, e.reason());
        assertTrue(e.getMessage().contains("holds versions up to 5"), e.getMessage());
        assertEquals(before, files());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0, -3, Integer.MIN_VALUE})
    void bounded_fewerThanTwoVersions_refusedByNameAndNothingMade(int kept) {
        Path root = dir.resolve("store");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FleetStateStores.directory(root, kept));
        assertEquals("keptVersions must be at least 2 (the current version and the one before it), was " + kept,
                e.getMessage());
        assertFalse(Files.exists(root));
    }
}
