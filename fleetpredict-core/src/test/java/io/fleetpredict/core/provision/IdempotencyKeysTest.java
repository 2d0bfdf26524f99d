package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Derived keys: stable, and distinct for distinct lists of parts however the parts' text runs together. */
class IdempotencyKeysTest {

    @Test
    void derive_sameParts_sameKeyOfThePrefixAnd32HexDigits() {
        String key = IdempotencyKeys.derive("fp-giveup", "shop", List.of("i-1", "i-2"));
        assertEquals(key, IdempotencyKeys.derive("fp-giveup", "shop", List.of("i-1", "i-2")));
        assertTrue(key.matches("fp-giveup-[0-9a-f]{32}"), key);
    }

    @Test
    void derive_partsThatConcatenateAlike_differ() {
        // Joined with a separator only, "a:b" and ("a", "b") would read alike.
        assertNotEquals(IdempotencyKeys.derive("p", "a:b"), IdempotencyKeys.derive("p", "a", "b"));
        // Length-prefixed only, ("2", "abcdefghij") is "12" + "10abcdefghij", which is also "10abcdefghij"
        // prefixed with its length 12.
        assertNotEquals(IdempotencyKeys.derive("p", "2", "abcdefghij"), IdempotencyKeys.derive("p", "10abcdefghij"));
        assertNotEquals(IdempotencyKeys.derive("p", "ab", "c"), IdempotencyKeys.derive("p", "a", "bc"));
        assertNotEquals(IdempotencyKeys.derive("p", "x"), IdempotencyKeys.derive("q", "x"));
    }
}
