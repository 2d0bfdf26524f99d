package io.fleetpredict.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExactSumTest {

    private static double sum(double... values) {
        ExactSum s = new ExactSum();
        for (double v : values) {
            s.add(v);
        }
        return s.value();
    }

    @Test
    void value_tenTenths_isExactlyOne() {
        // Python 3 documentation of math.fsum: sum([.1] * 10) == 0.9999999999999999, fsum(...) == 1.0.
        assertEquals(1.0, sum(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1), 0.0);
    }

    @Test
    void value_cancellingGiants_keepsTheSmallTerm() {
        assertEquals(1.0, sum(1e100, 1.0, -1e100), 0.0);
        assertEquals(0.0, sum(), 0.0);
    }

    @Test
    void value_halfwayBetweenDoubles_roundsToEven() {
        // 1 + 2^-53 + 2^-105 lies just above the midpoint between 1 and 1 + 2^-52, so it rounds up;
        // the partials' plain sum would round the midpoint down to 1 and lose the last term.
        double expected = 1.0 + Math.ulp(1.0);
        assertEquals(expected, sum(1.0, Math.scalb(1.0, -53), Math.scalb(1.0, -105)), 0.0);
        assertEquals(1.0, sum(1.0, Math.scalb(1.0, -53)), 0.0);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void value_anyOrder_equalsBigDecimalSumRoundedOnce(long seed) {
        Random rnd = new Random(seed);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double magnitude = Math.pow(10, rnd.nextInt(30) - 10);
            values.add((rnd.nextDouble() - 0.45) * magnitude);
        }
        // Independent reference: exact decimal sum of the doubles, rounded once by BigDecimal.doubleValue.
        BigDecimal exact = BigDecimal.ZERO;
        for (double v : values) {
            exact = exact.add(new BigDecimal(v));
        }
        double expected = exact.doubleValue();
        for (int shuffle = 0; shuffle < 5; shuffle++) {
            Collections.shuffle(values, rnd);
            assertEquals(expected, sum(values.stream().mapToDouble(Double::doubleValue).toArray()), 0.0);
        }
    }
}
