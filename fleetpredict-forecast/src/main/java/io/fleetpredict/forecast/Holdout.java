package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Hold-out evaluation of a forecaster over a set of series, as the M4 competition scores a method: each
 * series' model is fitted on its training part alone, forecasts {@code horizon} steps with its 95%
 * interval, and is scored against the first {@code horizon} values that followed ({@link Accuracy#of}, with
 * MASE and MSIS scaled at the seasonal {@code period}). The set's figures are the means over the series
 * ({@link HoldoutResult}); OWA compares them with Naive2's on the same series
 * ({@link HoldoutResult#owa(HoldoutResult)}).
 *
 * <p>A series the forecaster cannot fit ({@link ForecastException}) is forecast by the seasonal naive method
 * instead, at {@code period} or at the longest lag its training part allows, and its index is listed in
 * {@link HoldoutResult#fallbacks()}, so one failure neither voids the set nor goes unreported. Any other
 * exception ends the evaluation; a {@link ForecastException} of the fallback itself does so with the index of
 * its series in the message.
 *
 * <p>A series whose training values do not change at the MASE lag has no MASE or MSIS (its scale is 0); it is
 * listed in {@link HoldoutResult#flat()} and left out of their means, as M4 leaves it out.
 *
 * <p>Series may be fitted in parallel on an {@link Executor}; each series' scores land in its own slot and
 * the means are taken in series order afterwards, so the figures do not depend on scheduling.
 */
public final class Holdout {

    private Holdout() {
    }

    /**
     * A series that could not be forecast at all, not even by the seasonal naive fallback (values whose
     * forecast overflows a double): its index in the lists, so that a caller holding the series' names can
     * name it, and the forecaster's failure as the cause.
     */
    public static final class SeriesFailedException extends ForecastException {
        private static final long serialVersionUID = 1L;

        private final int index;

        SeriesFailedException(int index, ForecastException cause) {
            super(String.format(Locale.ROOT, "series at index %d: %s", index, cause.getMessage()), cause);
            this.index = index;
        }

        /**
         * The series' position in the lists given to {@code evaluate}.
         *
         * @return the index, from 0
         */
        public int index() {
            return index;
        }
    }

    /**
     * Evaluates a forecaster series by series on the calling thread.
     *
     * @param train the training part of each series, at least 2 values each
     * @param test the hold-out of each series, in the same order, at least {@code horizon} values each
     * @param forecaster what to evaluate
     * @param horizon steps forecast and scored, at least 1
     * @param period the seasonal period of the MASE and MSIS scale, at least 1
     * @return the scores of every series and their means
     * @throws IllegalArgumentException if the lists differ in length or are empty, or a series is too short
     *     (the message gives its index)
     * @throws SeriesFailedException if a series cannot be forecast at all, not even by the fallback
     */
    public static HoldoutResult evaluate(List<TimeSeries> train, List<TimeSeries> test, Forecaster forecaster,
            int horizon, int period) {
        try {
            return evaluate(train, test, forecaster, horizon, period, Runnable::run, () -> { });
        } catch (InterruptedException e) {
            // Nothing waits on the calling thread's own work; keep the flag for the caller all the same.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating " + forecaster.name(), e);
        }
    }

    /**
     * Evaluates a forecaster with the series fitted on an executor.
     *
     * @param train the training part of each series, at least 2 values each
     * @param test the hold-out of each series, in the same order, at least {@code horizon} values each
     * @param forecaster what to evaluate; thread-safe, as every {@link Forecaster} is
     * @param horizon steps forecast and scored, at least 1
     * @param period the seasonal period of the MASE and MSIS scale, at least 1
     * @param executor where series are fitted and scored
     * @param onScored run once after each series is scored, on the thread that scored it
     * @return the scores of every series and their means
     * @throws IllegalArgumentException if the lists differ in length or are empty, or a series is too short
     *     (the message gives its index)
     * @throws SeriesFailedException if a series cannot be forecast at all, not even by the fallback
     * @throws InterruptedException if the calling thread is interrupted while waiting for the scores
     */
    public static HoldoutResult evaluate(List<TimeSeries> train, List<TimeSeries> test, Forecaster forecaster,
            int horizon, int period, Executor executor, Runnable onScored) throws InterruptedException {
        Objects.requireNonNull(forecaster, "forecaster");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(onScored, "onScored");
        check(train, test, horizon, period);
        int n = train.size();
        List<CompletableFuture<Scored>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TimeSeries in = train.get(i);
            double[] actual = test.get(i).head(horizon).values();
            futures.add(CompletableFuture.supplyAsync(() -> {
                Scored s = score(forecaster, in, actual, horizon, period);
                onScored.run();
                return s;
            }, executor));
        }
        List<Accuracy> scores = new ArrayList<>(n);
        List<Integer> fallbacks = new ArrayList<>();
        List<Integer> flat = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (Accuracy.maseScale(train.get(i).values(), period) == 0) {
                flat.add(i);
            }
        }
        for (int i = 0; i < n; i++) {
            Scored s;
            try {
                s = futures.get(i).get();
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(false));
                Throwable cause = e.getCause();
                if (cause instanceof ForecastException fe) {
                    // Not even the fallback could forecast it (values whose forecast overflows): say which.
                    throw new SeriesFailedException(i, fe);
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(String.format(Locale.ROOT, "scoring series %d failed", i), cause);
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(false));
                throw e;
            }
            scores.add(s.accuracy());
            if (s.fellBack()) {
                fallbacks.add(i);
            }
        }
        return new HoldoutResult(forecaster.name(), horizon, scores, fallbacks, flat);
    }

    private record Scored(Accuracy accuracy, boolean fellBack) {
    }

    private static Scored score(Forecaster forecaster, TimeSeries train, double[] actual, int horizon, int period) {
        Forecast f;
        boolean fellBack = false;
        try {
            f = forecaster.fit(train).forecast(horizon, Accuracy.M4_LEVEL);
        } catch (ForecastException e) {
            fellBack = true;
            f = Forecasters.seasonalNaive(Math.min(period, train.size() - 1)).fit(train)
                    .forecast(horizon, Accuracy.M4_LEVEL);
        }
        return new Scored(Accuracy.of(train, actual, f, period), fellBack);
    }

    private static void check(List<TimeSeries> train, List<TimeSeries> test, int horizon, int period) {
        if (horizon < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "horizon must be at least 1, was %d", horizon));
        }
        Forecasters.requirePeriod(period);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("train must hold at least one series");
        }
        if (train.size() != test.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "train has %d series but test has %d", train.size(), test.size()));
        }
        for (int i = 0; i < train.size(); i++) {
            if (train.get(i).size() < 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "train series %d has %d values; scoring needs at least 2", i, train.get(i).size()));
            }
            if (test.get(i).size() < horizon) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "test series %d has %d values, fewer than the horizon %d", i, test.get(i).size(), horizon));
            }
        }
    }
}
