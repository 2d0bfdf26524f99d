package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The system sleeper blocks for at least the time asked, sub-millisecond part included. */
class SleeperTest {

    @Test
    void system_blocksAtLeastTheDuration() throws InterruptedException {
        Duration d = Duration.ofMillis(20).plusNanos(500_000);
        long start = System.nanoTime();
        Sleeper.system().sleep(d);
        long slept = System.nanoTime() - start;
        assertTrue(slept >= d.toNanos(), "slept " + slept + " ns");
    }
}
