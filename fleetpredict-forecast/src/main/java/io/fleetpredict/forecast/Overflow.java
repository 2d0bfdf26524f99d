package io.fleetpredict.forecast;

import java.util.Locale;

/** Says when a model's failure comes from the size of the series' values rather than their shape. */
final class Overflow {

    /** Above this, a value's square overflows a double, and so do the sums of squares models are fitted by. */
    private static final double SQUARE_LIMIT = Math.sqrt(Double.MAX_VALUE);

    private Overflow() {
    }

    /**
     * The clause to add to a failure's message when the values are that large, else an empty string.
     *
     * @param x the values the model was fitted on
     */
    static String hint(double[] x) {
        double max = 0;
        for (double v : x) {
            if (Double.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max > SQUARE_LIMIT ? String.format(Locale.ROOT, " (the series' values reach %.4g, beyond %.4g, where "
                + "their squares overflow a double; the series in a larger unit would fit)", max, SQUARE_LIMIT) : "";
    }
}
