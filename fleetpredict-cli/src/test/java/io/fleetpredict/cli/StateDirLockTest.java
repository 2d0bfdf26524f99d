package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.fleetpredict.cli.ProvisionRuns.apply;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two provision runs on one --state-dir at once: the second is refused, not let loose on the same files. */
class StateDirLockTest {
    @TempDir
    Path dir;

    /**
     * While another run holds the folder's lock, a run is refused with exit 3 naming the folder, and writes nothing
     * there. Without the lock both runs read the same simulated clock and cloud record and hand out the same ids.
     */
    @Test
    void provision_stateDirLockedByAnotherRun_isRefusedAndWritesNothing() throws Exception {
        Path states = dir.resolve("states");
        Files.createDirectories(states);
        try (FileChannel channel = FileChannel.open(states.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            assertTrue(held.isValid());
            CommandRun r = CommandRun.of(apply(states));

            assertEquals(3, r.code(), r.out() + r.err());
            assertTrue(r.err().contains(states + ": in use by another fleetpredict run"), r.err());
            assertFalse(Files.exists(states.resolve("shop-eu")), "wrote into the locked folder");
        }
        CommandRun after = CommandRun.of(apply(states));
        assertEquals(0, after.code(), after.err());
    }

    /** Runs started together: each either finishes or is refused; none is let in beside another. */
    @Test
    void provision_concurrentRunsOnOneStateDir_eachFinishesOrIsRefused() throws Exception {
        Path states = dir.resolve("states");
        int runs = 4;
        CyclicBarrier barrier = new CyclicBarrier(runs);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            List<Future<CommandRun>> futures = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                futures.add(pool.submit(() -> {
                    barrier.await();
                    return CommandRun.of(apply(states));
                }));
            }
            int finished = 0;
            for (Future<CommandRun> f : futures) {
                CommandRun r = f.get();
                assertTrue(r.code() == 0 || r.code() == 3, r.code() + ": " + r.err());
                if (r.code() == 0) {
                    finished++;
                } else {
                    assertTrue(r.err().contains("in use by another fleetpredict run"), r.err());
                }
            }
            assertTrue(finished >= 1);
            // Each finished run went one cycle further; a run let in beside another would have taken the same one.
            assertEquals(java.time.Instant.parse("2024-11-29T17:40:00Z").plusSeconds(300L * (finished - 1)).toString(),
                    Files.readString(states.resolve("shop-eu/simulated-clock")).strip());
        } finally {
            pool.shutdownNow();
        }
    }
}
