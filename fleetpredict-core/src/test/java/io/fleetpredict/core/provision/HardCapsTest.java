package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every cap must be positive: a zero or negative limit is refused, naming the limit; one is the smallest. */
class HardCapsTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private static void refused(String name, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(name + " must be positive"), e.getMessage());
    }

    @Test
    void constructor_zeroOrNegativeLimits_refusedNamingTheLimit() {
        refused("maxInstancesPerCall", () -> new HardCaps(0, 1, HOUR, 1, 1));
        refused("maxInstancesPerWindow", () -> new HardCaps(1, 0, HOUR, 1, 1));
        refused("window", () -> new HardCaps(1, 1, Duration.ZERO, 1, 1));
        refused("window", () -> new HardCaps(1, 1, Duration.ofSeconds(-1), 1, 1));
        refused("maxFleetInstances", () -> new HardCaps(1, 1, HOUR, 0, 1));
        refused("maxFleetInstances", () -> new HardCaps(1, 1, HOUR, -5, 1));
        refused("maxFleetCostPerHour", () -> new HardCaps(1, 1, HOUR, 1, 0));
        refused("maxFleetCostPerHour", () -> new HardCaps(1, 1, HOUR, 1, Double.NaN));
    }

    @Test
    void constructor_smallestPositiveLimits_accepted() {
        HardCaps caps = new HardCaps(1, 1, Duration.ofNanos(1), 1, Double.MIN_VALUE);
        assertEquals(1, caps.maxInstancesPerCall());
        assertEquals(Double.MIN_VALUE, caps.maxFleetCostPerHour());
    }

    @Test
    void constructor_releasesPerWindowDefaultToHalfTheLaunchesAndAtLeastOne() {
        assertEquals(100, new HardCaps(1, 200, HOUR, 1, 1).maxReleasesPerWindow());
        assertEquals(1, new HardCaps(1, 1, HOUR, 1, 1).maxReleasesPerWindow());
        assertEquals(7, new HardCaps(1, 1, HOUR, 1, 1, 7).maxReleasesPerWindow());
        refused("maxReleasesPerWindow", () -> new HardCaps(1, 1, HOUR, 1, 1, 0));
    }
}
