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
        assertTrue(e.getMessage().startsWith(name + (name.equals("maxFleetCostPerHour") ? " must not be negative"
                : " must be positive")), e.getMessage());
    }

    @Test
    void constructor_zeroOrNegativeLimits_refusedNamingTheLimit() {
        refused("maxInstancesPerCall", () -> new HardCaps(0, 1, HOUR, 1, 1));
        refused("maxInstancesPerWindow", () -> new HardCaps(1, 0, HOUR, 1, 1));
        refused("window", () -> new HardCaps(1, 1, Duration.ZERO, 1, 1));
        refused("window", () -> new HardCaps(1, 1, Duration.ofSeconds(-1), 1, 1));
        refused("maxFleetInstances", () -> new HardCaps(1, 1, HOUR, 0, 1));
        refused("maxFleetInstances", () -> new HardCaps(1, 1, HOUR, -5, 1));
        refused("maxFleetCostPerHour", () -> new HardCaps(1, 1, HOUR, 1, -0.01));
        refused("maxFleetCostPerHour", () -> new HardCaps(1, 1, HOUR, 1, Double.NaN));
    }

    @Test
    void constructor_smallestPositiveLimits_accepted() {
        HardCaps caps = new HardCaps(1, 1, Duration.ofNanos(1), 1, Double.MIN_VALUE);
        assertEquals(1, caps.maxInstancesPerCall());
        assertEquals(Double.MIN_VALUE, caps.maxFleetCostPerHour());
    }

    @Test
    void constructor_zeroFleetCost_acceptedAsACapNoLaunchThatCostsFits() {
        assertEquals(0, new HardCaps(1, 1, HOUR, 1, 0).maxFleetCostPerHour());
        assertEquals(0, HardCaps.builder().maxFleetCostPerHour(0).build().maxFleetCostPerHour());
    }

    @Test
    void builder_unchanged_isTheDefaults() {
        assertEquals(HardCaps.defaults(), HardCaps.builder().build());
    }

    @Test
    void builder_eachNamedLimit_landsInItsComponent() {
        HardCaps caps = HardCaps.builder().maxInstancesPerCall(3).maxInstancesPerWindow(40).window(Duration.ofMinutes(20))
                .maxFleetInstances(11).maxFleetCostPerHour(7.5).maxReleasesPerWindow(6).build();
        assertEquals(new HardCaps(3, 40, Duration.ofMinutes(20), 11, 7.5, 6), caps);
    }

    @Test
    void builder_launchLimitChanged_releaseLimitFollowsAtHalfUnlessSet() {
        assertEquals(15, HardCaps.builder().maxInstancesPerWindow(30).build().maxReleasesPerWindow());
        assertEquals(1, HardCaps.builder().maxInstancesPerWindow(1).build().maxReleasesPerWindow());
        assertEquals(25, HardCaps.builder().maxInstancesPerWindow(30).maxReleasesPerWindow(25).build()
                .maxReleasesPerWindow());
    }

    @Test
    void builder_badLimit_refusedNamingTheLimit() {
        refused("maxFleetInstances", () -> HardCaps.builder().maxFleetInstances(0).build());
        refused("maxReleasesPerWindow", () -> HardCaps.builder().maxReleasesPerWindow(-1).build());
        refused("maxFleetCostPerHour", () -> HardCaps.builder().maxFleetCostPerHour(Double.NaN).build());
    }

    @Test
    void constructor_releasesPerWindowDefaultToHalfTheLaunchesAndAtLeastOne() {
        assertEquals(100, new HardCaps(1, 200, HOUR, 1, 1).maxReleasesPerWindow());
        assertEquals(1, new HardCaps(1, 1, HOUR, 1, 1).maxReleasesPerWindow());
        assertEquals(7, new HardCaps(1, 1, HOUR, 1, 1, 7).maxReleasesPerWindow());
        refused("maxReleasesPerWindow", () -> new HardCaps(1, 1, HOUR, 1, 1, 0));
    }
}
