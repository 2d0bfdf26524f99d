package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output is the same whatever the default locale: ASCII digits and '.' decimals. Surefire already runs with
 * hi-IN; these also force locales whose defaults use other digits (Devanagari, Arabic-Indic) or ',' decimals.
 */
class NumberFormattingTest {

    private static final Pattern NON_ASCII = Pattern.compile("[^\\x00-\\x7F]");
    private static final Pattern COMMA_DECIMAL = Pattern.compile("\\d,\\d");
    private static final Pattern DECIMAL = Pattern.compile("\\d\\.\\d");

    @TempDir
    Path tmp;

    private Locale saved;
    private Locale savedFormat;
    private Locale savedDisplay;

    @BeforeEach
    void save() {
        saved = Locale.getDefault();
        savedFormat = Locale.getDefault(Locale.Category.FORMAT);
        savedDisplay = Locale.getDefault(Locale.Category.DISPLAY);
    }

    @AfterEach
    void restore() {
        Locale.setDefault(saved);
        Locale.setDefault(Locale.Category.FORMAT, savedFormat);
        Locale.setDefault(Locale.Category.DISPLAY, savedDisplay);
    }

    private static void assertPlainNumbers(String what, CommandRun r) {
        assertEquals(ExitCodes.OK, r.code(), () -> what + ": " + r);
        assertFalse(NON_ASCII.matcher(r.out()).find(), () -> what + " has non-ASCII output:\n" + r.out());
        assertFalse(COMMA_DECIMAL.matcher(r.out()).find(), () -> what + " has a ',' between digits:\n" + r.out());
        assertTrue(DECIMAL.matcher(r.out()).find(), () -> what + " has no decimals to check:\n" + r.out());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"surefire-default", "hi-IN", "hi-IN-u-nu-deva", "ar-EG", "de-DE", "fr-FR"})
    void output_anyDefaultLocale_asciiDigitsAndDotDecimals(String tag) {
        if (!tag.equals("surefire-default")) {
            Locale.setDefault(Locale.forLanguageTag(tag));
        }
        String series = CommandRun.fixture("seasonal-hourly.csv").toString();
        String predicted = CommandRun.examples().resolve("predicted-fleet-state.json").toString();
        String overrides = CommandRun.examples().resolve("overrides.json").toString();
        String actuals = CommandRun.examples().resolve("actuals.csv").toString();

        for (String format : List.of("text", "json")) {
            assertPlainNumbers("forecast " + format, CommandRun.of("forecast", "--input", series, "--horizon", "3",
                    "--period", "24", "--level", "99.5", "--format", format));
            assertPlainNumbers("accuracy " + format, CommandRun.of("accuracy", "--predicted", predicted,
                    "--actuals", actuals, "--format", format));
            assertPlainNumbers("override list " + format, CommandRun.of("override", "list", "--overrides", overrides,
                    "--format", format));
        }
        assertPlainNumbers("override apply", CommandRun.of("override", "apply", "--overrides", overrides,
                "--predicted", predicted, "--audit", tmp.resolve("audit.log").toString()));
    }
}
