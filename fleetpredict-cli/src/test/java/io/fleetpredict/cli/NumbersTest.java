package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.internal.Decimals;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.12616666666666665, 0.126167",
        "13.61, 13.61",
        "741.888, 741.888",
        "123456.789, 123457",
        "1234567.89, 1234568",
        "1000, 1000",
        "-7.5, -7.5",
        "90.0, 90",
        "0, 0",
        "0.000123456789, 0.000123457",
        "1.0E-9, 1E-9",
        "0.000001, 0.000001",
        "9.99999E-7, 9.99999E-7",
        "2.5E20, 2.5E20"})
    void json_sixSignificantDigitsShortestForm(double value, String expected) {
        assertEquals(expected, Numbers.json(value));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "116.21875, 116.2",
        "0.12616666666666665, 0.1262",
        "12345.6, 12346",
        "9.8, 9.800",
        "-0.5, -0.5000",
        "NaN, -"})
    void text_fourSignificantDigitsWholePartKept(double value, String expected) {
        assertEquals(expected, Numbers.text(value));
    }

    /** From 1e15 up, the significant digits and a power of ten, never a double's binary value written out. */
    @ParameterizedTest(name = "{0} -> json {1}, text {2}, plain {3}")
    @CsvSource({
        "1e300, 1E300, 1.000e+300, 1e+300",
        "-1.23456789e300, -1.23457E300, -1.235e+300, -1.23457e+300",
        "1e20, 1E20, 1.000e+20, 1e+20",
        "1e15, 1E15, 1.000e+15, 1e+15",
        "999999999999999, 999999999999999, 999999999999999, 999999999999999",
        "1.7976931348623157e308, 1.79769E308, 1.798e+308, 1.79769e+308"})
    void hugeValues_exponentWithTheRulesSignificantDigits(double value, String json, String text, String plain) {
        assertEquals(json, Numbers.json(value));
        assertEquals(text, Numbers.text(value));
        assertEquals(plain, Numbers.plain(value));
    }

    /**
     * Money in text is written by the library's one rule (docs/cli.md, "Numbers"), the one its reasons use: four
     * decimals, more where four significant digits need them, and a power of ten under a millionth and from 1e15
     * up. The command's own rule wrote {@code 0.00004} as {@code 0.0000} beside a reason saying {@code 0.00004}.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.096, 0.0960",
        "0.0016, 0.0016",
        "0.00004, 0.00004",
        "0.03125, 0.03125",
        "325.584, 325.5840",
        "3500.4321987, 3500.4322",
        "0, 0.0000",
        "0.0000001, 1.000e-7",
        "999999999999999, 999999999999999.0000",
        "1e15, 1.000e+15",
        "1e20, 1.000e+20"})
    void money_theLibrarysRule(double value, String expected) {
        assertEquals(expected, Decimals.text(value));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 0", "0.25, 0.25", "12.5, 12.5", "999, 999", "999.6, 1k", "1000, 1k", "1200, 1.2k", "15000, 15k",
        "123456, 123k", "1500000, 1.5M", "2.5E9, 2.5G", "-1500, -1.5k", "0.0001, 0.0001"})
    void si_threeDigitsAndASuffixFromAThousand(double value, String expected) {
        assertEquals(expected, Numbers.si(value));
    }

    /** Whatever the value, the JSON form parses back to within half a unit of its sixth significant digit. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void json_anyValue_parsesBackWithinSixDigits(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            double v = (random.nextBoolean() ? -1 : 1) * Math.pow(10, random.nextDouble() * 24 - 12) * random.nextDouble();
            String s = Numbers.json(v);
            double back = Double.parseDouble(s);
            assertEquals(v, back, Math.abs(v) * 5e-6 + (Math.abs(v) >= 1e5 ? 0.5 : 0), s);
            assertFalse(s.contains("E") && Math.abs(v) >= 1e-6 && Math.abs(v) < 1e15, s);
            String mantissa = s.replaceFirst("E.*", "");
            assertTrue(mantissa.replaceAll("[^0-9]", "").replaceFirst("^0+", "").length() <= Math.max(6,
                    (int) Math.floor(Math.log10(Math.abs(v))) + 1), s);
        }
    }

    @Test
    void roundNumbers_rewritesFractionsOnlyOutsideStrings() {
        String json = "{\"a\" : 1.7857142857142858, \"b\" : \"0.12616666666666665\", \"c\" : 41, \"d\" : -2.0E-3,"
                + " \"e\" : [90.0, null], \"f\" : \"say \\\"1.23456789\\\"\"}";
        assertEquals("{\"a\" : 1.78571, \"b\" : \"0.12616666666666665\", \"c\" : 41, \"d\" : -0.002,"
                + " \"e\" : [90, null], \"f\" : \"say \\\"1.23456789\\\"\"}", JsonWriter.roundNumbers(json));
    }
}
