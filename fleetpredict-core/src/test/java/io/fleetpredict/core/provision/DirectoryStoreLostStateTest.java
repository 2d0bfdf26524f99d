package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.FleetState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fleet whose {@code state.json} is lost is not started again over its history, and what a crash in the first
 * commit leaves can still be created.
 */
class DirectoryStoreLostStateTest {

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

    /**
     * The report's case: {@code state.json} removed from a fleet at version 3; the documented start-up call, a
     * create of version 0, must not start a new fleet over it. It refuses, naming the file and the newest
     * version, and writes nothing; reads say the same instead of "nothing stored".
     */
    @Test
    void create_stateJsonGoneWhileHistoryHoldsVersions_refusedMissingAndNothingChanged() throws IOException {
        commitUpTo(FleetStateStores.directory(dir), 3);
        Files.delete(fleet().resolve("state.json"));
        Map<String, String> before = files();

        FleetStateStore store = FleetStateStores.directory(dir);
        StateStoreException e = assertThrows(StateStoreException.class, () -> store.create(initial(0)));
        assertEquals(StateStoreException.Reason.MISSING, e.reason());
        assertEquals("shop", e.fleetId());
        assertTrue(e.getMessage().contains(fleet().resolve("state.json") + " does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("holds versions up to 3"), e.getMessage());
        assertTrue(e.getMessage().contains(history().resolve(stateName(3)).toString()), e.getMessage());
        assertEquals(before, files(), "a refused create writes nothing");

        for (Runnable read : List.<Runnable>of(() -> store.read("shop"), () -> store.history("shop"),
                () -> store.compareAndSet(3, Fixtures.next(initial(3), List.of())))) {
            StateStoreException r = assertThrows(StateStoreException.class, read::run);
            assertEquals(StateStoreException.Reason.MISSING, r.reason());
            assertTrue(r.getMessage().contains("holds versions up to 3"), r.getMessage());
        }
        assertEquals(before, files());
    }

    /** Intents files alone are a history too (the state files moved away, say): no new fleet over them. */
    @Test
    void create_historyHoldingIntentsFilesOnly_refusedMissing() throws IOException {
        commitUpTo(FleetStateStores.directory(dir), 2);
        Files.delete(fleet().resolve("state.json"));
        for (long v = 0; v <= 2; v++) {
            Files.delete(history().resolve(stateName(v)));
        }
        Map<String, String> before = files();
        StateStoreException e = assertThrows(StateStoreException.class,
                () -> FleetStateStores.directory(dir).create(initial(0)));
        assertEquals(StateStoreException.Reason.MISSING, e.reason());
        assertTrue(e.getMessage().contains("holds versions up to 2 (intents files only)"), e.getMessage());
        assertEquals(before, files());
    }

    /**
     * A fleet at its first version only, whose {@code state.json} is lost, looks like a crashed first commit; a
     * create of another version cannot be that commit's retry, so it is refused too.
     */
    @Test
    void create_otherVersionOverTheFilesOfASingleVersion_refusedMissing() throws IOException {
        FleetStateStores.directory(dir).create(initial(41));
        Files.delete(fleet().resolve("state.json"));
        StateStoreException e = assertThrows(StateStoreException.class,
                () -> FleetStateStores.directory(dir).create(initial(0)));
        assertTrue(e.getMessage().contains("holds versions up to 41"), e.getMessage());
    }

    /**
     * A fleet lost at version 0, the first version a fleet takes, is a lost fleet like any other: a create of
     * another version is refused and the reads say MISSING with the version, where a history of version 0 alone
     * would otherwise read as nothing stored.
     */
    @Test
    void stateJsonGoneAtVersionZero_createOfAnotherVersionRefused_readsSayMissing() throws IOException {
        commitUpTo(FleetStateStores.directory(dir), 0);
        Files.delete(fleet().resolve("state.json"));
        Map<String, String> before = files();
        FleetStateStore store = FleetStateStores.directory(dir);

        StateStoreException e = assertThrows(StateStoreException.class, () -> store.create(initial(1)));
        assertEquals(StateStoreException.Reason.MISSING, e.reason());
        assertTrue(e.getMessage().contains("holds versions up to 0"), e.getMessage());
        for (Runnable read : List.<Runnable>of(() -> store.read("shop"), () -> store.history("shop"))) {
            StateStoreException r = assertThrows(StateStoreException.class, read::run);
            assertEquals(StateStoreException.Reason.MISSING, r.reason());
            assertTrue(r.getMessage().contains("holds versions up to 0 (newest state: "
                    + history().resolve(stateName(0)) + ")"), r.getMessage());
        }
        assertEquals(before, files());
    }

    /**
     * A first commit that crashed before any file of its version was complete (the folder and its lock, an empty
     * history, temporary files) stored nothing: the history is empty, as for a fleet never stored, and a read says
     * the state is missing.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"folder and lock only", "empty history", "temporary files only"})
    void history_afterAFirstCommitThatLeftNoVersion_isEmpty(String crash) throws IOException {
        FleetStateStores.directory(dir).create(initial(7));
        Files.delete(fleet().resolve("state.json"));
        Files.delete(history().resolve(stateName(7)));
        switch (crash) {
            case "folder and lock only" -> {
                Files.delete(history().resolve(intentsName(7)));
                Files.delete(history());
            }
            case "empty history" -> Files.delete(history().resolve(intentsName(7)));
            default -> {
                Files.move(history().resolve(intentsName(7)), history().resolve(intentsName(7) + ".tmp"));
                Files.writeString(fleet().resolve("state.json.tmp"), "{\"schema_v");
            }
        }
        FleetStateStore store = FleetStateStores.directory(dir);
        assertEquals(List.of(), store.history("shop"));
        StateStoreException e = assertThrows(StateStoreException.class, () -> store.read("shop"));
        assertEquals(StateStoreException.Reason.MISSING, e.reason());
    }

    /**
     * Every state a crash in the first commit can leave (it makes the fleet folder and its lock, then
     * {@code history}, then writes the intents file, the state file and {@code state.json}, each through a
     * temporary file) is created by the retried create, which reads back as a fleet at its first version.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"folder and lock only", "empty history", "intents temporary file", "intents file",
        "state temporary file", "state file", "state.json temporary file"})
    void create_afterACrashInTheFirstCommit_goesOn(String crash) throws IOException {
        FleetStateStores.directory(dir).create(initial(7));
        Files.delete(fleet().resolve("state.json"));
        Path intents = history().resolve(intentsName(7));
        Path state = history().resolve(stateName(7));
        switch (crash) {
            case "folder and lock only" -> {
                Files.delete(intents);
                Files.delete(state);
                Files.delete(history());
            }
            case "empty history" -> {
                Files.delete(intents);
                Files.delete(state);
            }
            case "intents temporary file" -> {
                Files.move(intents, history().resolve(intentsName(7) + ".tmp"));
                Files.delete(state);
            }
            case "intents file" -> Files.delete(state);
            case "state temporary file" -> Files.move(state, history().resolve(stateName(7) + ".tmp"));
            case "state file" -> {
                // all history files written, state.json never replaced
            }
            default -> Files.writeString(fleet().resolve("state.json.tmp"), "{\"schema_v");
        }
        FleetStateStore store = FleetStateStores.directory(dir);
        assertTrue(store.create(initial(7)), crash);
        assertEquals(initial(7), store.read("shop"));
        assertEquals(List.of(7L), store.history("shop").stream().map(FleetState::version).toList());
        assertFalse(store.create(initial(7)));
    }

    /**
     * {@code state.json} replaced by an older version's history file (a restore from the wrong file) is refused,
     * naming both files and versions, by every call, and nothing is written: a commit from it would write versions
     * already in the history a second time and make their changes again.
     */
    @ParameterizedTest(name = "rolled back to {0}")
    @ValueSource(longs = {3, 4})
    void stateJsonRolledBackToAnOlderVersion_refusedAndNothingWritten(long restored) throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v5 = commitUpTo(store, 5);
        Files.copy(history().resolve(stateName(restored)), fleet().resolve("state.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> before = files();
        FleetStateStore reopened = FleetStateStores.directory(dir);
        StateStoreException read = assertThrows(StateStoreException.class, () -> reopened.read("shop"));
        assertEquals(StateStoreException.Reason.MISSING, read.reason());
        assertTrue(read.getMessage().contains(fleet().resolve("state.json") + " holds version " + restored),
                read.getMessage());
        assertTrue(read.getMessage().contains(history().resolve(stateName(5)) + " holds version 5"), read.getMessage());
        StoredFleet next = Fixtures.next(StoredFleet.of(Fixtures.emptyFleet("shop", restored, "checkout", "critical")),
                v5.intents());
        assertThrows(StateStoreException.class, () -> reopened.compareAndSet(restored, next));
        assertThrows(StateStoreException.class, () -> reopened.history("shop"));
        assertFalse(reopened.create(initial(0)));
        assertEquals(before, files());
    }

    /** A {@code state.json} edited by hand differs from its own version's history file: refused, naming both. */
    @Test
    void stateJsonDifferingFromItsOwnHistoryFile_refused() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        commitUpTo(store, 2);
        Path state = fleet().resolve("state.json");
        Files.writeString(state, Files.readString(state).replace("\"checkout\"", "\"checkout2\""));
        StateStoreException e = assertThrows(StateStoreException.class, () -> FleetStateStores.directory(dir)
                .read("shop"));
        assertEquals(StateStoreException.Reason.MISSING, e.reason());
        assertTrue(e.getMessage().contains("differs from " + history().resolve(stateName(2))), e.getMessage());
    }

    /** A commit never replaces a history state file that exists: the version was committed before. */
    @Test
    void compareAndSet_historyStateFileOfTheNextVersionExists_refusedAndNotReplaced() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v2 = commitUpTo(store, 2);
        Files.writeString(history().resolve(stateName(3)), "committed before");
        StoredFleet v3 = Fixtures.next(v2, v2.intents());
        assertThrows(StateStoreException.class, () -> store.compareAndSet(2, v3));
        assertEquals("committed before", Files.readString(history().resolve(stateName(3))));
    }

    /**
     * A crash after {@code state.json} was replaced and before the history state file was written: the history
     * still ends with the current version, and the next commit writes the missing file.
     */
    @Test
    void crashBeforeTheHistoryStateFile_historyFromStateJsonAndTheNextCommitWritesIt() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v2 = commitUpTo(store, 2);
        Files.delete(history().resolve(stateName(2)));
        assertEquals(List.of(0L, 1L, 2L), store.history("shop").stream().map(FleetState::version).toList());
        assertTrue(store.compareAndSet(2, Fixtures.next(v2, v2.intents())));
        assertTrue(Files.exists(history().resolve(stateName(2))));
        assertEquals(List.of(0L, 1L, 2L, 3L), store.history("shop").stream().map(FleetState::version).toList());
    }
}
