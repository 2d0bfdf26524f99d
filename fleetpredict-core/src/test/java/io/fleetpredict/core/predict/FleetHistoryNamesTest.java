package io.fleetpredict.core.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Service and metric names of a history reach messages and log lines, so none of them can carry a line break. */
class FleetHistoryNamesTest {
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final Duration STEP = Duration.ofHours(1);

    static Stream<Arguments> controlCharacters() {
        return Stream.of(
                Arguments.of("checkout\n[main] ERROR forged", "checkout\\u000a[main] ERROR forged", "\\u000a at character 8"),
                Arguments.of("checkout\r", "checkout\\u000d", "\\u000d at character 8"),
                Arguments.of("a\u0085b", "a\\u0085b", "\\u0085 at character 1"),
                Arguments.of("a\u2028b", "a\\u2028b", "\\u2028 at character 1"),
                Arguments.of("\u202eabc", "\\u202eabc", "\\u202e at character 0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("controlCharacters")
    void usage_serviceNameWithAControlCharacter_refusedShowingItEscaped(String service, String escaped, String found) {
        FleetHistory.Builder b = FleetHistory.builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.usage(service, ResourceType.CPU, ResourceUnit.CORES, T0, STEP, 1, 2, 3));

        assertEquals("service: must not contain control characters, found " + found + " in \"" + escaped + "\"",
                e.getMessage());
    }

    @Test
    void activity_metricNameWithALineBreak_refused() {
        FleetHistory.Builder b = FleetHistory.builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.activity("checkout", "orders\nINFO forged", T0, STEP, 1, 2, 3));

        assertEquals("metric: must not contain control characters, found \\u000a at character 6 in"
                + " \"orders\\u000aINFO forged\"", e.getMessage());
    }

    @Test
    void builder_plainNamesWithDotsDashesAndLetters_accepted() {
        FleetHistory h = FleetHistory.builder()
                .usage("check-out.eu_1", ResourceType.CPU, ResourceUnit.CORES, T0, STEP, 1, 2, 3)
                .activity("check-out.eu_1", "commandes-passées", T0, STEP, 4, 5, 6)
                .build();

        assertEquals(Set.of("check-out.eu_1"), h.services());
        assertEquals(Set.of("commandes-passées"), h.activity("check-out.eu_1").keySet());
    }
}
