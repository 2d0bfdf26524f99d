package io.fleetpredict.core.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Rounding of the quantities the library writes into its documents and sizes from. Internal: no
 * compatibility promise.
 *
 * <p>A quantity keeps four decimals or four significant digits, whichever is finer: {@code 412.5},
 * {@code 0.1235}, {@code 0.00001235}. Four decimals alone turned a need under {@code 0.00005} of a unit into
 * zero, and zero of a resource buys no capacity at all.
 */
public final class Decimals {

    /** The fewest significant digits a rounded quantity keeps, however small it is. */
    static final int SIGNIFICANT_DIGITS = 4;
    /** The decimals a quantity keeps when that is finer than its significant digits. */
    static final int DECIMALS = 4;
    private Decimals() {}

    /**
     * Rounds a quantity half up to four decimals or four significant digits, whichever is finer.
     *
     * <p>Rounded in decimal from the double's exact value, so the result is the double nearest the rounded
     * value at every magnitude (not {@code Math.round(v * 1e4) / 1e4}, which saturates at about 9.22e14), and
     * a value other than zero never rounds to zero.
     *
     * @param value the value; one that is not finite is returned as is
     * @return the double nearest to the rounded value
     */
    public static double round(double value) {
        return round(value, RoundingMode.HALF_UP);
    }

    private static double round(double value, RoundingMode mode) {
        if (!Double.isFinite(value)) {
            return value;
        }
        BigDecimal exact = new BigDecimal(value);
        int significantScale = exact.scale() - exact.precision() + SIGNIFICANT_DIGITS;
        return exact.setScale(Math.max(DECIMALS, significantScale), mode).doubleValue();
    }
}
