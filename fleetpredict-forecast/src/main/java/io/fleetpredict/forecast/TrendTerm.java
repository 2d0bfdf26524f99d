package io.fleetpredict.forecast;

/** Deterministic regressors of a regression with ARIMA errors, evaluated at 1-based time indices. */
enum TrendTerm {
    /** A constant level (R's {@code intercept}). */
    INTERCEPT("intercept"),
    /** A linear trend in time, {@code 1, 2, ..., n} (forecast's {@code drift}). */
    DRIFT("drift");

    final String label;

    TrendTerm(String label) {
        this.label = label;
    }

    double at(int index) {
        return this == INTERCEPT ? 1.0 : index;
    }

    /** The column for indices {@code from + 1 .. from + n}. */
    double[] column(int from, int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = at(from + i + 1);
        }
        return c;
    }
}
