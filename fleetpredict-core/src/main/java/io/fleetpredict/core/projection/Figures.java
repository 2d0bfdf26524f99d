package io.fleetpredict.core.projection;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the projection compares and writes numbers: quantities closer than {@link #EPS} are equal, and reasons
 * carry at most four decimals, no trailing zeros, in any locale.
 */
final class Figures {

    /** Quantities, costs and shares closer than this are equal: what floating-point sums leave over. */
    static final double EPS = 1e-9;

    private Figures() {
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        return new BigDecimal(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    static String quantileName(double q) {
        return "p" + num(q * 100);
    }
}
