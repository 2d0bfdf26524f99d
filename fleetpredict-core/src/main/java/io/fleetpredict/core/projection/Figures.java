package io.fleetpredict.core.projection;

import io.fleetpredict.core.internal.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the projection compares and writes numbers: quantities closer than {@link #EPS} are equal, reasons carry
 * quantities with at most four decimals, no trailing zeros, rounded half up as the documents round them, and
 * money as the command line and the cost gate write it ({@link Decimals#text}), in any locale.
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
        return new BigDecimal(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** An amount of money: one rule wherever the library and the command line write money in text. */
    static String money(double v) {
        return Decimals.text(v);
    }

    static String quantileName(double q) {
        return "p" + num(q * 100);
    }
}
