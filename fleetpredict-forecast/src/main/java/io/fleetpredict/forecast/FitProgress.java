package io.fleetpredict.forecast;

/**
 * Told how far a fit has gone, for a progress display. Automatic selection fits every candidate at every
 * cross-validation origin before it refits the chosen ones, which takes a while on a long series; it reports
 * each of those fits as it ends. Called on the fitting thread; it should return quickly.
 */
@FunctionalInterface
public interface FitProgress {

    /** Ignores every report. */
    FitProgress NONE = (done, total) -> { };

    /**
     * Some fits are done.
     *
     * @param done the fits done so far, from 1 up to {@code total}
     * @param total the fits this fit does in all; the last report has {@code done == total}
     */
    void fitted(int done, int total);
}
