package io.fleetpredict.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks the records share, on the texts a reader sees as nothing. */
class ChecksTest {

    /** A no-break, figure or narrow space, a zero-width space, a byte order mark, a language tag: all show nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\u00a0", "\u2007", "\u202f", "\u200b", "\ufeff", "\u3000\u2060", "\udb40\udc01"})
    void text_spacesAndInvisibleFormatCharactersOnly_refusedAsBlank(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checks.text("name", value));
        assertEquals("name: must not be blank", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "\u00a0a", "caf\u00e9", "\ud83d\ude80", "\u200bx"})
    void text_withAVisibleCharacter_accepted(String value) {
        assertEquals(value, Checks.text("name", value));
    }

    /** A half of a surrogate pair alone (high at the end, high before a letter, low alone, two highs) is refused. */
    @ParameterizedTest
    @ValueSource(strings = {"web\ud800", "a\ud800b", "\udc00web", "a\ud800\ud800\udc00"})
    void name_loneSurrogate_refusedNamingWhere(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checks.name("service", value));
        int at = Checks.loneSurrogate(value);
        assertEquals(String.format("service: must be Unicode text, found a lone surrogate \\u%04x at character %d in \"%s\"",
                (int) value.charAt(at), at, value.replace(value.charAt(at), '\ufffd')), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud83d\ude80", "rocket \ud83d\ude80 web", "\udb40\udc01x"})
    void name_surrogatePairs_accepted(String value) {
        assertEquals(-1, Checks.loneSurrogate(value));
        assertEquals(value, Checks.name("service", value));
    }
}
