package io.fleetpredict.core.projection;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How the projection writes numbers into its reasons: at most four decimals, no trailing zeros, any locale. */
final class Figures {

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
