package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The directory store cannot be walked out of: no fleet id, planted link or leftover file makes it read
 * or write outside its root, and every failure is a {@link StateStoreException} or a refused argument.
 */
class DirectoryStoreSafetyTest {

    /** The documents' size limit, in bytes. */
    private static final long LIMIT = 8L * 1024 * 1024;

    @TempDir
    Path dir;

    private static StoredFleet next(StoredFleet s, ProvisioningIntent... intents) {
        return Fixtures.next(s, List.of(intents));
    }

    private static ProvisioningIntent intent(String id) {
        return Fixtures.intent(id);
    }

    private static StoredFleet fleet(String id) {
        return StoredFleet.of(Fixtures.emptyFleet(id, 0, "checkout", "critical"));
    }

    private static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(root::relativize).sorted().toList();
        }
    }

    @ParameterizedTest(name = "fleet id ''{0}''")
    @ValueSource(strings = {"..", ".", ".hidden", "-rf", "a/b", "a\\b", ""})
    void directory_fleetIdThatIsNotAPlainName_refusedAndNothingWritten(String id) throws IOException {
        Path inner = dir.resolve("outer").resolve("inner");
        Files.createDirectories(inner);
        FleetStateStore store = FleetStateStores.directory(inner);
        FleetState state = new FleetState(1, "x", 0, Fixtures.T0, List.of());
        // A fleet state cannot hold such an id, so none reaches create or compareAndSet; a read is refused.
        assertThrows(IllegalArgumentException.class, () -> withId(state, id));
        assertThrows(IllegalArgumentException.class, () -> store.read(id));
        assertThrows(IllegalArgumentException.class, () -> store.history(id));
        assertEquals(List.of(Path.of(""), Path.of("outer"), Path.of("outer", "inner")), tree(dir));
    }

    /** Every file under the root with its text (the store writes UTF-8), to show that nothing was written. */
    private static Map<Path, String> contents(Path root) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        for (Path p : tree(root)) {
            Path file = root.resolve(p);
            if (Files.isRegularFile(file)) {
                out.put(p, Files.readString(file));
            }
        }
        return out;
    }

    @Test
    void compareAndSet_stateAsOfYear10000_refusedBeforeAnythingIsWrittenAndThePreviousVersionReads() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet first = fleet("shop");
        assertTrue(store.create(first));
        StoredFleet second = next(first, intent("i-1"));
        assertTrue(store.compareAndSet(0, second));
        Map<Path, String> before = contents(dir);
        Instant year10000 = Instant.parse("+10000-01-01T00:00:00Z");

        // A clock past year 9999 cannot give the store a state its reader would refuse: the state is refused
        // where it is made, so the store is never asked to commit it.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.compareAndSet(1,
                new StoredFleet(new FleetState(1, "shop", 2, year10000, second.state().services()), List.of())));

        assertEquals("asOf: must lie from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z,"
                + " was +10000-01-01T00:00:00Z", e.getMessage());
        assertEquals(before, contents(dir));
        assertEquals(second, store.read("shop"));
        assertEquals(List.of(first.state(), second.state()), store.history("shop"));
    }

    @Test
    void create_stateAsOfYear10000_refusedAndNoFleetDirectoryMade() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);

        assertThrows(IllegalArgumentException.class, () -> store.create(StoredFleet.of(
                new FleetState(1, "shop", 0, Instant.parse("+10000-01-01T00:00:00Z"), List.of()))));

        assertEquals(List.of(Path.of("")), tree(dir));
    }

    private static FleetState withId(FleetState s, String id) {
        return new FleetState(s.schemaVersion(), id, s.version(), s.asOf(), s.services());
    }

    @Test
    void compareAndSet_plantedTempLinkToAVictim_victimUntouchedAndStateIsAFile() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir.resolve("store"));
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path fleetDir = dir.resolve("store").resolve("shop");
        Files.createSymbolicLink(fleetDir.resolve("state.json.tmp"), victim);
        Files.createSymbolicLink(fleetDir.resolve("history").resolve(String.format(Locale.ROOT,
                "state-%019d.json.tmp", 1)), victim);
        Files.createSymbolicLink(fleetDir.resolve("history").resolve(String.format(Locale.ROOT,
                "intents-%019d.json.tmp", 1)), victim);

        assertTrue(store.compareAndSet(0, next(v0, intent("a"))));

        assertEquals("precious", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(fleetDir.resolve("state.json")));
        assertTrue(Files.isRegularFile(fleetDir.resolve("state.json")));
        assertEquals(1, store.read("shop").version());
        assertEquals(List.of(0L, 1L), store.history("shop").stream().map(FleetState::version).toList());
    }

    @Test
    void directory_historyIsALink_refusedWithoutWritingThroughIt() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir.resolve("store"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path fleetDir = Files.createDirectories(dir.resolve("store").resolve("shop"));
        Files.createSymbolicLink(fleetDir.resolve("history"), elsewhere);

        StateStoreException e = assertThrows(StateStoreException.class, () -> store.create(fleet("shop")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals(List.of(Path.of("")), tree(elsewhere));
    }

    @Test
    void directory_stateFileIsALink_readRefusedAsUnreadable() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir.resolve("store"));
        store.create(fleet("shop"));
        Path fleetDir = dir.resolve("store").resolve("shop");
        Path copy = Files.copy(fleetDir.resolve("state.json"), dir.resolve("copy.json"));
        Files.delete(fleetDir.resolve("state.json"));
        Files.createSymbolicLink(fleetDir.resolve("state.json"), copy);

        StateStoreException e = assertThrows(StateStoreException.class, () -> store.read("shop"));
        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
        assertThrows(StateStoreException.class, () -> store.compareAndSet(0, next(fleet("shop"))));
    }

    @Test
    void directory_fleetDirectoryIsALink_refused() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(dir.resolve("store"));
        Files.createSymbolicLink(dir.resolve("store").resolve("shop"), elsewhere);
        FleetStateStore store = FleetStateStores.directory(dir.resolve("store"));

        assertThrows(StateStoreException.class, () -> store.create(fleet("shop")));
        assertEquals(List.of(Path.of("")), tree(elsewhere));
    }

    @Test
    void directory_sameRootUnderTwoSpellings_threadsShareOneLockAndExactlyOneWins() throws Exception {
        Path real = Files.createDirectories(dir.resolve("store"));
        Path link = Files.createSymbolicLink(dir.resolve("alias"), real);
        FleetStateStore a = FleetStateStores.directory(real);
        FleetStateStore b = FleetStateStores.directory(link);
        FleetStateStore c = FleetStateStores.directory(dir.resolve("alias").resolve("..").resolve("store"));
        a.create(fleet("shop"));
        List<FleetStateStore> stores = List.of(a, b, c);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 30; round++) {
                long version = a.read("shop").version();
                StoredFleet current = a.read("shop");
                AtomicInteger wins = new AtomicInteger();
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    FleetStateStore store = stores.get(t % 3);
                    String id = "r" + round + "t" + t;
                    futures.add(pool.submit(() -> {
                        if (store.compareAndSet(version, next(current, intent(id)))) {
                            wins.incrementAndGet();
                        }
                        store.history("shop");
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(); // an OverlappingFileLockException would surface here
                }
                assertEquals(1, wins.get(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(31, a.history("shop").size());
    }

    @Test
    void history_afterACrashLeftTemporaryAndUncommittedFiles_listsTheCommittedVersions() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        store.compareAndSet(0, next(v0, intent("a")));
        Path history = dir.resolve("shop").resolve("history");
        Files.writeString(history.resolve(String.format(Locale.ROOT, "state-%019d.json.tmp", 2)), "");
        // A commit writes the intents file, then state.json, then the history state file: a crash before
        // state.json leaves the intents file of a version never committed.
        Files.writeString(history.resolve(String.format(Locale.ROOT, "intents-%019d.json", 2)), "{\"fleet_id\": ");
        Files.writeString(history.resolve("notes.txt"), "not a version");

        assertEquals(List.of(0L, 1L), store.history("shop").stream().map(FleetState::version).toList());
    }

    @Test
    void history_fileNamedWithAVersionAboveTheLargest_isNotHistory() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        store.compareAndSet(0, next(v0, intent("a")));
        Files.writeString(dir.resolve("shop").resolve("history").resolve("state-9999999999999999999.json"), "{}");

        assertEquals(List.of(0L, 1L), store.history("shop").stream().map(FleetState::version).toList());
    }

    @Test
    void directory_stateFileReplacedByADirectory_unreadableNamingTheFile() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        Path state = dir.resolve("shop").resolve("state.json");
        Files.delete(state);
        Files.createDirectory(state);

        for (Executable call : List.<Executable>of(() -> store.read("shop"), () -> store.history("shop"),
                () -> store.compareAndSet(0, next(v0)))) {
            StateStoreException e = assertThrows(StateStoreException.class, call);
            assertEquals(StateStoreException.Reason.UNREADABLE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(state + " is a directory, not a file"), e.getMessage());
        }
        assertTrue(Files.isDirectory(state));
    }

    @Test
    void history_damagedCommittedVersion_isStateStoreException() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        store.compareAndSet(0, next(v0));
        Files.writeString(dir.resolve("shop").resolve("history").resolve(String.format(Locale.ROOT,
                "state-%019d.json", 0)), "{");
        StateStoreException e = assertThrows(StateStoreException.class, () -> store.history("shop"));
        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
    }

    @Test
    void compareAndSet_leftoverTempFilesOfACrash_replacedAndTheNewVersionCommitted() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir.resolve("store"));
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        Path fleetDir = dir.resolve("store").resolve("shop");
        // What a writer killed between creating and renaming its temporary files leaves behind.
        Files.writeString(fleetDir.resolve("state.json.tmp"), "{\"fleet_id\": \"sh");
        Files.writeString(fleetDir.resolve("history").resolve(String.format(Locale.ROOT, "state-%019d.json.tmp", 1)),
                "");
        Files.writeString(fleetDir.resolve("history").resolve(String.format(Locale.ROOT, "intents-%019d.json.tmp", 1)),
                "[");

        assertTrue(store.compareAndSet(0, next(v0, intent("a"))));

        assertEquals(1, store.read("shop").version());
        assertEquals(List.of("a"), store.read("shop").intents().stream().map(ProvisioningIntent::id).toList());
        assertEquals(List.of(0L, 1L), store.history("shop").stream().map(FleetState::version).toList());
        try (Stream<Path> left = Files.walk(fleetDir)) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void directory_manyOperations_leaveNoFileDescriptorOpen() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        FleetStateStore store = FleetStateStores.directory(dir.resolve("store"));
        StoredFleet current = fleet("shop");
        store.create(current);
        long before = count(fds);
        for (int i = 0; i < 100; i++) {
            StoredFleet next = next(current);
            assertTrue(store.compareAndSet(current.version(), next));
            assertFalse(store.compareAndSet(current.version(), next), "a stale version is refused");
            assertFalse(store.create(current));
            assertEquals(next.version(), store.read("shop").version());
            current = next;
        }
        assertEquals(101, store.history("shop").size());
        // Each operation opens the lock file; a channel left open would add one descriptor per operation.
        assertTrue(count(fds) - before < 20, () -> "descriptors grew from " + before);
    }

    private static long count(Path fds) throws IOException {
        try (Stream<Path> open = Files.list(fds)) {
            return open.count();
        }
    }

    @Test
    void directory_historyIsAFile_refusedAsUnreadable() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir.resolve("store"));
        Path fleetDir = Files.createDirectories(dir.resolve("store").resolve("shop"));
        Files.writeString(fleetDir.resolve("history"), "not a directory");

        StateStoreException created = assertThrows(StateStoreException.class, () -> store.create(fleet("shop")));
        assertTrue(created.getMessage().contains("is not a directory but a file"), created.getMessage());
        assertFalse(Files.exists(fleetDir.resolve("state.json")));

        Files.delete(fleetDir.resolve("history"));
        store.create(fleet("shop"));
        Path history = fleetDir.resolve("history");
        try (Stream<Path> files = Files.list(history)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(history);
        Files.writeString(history, "not a directory");
        StateStoreException read = assertThrows(StateStoreException.class, () -> store.read("shop"));
        assertEquals(StateStoreException.Reason.UNREADABLE, read.reason());
        assertTrue(read.getMessage().contains("is not a directory but a file"), read.getMessage());
    }

    static Stream<Arguments> damagedIntents() {
        return Stream.of(
                Arguments.of("duplicate key", "\"count\": 2,", "\"count\": 2, \"count\": 3,", "count"),
                Arguments.of("count as text", "\"count\": 2,", "\"count\": \"5\",", "$.intents[0].count"),
                Arguments.of("fractional covered count", "\"covered_count\": 2,", "\"covered_count\": 2.9,",
                        "$.intents[0].covered_count"),
                Arguments.of("price as text", "\"price_per_hour\": 0.096,", "\"price_per_hour\": \"abc\",",
                        "$.intents[0].price_per_hour"),
                Arguments.of("price overflowing", "\"price_per_hour\": 0.096,", "\"price_per_hour\": 1e99999999999,",
                        "out of range"),
                Arguments.of("unknown field", "\"count\": 2,", "\"count\": 2, \"colour\": \"red\",", "colour"),
                Arguments.of("missing field", "\"count\": 2,", "", "$.intents[0].count"),
                Arguments.of("count too large", "\"count\": 2,", "\"count\": 4294967298,", "$.intents[0].count"),
                Arguments.of("control character in id", "\"id\": \"a\"", "\"id\": \"a\\n[main] ERROR\"",
                        "control characters"),
                Arguments.of("zero count", "\"count\": 2,", "\"count\": 0,", "$.intents[0].count"),
                Arguments.of("negative price", "\"price_per_hour\": 0.096,", "\"price_per_hour\": -0.001,",
                        "$.intents[0].price_per_hour"),
                Arguments.of("negative version", "\"fleet_version\": 1,", "\"fleet_version\": -1,",
                        "$.fleet_version"),
                Arguments.of("trailing garbage", "\"intents\"", "\"intents\"", "Trailing token"),
                Arguments.of("unknown top-level field", "\"fleet_version\": 1,",
                        "\"fleet_version\": 1, \"colour\": 1,", "$['colour']: unknown field"),
                Arguments.of("unknown purchase option", "\"purchase_option\": \"on_demand\"",
                        "\"purchase_option\": \"gold\"", "$.intents[0].purchase_option: unknown 'gold'"),
                Arguments.of("count as text, said as given", "\"count\": 2,", "\"count\": \"5\",",
                        "$.intents[0].count: expected an integer from 1 to 2147483647, was \"5\""),
                Arguments.of("fraction, said as given", "\"covered_count\": 2,", "\"covered_count\": 2.9,",
                        "$.intents[0].covered_count: expected an integer from 1 to 2147483647, was 2.9"),
                Arguments.of("price as text, said as given", "\"price_per_hour\": 0.096,",
                        "\"price_per_hour\": \"abc\",",
                        "$.intents[0].price_per_hour: expected a finite number not below 0, was \"abc\""),
                // Instants a document refuses: an open intent of year 10000 the caps' window would count and
                // reconcile leave be for ever; one at Instant.MAX whose grace overflows; one before year 0000.
                Arguments.of("created after year 9999", "\"created_at\": \"2025-03-01T12:00:00Z\"",
                        "\"created_at\": \"+10000-01-01T00:00:00Z\"", "$.intents[0].created_at: must lie from "
                                + "0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, was +10000-01-01T00:00:00Z"),
                Arguments.of("created at Instant.MAX", "\"created_at\": \"2025-03-01T12:00:00Z\"",
                        "\"created_at\": \"+1000000000-12-31T23:59:59.999999999Z\"",
                        "$.intents[0].created_at: must lie from 0000-01-01T00:00:00Z to "
                                + "9999-12-31T23:59:59.999999999Z, was +1000000000-12-31T23:59:59.999999999Z"),
                Arguments.of("created before year 0000", "\"created_at\": \"2025-03-01T12:00:00Z\"",
                        "\"created_at\": \"-0001-12-31T23:59:59.999999999Z\"",
                        "$.intents[0].created_at: must lie from 0000-01-01T00:00:00Z to "
                                + "9999-12-31T23:59:59.999999999Z, was -0001-12-31T23:59:59.999999999Z"));
    }

    @Test
    void reconcile_plantedOpenIntentCreatedAtInstantMax_unreadableNamingTheFileAndNothingWritten()
            throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        store.compareAndSet(0, next(v0, intent("a")));
        Path file = dir.resolve("shop").resolve("history").resolve(String.format(Locale.ROOT, "intents-%019d.json", 1));
        Files.writeString(file, Files.readString(file).replace("2025-03-01T12:00:00Z",
                "+1000000000-12-31T23:59:59.999999999Z"));
        Map<Path, String> before = contents(dir);
        SimulatedCloud sim = SimulatedCloud.builder().clock(Clock.fixed(Fixtures.T0, ZoneOffset.UTC)).build();
        PreProvisioner p = PreProvisioner.builder(sim).store(store).gate(CostGate.builder(100).build())
                .clock(Clock.fixed(Fixtures.T0, ZoneOffset.UTC)).mode(PreProvisioner.Mode.APPLY).build();

        // Read as it was, the open intent's grace overflowed the first sum reconcile made of it
        // (DateTimeException), every reconcile and run of the fleet from then on.
        StateStoreException e = assertThrows(StateStoreException.class, () -> p.reconcile("shop"));

        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains(file + ": $.intents[0].created_at: must lie from"), e.getMessage());
        assertEquals(before, contents(dir));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedIntents")
    void read_damagedIntentsFile_unreadableNamingThePlace(String name, String from, String to, String expected)
            throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        store.compareAndSet(0, next(v0, intent("a")));
        Path file = dir.resolve("shop").resolve("history").resolve(String.format(Locale.ROOT, "intents-%019d.json", 1));
        String json = Files.readString(file);
        assertTrue(json.contains(from), json);
        String damaged = name.equals("trailing garbage") ? json + " {\"more\": 1}" : json.replace(from, to);
        Files.writeString(file, damaged);

        StateStoreException e = assertThrows(StateStoreException.class, () -> store.read("shop"));
        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        if (expected.startsWith("$")) {
            // The path comes right after the file, once.
            assertTrue(e.getMessage().contains(file + ": " + expected), e.getMessage());
        }
    }

    @Test
    void read_intentsFileNotUtf8_unreadableNamingTheFile() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        store.compareAndSet(0, next(v0, intent("a")));
        Path file = dir.resolve("shop").resolve("history").resolve(String.format(Locale.ROOT, "intents-%019d.json", 1));
        Files.write(file, new byte[] {'{', (byte) 0xff, (byte) 0xfe, 0, '}'});

        StateStoreException e = assertThrows(StateStoreException.class, () -> store.read("shop"));
        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains(file + ": document $: not valid UTF-8"), e.getMessage());
    }

    /** Makes a file {@code length} bytes long, the added bytes zeros; sparse where the file system allows. */
    private static void grow(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    /** More than an array can hold: read whole, it could only end in an {@code OutOfMemoryError}. */
    @Test
    void directory_stateFileOfGigabytes_refusedUnreadNamingTheFile() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        Path state = dir.resolve("shop").resolve("state.json");
        grow(state, 4L * 1024 * 1024 * 1024);
        List<Path> before = tree(dir);

        for (Executable call : List.<Executable>of(() -> store.read("shop"), () -> store.history("shop"),
                () -> store.compareAndSet(0, next(v0)))) {
            StateStoreException e = assertThrows(StateStoreException.class, call);
            assertEquals(StateStoreException.Reason.UNREADABLE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(state + ": document $: larger than " + LIMIT + " bytes"), e.getMessage());
        }
        assertEquals(before, tree(dir), "nothing written");
        assertEquals(4L * 1024 * 1024 * 1024, Files.size(state));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void directory_stateFileANamedPipe_refusedWithoutWaitingForAWriter() throws Exception {
        // Opening a named pipe to read waits until some process opens it to write; none will here.
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        Path state = dir.resolve("shop").resolve("state.json");
        Files.delete(state);
        assertEquals(0, new ProcessBuilder("mkfifo", state.toString()).inheritIO().start().waitFor());
        List<Path> before = tree(dir);

        for (Executable call : List.<Executable>of(() -> store.read("shop"), () -> store.history("shop"),
                () -> store.compareAndSet(0, next(v0)))) {
            StateStoreException e = assertThrows(StateStoreException.class, call);
            assertEquals(StateStoreException.Reason.UNREADABLE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(state + ": not a regular file"), e.getMessage());
        }
        assertEquals(before, tree(dir), "nothing written");
    }

    @Test
    void read_stateFileOneByteOverTheDocumentLimit_refusedAsTheDocumentsAre() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        store.create(fleet("shop"));
        Path state = dir.resolve("shop").resolve("state.json");
        grow(state, LIMIT + 1);

        StateStoreException e = assertThrows(StateStoreException.class, () -> store.read("shop"));

        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains(state + ": document $: larger than " + LIMIT + " bytes"), e.getMessage());
    }

    @Test
    void read_intentsFileOverTheDocumentLimit_unreadableNamingTheFile() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        store.compareAndSet(0, next(v0, intent("a")));
        Path file = dir.resolve("shop").resolve("history").resolve(String.format(Locale.ROOT, "intents-%019d.json", 1));
        grow(file, 9 * 1024 * 1024);

        StateStoreException e = assertThrows(StateStoreException.class, () -> store.read("shop"));

        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains(file + ": document $: larger than " + LIMIT + " bytes"), e.getMessage());
    }

    @Test
    void history_versionFileOverTheDocumentLimit_unreadableNamingTheFile() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        store.compareAndSet(0, next(v0));
        Path file = dir.resolve("shop").resolve("history").resolve(String.format(Locale.ROOT, "state-%019d.json", 0));
        grow(file, 9 * 1024 * 1024);

        StateStoreException e = assertThrows(StateStoreException.class, () -> store.history("shop"));

        assertEquals(StateStoreException.Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains(file + ": document $: larger than " + LIMIT + " bytes"), e.getMessage());
    }

    @Test
    void readIntents_boundaryValues_accepted() {
        StoredFleet fleet = new StoredFleet(Fixtures.emptyFleet("shop", 1, "checkout", "critical"), List.of(
                new ProvisioningIntent("a", "c1", "k-a", "checkout", "critical", "m.large", "us-east",
                        PurchaseOption.ON_DEMAND, Integer.MAX_VALUE, 1, 0.0, Fixtures.T0,
                        ProvisioningIntent.Status.OPEN, List.of()),
                new ProvisioningIntent("b", "c1", "k-b", "checkout", "critical", "m.large", "us-east",
                        PurchaseOption.ON_DEMAND, 1, 1, 0.1, Documents.EARLIEST_INSTANT,
                        ProvisioningIntent.Status.OPEN, List.of()),
                new ProvisioningIntent("c", "c1", "k-c", "checkout", "critical", "m.large", "us-east",
                        PurchaseOption.ON_DEMAND, 1, 1, 0.1, Documents.LATEST_INSTANT,
                        ProvisioningIntent.Status.OPEN, List.of())));
        List<ProvisioningIntent> read = IntentsFile.read(IntentsFile.write(fleet), 1);
        assertEquals(fleet.intents(), read);
    }

    @Test
    void compareAndSet_stateAndIntentsFiles_writtenKeyColonBlankValueAndReadBack() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        StoredFleet v1 = next(v0, intent("a"));
        store.compareAndSet(0, v1);
        Path fleetDir = dir.resolve("shop");
        Path intents = fleetDir.resolve("history").resolve(String.format(Locale.ROOT, "intents-%019d.json", 1));
        Path states = fleetDir.resolve("history").resolve(String.format(Locale.ROOT, "state-%019d.json", 1));

        String intentsText = Files.readString(intents);
        assertTrue(intentsText.startsWith("{\n  \"fleet_version\": 1,\n  \"intents\": [ {\n    \"id\": \"a\",\n"),
                intentsText);
        assertTrue(intentsText.endsWith("\n  } ]\n}\n"), intentsText);
        for (Path state : List.of(fleetDir.resolve("state.json"), states)) {
            String stateText = Files.readString(state);
            assertTrue(stateText.startsWith("{\n  \"schema_version\": 1,\n  \"fleet_id\": \"shop\",\n"), stateText);
        }
        for (Path file : List.of(intents, states, fleetDir.resolve("state.json"))) {
            assertFalse(Files.readString(file).contains("\" :"), file + " has a blank before a colon");
        }
        assertEquals(v1, store.read("shop"));
    }

    /** A store written by an earlier build, whose files have a blank on both sides of the colon, reads the same. */
    @Test
    void read_filesWithABlankBeforeTheColon_readTheSame() throws IOException {
        FleetStateStore store = FleetStateStores.directory(dir);
        StoredFleet v0 = fleet("shop");
        store.create(v0);
        StoredFleet v1 = next(v0, intent("a"));
        store.compareAndSet(0, v1);
        List<Path> files;
        try (Stream<Path> all = Files.walk(dir.resolve("shop"))) {
            files = all.filter(f -> f.toString().endsWith(".json")).toList();
        }
        assertEquals(5, files.size(), files::toString);
        for (Path file : files) {
            Files.writeString(file, Files.readString(file).replace("\": ", "\" : "));
        }

        assertEquals(v1, store.read("shop"));
    }
}
