package io.fleetpredict.cloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudProviders;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedCloudFactoryTest {

    @Test
    void load_sim_findsFactoryThroughServiceLoader() {
        assertTrue(CloudProviders.available().contains("sim"));
        CloudProvider provider = CloudProviders.load("sim", Map.of("seed", "3", "default-quota", "10"));
        assertInstanceOf(SimulatedCloud.class, provider);
        assertEquals("sim", provider.name());
        assertEquals(SimulatedCloud.defaultCatalogue(), provider.offers());
    }

    @Test
    void create_unknownSetting_isRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimulatedCloudFactory().create(Map.of("colour", "red")));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }

    @Test
    void create_malformedNumber_isRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimulatedCloudFactory().create(Map.of("seed", "1,5")));
        assertEquals("setting 'seed' is not a number: '1,5'", e.getMessage());
    }

    /** A setting repeated in a message that is logged cannot forge a log line: its line break is shown escaped. */
    @Test
    void create_settingWithALineBreak_isRejectedShowingItEscaped() {
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> new SimulatedCloudFactory().create(Map.of("seed\n[main] ERROR forged", "1")));
        assertTrue(key.getMessage().startsWith("unknown setting 'seed\\u000a[main] ERROR forged' "), key.getMessage());

        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> new SimulatedCloudFactory().create(Map.of("seed", "1\r\u202e")));
        assertEquals("setting 'seed' is not a number: '1\\u000d\\u202e'", value.getMessage());
    }
}
