package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text table of {@code forecast} reads each level's bounds once, not once per row. */
class ForecastTableTest {

    @TempDir
    Path tmp;

    @Test
    void textTableOfALongHorizon_allocatesLinearlyInTheHorizon() throws IOException {
        Path input = tmp.resolve("values.csv");
        Files.writeString(input, "value\n1\n3\n2\n5\n4\n");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int horizon = 5000;
        long before = threads.getThreadAllocatedBytes(id);
        CommandRun r = CommandRun.of("forecast", "--input", input.toString(), "--horizon", String.valueOf(horizon),
                "--model", "naive", "--period", "1");
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().count() > horizon, r.out().lines().limit(3).toList().toString());
        // Copying the four bound arrays of 5000 doubles for each of the 5000 rows allocates 800 MB; formatting the
        // rows takes a few kilobytes each.
        assertTrue(allocated < 200_000_000L, "allocated " + allocated + " bytes");
    }
}
