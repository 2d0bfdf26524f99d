package io.fleetpredict.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalsTest {

    /*
     * Expected values from Python 3's decimal module, an independent implementation:
     * float(Decimal(v).quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)) from 0.1 up, and
     * float(Decimal(v).quantize(Decimal(10) ** (e - 3), rounding=ROUND_HALF_UP)) with e = Decimal(v).adjusted()
     * below it. Decimal(v) is the double's exact value, so 0.00015 (exactly 0.000149999...) keeps its digits
     * and 2.00025 (exactly 2.000249999...) rounds down.
     */
    @ParameterizedTest
    @CsvSource({
        "1.23456, 1.2346",
        "-1.23454, -1.2345",
        "412.5, 412.5",
        "0, 0",
        "1.00005, 1.0001",
        "0.00015, 0.00015",
        "2.00025, 2.0002",
        "0.30000000000000004, 0.3",
        "0.123456, 0.1235",
        "0.0123456, 0.01235",
        "0.00001, 0.00001",
        "0.000033333333, 0.00003333",
        "0.000049999, 0.00005000",
        "1.23456789e-300, 1.235e-300",
        "-4.2e-7, -4.2e-7",
        "123456789.12345, 123456789.1234",
        "58323306239.53445, 58323306239.5344",
        // At and above 2^53 a double is a whole number: the value itself, not Long.MAX_VALUE / 10^4.
        "922337203685477.6, 922337203685477.6",
        "2e15, 2e15",
        "-2e15, -2e15",
        "1e300, 1e300",
        "1.7976931348623157e308, 1.7976931348623157e308",
    })
    void round_knownValues_matchDecimalRounding(double value, double expected) {
        assertEquals(expected, Decimals.round(value));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void round_valuesOfEveryMagnitude_fourDecimalsOrFourSignificantDigitsAndStable(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            double v = (rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble() * Math.pow(10, rnd.nextInt(-300, 300));
            double r = Decimals.round(v);
            // Half a unit of the fourth decimal, or of the fourth significant digit when that is finer.
            double unit = Math.min(1e-4, Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 3));
            assertEquals(v, r, 0.5 * unit + Math.ulp(v), () -> "round(" + v + ")");
            assertEquals(r, Decimals.round(r), () -> "round(round(" + v + "))");
            assertTrue(v == 0 || r != 0, () -> "round(" + v + ") is zero");
            if (Math.abs(v) >= 0x1p53) {
                assertEquals(v, r, () -> "round(" + v + ") of a whole number");
            }
        }
    }

    /** The text keeps the decimals the rounding keeps: a sub-cent cost is not 0.00, a huge one is not 300 digits. */
    @ParameterizedTest
    @CsvSource({
        "0.004, 0.0040",
        "0.06240000000000001, 0.0624",
        "0.001, 0.0010",
        "12.5, 12.5000",
        "0.00001234567, 0.00001235",
        "0.00001, 0.00001",
        "0.0001, 0.0001",
        "0, 0.0000",
        "-1.23456, -1.2346",
        "123456789.12345, 123456789.1234",
        "1e20, 1.000e+20",
        "NaN, NaN",
        // Half a unit rounds up, as documents round: the command line wrote 0.0312 for this price.
        "0.03125, 0.03125",
        "0.000001, 0.000001",
        "0.0000009999996, 0.000001",
        // Under a millionth: the significant digits and a power of ten, not the zeros before them.
        "0.00000012345, 1.235e-7",
        "-1.25e-7, -1.250e-7",
        "1e-300, 1.000e-300",
        "4.9e-324, 4.941e-324",
    })
    void text_knownValues_theRoundedDigits(double value, String expected) {
        assertEquals(expected, Decimals.text(value));
    }

    /** A figure that is not a number or infinite has no digits to keep: it is written as it is. */
    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void round_notFinite_returnedAsItIs(double value) {
        assertEquals(value, Decimals.round(value));
    }
}
