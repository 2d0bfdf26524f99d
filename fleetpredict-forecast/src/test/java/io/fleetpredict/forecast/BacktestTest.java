package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestTest {

    /** Wraps a forecaster and records every series it is asked to fit. */
    static final class Recording implements Forecaster {
        final Forecaster inner;
        final List<TimeSeries> seen = Collections.synchronizedList(new ArrayList<>());

        Recording(Forecaster inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            seen.add(series);
            return inner.fit(series);
        }
    }

    /** A model that says it was trained before fitting, as one trained across many series says so. */
    static final class TrainedBefore implements Forecaster {
        final Forecaster inner;

        TrainedBefore(Forecaster inner) {
            this.inner = inner;
        }

        @Override
        public boolean trainedBeforeFit() {
            return true;
        }

        @Override
        public String name() {
            return "trained-before(" + inner.name() + ")";
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            return inner.fit(series);
        }
    }

    @Test
    void rollingOrigin_neverShowsTheModelValuesAtOrAfterTheOrigin() {
        TimeSeries s = Datasets.synthetic(3, 200, 24);
        Recording rec = new Recording(Forecasters.seasonalNaive(24));
        BacktestResult r = Backtest.rollingOrigin(s, rec, 12, 5, 7, 24);
        assertEquals(5, rec.seen.size());
        for (int k = 0; k < 5; k++) {
            int origin = r.folds().get(k).origin();
            TimeSeries given = rec.seen.get(k);
            assertEquals(s.head(origin), given, "fold " + k);
            assertTrue(given.end().compareTo(r.folds().get(k).time()) <= 0);
        }
    }

    @Test
    void rollingOrigin_originsEndAtTheLastHorizonAndStepBackByStride() {
        TimeSeries s = Datasets.synthetic(4, 100, 24);
        BacktestResult r = Backtest.rollingOrigin(s, Forecasters.naive(), 10, 4, 5);
        assertEquals(List.of(75, 80, 85, 90), r.folds().stream().map(BacktestResult.Fold::origin).toList());
        assertEquals(s.timeAt(90), r.folds().get(3).time());
        assertEquals("naive", r.forecaster());
    }

    @Test
    void rollingOrigin_scoresEqualDirectComputation() {
        TimeSeries s = Datasets.synthetic(5, 150, 24);
        BacktestResult r = Backtest.rollingOrigin(s, Forecasters.seasonalNaive(24), 24, 3, 24, 24);
        double[] expected = new double[3];
        for (int k = 0; k < 3; k++) {
            int origin = 150 - 24 - (2 - k) * 24;
            double[] train = s.head(origin).values();
            double[] actual = s.slice(origin, origin + 24).values();
            double[] f = java.util.Arrays.copyOfRange(train, origin - 24, origin);
            expected[k] = Accuracy.mase(train, 24, actual, f);
        }
        assertArrayEquals(expected, r.perOrigin(Metric.MASE), 1e-12);
        assertEquals((expected[0] + expected[1] + expected[2]) / 3, r.mean(Metric.MASE), 1e-12);
        assertTrue(Double.isFinite(r.mean(Metric.MSIS)), "intervals are requested and scored");
    }

    @Test
    void rollingOrigin_tooShort_throwsInsufficientData() {
        TimeSeries s = TimeSeries.ofValues(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Backtest.rollingOrigin(s, Forecasters.naive(), 5, 3, 2));
        // The earliest origin would be 1: one value to fit on is too few, eleven values would do.
        assertEquals("3 origins 2 steps apart with horizon 5 need more than 10 values; the series has 10",
                e.getMessage());
    }

    @Test
    void rollingOrigin_earliestOriginLeavingTwoValues_isScored() {
        TimeSeries s = TimeSeries.ofValues(1, 2, 3, 4, 5, 6, 7, 8, 9);
        BacktestResult r = Backtest.rollingOrigin(s, Forecasters.naive(), 5, 3, 1);
        assertEquals(List.of(2, 3, 4), r.folds().stream().map(BacktestResult.Fold::origin).toList());
    }

    @Test
    void rollingOrigin_horizonOfOne_scoresOneValueAtEachOrigin() {
        TimeSeries s = TimeSeries.ofValues(1, 2, 4, 8, 16, 32);
        BacktestResult r = Backtest.rollingOrigin(s, Forecasters.naive(), 1, 2, 1);
        assertEquals(1, r.horizon());
        assertEquals(List.of(4, 5), r.folds().stream().map(BacktestResult.Fold::origin).toList());
        // The random walk forecasts the last value seen: 8 for 16, 16 for 32.
        assertArrayEquals(new double[] {8, 16}, r.perOrigin(Metric.RMSE), 1e-12);
    }

    @Test
    void fold_originOfOne_isAValueSeen_zeroIsRefused() {
        BacktestResult r = Backtest.rollingOrigin(TimeSeries.ofValues(1, 2, 4), Forecasters.naive(), 1, 1, 1);
        BacktestResult.Fold f = r.folds().get(0);
        assertEquals(1, new BacktestResult.Fold(1, f.time(), f.accuracy()).origin());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BacktestResult.Fold(0, f.time(), f.accuracy()));
        assertEquals("origin must be at least 1, was 0", e.getMessage());
    }

    @Test
    void rollingOrigin_badArguments_areRejected() {
        TimeSeries s = Datasets.synthetic(6, 100, 24);
        // Each named: without its own check, no horizon or no origin would fail later, or not at all, elsewhere.
        IllegalArgumentException horizon = assertThrows(IllegalArgumentException.class,
                () -> Backtest.rollingOrigin(s, Forecasters.naive(), 0, 1, 1));
        assertEquals("horizon must be at least 1, was 0", horizon.getMessage());
        IllegalArgumentException origins = assertThrows(IllegalArgumentException.class,
                () -> Backtest.rollingOrigin(s, Forecasters.naive(), 1, 0, 1));
        assertEquals("origins must be at least 1, was 0", origins.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backtest.rollingOrigin(s, Forecasters.naive(), 1, 1, -2));
        assertTrue(e.getMessage().contains("stride") && e.getMessage().contains("-2"), e.getMessage());
    }

    @Test
    void rollingOrigin_modelTrainedBeforeFit_isRefusedNamingItAndTheWayOut() {
        TimeSeries s = Datasets.synthetic(7, 200, 24);
        Forecaster pooled = GlobalAutoregression.train(List.of(s),
                new GlobalAutoregression.Settings(24, 12, 1e-3, GlobalAutoregression.Normalisation.STANDARDISED));
        // Trained on the whole series, its fit only reads it: every origin would score weights that saw the answers.
        for (Forecaster f : List.of(pooled, Forecasters.nonNegative(pooled), new TrainedBefore(Forecasters.naive()),
                Forecasters.boxCox(Forecasters.globalCandidate(List.of(s), new CrossValidation(12, 3, 12),
                        l -> Forecasters.naive()), 0.5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Backtest.rollingOrigin(s, f, 12, 3, 12, 24), f.name());
            assertTrue(e.getMessage().startsWith(f.name() + " holds a model trained before it is fitted"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Forecasters.globalCandidate(training, new CrossValidation(12, 3, 12), "
                    + "trainer)"), e.getMessage());
        }
    }

    @Test
    void rollingOrigin_globalCandidate_scoresOnlyItsModelTrainedBeforeTheEarliestOrigin() {
        TimeSeries s = Datasets.synthetic(8, 200, 24);
        CrossValidation plan = new CrossValidation(12, 3, 12);
        List<Recording> trained = new ArrayList<>();
        Forecaster global = Forecasters.globalCandidate(List.of(s), plan, l -> {
            Recording r = new Recording(Forecasters.seasonalNaive(24));
            trained.add(r);
            return r;
        });
        BacktestResult r = Backtest.rollingOrigin(s, global, 12, 3, 12, 24);

        // The first model was trained on s.head(200 - 36), the earliest origin: only it is fitted at the origins.
        assertEquals(List.of(s.head(164), s.head(176), s.head(188)), trained.get(0).seen);
        assertEquals(List.of(), trained.get(1).seen);
        assertEquals("snaive(24)", r.forecaster());
        BacktestResult plain = Backtest.rollingOrigin(s, Forecasters.seasonalNaive(24), 12, 3, 12, 24);
        assertArrayEquals(plain.perOrigin(Metric.MASE), r.perOrigin(Metric.MASE), 0);
        // A backtest reaching less far back is as safe.
        assertEquals(2, Backtest.rollingOrigin(s, global, 12, 2, 12, 24).folds().size());
    }

    @Test
    void rollingOrigin_globalCandidateTrainedPastTheEarliestOrigin_isRefused() {
        TimeSeries s = Datasets.synthetic(9, 200, 24);
        // Cut 24 values before the end; the backtest's earliest origin is 36 before it.
        Forecaster global = Forecasters.globalCandidate(List.of(s), CrossValidation.of(12),
                l -> Forecasters.seasonalNaive(24));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backtest.rollingOrigin(s, global, 12, 3, 12, 24));
        assertTrue(e.getMessage().startsWith("global candidate 'snaive(24)' was trained for the plan "
                + "CrossValidation[horizon=12, origins=2, stride=12], on each series cut 176 values into one of 200 "
                + "values"), e.getMessage());
        assertTrue(e.getMessage().contains("earliest origin 164"), e.getMessage());
    }
}
