package io.fleetpredict.cloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudProviders;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * Java reads more than a plain decimal number: a hexadecimal float, a type suffix, NaN and Infinity are not
     * what a setting means, and are refused as numbers are, naming the key and the value.
     */
    @ParameterizedTest
    @ValueSource(strings = {"0x1p-1", "1d", "0.5f", "NaN", "Infinity", "-Infinity", " 0.5", "0.5 ", "", ".", "1e",
        "\u0660.5", "0,5"})
    void create_timeoutProbabilityNotAPlainDecimal_isRejectedWithTheValue(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimulatedCloudFactory().create(Map.of("timeout-probability", value)));
        assertEquals("setting 'timeout-probability' is not a number: '" + value + "'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-0.1", "1e400", "2"})
    void create_timeoutProbabilityOutsideZeroToOne_isRejectedNamingTheKey(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimulatedCloudFactory().create(Map.of("timeout-probability", value)));
        assertEquals("setting 'timeout-probability' must be from 0 to 1: '" + value + "'", e.getMessage());
    }

    /** Every probability is drawn against: 1 times out every applied mutation, 0 none. */
    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "0.25", ".5", "1.", "5e-1", "+0.5", "0.0E0"})
    void create_timeoutProbabilityPlainDecimal_isAccepted(String value) {
        assertInstanceOf(SimulatedCloud.class,
                new SimulatedCloudFactory().create(Map.of("timeout-probability", value)));
    }

    /**
     * Integer.parseInt and Long.parseLong read any Unicode digit (an Arabic-Indic 3, a full-width 3, a Devanagari
     * 1 after an ASCII 1): the integer settings take the digits 0 to 9 only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"seed", "default-quota", "default-capacity"})
    void create_integerSettingInOtherDigits_isRejectedWithTheValue(String key) {
        for (String value : new String[] {"\u0663", "\uff13", "1\u0967"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SimulatedCloudFactory().create(Map.of(key, value)), value);
            assertEquals("setting '" + key + "' is not a number: '" + value + "'", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-quota", "default-capacity"})
    void create_negativeCount_isRejectedNamingTheKey(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimulatedCloudFactory().create(Map.of(key, "-4")));
        assertEquals("setting '" + key + "' must be from 0 to 2147483647: '-4'", e.getMessage());
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
