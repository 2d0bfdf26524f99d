package io.fleetpredict.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of what a document may hold: numbers whose exponent overflows, very long lists of names, and
 * text that could forge a log line. Each is an InvalidDocumentException at a JSON path, never another
 * exception and never a long wait.
 */
class DocumentsLimitsTest {

    private static final String FLEET = "{\"fleet_id\": \"shop\", \"version\": 3, \"as_of\": \"2024-10-27T10:00:00Z\","
            + " \"services\": [{\"name\": \"web\", \"sla_tier\": \"standard\", \"instance_groups\": [], \"allocated_resources\": []}]}";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e9999999999", "1e-2147483649", "-1E+2147483648", "0.5e99999999999999"})
    void read_numberWhoseExponentOverflows_isInvalidDocumentAtItsPath(String number) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(FLEET.replace("\"version\": 3", "\"version\": " + number), FleetState.class));
        assertEquals("$.version", e.jsonPath(), e.getMessage());
        assertTrue(e.problem().contains("out of range"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e9999999999", "1e-2147483649"})
    void read_overflowingNumberUnderUnknownField_isInvalidDocument(String number) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(FLEET.replace("{\"fleet_id\"", "{\"extra\": [" + number + "], \"fleet_id\""),
                        FleetState.class));
        assertEquals("$.extra[0]", e.jsonPath(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e9999999999", "1e-2147483649"})
    void detect_overflowingNumber_isInvalidDocument(String number) {
        assertThrows(InvalidDocumentException.class, () -> Documents.detect("{\"version\": " + number + "}"));
    }

    /** A key that counts how often it is compared, to show the duplicate check does not compare all pairs. */
    private record CountedKey(int value, AtomicLong comparisons) {
        @Override
        public boolean equals(Object other) {
            comparisons.incrementAndGet();
            return other instanceof CountedKey k && k.value == value;
        }

        @Override
        public int hashCode() {
            return Integer.hashCode(value);
        }
    }

    /**
     * A device that reports a size of 0 and never ends (as a pipe may) is read only to one byte past the limit,
     * not into memory until the heap runs out.
     */
    @Test
    void read_endlessFileReportingNoSize_isInvalidDocumentLargerThanTheLimit() throws IOException {
        Path zeros = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zeros) && Files.size(zeros) == 0, "a device that reports no size");

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(zeros, FleetState.class));

        assertEquals("$", e.jsonPath());
        assertTrue(e.getMessage().endsWith("larger than 8388608 bytes"), e::getMessage);
        assertThrows(InvalidDocumentException.class, () -> Documents.read(zeros));
        assertTrue(assertThrows(InvalidDocumentException.class, () -> Documents.detect(zeros)).getMessage()
                .endsWith("larger than 8388608 bytes"));
    }

    @Test
    void firstRepeat_distinctKeys_comparesFarFewerThanAllPairs() {
        AtomicLong comparisons = new AtomicLong();
        int n = 20_000;
        List<CountedKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(new CountedKey(i, comparisons));
        }
        assertEquals(-1, DocumentReader.firstRepeat(keys));
        // Comparing each key with every earlier one would take n(n-1)/2 = 199,990,000 comparisons.
        assertTrue(comparisons.get() <= n, () -> comparisons.get() + " comparisons for " + n + " distinct keys");
    }

    @Test
    void firstRepeat_namesTheSecondOccurrence() {
        assertEquals(3, DocumentReader.firstRepeat(List.of("a", "b", "c", "b", "a")));
        assertEquals(-1, DocumentReader.firstRepeat(List.of()));
    }

    private static String feed(List<String> scope) {
        return "{\"events\": [{\"id\": \"e\", \"type\": \"campaign\", \"name\": \"n\", \"start\": \"2024-01-01T00:00:00Z\","
                + " \"end\": \"2024-01-02T00:00:00Z\", \"scope\": ["
                + scope.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(",")) + "]}]}";
    }

    @Test
    @Timeout(30) // checking all pairs took over 80 s for this feed; one pass takes well under a second
    void read_feedWithOneHundredSixtyThousandScopeNames_isReadAndALateDuplicateIsNamed() {
        List<String> scope = IntStream.range(0, 160_000).mapToObj(i -> "s" + i).collect(Collectors.toList());
        EventFeed read = Documents.read(feed(scope), EventFeed.class);
        assertEquals(160_000, read.events().get(0).scope().size());

        scope.add("s17");
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(feed(scope), EventFeed.class));
        assertEquals("$.events[0].scope[160000]", e.jsonPath());
        assertTrue(e.problem().contains("duplicate value \"s17\""), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"shop\\n[main] ERROR forged", "shop\\r", "a\\u0000b", "shop\\u2028x", "x\\u202Ey",
        "tab\\there", "\\u001b[31mred"})
    void read_idWithControlCharacter_isRejectedAtItsPath(String id) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(FLEET.replace("\"shop\"", "\"" + id + "\""), FleetState.class));
        assertEquals("$.fleet_id", e.jsonPath());
        assertTrue(e.problem().contains("control characters"), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x1b), e.getMessage());
    }

    @Test
    void read_serviceNameWithLineBreak_isRejectedAtItsPath() {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(FLEET.replace("\"web\"", "\"web\\n\""), FleetState.class));
        assertEquals("$.services[0].name", e.jsonPath());
    }

    @Test
    void read_plainUnicodeName_isAccepted() {
        FleetState state = Documents.read(FLEET.replace("\"web\"", "\"caf\u00e9-\u00fcber\""), FleetState.class);
        assertEquals("caf\u00e9-\u00fcber", state.services().get(0).name());
    }
}
