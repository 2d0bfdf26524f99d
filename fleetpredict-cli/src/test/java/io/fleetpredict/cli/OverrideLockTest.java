package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** {@code override add} runs at once on one overrides file: none is lost while its audit line stays. */
class OverrideLockTest {
    @TempDir
    Path tmp;

    private CommandRun add(String id) {
        return CommandRun.of("override", "add", "--overrides", tmp.resolve("o.json").toString(),
                "--audit", tmp.resolve("audit.log").toString(), "--id", id, "--start", "2024-11-29T00:00:00Z",
                "--expiry", "2024-11-30T00:00:00Z", "--author", "a.tester", "--reason", "test", "--action", "disable");
    }

    /** While another run holds the file's lock, an add is refused with exit 3 and changes neither file. */
    @Test
    void add_overridesFileLockedByAnotherRun_isRefusedAndChangesNothing() throws Exception {
        try (FileChannel channel = FileChannel.open(tmp.resolve("o.json.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            assertTrue(held.isValid());
            CommandRun r = add("first");

            assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("o.json: in use by another fleetpredict run"), r.err());
            assertFalse(Files.exists(tmp.resolve("o.json")));
            assertFalse(Files.exists(tmp.resolve("audit.log")));
        }
        assertEquals(ExitCodes.OK, add("first").code());
    }

    /** Every add that says it added its override left it in the file, with exactly one audit line each. */
    @Test
    void add_concurrentRuns_keepEveryOverrideTheyReport() throws Exception {
        int runs = 4;
        CyclicBarrier barrier = new CyclicBarrier(runs);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            List<Future<CommandRun>> futures = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String id = "o" + i;
                futures.add(pool.submit(() -> {
                    barrier.await();
                    return add(id);
                }));
            }
            List<String> added = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                CommandRun r = futures.get(i).get();
                if (r.code() == ExitCodes.OK) {
                    added.add("o" + i);
                } else {
                    assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.err());
                }
            }
            String doc = Files.readString(tmp.resolve("o.json"));
            List<String> audit = Files.readAllLines(tmp.resolve("audit.log"));
            assertEquals(added.size(), audit.size(), String.join("\n", audit));
            for (String id : added) {
                assertTrue(doc.contains("\"" + id + "\""), id + " missing from " + doc);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
