package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.cloud.PurchaseOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.AdditionalAnswers;

class FleetStateStoreTest {

    @TempDir
    Path dir;

    private FleetStateStore store(String kind) {
        return kind.equals("memory") ? FleetStateStores.inMemory() : FleetStateStores.directory(dir);
    }

    private static StoredFleet next(StoredFleet s, ProvisioningIntent... intents) {
        return Fixtures.next(s, List.of(intents));
    }

    private static ProvisioningIntent intent(String id) {
        return Fixtures.intent(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void compareAndSet_staleExpectedVersion_refusedAndHistoryKept(String kind) {
        FleetStateStore store = store(kind);
        StoredFleet v0 = StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical"));
        assertTrue(store.create(v0));
        assertFalse(store.create(v0));
        StoredFleet v1 = next(v0, intent("a"));
        assertTrue(store.compareAndSet(0, v1));
        assertFalse(store.compareAndSet(0, next(v0)), "the loser of a race sees false and must re-read");
        assertTrue(store.compareAndSet(1, next(v1, intent("a").settle(ProvisioningIntent.Status.DONE, List.of("i-1")))));
        StoredFleet read = store.read("shop");
        assertEquals(2, read.version());
        assertEquals(List.of("i-1"), read.intents().get(0).instanceIds());
        assertEquals(List.of(0L, 1L, 2L), store.history("shop").stream().map(FleetState::version).toList());
        IllegalArgumentException skipped = assertThrows(IllegalArgumentException.class, () -> store.compareAndSet(2, v1));
        assertEquals("next.version must be expectedVersion + 1 = 3, was 1", skipped.getMessage());
        StateStoreException missing = assertThrows(StateStoreException.class, () -> store.read("other"));
        assertEquals("other", missing.fleetId());
        assertEquals(StateStoreException.Reason.MISSING, missing.reason());
    }

    /**
     * An earlier version's intents are not kept by the in-memory store: nothing can read them, and over a long
     * run (a replay of a year) they would hold the id of every instance ever launched. Its states are.
     */
    @Test
    void inMemory_earlierVersionsIntents_notHeldButEveryStateIs() throws InterruptedException {
        FleetStateStore store = FleetStateStores.inMemory();
        StoredFleet v0 = StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical"));
        store.create(v0);
        java.lang.ref.WeakReference<ProvisioningIntent> old = writeOneIntentThenNone(store, v0);
        for (int i = 0; i < 20 && old.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(null, old.get(), "version 1's intent is still held");
        assertEquals(List.of(0L, 1L, 2L), store.history("shop").stream().map(FleetState::version).toList());
        assertEquals(List.of(), store.read("shop").intents());
    }

    /** Writes version 1 with an intent and version 2 without; returns a weak reference to the intent. */
    private static java.lang.ref.WeakReference<ProvisioningIntent> writeOneIntentThenNone(FleetStateStore store,
            StoredFleet v0) {
        ProvisioningIntent intent = intent("a").settle(ProvisioningIntent.Status.DONE, List.of("i-1"));
        StoredFleet v1 = next(v0, intent);
        assertTrue(store.compareAndSet(0, v1));
        assertTrue(store.compareAndSet(1, next(v1)));
        return new java.lang.ref.WeakReference<>(intent);
    }

    @Test
    void directory_releaseIntent_roundTripsAndIntentsWrittenBeforeKindsReadAsLaunches() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical"));
        store.create(v0);
        ProvisioningIntent release = new ProvisioningIntent("r", "down", "fp-rel-key", "checkout", "critical",
                "m.large", "us-east", PurchaseOption.ON_DEMAND, 2, 2, 0.096, Fixtures.T0,
                ProvisioningIntent.Status.OPEN, List.of("i-2", "i-1"), ProvisioningIntent.Kind.RELEASE);
        store.compareAndSet(0, next(v0, intent("a"), release));
        assertEquals(List.of(intent("a"), release), FleetStateStores.directory(dir).read("shop").intents());
        // A file written before intents had a kind: no "kind" field at all.
        Path file = dir.resolve("shop").resolve("history").resolve(String.format("intents-%019d.json", 1));
        String legacy = Files.readString(file, StandardCharsets.UTF_8).replaceAll(",\\s*\"kind\"\\s*:\\s*\"launch\"", "");
        assertFalse(legacy.contains("\"launch\""), legacy);
        Files.writeString(file, legacy, StandardCharsets.UTF_8);
        ProvisioningIntent read = FleetStateStores.directory(dir).read("shop").intents().get(0);
        assertEquals(ProvisioningIntent.Kind.LAUNCH, read.kind());
        assertEquals(intent("a"), read);
    }

    @Test
    void directory_reopened_readsTheLastCommittedVersionAndIgnoresAnUncommittedOne() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical"));
        store.create(v0);
        store.compareAndSet(0, next(v0, intent("a")));
        // A crash after the intents file of version 2 was written but before state.json was replaced.
        Path history = dir.resolve("shop").resolve("history");
        Files.writeString(history.resolve(String.format("intents-%019d.json", 2)), "{\"truncated\": ");
        Files.writeString(dir.resolve("shop").resolve("state.json.tmp"), "{");
        StoredFleet read = FleetStateStores.directory(dir).read("shop");
        assertEquals(1, read.version());
        assertEquals("a", read.intents().get(0).id());
        // The next commit of version 2 writes its intents file afresh.
        assertTrue(store.compareAndSet(1, next(read, intent("b"))));
        assertEquals("b", FleetStateStores.directory(dir).read("shop").intents().get(0).id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "truncated", "not json", "wrong fleet", "no intents"})
    void directory_unreadableState_clearErrorAndNoMutatingCall(String damage) throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        store.create(StoredFleet.of(fleet));
        Path state = dir.resolve("shop").resolve("state.json");
        String json = Files.readString(state);
        Function<String, String> how = switch (damage) {
            case "empty" -> s -> "";
            case "truncated" -> s -> s.substring(0, s.length() / 2);
            case "not json" -> s -> "fleet: shop";
            case "wrong fleet" -> s -> s.replace("\"shop\"", "\"other\"");
            default -> s -> {
                try {
                    Files.delete(dir.resolve("shop").resolve("history").resolve(String.format("intents-%019d.json", 0)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return s;
            };
        };
        Files.writeString(state, how.apply(json), StandardCharsets.UTF_8);

        MutableClock clock = MutableClock.at(Fixtures.T0);
        CloudProvider cloud = mock(CloudProvider.class,
                AdditionalAnswers.delegatesTo(SimulatedCloud.builder().clock(clock).build()));
        PreProvisioner p = PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).build())
                .store(FleetStateStores.directory(dir)).clock(clock).mode(PreProvisioner.Mode.APPLY)
                .gate(CostGate.builder(100).build()).build();
        StateStoreException e = assertThrows(StateStoreException.class,
                () -> p.run(Fixtures.plan(fleet, Fixtures.change("c", "checkout", 2, 1))));
        System.out.println("[figure] state document " + damage + ": 0 mutating calls, error: " + e.getMessage());
        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains(dir.resolve("shop").toString()), e.getMessage());
        verify(cloud, never()).provision(any());
        verify(cloud, never()).release(any());
        verify(cloud, never()).configure(any());
    }

    @Test
    void directory_stateFileIsAFleetStateDocument() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        FleetState fleet = Fixtures.emptyFleet("shop", 0, "checkout", "critical");
        store.create(StoredFleet.of(fleet));
        assertEquals(fleet, Documents.read(dir.resolve("shop").resolve("state.json"), FleetState.class));
    }

    @Test
    void directory_unsafeFleetId_refused() {
        FleetStateStore store = FleetStateStores.directory(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.read("../etc"));
        assertTrue(e.getMessage().startsWith("fleetId: must be a plain name"), e.getMessage());
        assertTrue(e.getMessage().endsWith("was \"../etc\""), e.getMessage());
    }

    @Test
    void directory_aRegularFile_refusedWhenMadeSayingSo() throws IOException {
        Path file = Files.writeString(dir.resolve("state"), "not a folder");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FleetStateStores.directory(file));

        assertEquals("directory: " + file.toAbsolutePath() + " exists and is not a folder; a directory store keeps"
                + " each fleet in a folder under it", e.getMessage());
        assertEquals("not a folder", Files.readString(file));
    }

    @Test
    void directory_aLinkToAFolder_isAFolder() throws IOException {
        Path target = Files.createDirectory(dir.resolve("target"));
        Path link;
        try {
            link = Files.createSymbolicLink(dir.resolve("link"), target);
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
            return;
        }
        FleetStateStore store = FleetStateStores.directory(link);
        StoredFleet first = StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical"));
        store.create(first);
        assertEquals(first.state(), store.read("shop").state());
        assertTrue(Files.isRegularFile(target.resolve("shop").resolve("state.json")));
    }
}
