package io.fleetpredict.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalsTest {

    /*
     * Expected values from Python 3's decimal module, an independent implementation:
     * float(Decimal(v).quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)). Decimal(v) is the double's exact
     * value, so 0.00015 (exactly 0.000149999...) and 2.00025 (exactly 2.000249999...) round down.
     */
    @ParameterizedTest
    @CsvSource({
        "1.23456, 1.2346",
        "-1.23454, -1.2345",
        "412.5, 412.5",
        "0, 0",
        "1.00005, 1.0001",
        "0.00015, 0.0001",
        "2.00025, 2.0002",
        "0.30000000000000004, 0.3",
        "123456789.12345, 123456789.1234",
        "58323306239.53445, 58323306239.5344",
        // At and above 2^53 a double is a whole number: the value itself, not Long.MAX_VALUE / 10^4.
        "922337203685477.6, 922337203685477.6",
        "2e15, 2e15",
        "-2e15, -2e15",
        "1e300, 1e300",
        "1.7976931348623157e308, 1.7976931348623157e308",
    })
    void round4_knownValues_matchDecimalRounding(double value, double expected) {
        assertEquals(expected, Decimals.round4(value));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void round4_valuesOfEveryMagnitude_withinHalfAUnitOfTheFourthDecimalAndStable(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            double v = (rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble() * Math.pow(10, rnd.nextInt(-6, 300));
            double r = Decimals.round4(v);
            assertEquals(v, r, 0.5e-4 + Math.ulp(v), () -> "round4(" + v + ")");
            assertEquals(r, Decimals.round4(r), () -> "round4(round4(" + v + "))");
            if (Math.abs(v) >= 0x1p53) {
                assertEquals(v, r, () -> "round4(" + v + ") of a whole number");
            }
        }
    }
}
