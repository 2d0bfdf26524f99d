package io.fleetpredict.core.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Rounding of the figures the library writes into its documents. Internal: no compatibility promise.
 */
public final class Decimals {
    private Decimals() {}

    /**
     * Rounds a value half up to four decimals, the precision of the documents' quantities.
     *
     * <p>Rounded in decimal from the double's exact value, so the result is the double nearest the rounded
     * value at every magnitude. Not {@code Math.round(v * 1e4) / 1e4}: that saturates at
     * {@code Long.MAX_VALUE / 1e4}, about 9.22e14, and the product's own rounding can move a value across
     * the half-way point.
     *
     * @param value the value; one that is not finite is returned as is
     * @return the double nearest to the value rounded to four decimals
     */
    public static double round4(double value) {
        if (!Double.isFinite(value)) {
            return value;
        }
        return new BigDecimal(value).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }
}
