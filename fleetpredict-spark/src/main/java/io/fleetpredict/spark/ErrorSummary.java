package io.fleetpredict.spark;

import java.util.Locale;

/**
 * The aggregate of per-series errors: how many series were scored, by the model or a fallback, and the mean
 * of each score over the scored series whose score is finite (MASE is infinite on a series that never
 * changes). The means are summed exactly, so they do not depend on how the series were partitioned.
 *
 * @param series the series evaluated
 * @param scored the series with scores, by the model or a fallback
 * @param fallbacks the scored series where the model failed and a fallback was scored instead
 * @param failed the series without scores: unreadable, too short for the plan, or every model failed
 * @param smape the mean sMAPE, in percent; NaN when no series has a finite one
 * @param mase the mean MASE; NaN when no series has a finite one
 * @param coverage the mean share of actual values inside the scored interval, from 0 to 1; NaN when none
 */
public record ErrorSummary(long series, long scored, long fallbacks, long failed, double smape, double mase,
        double coverage) {

    /** Checks the counts. */
    public ErrorSummary {
        if (series < 0 || scored < 0 || fallbacks < 0 || failed < 0 || scored + failed != series
                || fallbacks > scored) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "inconsistent counts: series %d, scored %d, fallbacks %d, failed %d", series, scored, fallbacks,
                    failed));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%d series: %d scored (%d by a fallback), %d failed; sMAPE %.4f, MASE %.4f, coverage %.4f", series,
                scored, fallbacks, failed, smape, mase, coverage);
    }
}
