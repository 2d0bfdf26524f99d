package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fleetpredict.core.TextMutations;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.cloud.PurchaseOption;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The intents file reader gives intents or an IllegalArgumentException naming the place, nothing else;
 * what it accepts is written back to text that reads the same.
 *
 * <p>{@code @FuzzTest} runs the inputs under {@code src/test/resources/.../IntentsFuzzTestInputs} in a normal
 * build; {@code JAZZER_FUZZ=1 mvn -pl fleetpredict-core -am test -Dtest=IntentsFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false} fuzzes for real, for the test's {@code maxDuration}.
 */
class IntentsFuzzTest {

    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "null", "NaN", "-1", "0",
            "2.9", "1e9999999999", "\"5\"", "\"abc\"", "true", "{}", "[]", "\"open\"", "\"done\"", "\"spot\"",
            "\"\\n\"", "9223372036854775808", "\"2025-13-01T00:00:00Z\"", "\"count\" : 1,", "'");

    @FuzzTest(maxDuration = "60s")
    void readIntents_fuzzedText_intentsOrIllegalArgumentException(byte[] input) {
        check(new String(input, StandardCharsets.UTF_8));
    }

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readIntents_mutatedFile_intentsOrIllegalArgumentException(long seed) {
        check(mutated(seed));
    }

    /** Guards against a vacuous property: the mutations must be accepted sometimes and refused sometimes. */
    @Test
    void mutations_includeAcceptedAndRefusedFiles() {
        int accepted = 0;
        for (long seed = 0; seed < 300; seed++) {
            if (check(mutated(seed))) {
                accepted++;
            }
        }
        assertTrue(accepted > 5 && accepted < 295, "accepted " + accepted + " of 300");
    }

    /**
     * A refusal quotes what the file held (an unknown field's name, a kind, an instant): a line or paragraph
     * separator or a bidirectional override there, unescaped, would forge or reorder the log line it lands in.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("forgingTexts")
    void readIntents_refusedTextThatWouldForgeALogLine_isQuotedEscaped(String forging) {
        String escaped = String.format(java.util.Locale.ROOT, "\\u%04x", forging.codePointAt(0));
        String asField = valid().replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement(
                "{\"" + forging + "[main] ERROR forged\": 1, "));
        String asKind = valid().replaceFirst("\"kind\" ?: ?\"launch\"", java.util.regex.Matcher.quoteReplacement(
                "\"kind\": \"" + forging + "launch\""));
        for (String text : List.of(asField, asKind)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> IntentsFile.read(text, 1));
            assertTrue(e.getMessage().contains(escaped), () -> "not shown as " + escaped + ": " + e.getMessage());
            assertTrue(e.getMessage().codePoints().noneMatch(IntentsFuzzTest::forgesALine), e::getMessage);
        }
    }

    static List<String> forgingTexts() {
        return List.of("\u2028", "\u2029", "\u202e", "\u2066");
    }

    private static boolean forgesALine(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }

    private static boolean check(String text) {
        List<ProvisioningIntent> intents;
        try {
            intents = IntentsFile.read(text, 1);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && (e.getMessage().startsWith("$") || e.getMessage().startsWith("not valid")),
                    () -> "no place in: " + e.getMessage());
            assertTrue(e.getMessage().codePoints().noneMatch(IntentsFuzzTest::forgesALine),
                    () -> "a character that breaks or reorders a log line, unescaped, in: " + e.getMessage());
            return false;
        }
        FleetState state = Fixtures.emptyFleet("shop", 1, "checkout", "critical");
        String written = IntentsFile.write(new StoredFleet(state, intents));
        assertEquals(intents, IntentsFile.read(written, 1));
        return true;
    }

    static String valid() {
        ProvisioningIntent open = new ProvisioningIntent("a", "c1", "fp-key-a", "checkout", "critical", "m.large",
                "us-east", PurchaseOption.ON_DEMAND, 2, 2, 0.096, Instant.parse("2025-03-01T12:00:00Z"),
                ProvisioningIntent.Status.OPEN, List.of());
        ProvisioningIntent done = new ProvisioningIntent("b", "c2", "fp-key-b", "search", "standard", "c.xlarge",
                "eu-west", PurchaseOption.SPOT, 3, 2, 0.05, Instant.parse("2025-03-01T12:05:00Z"),
                ProvisioningIntent.Status.DONE, List.of("i-1", "i-2"));
        return IntentsFile.write(new StoredFleet(Fixtures.emptyFleet("shop", 1, "checkout", "critical"),
                List.of(open, done)));
    }

    /** A valid file with a few tokens inserted, replaced or removed at random places. */
    static String mutated(long seed) {
        return TextMutations.mutate(valid(), TOKENS, seed);
    }
}
