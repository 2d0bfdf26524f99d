package io.fleetpredict.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How the command writes numbers, in one place (docs/cli.md, "Numbers", states the rule; {@link DecimalNumbers}
 * is how it reads them):
 *
 * <ul>
 *   <li>JSON: {@value #JSON_DIGITS} significant digits, written in the shortest form, so a double's noise
 *       ({@code 0.12616666666666665}) never reaches a report, while every figure keeps more digits than any
 *       measured quantity it comes from;
 *   <li>text: {@value #TEXT_DIGITS} significant digits, enough to read and compare; money as the library writes
 *       it in its messages ({@link io.fleetpredict.core.internal.Decimals#text}: {@code 0.0960}, {@code 0.00003125},
 *       {@code 1.250e-7}), so that the command's figures and the library's reasons printed beside them agree;
 *   <li>chart axes: up to three significant digits with an SI suffix from a thousand up ({@code 1.2k},
 *       {@code 3.5M}).
 * </ul>
 * Below {@value #SCIENTIFIC_FROM} the digits before the decimal point are kept: 123456.7 is {@code 123457} in JSON
 * and text, not {@code 1.235e+05}. From there up a number is its significant digits and a power of ten
 * ({@code 1E20} in JSON, {@code 1.000e+20} in text), never a 300-digit expansion of a double's binary value.
 * Output never depends on the default locale.
 */
final class Numbers {

    /** Significant digits of a number in JSON. */
    static final int JSON_DIGITS = 6;

    /** Significant digits of a number in text. */
    static final int TEXT_DIGITS = 4;

    /**
     * From this magnitude up a number is written with an exponent: a double holds whole numbers exactly only up
     * to 2^53 (about 9.0e15), so the digits written out beyond it would be the double's binary value, not data.
     */
    static final double SCIENTIFIC_FROM = 1e15;

    private static final String[] SI = {"", "k", "M", "G", "T", "P"};

    private Numbers() {
    }

    /**
     * The value rounded to {@code digits} significant digits, or to a whole number when it has more digits
     * than that before the decimal point, up to {@link #SCIENTIFIC_FROM}, from where it is {@code digits}
     * significant digits again.
     */
    static BigDecimal round(double value, int digits) {
        if (value == 0) {
            return BigDecimal.ZERO;
        }
        if (Math.abs(value) >= SCIENTIFIC_FROM) {
            return new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        }
        int whole = (int) Math.floor(Math.log10(Math.abs(value))) + 1;
        return new BigDecimal(value).setScale(Math.max(0, digits - whole), RoundingMode.HALF_EVEN);
    }

    /** A finite number for JSON: {@value #JSON_DIGITS} significant digits, no trailing zeros. */
    static String json(double value) {
        BigDecimal r = round(value, JSON_DIGITS).stripTrailingZeros();
        double a = Math.abs(value);
        if (a != 0 && (a < 1e-6 || a >= 1e15)) {
            // Too many zeros written out: the exponent form, still a JSON number.
            return r.toString().replace("E+", "E");
        }
        return r.scale() < 0 ? r.setScale(0).toPlainString() : r.toPlainString();
    }

    /**
     * A single figure in a sentence: as in JSON, {@code 1000} or {@code 12.5}, never {@code 1.00e+03}; from
     * {@link #SCIENTIFIC_FROM} up, or under a millionth, with a lower-case exponent ({@code 1e+20}).
     */
    static String plain(double value) {
        return Double.isFinite(value) ? readableExponent(json(value)) : text(value);
    }

    /** A number for text: {@value #TEXT_DIGITS} significant digits, trailing zeros kept so columns compare. */
    static String text(double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "-" : value > 0 ? "inf" : "-inf";
        }
        BigDecimal r = round(value, TEXT_DIGITS);
        return Math.abs(value) >= SCIENTIFIC_FROM ? readableExponent(r.toString()) : r.toPlainString();
    }

    /** {@code 1.000E+20} and {@code 1E-9} as a person writes them: {@code 1.000e+20}, {@code 1e-9}. */
    private static String readableExponent(String number) {
        int e = number.indexOf('E');
        if (e < 0) {
            return number;
        }
        String exponent = number.substring(e + 1);
        return number.substring(0, e) + "e" + (exponent.startsWith("-") || exponent.startsWith("+") ? "" : "+")
                + exponent;
    }

    /** A number for a chart axis or a short label: three significant digits at most, SI suffix from 1000. */
    static String si(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        double a = Math.abs(value);
        int k = 0;
        while (k < SI.length - 1 && Math.round(a * 1000) / 1000.0 >= 1000) {
            a /= 1000;
            k++;
        }
        String digits = round(a, 3).stripTrailingZeros().toPlainString();
        if (digits.equals("1000") && k < SI.length - 1) {
            digits = "1";
            k++;
        }
        return (value < 0 && !digits.equals("0") ? "-" : "") + digits + SI[k];
    }
}
