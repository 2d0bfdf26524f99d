package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.predict.FleetHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricMappingTest {

    static final Instant T0 = Instant.parse("2025-03-03T00:00:00Z");

    private static ActivityMonitor monitor(MutableClock clock, MetricKey... keys) {
        ActivityMonitor.Builder b = ActivityMonitor.builder().step(Duration.ofMinutes(15)).clock(clock);
        for (MetricKey k : keys) {
            b.metric(k, k.name().contains("_") ? MetricKind.GAUGE_MEAN : MetricKind.COUNTER);
        }
        return b.build();
    }

    @Test
    void resourceOf_conventionNames_caseInsensitive() {
        assertEquals(Map.entry(ResourceType.CPU, ResourceUnit.CORES), MetricMapping.resourceOf("cpu_cores").orElseThrow());
        assertEquals(Map.entry(ResourceType.MEMORY, ResourceUnit.GIB), MetricMapping.resourceOf("Memory_GiB").orElseThrow());
        assertEquals(Map.entry(ResourceType.BANDWIDTH, ResourceUnit.MBPS), MetricMapping.resourceOf("bandwidth_mbps").orElseThrow());
        assertTrue(MetricMapping.resourceOf("cpu_gib").isEmpty(), "a memory unit does not measure CPU");
        assertTrue(MetricMapping.resourceOf("transactions").isEmpty());
        assertTrue(MetricMapping.resourceOf("page_views").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu_core", "cpu_vcpus", "memory_gigs", "CPU", "storage-gib", "bandwidth_gb"})
    void checkNames_resourceNameWithAnUnknownUnit_refusedListingTheNamesAccepted(String name) {
        MetricKey key = MetricKey.of(name, "checkout");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricMapping.conventions().checkNames(Set.of(key)));
        assertTrue(e.getMessage().startsWith("metric " + key + " starts with the resource "), e.getMessage());
        String resource = name.toLowerCase(java.util.Locale.ROOT).split("[_.-]")[0];
        String expected = Map.of("cpu", "name it cpu_cores, cpu_millicores, cpu_vcpu (units cores, millicores, vcpu)",
                "memory", "name it memory_mb, memory_gb, memory_tb, memory_mib, memory_gib, memory_tib",
                "storage", "name it storage_mb, storage_gb",
                "bandwidth", "name it bandwidth_mbps, bandwidth_gbps (units Mbps, Gbps)").get(resource);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void checkNames_activityFleetWideOrMappedNames_accepted() {
        MetricKey misspelt = MetricKey.of("cpu_core", "checkout");
        MetricMapping.conventions().checkNames(Set.of(MetricKey.of("cpu_cores", "checkout"),
                MetricKey.of("transactions", "checkout"), MetricKey.of("cpuid", "checkout"),
                MetricKey.fleet("cpu_core")));
        MetricMapping.builder().activity(misspelt, "checkout", "cpu_core").build().checkNames(Set.of(misspelt));
        MetricMapping.builder().ignore(misspelt).build().checkNames(Set.of(misspelt));
    }

    @Test
    void history_conventions_usagePerServiceAndFleetActivityForEveryService() {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor m = monitor(clock, MetricKey.fleet("sessions"), MetricKey.of("cpu_cores", "checkout"),
                MetricKey.of("memory_gib", "search"), MetricKey.of("orders", "checkout"), MetricKey.of("queue", "idle"));
        for (int i = 0; i < 8; i++) {
            Instant t = T0.plus(Duration.ofMinutes(15L * i));
            m.record(MetricKey.fleet("sessions"), t, 10 + i);
            m.record(MetricKey.of("cpu_cores", "checkout"), t, 2 + i);
            m.record(MetricKey.of("memory_gib", "search"), t, 4);
            m.record(MetricKey.of("orders", "checkout"), t, i);
            m.record(MetricKey.of("queue", "idle"), t, 1);
        }
        clock.set(T0.plus(Duration.ofMinutes(125))); // buckets close 5 minutes (the lateness window) after their end
        FleetHistory h = MetricMapping.conventions().history(m).orElseThrow();

        assertEquals(Set.of("checkout", "search"), h.services(), "a service with activity but no usage is left out");
        assertEquals(Set.of(ResourceType.CPU), h.usage("checkout").keySet());
        assertEquals(ResourceUnit.GIB, h.unit("search", ResourceType.MEMORY));
        assertEquals(Set.of("sessions", "orders"), h.activity("checkout").keySet());
        assertEquals(Set.of("sessions"), h.activity("search").keySet());
        assertEquals(8, h.usage("checkout").get(ResourceType.CPU).size());
        assertEquals(9.0, h.usage("checkout").get(ResourceType.CPU).get(7), 0);
    }

    @Test
    void history_explicitMapping_overridesConventions() {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor m = monitor(clock, MetricKey.of("cores_used", "api"), MetricKey.fleet("sessions"));
        for (int i = 0; i < 4; i++) {
            m.record(MetricKey.of("cores_used", "api"), T0.plus(Duration.ofMinutes(15L * i)), 3);
            m.record(MetricKey.fleet("sessions"), T0.plus(Duration.ofMinutes(15L * i)), 3);
        }
        clock.set(T0.plus(Duration.ofHours(2)));
        MetricMapping mapping = MetricMapping.builder()
                .usage(MetricKey.of("cores_used", "api"), "api", ResourceType.CPU, ResourceUnit.MILLICORES)
                .ignore(MetricKey.fleet("sessions")).build();
        FleetHistory h = mapping.history(m).orElseThrow();
        assertEquals(ResourceUnit.MILLICORES, h.unit("api", ResourceType.CPU));
        assertTrue(h.activity("api").isEmpty());
    }

    @Test
    void history_noClosedUsageBucket_isEmpty() {
        MutableClock clock = MutableClock.at(T0);
        ActivityMonitor m = monitor(clock, MetricKey.of("cpu_cores", "api"));
        m.record(MetricKey.of("cpu_cores", "api"), T0, 1);
        assertTrue(MetricMapping.conventions().history(m).isEmpty());
    }

    @Test
    void builder_badMappings_throwNamingTheProblem() {
        MetricMapping.Builder b = MetricMapping.builder();
        IllegalArgumentException unit = assertThrows(IllegalArgumentException.class,
                () -> b.usage(MetricKey.of("x", "api"), "api", ResourceType.CPU, ResourceUnit.GIB));
        assertTrue(unit.getMessage().contains("GiB"), unit.getMessage());
        b.ignore(MetricKey.fleet("x"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> b.ignore(MetricKey.fleet("x")));
        assertTrue(twice.getMessage().contains("mapped twice"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.activity(MetricKey.fleet("y"), " ", "y"));
    }
}
