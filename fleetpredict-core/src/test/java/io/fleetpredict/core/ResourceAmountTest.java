package io.fleetpredict.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResourceAmountTest {

    /*
     * Expected values are closed forms: decimal units are powers of 1000, binary units powers of 1024,
     * e.g. 1 GB = 10^9 / 2^30 GiB = 0.931322574615478515625 exactly (5^9 / 2^21, representable in a double).
     */
    @ParameterizedTest(name = "{1} {2} {0} = {3} {4}")
    @CsvSource({
        "CPU,       1500,  MILLICORES, 1.5,                      CORES",
        "CPU,       4,     VCPU,       4,                        CORES",
        "CPU,       2,     CORES,      2000,                     MILLICORES",
        "MEMORY,    1,     GB,         0.931322574615478515625,  GIB",
        "MEMORY,    200,   GB,         186.264514923095703125,   GIB",
        "MEMORY,    1,     TB,         931.322574615478515625,   GIB",
        "MEMORY,    1,     TIB,        1024,                     GIB",
        "MEMORY,    512,   MIB,        0.5,                      GIB",
        "MEMORY,    1,     MB,         0.95367431640625,         MIB",
        "MEMORY,    1,     GIB,        1.073741824,              GB",
        "MEMORY,    1,     TIB,        1.099511627776,           TB",
        "STORAGE,   4.266, TB,         3973.02210330963134765625, GIB",
        "BANDWIDTH, 2500,  MBPS,       2.5,                      GBPS",
        "BANDWIDTH, 10,    GBPS,       10000,                    MBPS",
    })
    void to_knownUnits_matchesClosedForm(ResourceType type, double amount, ResourceUnit from, double expected,
            ResourceUnit target) {
        ResourceAmount converted = ResourceAmount.of(type, amount, from).to(target);
        assertEquals(expected, converted.amount(), Math.abs(expected) * 1e-15);
        assertEquals(target, converted.unit());
        assertEquals(type, converted.type());
    }

    @Test
    void inCanonicalUnit_eachType_usesCoresGibGbps() {
        assertEquals(ResourceUnit.CORES, ResourceAmount.of(ResourceType.CPU, 250, ResourceUnit.MILLICORES)
                .inCanonicalUnit().unit());
        assertEquals(ResourceUnit.GIB, ResourceAmount.of(ResourceType.MEMORY, 3, ResourceUnit.TB)
                .inCanonicalUnit().unit());
        assertEquals(ResourceUnit.GIB, ResourceAmount.of(ResourceType.STORAGE, 3, ResourceUnit.MB)
                .inCanonicalUnit().unit());
        assertEquals(0.1, ResourceAmount.of(ResourceType.BANDWIDTH, 100, ResourceUnit.MBPS)
                .inCanonicalUnit().amount(), 1e-15);
    }

    @Test
    void to_roundTripThroughEveryUnit_returnsOriginal() {
        for (ResourceType type : ResourceType.values()) {
            for (ResourceUnit unit : type.units()) {
                ResourceAmount start = ResourceAmount.of(type, 123.456, unit);
                for (ResourceUnit via : type.units()) {
                    assertEquals(123.456, start.to(via).to(unit).amount(), 123.456 * 1e-14, type + " via " + via);
                }
            }
        }
    }

    @Test
    void to_unitOfAnotherType_isRejected() {
        ResourceAmount cpu = ResourceAmount.of(ResourceType.CPU, 1, ResourceUnit.CORES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.to(ResourceUnit.GIB));
        assertTrue(e.getMessage().contains("GiB is not a unit of CPU"), e.getMessage());
    }

    @Test
    void constructor_unitNotMatchingType_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ResourceAmount.of(ResourceType.BANDWIDTH, 1, ResourceUnit.MB));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, -0.001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void constructor_negativeOrNonFinite_isRejected(double amount) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResourceAmount.of(ResourceType.CPU, amount, ResourceUnit.CORES));
        assertTrue(e.getMessage().startsWith("amount:"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CPU", "cpu", "Cpu", "Memory", "memory", "MEMORY", "Bandwidth", "storage"})
    void find_anyCase_findsType(String name) {
        assertTrue(ResourceType.find(name).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GPU", "ram", "", "cpu ", "mem"})
    void find_unknownType_isEmpty(String name) {
        assertEquals(Optional.empty(), ResourceType.find(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mb", "mb", "gb", "GIB", "Cores", "VCPU", "gbps", "Gb", "bytes", ""})
    void find_unitNotSpeltExactly_isEmpty(String symbol) {
        assertFalse(ResourceUnit.find(symbol).isPresent(), symbol);
    }

    @Test
    void units_eachType_listsItsUnitsOnly() {
        assertEquals(java.util.List.of(ResourceUnit.CORES, ResourceUnit.MILLICORES, ResourceUnit.VCPU),
                ResourceType.CPU.units());
        assertEquals(ResourceType.MEMORY.units(), ResourceType.STORAGE.units());
        assertEquals(java.util.List.of(ResourceUnit.MBPS, ResourceUnit.GBPS), ResourceType.BANDWIDTH.units());
    }

    /** The largest amounts of TB and TiB whose GiB figure is still a double; the next double up is refused. */
    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({"TB, 1.9302583056193406e305", "TIB, 1.7555597020139802e305"})
    void constructor_amountBeyondADoubleInTheCanonicalUnit_refusedSayingSo(ResourceUnit unit, double largest) {
        assertTrue(Double.isFinite(ResourceAmount.of(ResourceType.STORAGE, largest, unit).inCanonicalUnit().amount()));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResourceAmount.of(ResourceType.STORAGE, Math.nextUp(largest), unit));
        assertEquals("amount: " + Math.nextUp(largest) + " " + unit.symbol()
                + " is too large: beyond the largest amount of Storage in GiB", e.getMessage());
    }

    @Test
    void to_unitWhereTheAmountIsBeyondADouble_refusedSayingSo() {
        ResourceAmount huge = ResourceAmount.of(ResourceType.MEMORY, Double.MAX_VALUE, ResourceUnit.GIB);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> huge.to(ResourceUnit.MB));
        assertEquals("target: 1.7976931348623157E308 GiB is too large: beyond the largest amount of Memory in MB",
                e.getMessage());
    }
}

