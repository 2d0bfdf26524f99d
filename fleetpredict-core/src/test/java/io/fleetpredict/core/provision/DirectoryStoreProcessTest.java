package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory store against real process death and real process concurrency: child JVMs write through
 * it, and are killed with SIGKILL ({@link Process#destroyForcibly()}, {@code kill -9}) at random points,
 * or race each other on compare-and-set.
 *
 * <p>The default build kills {@value #DEFAULT_KILLS} writers and races {@value #DEFAULT_WRITERS} of them;
 * the long run is
 * {@code mvn -B -pl fleetpredict-core -am verify -Dtest=DirectoryStoreProcessTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfleetpredict.kills=300 -Dfleetpredict.writers=6 -Dfleetpredict.commits=50}
 * and its figures are in {@code docs/results/state-store.md}.
 */
class DirectoryStoreProcessTest {

    static final int DEFAULT_KILLS = 10;
    static final int DEFAULT_WRITERS = 3;
    static final int DEFAULT_COMMITS = 6;

    @TempDir
    Path dir;

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                StoreWriterProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** What a writer printed: the acknowledged commits, in order. */
    private record Ack(long version, String intentId, String status) {
    }

    private static List<Ack> acks(List<String> lines) {
        List<Ack> acks = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("ack ")) {
                String[] f = line.split(" ");
                acks.add(new Ack(Long.parseLong(f[1]), f[2], f[3]));
            }
        }
        return acks;
    }

    /** A writer process and every line it printed, read on a thread of its own until the pipe closes. */
    private static final class Writer {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        Writer(String... args) throws IOException {
            process = start(args);
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the pipe closed with the killed process: what was read is what the writer acknowledged
                }
            });
            reader.start();
        }

        /** Waits until the writer has printed a number of lines: started, and committing. */
        void awaitLines(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (lines.size() < count && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(lines.size() >= count && lines.get(0).equals("ready"), () -> "writer did not start: " + lines);
        }

        List<String> finish() throws InterruptedException {
            assertTrue(process.waitFor(15, TimeUnit.MINUTES), "writer did not end");
            reader.join(TimeUnit.SECONDS.toMillis(30));
            return List.copyOf(lines);
        }
    }

    @Test
    void killedWriters_everyAcknowledgedCommitSurvivesAndTheStoreStaysUsable() throws Exception {
        int kills = Integer.getInteger("fleetpredict.kills", DEFAULT_KILLS);
        FleetStateStore store = FleetStateStores.directory(dir);
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        MutableClock clock = MutableClock.at(Fixtures.T0);
        PreProvisioner reconciler = PreProvisioner.builder(GuardedCloud.builder(SimulatedCloud.builder().clock(clock)
                        .build()).callTimeout(Duration.ZERO).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY).gate(CostGate.builder(100).build()).build();
        Random random = new Random(14);
        long acknowledged = 0;
        int leftoverTemporaryFiles = 0;
        int killedMidCommit = 0;
        for (int kill = 0; kill < kills; kill++) {
            Writer writer = new Writer("crash", dir.toString(), "shop", "k" + kill);
            // Started and past its first commit, so the kill lands among commits, not in class loading.
            writer.awaitLines(2);
            Thread.sleep(random.nextInt(80));
            writer.process.destroyForcibly();
            List<String> output = writer.finish();
            assertTrue(output.stream().noneMatch(l -> l.contains("Exception")), () -> String.join("\n", output));
            List<Ack> acks = acks(output);
            acknowledged += acks.size();
            int temporary = temporaryFiles();
            leftoverTemporaryFiles += temporary;
            killedMidCommit += temporary > 0 ? 1 : 0;

            StoredFleet current = store.read("shop");
            List<FleetState> history = store.history("shop");
            assertEquals(current.version() + 1, history.size(), "kill " + kill);
            for (int v = 0; v < history.size(); v++) {
                assertEquals(v, history.get(v).version(), "kill " + kill + ": history has a gap or a repeat");
            }
            assertEquals(current.state(), history.get(history.size() - 1));
            Set<String> ids = new HashSet<>();
            current.intents().forEach(i -> assertTrue(ids.add(i.id()), "intent " + i.id() + " twice"));
            if (!acks.isEmpty()) {
                Ack last = acks.get(acks.size() - 1);
                assertTrue(current.version() >= last.version(), "kill " + kill + ": acknowledged version "
                        + last.version() + " lost, store at " + current.version());
                ProvisioningIntent intent = current.intent(last.intentId()).orElseThrow(
                        () -> new AssertionError("kill " + (acks.size()) + ": acknowledged intent " + last + " lost"));
                if (last.status().equals("done")) {
                    assertEquals(ProvisioningIntent.Status.DONE, intent.status());
                }
            }
            reconciler.reconcile("shop");
        }
        System.out.printf(Locale.ROOT, "[figure] kill -9 of a store writer: %d kills, %d acknowledged commits, "
                + "%d kills left a temporary file (died mid-commit), %d temporary files in all, 0 lost, 0 duplicated;"
                + " final version %d%n", kills, acknowledged, killedMidCommit, leftoverTemporaryFiles,
                store.read("shop").version());
    }

    private int temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void writersInSeveralProcesses_compareAndSetLetsExactlyOneWinEachVersion() throws Exception {
        int writers = Integer.getInteger("fleetpredict.writers", DEFAULT_WRITERS);
        int commits = Integer.getInteger("fleetpredict.commits", DEFAULT_COMMITS);
        FleetStateStore store = FleetStateStores.directory(dir);
        store.create(StoredFleet.of(Fixtures.emptyFleet("shop", 0, "checkout", "critical")));
        List<Writer> processes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            processes.add(new Writer("race", dir.toString(), "shop", "w" + w, Integer.toString(commits)));
        }
        List<Ack> all = new ArrayList<>();
        long lost = 0;
        for (Writer p : processes) {
            List<String> output = p.finish();
            assertEquals(0, p.process.exitValue(), () -> String.join("\n", output));
            all.addAll(acks(output));
            lost += output.stream().filter(l -> l.startsWith("lost ")).mapToLong(l -> Long.parseLong(l.substring(5))).sum();
        }
        StoredFleet current = store.read("shop");
        assertEquals((long) writers * commits, current.version());
        assertEquals(writers * commits, all.size());
        assertEquals(all.size(), all.stream().map(Ack::version).distinct().count(), "two writers won one version");
        Set<String> stored = new HashSet<>();
        current.intents().forEach(i -> stored.add(i.id()));
        assertEquals(writers * commits, stored.size());
        all.forEach(a -> assertTrue(stored.contains(a.intentId()), "acknowledged intent " + a.intentId() + " lost"));
        assertEquals(current.version() + 1, store.history("shop").size());
        System.out.printf(Locale.ROOT, "[figure] compare-and-set across %d processes: %d commits, %d lost races retried,"
                + " 0 versions won twice, 0 intents lost%n", writers, all.size(), lost);
    }
}
