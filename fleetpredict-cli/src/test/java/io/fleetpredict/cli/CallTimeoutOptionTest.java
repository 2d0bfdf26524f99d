package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --call-timeout}: the guard's time limit on each call to a provider other than the simulated cloud, here
 * one whose provisions answer after a delay of real time ({@link SlowProviderFactory}).
 */
class CallTimeoutOptionTest {

    private static String plan() {
        return CommandRun.examples().resolve("provisional-fleet-state-sim.json").toString();
    }

    @Test
    void callsSlowerThanTheTimeout_timeOutAndNothingIsLaunched() {
        CommandRun r = CommandRun.of("provision", "--provisional", plan(), "--threshold", "10", "--apply",
                "--provider", "slow-sim", "--provider-setting", "delay-ms=60000", "--call-timeout", "0.1s");
        assertEquals(ExitCodes.PROVIDER_FAILURE, r.code(), r.toString());
        assertTrue(r.err().contains("failed (TIMED_OUT)") && r.err().contains("gave no answer within PT0.1S"), r.err());
    }

    @Test
    void callsWithinTheTimeout_provisioned() {
        CommandRun r = CommandRun.of("provision", "--provisional", plan(), "--threshold", "10", "--apply",
                "--provider", "slow-sim", "--provider-setting", "delay-ms=300", "--call-timeout", "1m");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("provisioned"), r.out());
    }

    @Test
    void simulatedCloud_refusedAsAUsageError_beforeAnyStateIsWritten(@TempDir Path dir) throws IOException {
        Path state = dir.resolve("state");
        CommandRun r = CommandRun.of("provision", "--provisional", plan(), "--threshold", "10", "--apply",
                "--state-dir", state.toString(), "--call-timeout", "1m");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--call-timeout 1m: is for a provider other than the simulated cloud"), r.err());
        assertTrue(!Files.exists(state) || isEmpty(state), "nothing written");
    }

    @Test
    void notPositive_refusedAsAUsageError() {
        for (String value : new String[] {"0s", "-5s", "PT0S"}) {
            CommandRun r = CommandRun.of("provision", "--provisional", plan(), "--threshold", "10", "--apply",
                    "--provider", "slow-sim", "--call-timeout", value);
            assertEquals(ExitCodes.USAGE, r.code(), value + ": " + r);
            assertTrue(r.err().contains("--call-timeout " + value + ": must be positive"), r.err());
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
