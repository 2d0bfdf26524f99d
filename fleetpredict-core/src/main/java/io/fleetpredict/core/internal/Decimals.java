package io.fleetpredict.core.internal;

import java.math.BigDecimal;
import java.math.MathContext;
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
    /**
     * The least magnitude {@link #text} writes out in decimals: below it, the zeros before the digits outnumber
     * them (a cost of {@code 1e-300} would be 300 of them), as the command line's JSON and sentences see it too.
     */
    private static final BigDecimal SMALLEST_WITHOUT_EXPONENT = new BigDecimal("0.000001");
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

    /**
     * A quantity for a message or a record, such as a cost per hour, and money wherever the command line prints
     * it: rounded as {@link #round} rounds it and written with four decimals, more where its four significant
     * digits need them ({@code 0.0040}, {@code 0.0624}, {@code 12.5000}, {@code 0.00001235}), as prices are
     * written, so that a fraction of a cent is never written {@code 0.00}. Under a millionth and from
     * {@code 1e15} up (where a double holds no decimals) it is four significant digits and a power of ten
     * ({@code 1.250e-7}, {@code 1.000e+20}, as the command line writes them), not hundreds of digits.
     *
     * @param value the value; one that is not finite is written as {@link String#valueOf(double)} writes it
     * @return the text, the same in every locale
     */
    public static String text(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal significant = new BigDecimal(value).round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_UP));
        if (Math.abs(value) >= 1e15 || (value != 0 && significant.abs().compareTo(SMALLEST_WITHOUT_EXPONENT) < 0)) {
            // Scientific notation from BigDecimal itself at both ends: its exponent is below -6 or its scale negative.
            return significant.toString().replace('E', 'e');
        }
        BigDecimal r = scaled(value, RoundingMode.HALF_UP);
        if (r.scale() > DECIMALS) {
            // The significant digits beyond the fourth decimal are kept, not the zeros that pad them to four.
            BigDecimal stripped = r.stripTrailingZeros();
            r = stripped.scale() < DECIMALS ? stripped.setScale(DECIMALS) : stripped;
        }
        return r.toPlainString();
    }

    private static double round(double value, RoundingMode mode) {
        if (!Double.isFinite(value)) {
            return value;
        }
        return scaled(value, mode).doubleValue();
    }

    /** The finite value at four decimals or four significant digits, whichever is finer. */
    private static BigDecimal scaled(double value, RoundingMode mode) {
        BigDecimal exact = new BigDecimal(value);
        int significantScale = exact.scale() - exact.precision() + SIGNIFICANT_DIGITS;
        return exact.setScale(Math.max(DECIMALS, significantScale), mode);
    }
}
