package io.fleetpredict.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudProvidersTest {

    @Test
    void load_registeredName_createsProviderWithSettings() {
        CloudProvider provider = CloudProviders.load("echo", Map.of("region", "mars"));
        assertEquals("echo", provider.name());
        assertEquals("mars", provider.offers().get(0).region());
    }

    @Test
    void load_unknownName_listsAvailableNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CloudProviders.load("nope", Map.of()));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("echo"), e.getMessage());
    }

    @Test
    void load_unknownSetting_isRejectedByFactory() {
        assertThrows(IllegalArgumentException.class, () -> CloudProviders.load("echo", Map.of("colour", "red")));
    }

    @Test
    void available_includesRegisteredFactory() {
        assertTrue(CloudProviders.available().contains("echo"));
    }

    @Test
    void configure_withoutCapability_isUnsupported() {
        CloudProvider provider = CloudProviders.load("echo", Map.of());
        ConfigureRequest request = new ConfigureRequest("k", java.util.Set.of("i-1"), Map.of("a", "b"));
        assertThrows(UnsupportedOperationException.class, () -> provider.configure(request));
    }
}
