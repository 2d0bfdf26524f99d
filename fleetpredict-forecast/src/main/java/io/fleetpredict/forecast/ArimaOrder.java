package io.fleetpredict.forecast;

import java.util.Locale;

/**
 * The orders of a seasonal ARIMA model (p,d,q)(P,D,Q)m: autoregressive, differencing and moving average
 * orders, non-seasonal and seasonal, and the seasonal period.
 *
 * @param p non-seasonal autoregressive order, at least 0
 * @param d non-seasonal differences, 0 to 2
 * @param q non-seasonal moving average order, at least 0
 * @param seasonalP seasonal autoregressive order, at least 0
 * @param seasonalD seasonal differences, 0 or 1
 * @param seasonalQ seasonal moving average order, at least 0
 * @param period the seasonal period m, at least 1; with period 1 the seasonal orders are 0
 */
public record ArimaOrder(int p, int d, int q, int seasonalP, int seasonalD, int seasonalQ, int period) {

    /** Validates the orders. */
    public ArimaOrder {
        requireOrder("p", p, 0, 50);
        requireOrder("d", d, 0, 2);
        requireOrder("q", q, 0, 50);
        requireOrder("seasonalP", seasonalP, 0, 10);
        requireOrder("seasonalD", seasonalD, 0, 1);
        requireOrder("seasonalQ", seasonalQ, 0, 10);
        if (period < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d", period));
        }
        if (period == 1 && seasonalP + seasonalD + seasonalQ > 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "seasonal orders (%d,%d,%d) need a period above 1, was 1", seasonalP, seasonalD, seasonalQ));
        }
    }

    /**
     * A non-seasonal ARIMA(p,d,q).
     *
     * @param p autoregressive order
     * @param d differences, 0 to 2
     * @param q moving average order
     * @return the order
     */
    public static ArimaOrder of(int p, int d, int q) {
        return new ArimaOrder(p, d, q, 0, 0, 0, 1);
    }

    /**
     * A seasonal ARIMA(p,d,q)(P,D,Q)m.
     *
     * @param p autoregressive order
     * @param d differences, 0 to 2
     * @param q moving average order
     * @param seasonalP seasonal autoregressive order
     * @param seasonalD seasonal differences, 0 or 1
     * @param seasonalQ seasonal moving average order
     * @param period the seasonal period
     * @return the order
     */
    public static ArimaOrder of(int p, int d, int q, int seasonalP, int seasonalD, int seasonalQ, int period) {
        return new ArimaOrder(p, d, q, seasonalP, seasonalD, seasonalQ, period);
    }

    /** @return whether any seasonal order is non-zero */
    public boolean isSeasonal() {
        return seasonalP + seasonalD + seasonalQ > 0;
    }

    /** @return the number of observations lost to differencing, {@code d + D * m} */
    public int differencingLoss() {
        return d + seasonalD * period;
    }

    /** @return the order in the usual notation, such as {@code ARIMA(0,1,1)(0,1,1)[12]} */
    @Override
    public String toString() {
        String s = String.format(Locale.ROOT, "ARIMA(%d,%d,%d)", p, d, q);
        return isSeasonal() ? s + String.format(Locale.ROOT, "(%d,%d,%d)[%d]", seasonalP, seasonalD, seasonalQ, period) : s;
    }

    private static void requireOrder(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s must be in [%d, %d], was %d", name, min, max, value));
        }
    }
}
